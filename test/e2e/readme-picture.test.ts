import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without type declarations.
import { args, output } from '../../scripts/readme-picture.mjs';
import { bin, cliEnv } from '../support/run-cli.js';

const repo = join(import.meta.dirname, '../..');

describe('the README picture', () => {
  it('is what its script draws now (run npm run picture:readme after changing a renderer)', () => {
    const r = spawnSync(process.execPath, [bin, ...(args as string[]), '--format', 'svg'], { cwd: repo, encoding: 'utf8', env: cliEnv() });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(repo, output as string), 'utf8'));
  });
});
