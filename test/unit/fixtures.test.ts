import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';

describe('copyFixture', () => {
  it('copies a fixture without the index cache a run on it left there', () => {
    // A fixture as `npm run demo` leaves it: its sources, and a .pathfind/ cache folder.
    const source = mkdtempSync(join(tmpdir(), 'pathfind-src-'));
    mkdirSync(join(source, 'net'));
    writeFileSync(join(source, 'net/a.c'), 'void a(void)\n{\n}\n');
    mkdirSync(join(source, '.pathfind'));
    writeFileSync(join(source, '.pathfind/abc.graph'), 'cache');
    mkdirSync(join(source, 'net/.pathfind'));
    const { root } = copyFixture(source);
    expect(readFileSync(join(root, 'net/a.c'), 'utf8')).toBe('void a(void)\n{\n}\n');
    expect(existsSync(join(root, '.pathfind'))).toBe(false);
    expect(existsSync(join(root, 'net/.pathfind'))).toBe(false);
  });

  it('copies the bundled minikernel', () => {
    const { root } = copyFixture('minikernel');
    expect(existsSync(join(root, 'fs/read_write.c'))).toBe(true);
    expect(existsSync(join(root, '.pathfind'))).toBe(false);
  });
});
