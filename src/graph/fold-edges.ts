import type { EdgeList } from '../resolve/edge-list.js';

/** The per-edge columns folding reads (EdgeList views): caller, callee, kind (EDGE_KINDS index), deferred flag (0 or 1). */
export interface FoldColumns {
  from: ArrayLike<number>;
  to: ArrayLike<number>;
  kind: ArrayLike<number>;
  deferred: ArrayLike<number>;
}

/** The columns folding reads, as views of an edge list's columns (no copy). */
export const foldColumnsOf = (list: EdgeList): FoldColumns => ({ from: list.from.view(), to: list.to.view(), kind: list.kind.view(), deferred: list.deferred.view() });

/** Compressed sparse rows of folded edges: row v is outTo/outEdge[outStart[v]..outStart[v + 1]), outKind the kind of each outEdge. */
export interface FoldedRows {
  outStart: Int32Array;
  outTo: Int32Array;
  outEdge: Int32Array;
  outKind: Uint8Array;
}

/**
 * Folds the edges of `n` nodes into compressed sparse rows (CallGraph): each caller's edges kept
 * by `keep` (by kind) and `withDeferred`, parallel edges between the same two nodes folded into
 * one (a synchronous edge before a deferred one, then the strongest kind, then the first), the
 * callees of a row in order of their first edge.
 */
export function foldEdges(n: number, columns: FoldColumns, keep: (kind: number) => boolean, withDeferred: boolean): FoldedRows {
  const { from, to, kind, deferred } = columns;
  const m = from.length;
  const kept = new Uint8Array(64).map((_, k) => (keep(k) ? 1 : 0));
  // Per edge: 0 when left out, else 1 + its rank (synchronous first, then by kind: the order in
  // which one of parallel edges is preferred).
  const rank = new Uint8Array(m);
  // Bucket edge ids by caller (counting sort, stable).
  const bucketStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const k = kind[e]!;
    const d = deferred[e]!;
    if (kept[k] === 1 && (withDeferred || d === 0)) {
      rank[e] = 1 + d * 64 + k;
      bucketStart[from[e]! + 1]!++;
    }
  }
  for (let v = 0; v < n; v++) bucketStart[v + 1]! += bucketStart[v]!;
  const total = bucketStart[n]!;
  const bucket = new Int32Array(total);
  const fill = bucketStart.slice(0, n);
  for (let e = 0; e < m; e++) if (rank[e] !== 0) bucket[fill[from[e]!]!++] = e;
  // Fold each caller's edges to the strongest one per callee, in order of first appearance.
  const outStart = new Int32Array(n + 1);
  const outTo = new Int32Array(total);
  const outEdge = new Int32Array(total);
  const stamp = new Int32Array(n).fill(-1);
  const slot = new Int32Array(n);
  let k = 0;
  for (let v = 0; v < n; v++) {
    outStart[v] = k;
    const end = bucketStart[v + 1]!;
    for (let i = bucketStart[v]!; i < end; i++) {
      const e = bucket[i]!;
      const t = to[e]!;
      if (stamp[t] !== v) {
        stamp[t] = v;
        slot[t] = k;
        outTo[k] = t;
        outEdge[k++] = e;
      } else if (rank[e]! < rank[outEdge[slot[t]!]!]!) {
        outEdge[slot[t]!] = e;
      }
    }
  }
  outStart[n] = k;
  const outKind = new Uint8Array(k);
  for (let i = 0; i < k; i++) outKind[i] = kind[outEdge[i]!]!;
  return { outStart, outTo: outTo.subarray(0, k), outEdge: outEdge.subarray(0, k), outKind };
}
