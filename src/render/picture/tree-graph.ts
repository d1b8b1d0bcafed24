import type { EdgeRef, NodeRef, TreeItem, TreeResult } from '../../types/results.js';
import { nodeKey } from './draft.js';

/** A callees or callers tree flattened to a graph: each node once, its tree children in order. */
export interface TreeGraph {
  refs: Map<string, NodeRef>;
  /** Node key -> the calls to its tree children (callees, or callers), in tree order, one per child. */
  down: Map<string, { child: string; edge: EdgeRef }[]>;
  roots: string[];
  /** Node keys of the items whose every call --built-only left out (TreeItem.leftOutNotBuilt). */
  leftOut: Set<string>;
}

/**
 * Every item of the trees folded into one graph. A node the tree shows more than once
 * (`repeat`) is one node; its children come from the occurrence that expanded it.
 */
export function flattenTrees(trees: TreeResult[]): TreeGraph {
  const refs = new Map<string, NodeRef>();
  const down = new Map<string, { child: string; edge: EdgeRef }[]>();
  const roots: string[] = [];
  const leftOut = new Set<string>();
  const visit = (item: TreeItem): string => {
    const key = nodeKey(item.node);
    if (!refs.has(key)) refs.set(key, item.node);
    if (item.leftOutNotBuilt) leftOut.add(key);
    for (const child of item.children) {
      const childKey = visit(child);
      const list = down.get(key) ?? [];
      if (!list.some((c) => c.child === childKey)) list.push({ child: childKey, edge: child.edge! });
      down.set(key, list);
    }
    return key;
  };
  for (const tree of trees) {
    const key = visit(tree.root);
    if (!roots.includes(key)) roots.push(key);
  }
  return { refs, down, roots, leftOut };
}

/** Breadth-first order from the roots (nearest first), skipping `blocked` nodes and not going past `depth` levels: node -> level and parent. */
export function breadthFirst(graph: TreeGraph, blocked: (key: string) => boolean, depth = Infinity): Map<string, { level: number; parent?: string }> {
  const seen = new Map<string, { level: number; parent?: string }>();
  const queue: string[] = [];
  for (const root of graph.roots) {
    if (!seen.has(root)) {
      seen.set(root, { level: 0 });
      queue.push(root);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    const level = seen.get(key)!.level;
    if (level >= depth) continue;
    for (const { child } of graph.down.get(key) ?? []) {
      if (seen.has(child) || blocked(child)) continue;
      seen.set(child, { level: level + 1, parent: key });
      queue.push(child);
    }
  }
  return seen;
}
