import { chmodSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeStamp } from '../../src/index/discover-files.js';
import { recentlyChanged } from '../../src/index/discover-recent.js';

const dirs: string[] = [];
/** A second well past now: a file's mtime set to BASE + i is later than the ctime setting it gives it. */
const BASE = Math.floor(Date.now() / 1000) + 100_000;
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A folder of files a.c .. (count of them), file i modified at second BASE + i, past the ctime
 * they get now (so their stamp is that mtime: changeStamp); with their listing entries.
 */
function tree(count: number): { root: string; entries: { path: string; size: number; mtimeMs: number }[] } {
  const root = mkdtempSync(join(tmpdir(), 'pathfind-recent-'));
  dirs.push(root);
  const entries = Array.from({ length: count }, (_, i) => {
    const path = `f${i}.c`;
    writeFileSync(join(root, path), `int f${i};\n`);
    utimesSync(join(root, path), BASE + i, BASE + i);
    const s = statSync(join(root, path));
    return { path, size: s.size, mtimeMs: changeStamp(s) };
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
    utimesSync(join(root, 'f8.c'), BASE + 8, BASE + 8);
    expect(recentlyChanged(root, entries, 3)).toBeUndefined();
    utimesSync(join(root, 'f9.c'), BASE + 2000, BASE + 2000);
    expect(recentlyChanged(root, entries, 3)).toBe('f9.c');
    utimesSync(join(root, 'f9.c'), BASE + 9, BASE + 9);
    rmSync(join(root, 'f7.c'));
    expect(recentlyChanged(root, entries, 3)).toBe('f7.c');
  });

  it('sees a recent file whose mode changed (a chmod moves its ctime alone)', () => {
    const root = mkdtempSync(join(tmpdir(), 'pathfind-recent-'));
    dirs.push(root);
    writeFileSync(join(root, 'a.c'), 'int a;\n');
    const s = statSync(join(root, 'a.c'));
    const entries = [{ path: 'a.c', size: s.size, mtimeMs: changeStamp(s) }];
    expect(recentlyChanged(root, entries, 1)).toBeUndefined();
    // The ctime moves by the clock's tick: wait past it.
    const until = Date.now() + 20;
    while (Date.now() < until);
    chmodSync(join(root, 'a.c'), 0o600);
    expect(statSync(join(root, 'a.c')).mtimeMs).toBe(s.mtimeMs);
    expect(recentlyChanged(root, entries, 1)).toBe('a.c');
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
