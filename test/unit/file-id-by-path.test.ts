import { describe, expect, it } from 'vitest';
import { fileIdByPath } from '../../src/api/unbuilt.js';

/** An index's files as fileIdByPath reads them, counting the paths read. */
function files(paths: string[]): { index: { fileCount: number; filePath: (f: number) => string }; reads: () => number } {
  let reads = 0;
  return {
    index: {
      fileCount: paths.length,
      filePath: (f: number) => {
        reads++;
        return paths[f]!;
      },
    },
    reads: () => reads,
  };
}

const sorted = Array.from({ length: 40_000 }, (_, i) => `drivers/d${String(i).padStart(5, '0')}/main.c`).sort();

describe('fileIdByPath', () => {
  it('finds a path of files in listing order by reading a few paths, not all of them', () => {
    const { index, reads } = files(sorted);
    for (const f of [0, 1, 17, 20_000, 39_999]) expect(fileIdByPath(index, sorted[f]!)).toBe(f);
    expect(reads()).toBeLessThan(5 * 20);
    // Asked again: no path read.
    const before = reads();
    expect(fileIdByPath(index, sorted[17]!)).toBe(17);
    expect(reads()).toBe(before);
  });

  it('is undefined for a path no file has, and every path is then looked up in a map of them all', () => {
    const { index, reads } = files(sorted);
    expect(fileIdByPath(index, 'drivers/zz/none.c')).toBeUndefined();
    expect(reads()).toBeGreaterThanOrEqual(sorted.length);
    const before = reads();
    expect(fileIdByPath(index, sorted[123]!)).toBe(123);
    expect(fileIdByPath(index, 'a.c')).toBeUndefined();
    expect(reads()).toBe(before);
  });

  it('finds every path of files in no order', () => {
    const shuffled = ['net/b.c', 'a.c', 'kernel/z.h', 'drivers/x.c', 'mm/a.c', 'block/q.c'];
    const { index } = files(shuffled);
    shuffled.forEach((p, f) => expect(fileIdByPath(index, p), p).toBe(f));
    expect(fileIdByPath(index, 'fs/none.c')).toBeUndefined();
  });
});
