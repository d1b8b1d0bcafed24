import type { CallGraph } from './call-graph.js';

/** A node of a callees or callers tree. `edge` links it to its parent (-1 at the root). */
export interface TreeNode {
  node: number;
  edge: number;
  children: TreeNode[];
  /** Set when the node was already expanded elsewhere in the tree (or is on the way up: recursion). */
  repeat?: 'shown' | 'recursive';
}

/**
 * The tree of callees (or callers) of a node down to `depth` levels, like cflow.
 * Each node is expanded once; later occurrences are marked instead of repeated. `keep`, when
 * given, is asked about each call met (the callee, or the caller, the edge, and the function it
 * is met under with its level: 0 for the root): a call it refuses is left out, and neither shown
 * nor expanded. The calls under each node are in `rank`'s
 * order (lower first) when given, then by name.
 */
export function callTree(graph: CallGraph, root: number, depth: number, direction: 'callees' | 'callers', keep?: (node: number, edge: number, level: number, under: number) => boolean, rank?: (node: number, edge: number) => number): TreeNode {
  // Callees through outFirst (a graph made on demand makes only the rows the tree expands); callers from the reverse rows.
  const row = (v: number): [number, number, Int32Array, Int32Array] =>
    direction === 'callees' ? [graph.outFirst(v), graph.outEnd(v), graph.rowTo, graph.rowEdge] : [graph.inStart[v]!, graph.inStart[v + 1]!, graph.inFrom, graph.inEdge];
  const expanded = new Set<number>([root]);
  const onPath = new Set<number>([root]);
  const grow = (t: TreeNode, level: number): void => {
    if (level >= depth) return;
    const met: { kid: TreeNode; rank: number; name: string }[] = [];
    const [first, end, other, edgeOf] = row(t.node);
    for (let i = first; i < end; i++) {
      const node = other[i]!;
      const edge = edgeOf[i]!;
      if (!keep || keep(node, edge, level, t.node)) met.push({ kid: { node, edge, children: [] }, rank: rank ? rank(node, edge) : 0, name: graph.index.name(node) });
    }
    // By rank first when given (lower first), then by name: each asked once per call, not per comparison.
    met.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name) || a.kid.node - b.kid.node);
    const kids = met.map((m) => m.kid);
    for (const kid of kids) {
      if (onPath.has(kid.node)) kid.repeat = 'recursive';
      else if (expanded.has(kid.node)) kid.repeat = 'shown';
      else {
        expanded.add(kid.node);
        onPath.add(kid.node);
        grow(kid, level + 1);
        onPath.delete(kid.node);
      }
    }
    t.children = kids;
  };
  const tree: TreeNode = { node: root, edge: -1, children: [] };
  grow(tree, 0);
  return tree;
}
