import type { EdgeList } from '../resolve/edge-list.js';

/**
 * What is kept of a call graph's rows (CallGraph, compressed sparse rows of its folded edges) so
 * that a later run over the same edges makes them without folding parallel edges again: about
 * one bit per edge instead of the four bytes per row entry the rows themselves take.
 *
 * A row of caller v lists, in the order of v's edges (edge id order, stably by caller), the first
 * edge to each callee; the edge kept there is the strongest of v's edges to that callee, almost
 * always that first one. So the rows are the marked edges (`first`, a bitset over edge ids)
 * sorted stably by caller, with the few positions whose kept edge is another put right (`moved`).
 */
export interface GraphRows {
  /** Edges and nodes of the graph the rows were made over: rows that do not fit are not used. */
  edges: number;
  nodes: number;
  /** Bit e (byte e >> 3, bit e & 7) set when edge e is the first edge of its caller to its callee in the graph. */
  first: Uint8Array;
  /** [row position, kept edge] pairs where the kept edge is not the first one. */
  moved: Int32Array;
}

/** The rows of a graph made by folding (CallGraph without rows), to keep. */
export function rowsOf(graph: { outEdge: Int32Array; replaced: readonly number[]; edges: EdgeList; index: { nodeCount: number } }): GraphRows {
  const m = graph.edges.length;
  const first = new Uint8Array((m + 7) >> 3);
  const mark = (e: number): void => {
    first[e >> 3]! |= 1 << (e & 7);
  };
  // A position may have been replaced more than once: its first edge is the one recorded first.
  const firstAt = new Map<number, number>();
  for (let i = 0; i < graph.replaced.length; i += 2) if (!firstAt.has(graph.replaced[i]!)) firstAt.set(graph.replaced[i]!, graph.replaced[i + 1]!);
  const moved: number[] = [];
  const { outEdge } = graph;
  for (let i = 0; i < outEdge.length; i++) {
    const was = firstAt.get(i);
    if (was === undefined) mark(outEdge[i]!);
    else {
      mark(was);
      moved.push(i, outEdge[i]!);
    }
  }
  return { edges: m, nodes: graph.index.nodeCount, first, moved: Int32Array.from(moved) };
}

/**
 * The CallGraph arrays from kept rows (see GraphRows), or null when the rows do not fit `edges`
 * (another count of edges or nodes, a bitset or a moved position out of range).
 */
export function foldedFromRows(rows: GraphRows, n: number, edges: EdgeList): { outStart: Int32Array; outTo: Int32Array; outEdge: Int32Array; outKind: Uint8Array } | null {
  const m = edges.length;
  if (rows.edges !== m || rows.nodes !== n || rows.first.length !== (m + 7) >> 3 || rows.moved.length % 2 !== 0) return null;
  const from = edges.from.view();
  const to = edges.to.view();
  const kind = edges.kind.view();
  const { first } = rows;
  // Counting sort of the marked edges by caller, stable: each row in edge id order.
  const outStart = new Int32Array(n + 1);
  let total = 0;
  for (let b = 0; b < first.length; b++) {
    let bits = first[b]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const e = (b << 3) + (31 - Math.clz32(low));
      if (e >= m) return null;
      outStart[from[e]! + 1]!++;
      total++;
      bits ^= low;
    }
  }
  for (let v = 0; v < n; v++) outStart[v + 1]! += outStart[v]!;
  const at = outStart.slice(0, n);
  const outEdge = new Int32Array(total);
  for (let b = 0; b < first.length; b++) {
    let bits = first[b]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const e = (b << 3) + (31 - Math.clz32(low));
      outEdge[at[from[e]!]!++] = e;
      bits ^= low;
    }
  }
  for (let i = 0; i < rows.moved.length; i += 2) {
    const pos = rows.moved[i]!;
    const e = rows.moved[i + 1]!;
    if (pos < 0 || pos >= total || e < 0 || e >= m) return null;
    outEdge[pos] = e;
  }
  const outTo = new Int32Array(total);
  const outKind = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const e = outEdge[i]!;
    outTo[i] = to[e]!;
    outKind[i] = kind[e]!;
  }
  return { outStart, outTo, outEdge, outKind };
}
