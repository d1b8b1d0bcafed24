import type { CallGraph } from './call-graph.js';
import type { GraphPath, PathConstraints } from './path.js';
import { remainingCost } from './remaining-cost.js';
import { PathSearch, type SearchStart } from './shortest-path.js';

/**
 * The k cheapest loopless paths from any source to any target (Yen's algorithm),
 * over the same (node, via stage, depth) states as the single shortest path. Each spur search
 * reuses one state table and stops past the cost of the paths already in hand (see bound).
 *
 * Two rules skip spur searches whose answer is known to add nothing, so the paths listed are
 * exactly those of running every one: a spur search with the same root and the same excluded
 * steps as one run before (they run the same search; its path, if any, is a candidate already,
 * and the bound only falls) and a spur node whose root cost plus a lower bound on the cost left
 * (remainingCost) passes the bound (that search would end with nothing).
 */
export function kShortestPaths(graph: CallGraph, sources: number[], targets: number[], constraints: PathConstraints, k: number): GraphPath[] {
  const search = new PathSearch(graph, new Set(targets), constraints);
  const starts: SearchStart[] = sources.filter((s) => !constraints.avoid.has(s)).map((node) => ({ node, stage: search.advance(node, 0), depth: 0, cost: 0 }));
  const first = search.run(starts);
  if (!first) return [];
  const found: GraphPath[] = [first];
  const candidates: GraphPath[] = [];
  const seen = new Set<string>([pathKey(first)]);
  const stages = constraints.via.length + 1;
  const rest = remainingCost(graph, targets, constraints);
  const searched = new Set<string>();
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
      const limit = bound(candidates, k - found.length);
      const spur = spurIsNew(searched, last, i, steps) && cost + rest[spurNode * stages + stage]! <= limit + TOLERANCE ? spurSearch(search, last, i, stage, cost, rootKey, steps, limit) : null;
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

/** Slack on comparing a cost with a lower bound summed in another order (float rounding; distinct path costs differ by far more). */
const TOLERANCE = 1e-7;

/** The cheapest spur path from the state at index i of `last` (its root path's nodes, the spur node among them, are not entered again; `steps` are barred from the spur node). */
function spurSearch(search: PathSearch, last: GraphPath, i: number, stage: number, cost: number, rootKey: number, steps: Set<number>, limit: number): GraphPath | null {
  // With --max-depth, states differ in depth and would otherwise allow coming back to a root node.
  const nodes = new Set(last.nodes.slice(0, i + 1));
  return search.run([{ node: last.nodes[i]!, stage, depth: i, cost }], { nodes, steps: new Map([[rootKey, steps]]) }, limit);
}

/** False when a spur search from index i of `last` with these excluded steps ran before (then records nothing); else records it and returns true. */
function spurIsNew(searched: Set<string>, last: GraphPath, i: number, steps: Set<number>): boolean {
  const key = `${last.nodes.slice(0, i + 1).join(',')}|${[...steps].sort((a, b) => a - b).join(',')}`;
  if (searched.has(key)) return false;
  searched.add(key);
  return true;
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
