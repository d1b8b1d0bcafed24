import type { CallGraph } from './call-graph.js';

/**
 * The fewest calls a path from any of `sources` to any of `targets` takes when it crosses at least
 * one deferred edge (EdgeList.deferred: work handed to a softirq, tasklet, workqueue, timer...),
 * walking the synchronous call graph `graph` plus the deferred edges of its edge list that its kind
 * filter keeps; null when no such path has at most `maxCalls` calls. Nodes in `avoid` are never
 * entered. Breadth first over (node, deferred edge crossed yet) states, so at most twice the nodes
 * are visited, and the rows read are those a search of that depth reads.
 *
 * Why: a path query shows a synchronous path when one exists, and a long one may be a detour a
 * deferred hop avoids (`-s napi_schedule -t igb_poll` on Linux 6.1: 32 calls through notifier
 * chains, 6 through the NET_RX softirq); this says how long the other is without making the call
 * graph with deferred edges (four million edges folded on a kernel).
 */
export function fewestCallsThroughDeferred(graph: CallGraph, sources: readonly number[], targets: ReadonlySet<number>, maxCalls: number, avoid: ReadonlySet<number> = new Set()): number | null {
  if (maxCalls < 1 || sources.length === 0 || targets.size === 0) return null;
  const edges = graph.edges;
  // The deferred edges the filter keeps, by caller.
  const handOffs = new Map<number, number[]>();
  const deferred = edges.deferred;
  for (let e = 0; e < edges.length; e++) {
    if (deferred.get(e) !== 1 || !graph.keep(edges.kindOf(e))) continue;
    // One cell each: the caller column is not read whole for the few deferred edges.
    const from = edges.callerOf(e);
    const list = handOffs.get(from);
    if (list) list.push(edges.to.get(e));
    else handOffs.set(from, [edges.to.get(e)]);
  }
  if (handOffs.size === 0) return null;
  const n = graph.index.nodeCount;
  // State s = node * 2 + crossed.
  const seen = new Uint8Array(n * 2);
  let frontier: number[] = [];
  for (const s of sources) {
    if (avoid.has(s) || seen[s * 2]) continue;
    seen[s * 2] = 1;
    frontier.push(s * 2);
  }
  for (let calls = 1; calls <= maxCalls && frontier.length > 0; calls++) {
    const next: number[] = [];
    const visit = (node: number, crossed: number): boolean => {
      if (avoid.has(node)) return false;
      const s = node * 2 + crossed;
      if (seen[s]) return false;
      seen[s] = 1;
      if (crossed && targets.has(node)) return true;
      next.push(s);
      return false;
    };
    for (const s of frontier) {
      const node = s >> 1;
      const crossed = s & 1;
      const first = graph.outFirst(node);
      const end = graph.outEnd(node);
      const to = graph.rowTo;
      for (let i = first; i < end; i++) if (visit(to[i]!, crossed)) return calls;
      for (const t of handOffs.get(node) ?? []) if (visit(t, 1)) return calls;
    }
    frontier = next;
  }
  return null;
}
