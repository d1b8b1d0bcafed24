import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cliEnv } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pathfind-huge-pages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs bin/pathfind.js as a command (through its first line, as `pathfind` on the PATH runs), with `tunables` as GLIBC_TUNABLES (none when undefined): the GLIBC_TUNABLES node ran with, and the exit code. */
function tunablesSeen(tunables: string | undefined): { seen: string; code: number } {
  const report = join(dir, 'report.cjs');
  writeFileSync(report, "process.stderr.write(`tunables: ${process.env.GLIBC_TUNABLES ?? '(none)'}\\n`);\n");
  const env: NodeJS.ProcessEnv = { ...cliEnv(), NODE_OPTIONS: `--require ${report}` };
  delete env.GLIBC_TUNABLES;
  if (tunables !== undefined) env.GLIBC_TUNABLES = tunables;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  return { seen: /^tunables: (.*)$/m.exec(r.stderr)?.[1] ?? '', code: r.status ?? -1 };
}

describe('the command runs with glibc asking for transparent huge pages', () => {
  it.runIf(process.platform === 'linux')('sets glibc.malloc.hugetlb=1 for node, a GLIBC_TUNABLES of the user after it', () => {
    const plain = tunablesSeen(undefined);
    expect(plain.code).toBe(0);
    expect(plain.seen.split(':')).toContain('glibc.malloc.hugetlb=1');
    const own = tunablesSeen('glibc.malloc.hugetlb=0');
    expect(own.code).toBe(0);
    expect(own.seen).toBe('glibc.malloc.hugetlb=1:glibc.malloc.hugetlb=0');
  });
});
