import { describe, expect, it } from 'vitest';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { applySplices } from '../../src/resolve/edge-splice.js';
import { heldNarrow, holdNarrow } from '../../src/util/narrow-views.js';
import { splice } from '../support/edge-splices.js';
import { cachedEdges } from '../support/cached-edges.js';

/** Edge rows whose `to` column names each edge (the other columns follow it). */
function rows(to: number[]): EdgeSnapshot {
  const col = (f: (t: number) => number): Int32Array => Int32Array.from(to, f);
  return { from: col(() => 1), to: col((t) => t), kind: Uint8Array.from(to, () => 2), line: col((t) => t * 10), proof: col((t) => t + 100), deferred: Uint8Array.from(to, () => 0), bind: Uint8Array.from(to, () => 0), site: col((t) => t) } as unknown as EdgeSnapshot;
}


describe('applySplices', () => {
  it('replaces and inserts runs in edge order, an insertion before a replacement of the same edge, whatever order they come in', () => {
    const edges = rows([0, 1, 2, 3, 4, 5]);
    applySplices(edges, [splice(4, 6, [40]), splice(1, 3, [10, 11, 12]), splice(1, 1, [9]), splice(6, 6, [60])]);
    expect([...edges.to]).toEqual([0, 9, 10, 11, 12, 3, 40, 60]);
    expect([...edges.line]).toEqual([0, 90, 100, 110, 120, 30, 400, 600]);
    // Rows copied keep every column; rows written anew have the columns' zero where the splice wrote none.
    expect([...edges.proof]).toEqual([100, 0, 0, 0, 0, 103, 0, 0]);
    expect([...edges.site!]).toEqual([0, 0, 0, 0, 0, 3, 0, 0]);
  });

  it('keeps insertions at one edge in the order given, and leaves the edges as they are without splices', () => {
    const edges = rows([0, 1]);
    const before = edges.to;
    applySplices(edges, []);
    expect(edges.to).toBe(before);
    applySplices(edges, [splice(1, 1, [7]), splice(1, 1, [8])]);
    expect([...edges.to]).toEqual([0, 7, 8, 1]);
  });

  it('keeps the columns a same-size splice leaves as they were, and never writes the columns it had', () => {
    const edges = rows([0, 1, 2, 3]);
    const { from, to, line } = edges;
    // Edge 2's target replaced by 7 at the same line (10 * 7 is another line: only `to` is written here).
    applySplices(edges, [{ start: 2, end: 3, count: 1, write: (next, at) => { next.from[at] = 1; next.to[at] = 7; next.kind[at] = 2; next.line[at] = 20; next.proof[at] = 102; next.site![at] = 2; } }]);
    expect(edges.from).toBe(from);
    expect(edges.line).toBe(line);
    expect(edges.to).not.toBe(to);
    expect([...edges.to]).toEqual([0, 1, 7, 3]);
    expect([...to]).toEqual([0, 1, 2, 3]);
  });

  it('splices a 16-bit line column in 16 bits without widening it, and widens it for a value that does not fit', () => {
    const edges = rows([0, 1, 2]);
    holdNarrow(edges, 'line', Uint16Array.from([0, 10, 20]));
    applySplices(edges, [splice(1, 1, [5])]);
    expect(heldNarrow(edges, 'line')).toBeInstanceOf(Uint16Array);
    expect([...heldNarrow(edges, 'line')!]).toEqual([0, 50, 10, 20]);
    applySplices(edges, [splice(0, 0, [70000])]);
    expect(heldNarrow(edges, 'line')).toBeUndefined();
    expect(edges.line).toBeInstanceOf(Int32Array);
    expect([...edges.line]).toEqual([700000, 0, 50, 10, 20]);
  });
  it('copies the columns of a cache file from their bytes, never decoding one or reading it whole', () => {
    // 100,000 edges as a cache file gives them: callers in runs, 16-bit lines and sites, wide callees, byte kinds.
    const n = 100_000;
    const { value, edges, largestRead } = cachedEdges(21, n, 5000);
    // An edge inserted near the start, two replaced by one further on, one removed near the end.
    applySplices(edges, [splice(10, 10, [7]), splice(50_000, 50_002, [8]), splice(99_990, 99_991, [])]);
    const kept = (column: ArrayLike<number>, add: (t: number) => number): number[] => {
      const all = Array.from(column);
      return [...all.slice(0, 10), add(7), ...all.slice(10, 50_000), add(8), ...all.slice(50_002, 99_990), ...all.slice(99_991)];
    };
    expect([...edges.to]).toEqual(kept(value.to, (t) => t));
    expect([...edges.line]).toEqual(kept(value.line, (t) => t * 10));
    expect([...edges.from]).toEqual(kept(value.from, () => 0));
    expect([...edges.kind]).toEqual(kept(value.kind, () => 0));
    expect([...edges.site!]).toEqual(kept(value.site, () => 0));
    // The smallest column is n bytes (kinds): no read took one whole.
    expect(largestRead()).toBeLessThan(n);
  });
});
