/**
 * Whether a path search made on the cached graph while the tree was listed (an answer worked out
 * ahead: Project.answerAhead) finds what the same search finds on the graph patched since for
 * edited files, and if so the paths it found in the patched graph's nodes and edges, to be
 * described there (find-paths.ts describePaths): lines, evidence, target counts and marks are
 * then read from the patched graph, never taken from the answer made before.
 *
 * A search (graph/shortest-path.ts) is a function of the rows it reads, the enter costs of the
 * callees in them, the extra costs of the steps it costed, and the nodes its names designate: the
 * heap gives ties in an order fixed by its pushes and pops alone (util/heap.ts). So when every row
 * the search read is the same after the patch (the caller's edges all matched, in order, with the
 * same callee, kind and deferred flag: derive-rows.ts alignEdges, which makes the same folded row),
 * each callee in them costs the same to enter, each step costed costs the same, and each name
 * designates the same nodes, the search on the patched graph makes the very same moves, through
 * the same nodes renumbered, and finds the same paths. A row the search never read cannot change
 * its answer: reaching it takes a row it read, which would have to change first.
 */
import type { CallGraph, RowReads } from '../graph/call-graph.js';
import { alignedRuns } from '../graph/derive-rows.js';
import { type FoldColumns, foldColumnsOf } from '../graph/fold-edges.js';
import { edgeCount, forEachEdge, type StoredEdges, storedEdgesOf } from '../graph/edge-window.js';
import { NodeFlag } from '../index/node-flags.js';
import { runMap } from '../util/run-map.js';
import type { FoundPaths, PathQuery, PathSource } from './find-paths.js';
import { pathEnterCosts } from './path-costs.js';
import { unbuiltBindingCost } from './unbuilt.js';

/** A path search made ahead: what it found, the graphs it searched, and the rows it read of each (CallGraph.reads). */
export interface SearchAhead {
  found: FoundPaths;
  reads: { graph: CallGraph; reads: RowReads }[];
}

/** The names a path query designates nodes by, in the order findPathSteps looks them up. */
const namesOf = (q: PathQuery): string[] => [q.start, q.target, ...(q.via ?? []), ...(q.avoid ?? [])];

/**
 * What `ahead` (a search made on `before` for `q`) found, in the nodes and edges of `after` (the
 * graph patched since; `nodeMap`: the node of `after` of each node of `before`, -1 gone, absent
 * when no node moved), when the same search on `after` finds the same (see above); null when that
 * cannot be told: a row it read changed, a name designates other nodes, an enter cost or a costed
 * step's cost moved (or steps are costed on one graph only), an edge with the deferred flag was added or dropped (the deferred count reads
 * every such edge), it read every row (k shortest paths' bounds), --built-only, --via, --max-depth, or a start that calls its own
 * parameter (steps through callback parameters read evidence).
 */
export function foundAfterPatch(before: PathSource, after: PathSource, nodeMap: Int32Array | undefined, q: PathQuery, ahead: SearchAhead): FoundPaths | null {
  if (q.builtOnly || ahead.reads.some((r) => r.reads.whole)) return null;
  // Steps through callback parameters read edges' evidence, not rows alone (api/callback-steps.ts): --via and
  // --max-depth count the functions a callback step passes through, and a start calling its parameter takes any callback.
  if (q.via?.length || q.maxDepth !== undefined || callsParameter(before, q.start)) return null;
  const nOld = before.index.nodeCount;
  const n = after.index.nodeCount;
  if (!nodeMap && n !== nOld) return null;
  const node = (u: number): number => (u < 0 || u >= nOld ? -1 : nodeMap ? nodeMap[u]! : u);
  for (const name of namesOf(q)) {
    let now: number[];
    try {
      now = after.nodes(name);
    } catch {
      return null;
    }
    const then = before.nodes(name);
    if (now.length !== then.length || then.some((u, i) => node(u) !== now[i])) return null;
  }
  // The callers (of `after`) whose edges, old or new, the alignment leaves unmatched: their rows may differ.
  // The edges before the patch read as stored, a window at a time (graph/edge-window.ts: never decoded whole).
  const oldColumns = storedEdgesOf(before.edges);
  const newColumns = foldColumnsOf(after.edges);
  const runs = alignedRuns(before.edges, after.edges, nodeMap);
  if (!runs) return null;
  const touched = new Uint8Array(n);
  let deferredMoved = false;
  const unmatched = (columns: FoldColumns | StoredEdges, from: number, to: number, mapped: boolean): void =>
    forEachEdge(columns, from, to, (u, deferred) => {
      const caller = mapped ? node(u) : u;
      if (caller >= 0 && caller < n) touched[caller] = 1;
      if (deferred === 1) deferredMoved = true;
    });
  let oldEnd = 0;
  let newEnd = 0;
  for (let r = 0; r <= runs.length / 3; r++) {
    const last = r === runs.length / 3;
    const [i, j, length] = last ? [edgeCount(oldColumns), newColumns.from.length, 0] : [runs[3 * r]!, runs[3 * r + 1]!, runs[3 * r + 2]!];
    unmatched(oldColumns, oldEnd, i, true);
    unmatched(newColumns, newEnd, j, false);
    oldEnd = i + length;
    newEnd = j + length;
  }
  if (deferredMoved) return null;
  const oldEnter = pathEnterCosts(before.index);
  const newEnter = pathEnterCosts(after.index);
  const enterOld = (v: number): number => oldEnter?.[v] ?? 0;
  const enterNew = (v: number): number => newEnter?.[v] ?? 0;
  for (const { graph, reads } of ahead.reads) {
    const rows = reads.rows;
    for (let u = 0; u < rows.length; u++) {
      if (rows[u] !== 1) continue;
      const v = node(u);
      if (v < 0 || touched[v] === 1) return null;
      const end = graph.outEnd(u);
      const to = graph.rowTo;
      for (let i = graph.outFirst(u); i < end; i++) if (enterOld(to[i]!) !== enterNew(node(to[i]!))) return null;
    }
  }
  // The edge of the patched list of each edge of the list before (-1: unmatched).
  const edge = runMap(runs);
  const costed = new Map<number, number>();
  // Steps are costed on both graphs or on neither (costFound).
  const stepCost = unbuiltBindingCost(after.index, after.edges);
  if ((stepCost === null) !== (unbuiltBindingCost(before.index, before.edges) === null)) return null;
  if (ahead.found.costed.size) {
    for (const [e, cost] of ahead.found.costed) {
      const now = edge(e);
      if (now < 0 || (stepCost?.(now, after.edges.to.get(now)) ?? 0) !== cost) return null;
      costed.set(now, cost);
    }
  }
  const paths = ahead.found.paths.map((p) => ({ nodes: p.nodes.map(node), edges: p.edges.map(edge), cost: p.cost }));
  if (paths.some((p) => p.nodes.some((v) => v < 0) || p.edges.some((e) => e < 0))) return null;
  return { ...ahead.found, paths, costed, graph: { edges: after.edges, keep: ahead.found.graph.keep, withDeferred: ahead.found.graph.withDeferred }, built: null };
}

/** True when a node `name` designates calls its own parameter (NodeFlag.CallsParameter); false for a name that designates none. */
function callsParameter(source: PathSource, name: string): boolean {
  try {
    return source.nodes(name).some((n) => (source.index.nodeFlags[n]! & NodeFlag.CallsParameter) !== 0);
  } catch {
    return false;
  }
}
