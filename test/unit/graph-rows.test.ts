import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { foldedFromRows, type GraphRows, rowsOf } from '../../src/graph/graph-rows.js';
import { EdgeList } from '../../src/resolve/edge-list.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';
import { randomEdgeSpec, ROW_FILTERS, ROW_STYLES } from '../support/random-edge-spec.js';

const arrays = (g: CallGraph) => ({ outStart: [...g.outStart], outTo: [...g.outTo], outEdge: [...g.outEdge], outKind: [...g.outKind] });

/** Row v of `g` as [callee, edge, kind] triples, read through outFirst and outEnd (which gather it in a graph from kept rows). */
const row = (g: CallGraph, v: number): number[][] => {
  const out: number[][] = [];
  const end = g.outEnd(v);
  for (let i = g.outFirst(v); i < end; i++) out.push([g.rowTo[i]!, g.rowEdge[i]!, g.rowKind[i]!]);
  return out;
};

describe('call graph rows kept and made again (graph/graph-rows.ts)', () => {
  it('make the very graph folding makes, for every filter, on random graphs with parallel and interleaved edges', () => {
    let backwards = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 12, 90), ROW_STYLES);
      for (const [, keep, withDeferred] of ROW_FILTERS) {
        const folded = new CallGraph(index, edges, keep, withDeferred);
        for (let i = 1; i < folded.outEdge.length; i++) if (folded.outEdge[i]! < folded.outEdge[i - 1]!) backwards++;
        const rows = rowsOf(folded);
        const made = new CallGraph(index, edges, keep, withDeferred, rows);
        expect(made.fromRows).toBe(true);
        expect(arrays(made)).toEqual(arrays(folded));
        expect(made.inStart).toEqual(folded.inStart);
      }
    }
    // Rows whose kept edges go back in edge order (interleaved callers, a later stronger edge kept): negative steps.
    expect(backwards).toBeGreaterThan(0);
  });

  it('keep long rows, long steps and a row whose kept edge replaced its first', () => {
    // a?b, then a=b (stronger), then a>b (stronger still): one row entry, its kept edge 2; then 300 callees of c, and d far along.
    const spec = ['a?b', 'a=b', 'a>b', 'a>c', ...Array.from({ length: 300 }, (_, i) => `c>x${String(i).padStart(3, '0')}`), ...Array.from({ length: 200 }, () => 'e>e'), 'd>a', 'a>d'];
    const { index, edges, id } = tinyGraph(spec, ROW_STYLES);
    const folded = new CallGraph(index, edges);
    expect([...folded.outEdge.subarray(folded.outStart[id('a')]!, folded.outStart[id('a') + 1]!)]).toEqual([2, 3, spec.length - 1]);
    const rows = rowsOf(folded);
    expect([...rows.long]).toEqual([id('c'), 300]);
    expect(arrays(new CallGraph(index, edges, () => true, true, rows))).toEqual(arrays(folded));
  });

  it('survive a snapshot of the edges (the cached graph) and fold again when they do not fit the edges', () => {
    const { index, edges } = tinyGraph(randomEdgeSpec(7, 10, 60), ROW_STYLES);
    const folded = new CallGraph(index, edges);
    const rows = rowsOf(folded);
    const loaded = new EdgeList(edges.snapshot());
    expect(arrays(new CallGraph(index, loaded, () => true, true, rows))).toEqual(arrays(folded));
    // Rows of another graph (one edge fewer, another node count, steps cut short or past the last edge) are not used: the graph is folded.
    const other = tinyGraph(randomEdgeSpec(7, 10, 59), ROW_STYLES);
    expect(new CallGraph(other.index, other.edges, () => true, true, rows).fromRows).toBe(false);
    const wrong: GraphRows[] = [{ ...rows, nodes: rows.nodes + 1 }, { ...rows, steps: rows.steps.subarray(0, rows.steps.length - 1) }, { ...rows, steps: Uint8Array.from([...rows.steps.subarray(0, rows.steps.length - 1), 0x7e]) }, { ...rows, long: Int32Array.from([0, 300]) }];
    for (const r of wrong) {
      const g = new CallGraph(index, edges, () => true, true, r);
      expect(g.fromRows).toBe(false);
      expect(arrays(g)).toEqual(arrays(folded));
    }
  });

  it('keep steps of every length a kernel-sized edge list has: up to 5 bytes, forwards and backwards by up to 2^31 - 2', () => {
    // Edge ids up to 2^31 - 2, so that rows over millions of edges (steps of 3 to 5 bytes) are tested without making that many edges: the edge list is a stand-in of that length.
    const m = 2 ** 31 - 1;
    const ids = [0, m - 1, 0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, m - 1, 5, 2 ** 30, 3, 4, 4, 64, 0];
    const edges = { length: m, to: { view: () => ({}) }, kind: { view: () => ({}) } } as unknown as EdgeList;
    const outStart = Int32Array.from([0, 7, 7, ids.length]);
    const rows = rowsOf({ outStart, outEdge: Int32Array.from(ids), edges, index: { nodeCount: 3 } });
    // The widest steps take 5 bytes each.
    expect(rows.steps.length).toBeGreaterThan(ids.length * 2);
    const made = foldedFromRows(rows, 3, edges);
    expect(made && [...made.outEdge]).toEqual(ids);
    expect(made && [...made.outStart]).toEqual([...outStart]);
    // A step past the last edge, or one running past 5 bytes, is not taken.
    expect(foldedFromRows(rows, 3, { ...edges, length: m - 1 } as EdgeList)).toBeNull();
    const overlong = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(foldedFromRows({ edges: m, nodes: 1, lengths: Uint8Array.from([1]), long: new Int32Array(0), steps: overlong }, 1, edges)).toBeNull();
  });

  it('keep consecutive edges as one run, across rows: a thousand row positions in three bytes', () => {
    const m = 5000;
    const edges = { length: m, to: { view: () => ({}) }, kind: { view: () => ({}) } } as unknown as EdgeList;
    // Rows of 400, 0 and 600 positions over edges 10..1009 in order: one run of 1000 from 10.
    const outStart = Int32Array.from([0, 400, 400, 1000]);
    const outEdge = Int32Array.from({ length: 1000 }, (_, i) => 10 + i);
    const rows = rowsOf({ outStart, outEdge, edges, index: { nodeCount: 3 } });
    expect([...rows.steps]).toEqual([20, 0xe7, 0x07]);
    expect([...foldedFromRows(rows, 3, edges)!.outEdge]).toEqual([...outEdge]);
    // A run that would go past the last edge is not taken.
    expect(foldedFromRows(rows, 3, { ...edges, length: 1009 } as EdgeList)).toBeNull();
  });

  it('gather the callees and kinds of the rows a reader reads, when first read, and every row when the whole arrays are read', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 16, 120), ROW_STYLES);
      for (const [what, keep, withDeferred] of ROW_FILTERS) {
        const folded = new CallGraph(index, edges, keep, withDeferred);
        const made = new CallGraph(index, new EdgeList(edges.snapshot()), keep, withDeferred, rowsOf(folded));
        expect(made.fromRows).toBe(true);
        // A few rows, some twice: each gathered once, when first read, as folding makes it.
        const r = seededRandom(seed);
        const read = new Set<number>();
        for (let k = 0; k < 6; k++) {
          const v = Math.floor(r() * index.nodeCount);
          read.add(v);
          expect(row(made, v), `seed ${seed}, ${what}, node ${v}`).toEqual(row(folded, v));
          expect(made.rowsMade).toBe(read.size);
        }
        // The paths a search finds over rows gathered as read are those over the folded rows.
        const none = { via: [], avoid: new Set<number>() };
        expect(kShortestPaths(made, [0], [index.nodeCount - 1], none, 2)).toEqual(kShortestPaths(folded, [0], [index.nodeCount - 1], none, 2));
        // The whole arrays: every row gathered; rows read afterwards are the same.
        expect(arrays(made)).toEqual(arrays(folded));
        for (let v = 0; v < index.nodeCount; v++) expect(row(made, v)).toEqual(row(folded, v));
        expect(made.inStart).toEqual(folded.inStart);
      }
    }
  });

  it('reads rows at their edges through spanFirst and edgeColumns as gathered ones read, without gathering them', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { index, edges } = tinyGraph(randomEdgeSpec(seed, 16, 120), ROW_STYLES);
      for (const [what, keep, withDeferred] of ROW_FILTERS) {
        const folded = new CallGraph(index, edges, keep, withDeferred);
        expect(folded.edgeColumns).toBeNull();
        const made = new CallGraph(index, new EdgeList(edges.snapshot()), keep, withDeferred, rowsOf(folded));
        for (let v = 0; v < index.nodeCount; v++) {
          const columns = made.edgeColumns!;
          const spans: number[][] = [];
          for (let i = made.spanFirst(v); i < made.spanEnd(v); i++) spans.push([columns.to[made.rowEdge[i]!]!, made.rowEdge[i]!, columns.kind[made.rowEdge[i]!]!]);
          expect(spans, `seed ${seed}, ${what}, node ${v}`).toEqual(row(folded, v));
        }
        expect(made.rowsMade).toBe(0);
        // Rows read so are gathered as any when read through outFirst.
        for (let v = 0; v < index.nodeCount; v++) expect(row(made, v)).toEqual(row(folded, v));
      }
    }
  });
});
