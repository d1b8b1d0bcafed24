import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { CallGraph } from '../../src/graph/call-graph.js';
import { EdgeList, type EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { callTree } from '../../src/graph/call-tree.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';
import { randomEdgeSpec, ROW_FILTERS, ROW_STYLES } from '../support/random-edge-spec.js';

/** Row v of `g` as read through outFirst and outEnd: [callee, edge, kind] triples. */
const row = (g: CallGraph, v: number): number[][] => {
  const out: number[][] = [];
  const end = g.outEnd(v);
  for (let i = g.outFirst(v); i < end; i++) out.push([g.rowTo[i]!, g.rowEdge[i]!, g.rowKind[i]!]);
  return out;
};

describe('call graph rows made on demand (graph/rows-on-demand.ts)', () => {
  it('are the rows folding makes, read in any order, for every filter, on random graphs whose callers come in several runs', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 12, seed % 2 ? 90 : 300), ROW_STYLES);
      for (const [what, keep, withDeferred] of ROW_FILTERS) {
        const folded = new CallGraph(index, edges, keep, withDeferred);
        const lazy = new CallGraph(index, edges, keep, withDeferred, undefined, undefined, true);
        expect(lazy.isFull).toBe(false);
        const r = seededRandom(seed * 7);
        const order = Array.from({ length: index.nodeCount }, (_, v) => v).sort(() => r() - 0.5);
        for (const v of order) expect(row(lazy, v), `seed ${seed}, ${what}, node ${v}`).toEqual(row(folded, v));
        // Asked again: the same rows, not made twice.
        expect(lazy.rowsMade).toBe(index.nodeCount);
        for (const v of order) expect(row(lazy, v)).toEqual(row(folded, v));
        expect(lazy.rowsMade).toBe(index.nodeCount);
        expect(lazy.isFull).toBe(false);
        // Reading the full rows makes them, as folding does.
        expect([...lazy.outStart]).toEqual([...folded.outStart]);
        expect([...lazy.outTo]).toEqual([...folded.outTo]);
        expect(lazy.isFull).toBe(true);
        for (const v of order) expect(row(lazy, v)).toEqual(row(folded, v));
      }
    }
  });

  it('are the rows folding makes past the edges they read one by one, when they read the edge columns whole', () => {
    for (let seed = 1; seed <= 4; seed++) {
      // 6,000 edges among 150 callers: the first rows read their edges one by one, the later ones from the whole columns.
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 150, 6000), ROW_STYLES);
      for (const [what, keep, withDeferred] of ROW_FILTERS) {
        const folded = new CallGraph(index, edges, keep, withDeferred);
        const lazy = new CallGraph(index, edges, keep, withDeferred, undefined, undefined, true);
        const r = seededRandom(seed * 11);
        const order = Array.from({ length: index.nodeCount }, (_, v) => v).sort(() => r() - 0.5);
        for (const v of order) expect(row(lazy, v), `seed ${seed}, ${what}, node ${v}`).toEqual(row(folded, v));
        expect(lazy.isFull).toBe(false);
      }
    }
  });

  it('read the callees, kinds and deferred flags of a few rows from the columns as stored, not whole', () => {
    const { index, edges } = tinyGraph(randomEdgeSpec(5, 150, 6000), ROW_STYLES);
    // The edges as the graph cache stores and reads them back: each column read whole only when asked for.
    const stored = decodeColumns<EdgeSnapshot>(encodeColumns(edges.snapshot()));
    const back = new EdgeList(stored);
    const unread = (key: string): boolean => typeof Object.getOwnPropertyDescriptor(stored, key)?.get === 'function';
    expect(unread('to') && unread('kind')).toBe(true);
    const folded = new CallGraph(index, edges, () => true, true);
    const lazy = new CallGraph(index, back, () => true, true, undefined, undefined, true);
    for (const v of [0, 7, 42]) expect(row(lazy, v)).toEqual(row(folded, v));
    expect(unread('to') && unread('kind')).toBe(true);
    // Past the edges read one by one, the rest from the columns (kinds read whole).
    for (let v = 0; v < index.nodeCount; v++) expect(row(lazy, v)).toEqual(row(folded, v));
    expect(unread('kind')).toBe(false);
  });

  it('give the paths and trees the full rows give, making only the rows they read', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 20, 60), ROW_STYLES);
      const folded = new CallGraph(index, edges, () => true, false);
      const lazy = new CallGraph(index, edges, () => true, false, undefined, undefined, true);
      const none = { via: [], avoid: new Set<number>() };
      expect(kShortestPaths(lazy, [0], [index.nodeCount - 1], none, 1)).toEqual(kShortestPaths(folded, [0], [index.nodeCount - 1], none, 1));
      expect(callTree(lazy, 1, 2, 'callees')).toEqual(callTree(folded, 1, 2, 'callees'));
      expect(lazy.rowsMade).toBeLessThanOrEqual(index.nodeCount);
      expect(lazy.isFull).toBe(false);
    }
  });
});
