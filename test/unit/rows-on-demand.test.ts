import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
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
