import { isIndirect } from '../resolve/edge-kind.js';
import type { CallGraph } from './call-graph.js';
import type { GraphPath, PathConstraints } from './path.js';
import { kShortestPaths } from './k-shortest-paths.js';
import { type DispatchRule, PathSearch, type SearchStart } from './shortest-path.js';

/**
 * Up to k paths from any source to any target that differ in the target bound at their first
 * pointer call (the first edge of an indirect kind): the cheapest path, then the cheapest whose
 * first pointer call binds another target, and so on, so the paths from `ksys_write` go through
 * different `f_op->write` handlers instead of k variations behind one. The first path is the one
 * a plain query gives (kShortestPaths with k 1). At most one path makes no
 * pointer call at all. One search per path, each over twice the states of a plain search
 * (whether a pointer call was made yet), so it costs about k single shortest-path queries,
 * where Yen's algorithm runs one search per node of each path found.
 */
export function distinctDispatchPaths(graph: CallGraph, sources: number[], targets: number[], constraints: PathConstraints, k: number): GraphPath[] {
  const rule: DispatchRule = { banned: new Set(), required: false };
  const search = new PathSearch(graph, new Set(targets), constraints, rule);
  const starts: SearchStart[] = sources.filter((s) => !constraints.avoid.has(s)).map((node) => ({ node, stage: search.advance(node, 0), depth: 0, cost: 0 }));
  // The first path is a plain query's (-k 1), ties broken the same way: the rule's doubled states
  // order equal-cost paths differently, and with nothing banned yet any path is allowed.
  const found: GraphPath[] = kShortestPaths(graph, sources, targets, constraints, 1);
  if (found.length === 0) return [];
  note(found[0]!);
  while (found.length < k) {
    const path = search.run(starts);
    if (!path) break;
    found.push(path);
    note(path);
  }
  return found;

  /** Bans the target of a found path's first pointer call from the next ones, or asks them for one when it made none. */
  function note(path: GraphPath): void {
    const first = path.edges.findIndex((e) => isIndirect(graph.edges.kind.get(e)));
    if (first < 0) rule.required = true;
    else rule.banned.add(path.nodes[first + 1]!);
  }
}
