import type { EdgeList } from '../resolve/edge-list.js';

/**
 * What is kept of a call graph's rows (CallGraph, compressed sparse rows of its folded edges) so
 * that a later run over the same edges makes them without folding parallel edges again (which
 * reads every edge's caller, callee, kind and deferred flag): each row's length, and the edge
 * kept at each row position as the difference from the edge before it. Rows follow the callers'
 * edges, and edges come mostly in caller order, so nearly every difference is small: one byte.
 */
export interface GraphRows {
  /** Edges and nodes of the graph the rows were made over: rows that do not fit are not used. */
  edges: number;
  nodes: number;
  /** Per node, the length of its row; 255 for a length of 255 or more, found in `long`. */
  lengths: Uint8Array;
  /** [node, length] pairs of the rows of 255 entries or more. */
  long: Int32Array;
  /** outEdge[i] - outEdge[i - 1] (outEdge[-1] taken as 0) for each row position i, zigzag-encoded, as base-128 varints (low bits first). */
  steps: Uint8Array;
}

/** The rows of a graph, to keep. */
export function rowsOf(graph: { outStart: Int32Array; outEdge: Int32Array; edges: EdgeList; index: { nodeCount: number } }): GraphRows {
  const n = graph.index.nodeCount;
  const { outStart, outEdge } = graph;
  const lengths = new Uint8Array(n);
  const long: number[] = [];
  for (let v = 0; v < n; v++) {
    const length = outStart[v + 1]! - outStart[v]!;
    lengths[v] = Math.min(length, 255);
    if (length >= 255) long.push(v, length);
  }
  let steps = new Uint8Array(outEdge.length + 16);
  let at = 0;
  let last = 0;
  for (let i = 0; i < outEdge.length; i++) {
    const d = outEdge[i]! - last;
    last = outEdge[i]!;
    // Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... (edge ids fit 31 bits, so differences fit 32).
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    if (at + 5 > steps.length) {
      const grown = new Uint8Array(steps.length * 2);
      grown.set(steps);
      steps = grown;
    }
    while (z >= 0x80) {
      steps[at++] = (z & 0x7f) | 0x80;
      z = Math.floor(z / 128);
    }
    steps[at++] = z;
  }
  return { edges: graph.edges.length, nodes: n, lengths, long: Int32Array.from(long), steps: steps.slice(0, at) };
}

/**
 * The CallGraph arrays from kept rows (see GraphRows), or null when the rows do not fit `edges`
 * and `n` nodes (other counts, lengths that do not add up, an edge out of range).
 */
export function foldedFromRows(rows: GraphRows, n: number, edges: EdgeList): { outStart: Int32Array; outTo: Int32Array; outEdge: Int32Array; outKind: Uint8Array } | null {
  const made = edgesOfRows(rows, n, edges.length);
  if (!made) return null;
  const { outStart, outEdge } = made;
  const outTo = new Int32Array(outEdge.length);
  const outKind = new Uint8Array(outEdge.length);
  gatherRows(outEdge, 0, outEdge.length, edges.to.view(), edges.kind.view(), outTo, outKind);
  return { outStart, outTo, outEdge, outKind };
}

/**
 * Where each row of kept rows (see GraphRows) starts (`outStart`, n + 1 entries) and the edge (an
 * EdgeList id) at each row position (`outEdge`), without the callees and kinds (gatherRows reads
 * them from the edges: a path query reads some 46,000 rows of a kernel's 722,000, CallGraph
 * gathers those alone). Null when the rows do not fit `m` edges and `n` nodes (other counts,
 * lengths that do not add up, an edge out of range).
 */
export function edgesOfRows(rows: GraphRows, n: number, m: number): { outStart: Int32Array; outEdge: Int32Array } | null {
  const { lengths, long, steps } = rows;
  if (rows.edges !== m || rows.nodes !== n || lengths.length !== n || long.length % 2 !== 0) return null;
  const outStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) outStart[v + 1] = lengths[v]!;
  for (let j = 0; j < long.length; j += 2) {
    const v = long[j]!;
    if (v < 0 || v >= n || lengths[v] !== 255 || long[j + 1]! < 255) return null;
    outStart[v + 1] = long[j + 1]!;
  }
  for (let v = 0; v < n; v++) outStart[v + 1]! += outStart[v]!;
  const total = outStart[n]!;
  const outEdge = new Int32Array(total);
  let at = 0;
  let last = 0;
  for (let i = 0; i < total; i++) {
    if (at >= steps.length) return null;
    let b = steps[at++]!;
    // Nearly every step is one byte (edges come mostly in caller order): decoded with integer operations alone.
    if (b < 0x80) last += (b >>> 1) ^ -(b & 1);
    else {
      let z = b & 0x7f;
      let scale = 128;
      do {
        if (at >= steps.length) return null;
        b = steps[at++]!;
        z += (b & 0x7f) * scale;
        scale *= 128;
      } while (b & 0x80);
      last += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    if (last < 0 || last >= m) return null;
    outEdge[i] = last;
  }
  if (at !== steps.length) return null;
  return { outStart, outEdge };
}

/** Fills outTo and outKind at row positions first..end-1 with the callee and kind (EdgeList `to` and `kind`) of the edge outEdge names there. */
export function gatherRows(outEdge: Int32Array, first: number, end: number, to: ArrayLike<number>, kind: ArrayLike<number>, outTo: Int32Array, outKind: Uint8Array): void {
  for (let i = first; i < end; i++) {
    const e = outEdge[i]!;
    outTo[i] = to[e]!;
    outKind[i] = kind[e]!;
  }
}
