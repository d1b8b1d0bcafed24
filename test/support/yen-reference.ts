import type { CallGraph } from '../../src/graph/call-graph.js';
import type { GraphPath, PathConstraints } from '../../src/graph/path.js';
import { PathSearch, type SearchStart } from '../../src/graph/shortest-path.js';

/**
 * Yen's algorithm in its plain form, as a test oracle for kShortestPaths: one spur search from
 * every state along each path found, none skipped and none bounded, each a fresh search over a
 * fresh PathSearch; the cheapest candidate next (by cost, then number of calls, then node list).
 * kShortestPaths must list exactly these paths, in this order.
 */
export function plainYen(graph: CallGraph, sources: number[], targets: number[], constraints: PathConstraints, k: number): GraphPath[] {
  const fresh = (): PathSearch => new PathSearch(graph, new Set(targets), constraints);
  const search = fresh();
  const starts: SearchStart[] = sources.filter((s) => !constraints.avoid.has(s)).map((node) => ({ node, stage: search.advance(node, 0), depth: 0, cost: 0 }));
  const first = search.run(starts);
  if (!first) return [];
  const key = (p: GraphPath): string => p.nodes.join(',');
  const found: GraphPath[] = [first];
  const candidates: GraphPath[] = [];
  const seen = new Set<string>([key(first)]);
  while (found.length < k) {
    const last = found[found.length - 1]!;
    let stage = search.advance(last.nodes[0]!, 0);
    let cost = 0;
    for (let i = 0; i < last.nodes.length - 1; i++) {
      const steps = new Set<number>();
      for (const p of found) if (p.nodes.length > i + 1 && p.nodes.slice(0, i + 1).every((x, j) => x === last.nodes[j])) steps.add(p.nodes[i + 1]!);
      const spurSearch = fresh();
      const exclude = { nodes: new Set(last.nodes.slice(0, i + 1)), steps: new Map([[spurSearch.key(last.nodes[i]!, stage, i), steps]]) };
      const spur = spurSearch.run([{ node: last.nodes[i]!, stage, depth: i, cost }], exclude);
      if (spur) {
        const path = { nodes: [...last.nodes.slice(0, i), ...spur.nodes], edges: [...last.edges.slice(0, i), ...spur.edges], cost: spur.cost };
        if (!seen.has(key(path))) {
          seen.add(key(path));
          candidates.push(path);
        }
      }
      cost += graph.weight(last.edges[i]!) + (constraints.enterCost?.[last.nodes[i + 1]!] ?? 0);
      stage = search.advance(last.nodes[i + 1]!, stage);
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => a.cost - b.cost || a.nodes.length - b.nodes.length || key(a).localeCompare(key(b)));
    found.push(candidates.shift()!);
  }
  return found;
}
