import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexCache } from '../../src/cache/index-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A cache of one scope in a fresh folder, with the notes it writes. */
function cacheWithNotes(): { cache: IndexCache; notes: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-pending-'));
  dirs.push(dir);
  const notes: string[] = [];
  return { cache: new IndexCache(dir, 'scope', (m) => notes.push(m)), notes, dir };
}

const MANIFEST = [{ path: 'a.c', size: 1, mtimeMs: 1 }];

describe('facts left pending for a graph', () => {
  it('take the facts file\'s name when their graph is written, without a note', () => {
    const { cache, notes, dir } = cacheWithNotes();
    expect(cache.savePendingFacts(MANIFEST, [[]])).toBe(true);
    cache.save('graph', MANIFEST, [{ edges: [] }], true);
    expect(existsSync(join(dir, 'scope.facts'))).toBe(true);
    expect(existsSync(join(dir, 'scope.nextfacts'))).toBe(false);
    expect(notes).toEqual([]);
  });

  it('are dropped, with a note, by a graph written without them (a query cut short left them, its graph never written)', () => {
    const { cache, notes, dir } = cacheWithNotes();
    expect(cache.savePendingFacts(MANIFEST, [[]])).toBe(true);
    cache.save('graph', MANIFEST, [{ edges: [] }]);
    expect(existsSync(join(dir, 'scope.nextfacts'))).toBe(false);
    expect(existsSync(join(dir, 'scope.facts'))).toBe(false);
    expect(notes).toEqual([`index cache ${join(dir, 'scope.nextfacts')}: the facts a query cut short had left pending, for a graph it never wrote, were dropped`]);
    // Nothing pending: nothing noted.
    cache.save('graph', MANIFEST, [{ edges: [] }]);
    expect(notes.length).toBe(1);
  });
});
