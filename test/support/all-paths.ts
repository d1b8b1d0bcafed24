import { expect } from 'vitest';
import type { CallGraph } from '../../src/graph/call-graph.js';
import type { GraphPath, PathConstraints } from '../../src/graph/path.js';

/**
 * Every loopless path from `source` to a target by brute force, as a test oracle for the path
 * searches: a path never enters an avoided node, never passes through a target (a search stops
 * at the first), has at most `maxDepth` edges, and passes the `via` names in order (a node of
 * via[i] met once the earlier ones were). Each step is the call graph's edge between the two
 * nodes (its folded, strongest one). Sorted by cost. Exponential: for small graphs only.
 */
export function allPaths(graph: CallGraph, source: number, targets: Set<number>, c: PathConstraints): GraphPath[] {
  const out: GraphPath[] = [];
  if (c.avoid.has(source)) return out;
  const limit = c.maxDepth ?? Infinity;
  const stageAfter = (node: number, stage: number): number => (stage < c.via.length && c.via[stage]!.includes(node) ? stage + 1 : stage);
  const nodes = [source];
  const edges: number[] = [];
  const onPath = new Set([source]);
  const walk = (node: number, stage: number, cost: number): void => {
    if (targets.has(node) && stage === c.via.length) {
      out.push({ nodes: [...nodes], edges: [...edges], cost });
      return;
    }
    if (edges.length >= limit) return;
    for (let i = graph.outStart[node]!; i < graph.outStart[node + 1]!; i++) {
      const next = graph.outTo[i]!;
      if (onPath.has(next) || c.avoid.has(next)) continue;
      const edge = graph.outEdge[i]!;
      nodes.push(next);
      edges.push(edge);
      onPath.add(next);
      walk(next, stageAfter(next, stage), cost + graph.weight(edge) + (c.enterCost?.[next] ?? 0));
      onPath.delete(next);
      edges.pop();
      nodes.pop();
    }
  };
  walk(source, stageAfter(source, 0), 0);
  return out.sort((a, b) => a.cost - b.cost);
}

/**
 * Checks `got` (k shortest paths from `source`) against every path the brute force finds: each is
 * one of them with its cost, none twice, in order of cost, and their costs are the k cheapest.
 */
export function expectKCheapest(g: CallGraph, source: number, targets: number[], c: PathConstraints, k: number, got: GraphPath[]): void {
  const all = allPaths(g, source, new Set(targets), c);
  const key = (p: GraphPath): string => p.nodes.join(' ');
  const costOf = new Map(all.map((p) => [key(p), p.cost]));
  expect(new Set(got.map(key)).size).toBe(got.length);
  for (const p of got) {
    expect(costOf.get(key(p)), key(p)).toBe(p.cost);
    expect(p.edges.reduce((sum, e, i) => sum + g.weight(e) + (c.enterCost?.[p.nodes[i + 1]!] ?? 0), 0)).toBe(p.cost);
  }
  expect(got.map((p) => p.cost)).toEqual(all.slice(0, k).map((p) => p.cost));
}
