import { describe, expect, it } from 'vitest';
import { cachedEdges } from '../support/cached-edges.js';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { renumberEdges } from '../../src/resolve/renumber-nodes.js';
import { storedColumn } from '../../src/resolve/stored-column.js';
import { heldNarrow } from '../../src/util/narrow-views.js';
import { ROW_READS, type RowReads } from '../../src/util/row-reads.js';

/**
 * Edges 0..4 (caller e % 3, callee 3 + e % 2) as a cache file gives them: `line` and `proof` are
 * getters counting their reads, `line` also read row by row as 16 bits (ROW_READS, like a column
 * not decoded yet).
 */
function cached(): { edges: EdgeSnapshot; reads: string[] } {
  const reads: string[] = [];
  const lines = Uint16Array.from([10, 11, 12, 13, 14]);
  const edges = {
    from: Int32Array.from([0, 1, 2, 0, 1]),
    to: Int32Array.from([3, 4, 3, 4, 3]),
    kind: Uint8Array.from([1, 2, 1, 2, 1]),
    deferred: new Uint8Array(5),
    bind: Uint8Array.from([0, 1, 0, 1, 0]),
    site: Int32Array.from([0, 0, 0, 1, 1]),
  } as unknown as EdgeSnapshot;
  const lazy = (key: string, value: Int32Array): void => {
    Object.defineProperty(edges, key, { enumerable: true, configurable: true, get: () => (reads.push(key), value) });
  };
  lazy('line', Int32Array.from(lines));
  lazy('proof', Int32Array.from([-1, 5, -1, 6, 7]));
  const lineReads: RowReads = { at: (i) => lines[i]!, length: 5, narrowAs: Uint16Array, copy: (out, from, to, at) => out.set(lines.subarray(from, to), at) };
  Object.defineProperty(edges, ROW_READS, { value: { line: lineReads }, enumerable: false, configurable: true });
  return { edges, reads };
}

describe('renumberEdges', () => {
  it('keeps every edge: maps callers and callees, and carries the other columns unread', () => {
    const { edges, reads } = cached();
    // Node 1 moves after a node added at 1.
    const out = renumberEdges(edges, Int32Array.from([0, 2, 3, 4, 5]), () => false);
    expect([...out.from]).toEqual([0, 2, 3, 0, 2]);
    expect([...out.to]).toEqual([4, 5, 4, 5, 4]);
    expect(reads).toEqual([]);
    expect(storedColumn(out, 'line')!.at(3)).toBe(13);
    expect([...out.proof]).toEqual([-1, 5, -1, 6, 7]);
  });

  it('leaves out the edges of removed nodes and those dropped, each column copied as stored (lines in 16 bits, read from their rows)', () => {
    const { edges, reads } = cached();
    // Node 2 removed; edge 3 dropped.
    const out = renumberEdges(edges, Int32Array.from([0, 1, -1, 2, 3]), (e) => e === 3);
    expect([...out.from]).toEqual([0, 1, 1]);
    expect([...out.to]).toEqual([2, 3, 2]);
    expect([...out.kind]).toEqual([1, 2, 1]);
    expect([...out.bind]).toEqual([0, 1, 0]);
    expect([...out.site!]).toEqual([0, 0, 1]);
    // The line column's readers are the new column's: its rows as kept, never the cached rows.
    expect(heldNarrow(out, 'line')).toBeInstanceOf(Uint16Array);
    expect(storedColumn(out, 'line')!.at(2)).toBe(14);
    expect(reads).not.toContain('line');
    expect([...out.line]).toEqual([10, 11, 14]);
    expect([...out.proof]).toEqual([-1, 5, 7]);
  });

  it('maps the callers and callees of a cached graph read as stored, never decoding its columns', () => {
    // 100,000 edges as a cache file gives them: callers in runs (sorted), callees wide, the rest narrow.
    const n = 100_000;
    const nodes = 5000;
    const { value, edges } = cachedEdges(11, n, nodes);
    // Every tenth node removed, the others moved up past a node added at 0; every seventh edge dropped.
    const map = new Int32Array(nodes);
    for (let v = 0, next = 1; v < nodes; v++) map[v] = v % 10 === 3 ? -1 : next++;
    const drop = (e: number): boolean => e % 7 === 2;
    // The test is handed each edge's caller, kind and call site as stored.
    const handed: number[] = [];
    const out = renumberEdges(edges, map, (e, from, kind, site) => {
      if (from !== value.from[e] || kind !== value.kind[e] || site !== value.site[e]) handed.push(e);
      return drop(e);
    });
    expect(handed).toEqual([]);
    const kept = Array.from({ length: n }, (_, e) => e).filter((e) => map[value.from[e]!]! >= 0 && map[value.to[e]!]! >= 0 && !drop(e));
    expect([...out.from]).toEqual(kept.map((e) => map[value.from[e]!]));
    expect([...out.to]).toEqual(kept.map((e) => map[value.to[e]!]));
    expect([...out.site!]).toEqual(kept.map((e) => value.site[e]));
    // The cached columns were read as stored: each property is still the getter that would decode it.
    for (const key of ['from', 'to', 'kind', 'line', 'site'] as const) expect(Object.getOwnPropertyDescriptor(edges, key)!.get, key).toBeTypeOf('function');
  });
});
