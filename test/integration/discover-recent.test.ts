import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recentlyChanged } from '../../src/index/discover-recent.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder of files a.c .. (count of them), file i modified at second 1000 + i; with their listing entries. */
function tree(count: number): { root: string; entries: { path: string; size: number; mtimeMs: number }[] } {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-recent-'));
  dirs.push(root);
  const entries = Array.from({ length: count }, (_, i) => {
    const path = `f${i}.c`;
    writeFileSync(join(root, path), `int f${i};\n`);
    utimesSync(join(root, path), 1000 + i, 1000 + i);
    const s = statSync(join(root, path));
    return { path, size: s.size, mtimeMs: s.mtimeMs };
  });
  return { root, entries };
}

describe('the most recently modified files looked at before the tree is listed (index/discover-recent.ts)', () => {
  it('finds none changed in an unchanged tree, and a recent file edited, touched or removed', () => {
    const { root, entries } = tree(10);
    expect(recentlyChanged(root, entries, 3)).toBeUndefined();
    writeFileSync(join(root, 'f8.c'), 'int f8, g;\n');
    expect(recentlyChanged(root, entries, 3)).toBe('f8.c');
    writeFileSync(join(root, 'f8.c'), 'int f8;\n');
    utimesSync(join(root, 'f8.c'), 1008, 1008);
    expect(recentlyChanged(root, entries, 3)).toBeUndefined();
    utimesSync(join(root, 'f9.c'), 2000, 2000);
    expect(recentlyChanged(root, entries, 3)).toBe('f9.c');
    utimesSync(join(root, 'f9.c'), 1009, 1009);
    rmSync(join(root, 'f7.c'));
    expect(recentlyChanged(root, entries, 3)).toBe('f7.c');
  });

  it('looks at the newest files only, whatever their order in the listing', () => {
    const { root, entries } = tree(10);
    // An older file changed is not seen (the listing tells); the newest are, listed in any order.
    writeFileSync(join(root, 'f2.c'), 'int f2, g;\n');
    expect(recentlyChanged(root, [...entries].reverse(), 3)).toBeUndefined();
    expect(recentlyChanged(root, entries, 8)).toBe('f2.c');
    rmSync(join(root, 'f9.c'));
    expect(recentlyChanged(root, [entries[9]!, ...entries.slice(0, 9)].reverse(), 1)).toBe('f9.c');
  });
});
