import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { alignEdges, alignedRuns } from '../../src/graph/derive-rows.js';
import { WINDOW_ROWS } from '../../src/graph/edge-window.js';
import { rowsOf } from '../../src/graph/graph-rows.js';
import type { CodeIndex } from '../../src/index/code-index.js';
import { EdgeList, type EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { cachedEdges } from '../support/cached-edges.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';

type Columns = { from: Int32Array; to: Int32Array; kind: Uint8Array; deferred: Uint8Array };

/** `old` with edges dropped and added at `places` (a few around each), callers and callees renumbered by `map` when given. */
function patchedColumns(old: Columns, places: number[], r: () => number, map?: Int32Array): Columns {
  const rows: [number, number, number, number][] = [];
  const at = new Set(places);
  const node = (u: number): number => (map ? map[u]! : u);
  for (let e = 0; e < old.from.length; e++) {
    if (at.has(e)) {
      // Two edges added, then this one and the next dropped.
      rows.push([node(old.from[e]!), node(Math.floor(r() * 100)), 1, 0], [node(old.from[e]!), node(Math.floor(r() * 100)), 2, 0]);
      e++;
      continue;
    }
    if (node(old.from[e]!) < 0 || node(old.to[e]!) < 0) continue;
    rows.push([node(old.from[e]!), node(old.to[e]!), old.kind[e]!, old.deferred[e]!]);
  }
  return { from: Int32Array.from(rows, (x) => x[0]), to: Int32Array.from(rows, (x) => x[1]), kind: Uint8Array.from(rows, (x) => x[2]), deferred: Uint8Array.from(rows, (x) => x[3]) };
}

/** An edge list over plain columns (as a patch leaves them, in memory). */
const listOf = (c: Columns): EdgeList => new EdgeList({ ...c, line: new Int32Array(c.from.length), proof: new Int32Array(c.from.length).fill(-1), bind: new Uint8Array(c.from.length) } as unknown as EdgeSnapshot);

/** True while column `key` of a cached snapshot is still a getter (not decoded). */
const undecoded = (s: EdgeSnapshot, key: string): boolean => Object.getOwnPropertyDescriptor(s, key)?.get !== undefined;

describe('the edges before a patch read a window at a time (graph/edge-window.ts)', () => {
  it('align as their decoded columns do, across window boundaries, never decoding a column or reading one whole', () => {
    const n = 2 * WINDOW_ROWS + 150_000;
    const nodes = 5000;
    for (const seed of [1, 2]) {
      const r = seededRandom(seed);
      const { value, edges, largestRead } = cachedEdges(seed, n, nodes);
      // Changes near each window boundary, and a few elsewhere.
      const places = [10, WINDOW_ROWS - 3, WINDOW_ROWS + 70_000, 2 * WINDOW_ROWS - 1, 2 * WINDOW_ROWS + 65_000, n - 5].map((p) => p + Math.floor(r() * 3));
      const now = patchedColumns(value, places, r);
      const runs = alignedRuns(new EdgeList(edges), listOf(now));
      expect(runs, `seed ${seed}`).toEqual(alignEdges(value, now));
      expect(runs!.length / 3).toBeGreaterThanOrEqual(places.length);
      for (const key of ['from', 'to', 'kind', 'deferred']) expect(undecoded(edges, key), key).toBe(true);
      // A window of callees is 1 MB; the column whole, 4 bytes an edge.
      expect(largestRead()).toBeLessThanOrEqual(WINDOW_ROWS * 4 + 65_536);
      expect(largestRead()).toBeLessThan(n * 4);
    }
  });

  it('align through a node map as their decoded columns do', () => {
    const n = WINDOW_ROWS + 90_000;
    const nodes = 3000;
    const r = seededRandom(9);
    const { value, edges } = cachedEdges(9, n, nodes);
    // Nodes 100 and 2000 removed, one node added before node 1500.
    const map = new Int32Array(nodes);
    for (let u = 0, next = 0; u < nodes; u++) map[u] = u === 100 || u === 2000 ? -1 : u === 1500 ? ((next += 1), next++) : next++;
    const now = patchedColumns(value, [5000, WINDOW_ROWS - 1, WINDOW_ROWS + 1000], r, map);
    const runs = alignedRuns(new EdgeList(edges), listOf(now), map);
    expect(runs).not.toBeNull();
    expect(runs).toEqual(alignEdges(value, now, undefined, map));
  });

  it('a graph made from kept rows decodes its callees and kinds only when it reads a row', () => {
    // Columns long enough to be kept as columns of their own (a few thousand bytes are kept whole).
    const nodes = 2000;
    const { value, edges } = cachedEdges(3, 200_000, nodes);
    const names = Array.from({ length: nodes }, (_, i) => `f${i}`);
    const index: CodeIndex = tinyGraph(names.map((a, i) => `${a}>${names[(i + 1) % nodes]}`), { '>': { kind: 'direct' } }).index;
    const kept = rowsOf(new CallGraph(index, listOf(value), () => true, true));
    const graph = new CallGraph(index, new EdgeList(edges), () => true, true, kept);
    expect(graph.madeBy).toBe('rows');
    expect(undecoded(edges, 'to')).toBe(true);
    expect(undecoded(edges, 'kind')).toBe(true);
    // A row read gathers its callees and kinds from the edges: those folding makes.
    const folded = new CallGraph(index, listOf(value), () => true, true);
    const row = (g: CallGraph, v: number) => Array.from({ length: g.outEnd(v) - g.outFirst(v) }, (_, i) => [g.rowTo[g.outFirst(v) + i], g.rowKind[g.outFirst(v) + i]]);
    for (const v of [value.from[0]!, value.from[150_000]!]) {
      expect(row(graph, v).length).toBeGreaterThan(0);
      expect(row(graph, v)).toEqual(row(folded, v));
    }
  });
});
