import type { EdgeList } from '../resolve/edge-list.js';

/**
 * What is kept of a call graph's rows (CallGraph, compressed sparse rows of its folded edges) so
 * that a later run over the same edges makes them without folding parallel edges again (which
 * reads every edge's caller, callee, kind and deferred flag): each row's length, and the edges
 * kept at the row positions, one row after the other, as runs of consecutive edge ids. Rows follow
 * the callers' edges, and edges come mostly in caller order, so most rows are one run or a few,
 * and a run often goes on into the next row: a kernel's 3.1 million row positions (the synchronous
 * filter) are some 500,000 runs, 1.26 MB as runs where one step per position took 3.4 MB, which
 * is as much less to inflate and decode on every warm query.
 */
export interface GraphRows {
  /** Edges and nodes of the graph the rows were made over: rows that do not fit are not used. */
  edges: number;
  nodes: number;
  /** Per node, the length of its row; 255 for a length of 255 or more, found in `long`. */
  lengths: Uint8Array;
  /** [node, length] pairs of the rows of 255 entries or more. */
  long: Int32Array;
  /**
   * outEdge as runs of consecutive edge ids, each two base-128 varints (low bits first): where the
   * run starts, as its difference from the id after the last run's end (0 for the first run),
   * zigzag-encoded; then its length less one. Runs are maximal: the next starts at another id.
   */
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
  let steps = new Uint8Array(1024);
  let at = 0;
  const put = (value: number): void => {
    if (at + 5 > steps.length) {
      const grown = new Uint8Array(steps.length * 2);
      grown.set(steps);
      steps = grown;
    }
    let z = value;
    while (z >= 0x80) {
      steps[at++] = (z & 0x7f) | 0x80;
      z = Math.floor(z / 128);
    }
    steps[at++] = z;
  };
  let next = 0;
  for (let i = 0; i < outEdge.length; ) {
    const first = outEdge[i]!;
    let end = i + 1;
    while (end < outEdge.length && outEdge[end] === outEdge[end - 1]! + 1) end++;
    const d = first - next;
    // Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... (edge ids fit 31 bits, so differences fit 32).
    put(d >= 0 ? d * 2 : -d * 2 - 1);
    put(end - i - 1);
    next = first + (end - i);
    i = end;
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
  let next = 0;
  /** The varint at `at` (advancing it), or -1 when the steps end within it. */
  const read = (): number => {
    if (at >= steps.length) return -1;
    let b = steps[at++]!;
    if (b < 0x80) return b;
    let z = b & 0x7f;
    let scale = 128;
    do {
      if (at >= steps.length) return -1;
      b = steps[at++]!;
      z += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    return z;
  };
  for (let i = 0; i < total; ) {
    const z = read();
    const less = read();
    if (z < 0 || less < 0) return null;
    const first = next + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
    const end = i + less + 1;
    if (first < 0 || end > total || first + less >= m) return null;
    next = first;
    while (i < end) outEdge[i++] = next++;
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
