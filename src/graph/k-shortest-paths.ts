import type { CallGraph } from './call-graph.js';
import type { GraphPath, PathConstraints } from './path.js';
import { PathSearch, type SearchStart } from './shortest-path.js';

/**
 * The k cheapest loopless paths from any source to any target (Yen's algorithm),
 * over the same (node, via stage, depth) states as the single shortest path. Each spur search
 * reuses one state table and stops past the cost of the paths already in hand (see bound).
 */
export function kShortestPaths(graph: CallGraph, sources: number[], targets: number[], constraints: PathConstraints, k: number): GraphPath[] {
  const search = new PathSearch(graph, new Set(targets), constraints);
  const starts: SearchStart[] = sources.filter((s) => !constraints.avoid.has(s)).map((node) => ({ node, stage: search.advance(node, 0), depth: 0, cost: 0 }));
  const first = search.run(starts);
  if (!first) return [];
  const found: GraphPath[] = [first];
  const candidates: GraphPath[] = [];
  const seen = new Set<string>([pathKey(first)]);
  while (found.length < k) {
    const last = found[found.length - 1]!;
    // States along the last path: the spur search resumes from one of them.
    let stage = search.advance(last.nodes[0]!, 0);
    let cost = 0;
    for (let i = 0; i < last.nodes.length - 1; i++) {
      const spurNode = last.nodes[i]!;
      const rootKey = search.key(spurNode, stage, i);
      const steps = new Set<number>();
      for (const p of found) {
        if (p.nodes.length > i + 1 && samePrefix(p, last, i)) steps.add(p.nodes[i + 1]!);
      }
      // The root path's nodes, the spur node among them: a spur never comes back to them (with --max-depth, states differ in depth and would allow it).
      const nodes = new Set(last.nodes.slice(0, i + 1));
      const spur = search.run([{ node: spurNode, stage, depth: i, cost }], { nodes, steps: new Map([[rootKey, steps]]) }, bound(candidates, k - found.length));
      if (spur) {
        const path: GraphPath = {
          nodes: [...last.nodes.slice(0, i), ...spur.nodes],
          edges: [...last.edges.slice(0, i), ...spur.edges],
          cost: spur.cost,
        };
        const key = pathKey(path);
        if (!seen.has(key)) {
          seen.add(key);
          candidates.push(path);
        }
      }
      cost += graph.weight(last.edges[i]!);
      stage = search.advance(last.nodes[i + 1]!, stage);
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => a.cost - b.cost || a.nodes.length - b.nodes.length || pathKey(a).localeCompare(pathKey(b)));
    found.push(candidates.shift()!);
  }
  return found;
}

/**
 * The cost past which a new candidate can no longer be among the `wanted` paths still to find:
 * the wanted-th cheapest candidate's, when there are that many (a path costing more would be
 * listed after all of them). A spur search stops there: the answers are those of a search to the end.
 */
function bound(candidates: GraphPath[], wanted: number): number {
  if (candidates.length < wanted) return Infinity;
  const costs = candidates.map((c) => c.cost).sort((a, b) => a - b);
  return costs[wanted - 1]!;
}

function samePrefix(a: GraphPath, b: GraphPath, upTo: number): boolean {
  for (let i = 0; i <= upTo; i++) if (a.nodes[i] !== b.nodes[i]) return false;
  return true;
}

const pathKey = (p: GraphPath): string => p.nodes.join(',');
