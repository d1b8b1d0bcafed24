import { EDGE_WEIGHTS, kindId } from '../resolve/edge-kind.js';
import { MinHeap } from '../util/heap.js';
import type { CallGraph } from './call-graph.js';
import type { PathConstraints } from './path.js';

const CALLBACK_ARG = kindId('callback-arg');

/**
 * A lower bound on the cost still to pay from each (node, via stage) state to a target: the
 * cheapest cost over the call graph's edges (the path-search weights, EDGE_WEIGHTS, and the cost of
 * entering each node, PathConstraints.enterCost) of a walk
 * that passes the via names left and ends at a target, by one Dijkstra search backwards from the
 * targets. It honours `avoid` (an avoided node gets Infinity) but not the depth bound, nor the
 * exclusions of k shortest paths' spur searches, nor looplessness: a search under those costs at
 * least as much, so the value bounds it from below. Indexed node * (via.length + 1) + stage;
 * Infinity where no target can be reached. The sums run from the target back, so a value may
 * differ from the forward sum of the same walk in the last bits: compare with a tolerance.
 */
export function remainingCost(graph: CallGraph, targets: Iterable<number>, constraints: PathConstraints): Float64Array {
  const n = graph.index.nodeCount;
  const via = constraints.via;
  const stages = via.length + 1;
  const rest = new Float64Array(n * stages).fill(Infinity);
  const blocked = new Uint8Array(n);
  for (const a of constraints.avoid) if (a >= 0 && a < n) blocked[a] = 1;
  // Per stage s < via.length, which nodes enter stage s + 1 (the via[s] name's nodes).
  const advances = via.map((names) => {
    const mark = new Uint8Array(n);
    for (const x of names) if (x >= 0 && x < n) mark[x] = 1;
    return mark;
  });
  const { start, from, weight, kind } = callers(graph);
  const passing = via.length > 0 && constraints.passedThrough !== undefined;
  const heap = new MinHeap();
  for (const t of targets) {
    if (t < 0 || t >= n || blocked[t] === 1) continue;
    const s = t * stages + stages - 1;
    if (rest[s] === 0) continue;
    rest[s] = 0;
    heap.push(s, 0);
  }
  const done = new Uint8Array(n * stages);
  while (heap.size) {
    const s = heap.pop();
    if (done[s] === 1) continue;
    done[s] = 1;
    const v = Math.floor(s / stages);
    const stage = s - v * stages;
    const cost = rest[s]!;
    // The stages a caller may be at for a call into v to leave the walk at `stage`: the same one
    // when v does not advance it, the one before when v is that stage's via name.
    const same = !(stage < via.length && advances[stage]![v] === 1);
    const before = stage >= 1 && advances[stage - 1]![v] === 1;
    const enter = constraints.enterCost ? constraints.enterCost[v]! : 0;
    for (let i = start[v]!; i < start[v + 1]!; i++) {
      const u = from[i]!;
      if (blocked[u] === 1) continue;
      const c = cost + weight[i]! + enter;
      // A callback-arg step may pass via names before it enters v (PathConstraints.passedThrough):
      // its caller may be at any earlier stage (a bound, not read per edge: that reads its evidence).
      if (passing && kind[i] === CALLBACK_ARG) for (let s = 0; s <= stage; s++) relax(u * stages + s, c);
      if (same) relax(u * stages + stage, c);
      if (before) relax(u * stages + stage - 1, c);
    }
  }
  return rest;

  function relax(s: number, c: number): void {
    if (c < rest[s]!) {
      rest[s] = c;
      heap.push(s, c);
    }
  }
}

/** The call graph's rows reversed (callers of each node) with each edge's path weight and kind. */
function callers(graph: CallGraph): { start: Int32Array; from: Int32Array; weight: Float64Array; kind: Uint8Array } {
  const n = graph.index.nodeCount;
  const { outStart, outTo, outKind } = graph;
  const m = outTo.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) start[outTo[i]! + 1]!++;
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const at = start.slice(0, n);
  const from = new Int32Array(m);
  const weight = new Float64Array(m);
  const kind = new Uint8Array(m);
  for (let u = 0; u < n; u++) {
    for (let i = outStart[u]!; i < outStart[u + 1]!; i++) {
      const j = at[outTo[i]!]!++;
      from[j] = u;
      weight[j] = EDGE_WEIGHTS[outKind[i]!]!;
      kind[j] = outKind[i]!;
    }
  }
  return { start, from, weight, kind };
}
