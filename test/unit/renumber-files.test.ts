import { describe, expect, it } from 'vitest';
import { FactsLayout } from '../../src/cache/facts-layout.js';
import { FACTS_PER_FRAME } from '../../src/cache/index-cache.js';
import { fileListChange, includedName, MAX_FILES_CHANGED, positionMap } from '../../src/cache/renumber-files.js';

const entry = (path: string, size = 1): { path: string; size: number; mtimeMs: number } => ({ path, size, mtimeMs: 1 });

describe('file list changes', () => {
  it('merges the files then and now in path order, added ones as placeholders', () => {
    const change = fileListChange([entry('a.c'), entry('c.c'), entry('d/e.c')], [entry('a.c', 2), entry('b.c'), entry('d/e.c'), entry('z.c')]);
    if (typeof change === 'string') throw new Error(change);
    expect(change.union.map((e) => e.path)).toEqual(['a.c', 'b.c', 'c.c', 'd/e.c', 'z.c']);
    // The union keeps the cached entry of a kept file (its size then), and never matches an added one.
    expect(change.union[0]!.size).toBe(1);
    expect(change.union[1]).toEqual({ path: 'b.c', size: -1, mtimeMs: -1 });
    expect([...change.oldAt]).toEqual([0, -1, 1, 2, -1]);
    expect([...change.newAt]).toEqual([0, 1, -1, 2, 3]);
    expect(change.added).toEqual([1, 4]);
    expect(change.deleted).toEqual([2]);
    expect([...positionMap(change.oldAt, 3)]).toEqual([0, 2, 3]);
    expect([...positionMap(change.newAt, 4)]).toEqual([0, 1, 3, 4]);
  });

  it('orders paths as discovery does (by code units: upper case before lower, `-` before `/`)', () => {
    const change = fileListChange([entry('a-b.c'), entry('a/b.c')], [entry('A.c'), entry('a-b.c'), entry('a.c'), entry('a/b.c')]);
    if (typeof change === 'string') throw new Error(change);
    expect(change.union.map((e) => e.path)).toEqual(['A.c', 'a-b.c', 'a.c', 'a/b.c']);
    expect(change.added).toEqual([0, 2]);
  });

  it('refuses more files added and deleted than a patch takes', () => {
    const many = Array.from({ length: MAX_FILES_CHANGED + 1 }, (_, i) => entry(`f${String(i).padStart(5, '0')}.c`));
    expect(fileListChange([], many)).toMatch(new RegExp(`${MAX_FILES_CHANGED + 1} files added and 0 deleted`));
    expect(fileListChange([], many.slice(1))).not.toBeTypeOf('string');
  });

  it('names an include by its last segment', () => {
    expect(includedName('linux/netdevice.h')).toBe('netdevice.h');
    expect(includedName('x.h')).toBe('x.h');
  });
});

describe('facts frame layout', () => {
  it('is FACTS_PER_FRAME files a frame when the graph keeps none', () => {
    const even = FactsLayout.of(undefined);
    expect(even.frame(0)).toBe(1);
    expect(even.frame(FACTS_PER_FRAME)).toBe(2);
    expect(even.slot(FACTS_PER_FRAME + 3)).toBe(3);
    expect(even.saved).toBeUndefined();
  });

  it('finds the frame and slot of each file in frames of uneven size, empty ones skipped', () => {
    const layout = FactsLayout.fromCounts([3, 0, 2, 1]);
    expect([...layout.saved!]).toEqual([0, 3, 3, 5, 6]);
    expect([0, 1, 2, 3, 4, 5].map((at) => [layout.frame(at), layout.slot(at)])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [3, 0],
      [3, 1],
      [4, 0],
    ]);
  });

  it('finds each file\'s place in a facts file written before files were added and deleted (and none for an added one), over random changes', () => {
    let seed = 5;
    const r = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    for (let round = 0; round < 100; round++) {
      const stored = Array.from({ length: 5 + Math.floor(r() * 40) }, (_, i) => `f${String(i).padStart(3, '0')}.c`);
      const layout0 = r() < 0.5 ? FactsLayout.of(undefined) : FactsLayout.fromCounts([3, 0, stored.length - 3]);
      let layout = layout0;
      let files = [...stored];
      let made = 0;
      for (let step = 0; step < 4; step++) {
        const now = files.filter(() => r() > 0.2);
        for (let i = 0; i < 3; i++) now.push(`f${String(Math.floor(r() * 50)).padStart(3, '0')}_${made++}.c`);
        now.sort();
        const change = fileListChange(files.map((p) => entry(p)), now.map((p) => entry(p)));
        if (typeof change === 'string') continue;
        layout = layout.movedBy(change.oldAt, change.newAt, stored.length);
        files = now;
        expect(layout.storedCount(files.length)).toBe(stored.length);
        files.forEach((path, at) => {
          expect(layout.position(at), path).toBe(stored.indexOf(path));
          if (stored.includes(path)) expect([layout.frame(at), layout.slot(at)]).toEqual([layout0.frame(stored.indexOf(path)), layout0.slot(stored.indexOf(path))]);
        });
        // The layout as the graph keeps it reads back the same.
        const again = FactsLayout.of(layout.saved, layout.gaps.added, layout.gaps.dropped);
        files.forEach((_, at) => expect(again.position(at)).toBe(layout.position(at)));
      }
    }
  });

  it('rejects starts that do not ascend from 0', () => {
    expect(() => FactsLayout.of(Int32Array.from([1, 2]))).toThrow();
    expect(() => FactsLayout.of(Int32Array.from([0, 3, 2]))).toThrow();
  });
});
