import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { alignEdges } from '../../src/graph/derive-rows.js';
import { rowsOf } from '../../src/graph/graph-rows.js';
import type { CodeIndex } from '../../src/index/code-index.js';
import { isIndirect, kindId } from '../../src/resolve/edge-kind.js';
import { EdgeList } from '../../src/resolve/edge-list.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';

/** One edge: caller, callee, kind index, deferred. */
type Edge = [number, number, number, boolean];

/** The filters a query may build a graph for: [keep kind, with deferred edges]. */
const FILTERS: [string, (k: number) => boolean, boolean][] = [
  ['every kind', () => true, true],
  ['synchronous', () => true, false],
  ['direct only', (k) => !isIndirect(k), true],
  ['strong kinds, synchronous', (k) => k <= kindId('ops-initializer'), false],
];

/** An index of `nodes` functions (f00, f01, ...: node i is f<i>). */
function indexOf(nodes: number): CodeIndex {
  const names = Array.from({ length: nodes }, (_, i) => `f${String(i).padStart(2, '0')}`);
  return tinyGraph(names.map((a, i) => `${a}>${names[(i + 1) % nodes]}`), { '>': { kind: 'direct' } }).index;
}

/** The edge list of `list`, each edge on its own line. */
function edgeList(list: Edge[]): EdgeList {
  const edges = new EdgeList();
  list.forEach(([from, to, kind, deferred], line) => {
    edges.add(from, to, kind, -1, line + 1);
    if (deferred) edges.markDeferred(edges.length - 1, edges.length);
  });
  return edges;
}

/** `count` random edges among `nodes` nodes, of a few kinds, some deferred, with parallel edges, each caller's edges mostly together (as resolution adds them) but interleaved too. */
function randomEdges(r: () => number, nodes: number, count: number): Edge[] {
  const kinds = [kindId('direct'), kindId('macro'), kindId('ops-initializer'), kindId('field-name'), kindId('signature')];
  const out: Edge[] = [];
  let caller = 0;
  for (let i = 0; i < count; i++) {
    if (r() < 0.2) caller = Math.floor(r() * nodes);
    out.push([caller, Math.floor(r() * nodes), kinds[Math.floor(r() * kinds.length)]!, r() < 0.1]);
  }
  return out;
}

/** `list` with a few edges dropped, added and replaced at random places, as a patch changes them. */
function patched(r: () => number, list: Edge[], nodes: number, changes: number): Edge[] {
  const out = [...list];
  for (let c = 0; c < changes; c++) {
    const at = Math.floor(r() * (out.length + 1));
    const made = randomEdges(r, nodes, 1 + Math.floor(r() * 4));
    const what = r();
    if (what < 0.35) out.splice(at, Math.floor(r() * 4));
    else if (what < 0.7) out.splice(at, 0, ...made);
    else out.splice(at, made.length, ...made);
  }
  return out;
}

const arrays = (g: CallGraph) => ({ outStart: [...g.outStart], outTo: [...g.outTo], outEdge: [...g.outEdge], outKind: [...g.outKind] });

describe('call graph rows derived from those before a patch (graph/derive-rows.ts)', () => {
  it('are the rows folding makes, for every filter, on random edge lists and random patches', () => {
    let derived = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = seededRandom(seed);
      const nodes = 6 + Math.floor(r() * 30);
      const before = randomEdges(r, nodes, 40 + Math.floor(r() * 400));
      const after = patched(r, before, nodes, Math.floor(r() * 6));
      // Now and then a function added: one more node, called and calling.
      const grown = r() < 0.3;
      const index = indexOf(nodes + (grown ? 1 : 0));
      if (grown) after.splice(Math.floor(r() * after.length), 0, [0, nodes, kindId('direct'), false], [nodes, 1, kindId('direct'), false]);
      const oldEdges = edgeList(before);
      const newEdges = edgeList(after);
      for (const [, keep, withDeferred] of FILTERS) {
        const base = new CallGraph(indexOf(nodes), oldEdges, keep, withDeferred);
        const made = new CallGraph(index, newEdges, keep, withDeferred, base);
        expect(arrays(made)).toEqual(arrays(new CallGraph(index, newEdges, keep, withDeferred)));
        if (made.madeBy === 'derived') derived++;
      }
    }
    // Most patches change few callers: their rows are derived, not folded again.
    expect(derived).toBeGreaterThan(FILTERS.length * 30);
  });

  it('are the rows folding makes when the patch renumbered nodes (functions added and removed), given the node map', () => {
    let derived = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const r = seededRandom(100 + seed);
      const nodes = 40 + Math.floor(r() * 60);
      const before = randomEdges(r, nodes, 40 + Math.floor(r() * 200));
      // Old node -> new node: a few removed (-1), a few new ones inserted between the kept, order kept.
      const map = new Int32Array(nodes);
      let next = 0;
      const added: number[] = [];
      for (let u = 0; u < nodes; u++) {
        while (r() < 0.03) added.push(next++);
        map[u] = r() < 0.02 ? -1 : next++;
      }
      while (r() < 0.3) added.push(next++);
      const count = next;
      // The kept edges renumbered, then a patch's changes among the new nodes, then the new nodes' calls.
      const kept = before.filter(([f, t]) => map[f]! >= 0 && map[t]! >= 0).map(([f, t, k, d]): Edge => [map[f]!, map[t]!, k, d]);
      const after = patched(r, kept, count, Math.floor(r() * 4));
      for (const v of added) after.splice(Math.floor(r() * (after.length + 1)), 0, [v, Math.floor(r() * count), kindId('direct'), false], [Math.floor(r() * count), v, kindId('direct'), false]);
      const oldEdges = edgeList(before);
      const newEdges = edgeList(after);
      const index = indexOf(count);
      for (const [, keep, withDeferred] of FILTERS) {
        const base = new CallGraph(indexOf(nodes), oldEdges, keep, withDeferred);
        const made = new CallGraph(index, newEdges, keep, withDeferred, base, map);
        expect(arrays(made)).toEqual(arrays(new CallGraph(index, newEdges, keep, withDeferred)));
        if (made.madeBy === 'derived') derived++;
      }
    }
    expect(derived).toBeGreaterThan(FILTERS.length * 30);
  });

  it('read row by row (callees and kinds gathered as read) are the rows folding makes, the base made from kept rows', () => {
    let derived = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = seededRandom(300 + seed);
      const nodes = 6 + Math.floor(r() * 30);
      const before = randomEdges(r, nodes, 40 + Math.floor(r() * 400));
      const after = patched(r, before, nodes, Math.floor(r() * 6));
      const index = indexOf(nodes);
      const oldEdges = edgeList(before);
      const newEdges = edgeList(after);
      for (const [, keep, withDeferred] of FILTERS) {
        // The cached graph as a warm query makes it: from its kept rows, callees gathered only for rows read.
        const base = new CallGraph(index, oldEdges, keep, withDeferred, rowsOf(new CallGraph(index, oldEdges, keep, withDeferred)));
        const made = new CallGraph(index, newEdges, keep, withDeferred, base);
        const folded = new CallGraph(index, newEdges, keep, withDeferred);
        // Rows read in a scattered order, each through outFirst and outEnd, before any reader asks for whole arrays.
        for (let k = 0; k < nodes; k++) {
          const v = (k * 7) % nodes;
          const row = (g: CallGraph) => Array.from({ length: g.outEnd(v) - g.outFirst(v) }, (_, i) => [g.rowTo[g.outFirst(v) + i], g.rowEdge[g.outFirst(v) + i], g.rowKind[g.outFirst(v) + i]]);
          expect(row(made)).toEqual(row(folded));
        }
        expect(arrays(made)).toEqual(arrays(folded));
        if (made.madeBy === 'derived') derived++;
      }
    }
    expect(derived).toBeGreaterThan(FILTERS.length * 15);
  });

  it('fold every edge again when the lists differ nearly everywhere (nodes renumbered)', () => {
    const r = seededRandom(7);
    const before = randomEdges(r, 40, 2000);
    const after = before.map(([from, to, kind, deferred]): Edge => [(from + 1) % 40, (to + 1) % 40, kind, deferred]);
    const index = indexOf(40);
    const base = new CallGraph(index, edgeList(before));
    const made = new CallGraph(index, edgeList(after), () => true, true, base);
    expect(made.madeBy).toBe('folded');
    expect(arrays(made)).toEqual(arrays(new CallGraph(index, edgeList(after))));
  });

  it('align runs of equal edges across edges dropped, added and replaced', () => {
    const e = (from: number, to: number): Edge => [from, to, kindId('direct'), false];
    const before = [e(0, 1), e(0, 2), e(1, 2), e(1, 3), e(2, 0), e(2, 1), e(3, 0), e(3, 1), e(3, 2)];
    // e(1, 2) dropped, e(2, 3) added after e(2, 0), e(3, 1) replaced by e(3, 3).
    const after = [e(0, 1), e(0, 2), e(1, 3), e(2, 0), e(2, 3), e(2, 1), e(3, 0), e(3, 3), e(3, 2)];
    const columns = (list: Edge[]) => ({ from: list.map((x) => x[0]), to: list.map((x) => x[1]), kind: list.map((x) => x[2]), deferred: list.map((x) => (x[3] ? 1 : 0)) });
    const runs = alignEdges(columns(before), columns(after))!;
    const map = new Array<number>(before.length).fill(-1);
    for (let r = 0; r < runs.length; r += 3) for (let k = 0; k < runs[r + 2]!; k++) map[runs[r]! + k] = runs[r + 1]! + k;
    for (let i = 0; i < map.length; i++) if (map[i]! >= 0) expect(after[map[i]!]).toEqual(before[i]);
    const matched = map.filter((j) => j >= 0);
    expect(matched).toEqual([...matched].sort((x, y) => x - y));
    expect(map[2]).toBe(-1);
    expect(map[7]).toBe(-1);
    expect(matched).toHaveLength(7);
  });

  it('align through a node map as the old lists renumbered by it align, on long runs and around changes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = seededRandom(500 + seed);
      const nodes = 200;
      const before = randomEdges(r, nodes, 5000 + Math.floor(r() * 30_000));
      const map = new Int32Array(nodes);
      let next = 0;
      for (let u = 0; u < nodes; u++) {
        if (r() < 0.02) next++;
        map[u] = r() < 0.01 ? -1 : next++;
      }
      const kept = before.filter(([f, t]) => map[f]! >= 0 && map[t]! >= 0).map(([f, t, k, d]): Edge => [map[f]!, map[t]!, k, d]);
      const after = patched(r, kept, next, Math.floor(r() * 5));
      const typed = (list: Edge[]) => ({ from: Int32Array.from(list, (x) => x[0]), to: Int32Array.from(list, (x) => x[1]), kind: Uint8Array.from(list, (x) => x[2]), deferred: Uint8Array.from(list, (x) => (x[3] ? 1 : 0)) });
      const old = typed(before);
      // The old lists with their callers and callees renumbered beforehand (-1 for a node gone).
      const renumbered = { ...old, from: old.from.map((u) => map[u]!), to: old.to.map((u) => map[u]!) };
      expect(alignEdges(old, typed(after), undefined, map), `seed ${seed}`).toEqual(alignEdges(renumbered, typed(after)));
    }
  });

  it('align long equal runs (compared as bytes) around a change, and typed arrays of other widths one by one', () => {
    const r = seededRandom(11);
    const before = randomEdges(r, 300, 50_000);
    const after = [...before.slice(0, 30_001), [1, 2, kindId('direct'), false] as Edge, ...before.slice(30_003)];
    const typed = (list: Edge[], wide: boolean) => ({ from: Int32Array.from(list, (x) => x[0]), to: wide ? Int32Array.from(list, (x) => x[1]) : Uint16Array.from(list, (x) => x[1]), kind: Uint8Array.from(list, (x) => x[2]), deferred: Uint8Array.from(list, (x) => (x[3] ? 1 : 0)) });
    for (const wide of [true, false]) {
      const runs = alignEdges(typed(before, true), typed(after, wide))!;
      // One edge added in place of two: everything else matched, in two runs.
      expect(runs).toEqual([0, 0, 30_001, 30_003, 30_002, before.length - 30_003]);
    }
  });
});
