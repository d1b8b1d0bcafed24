import type { CodeIndex } from '../index/code-index.js';
import { EDGE_WEIGHTS } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { foldedFromRows, type GraphRows } from './graph-rows.js';

/**
 * The call graph in compressed sparse rows, forward and reverse. Parallel edges between
 * the same two nodes are folded into one: a synchronous edge before a deferred one, then the
 * strongest kind; `edge` arrays point back into the EdgeList. The forward rows are built at
 * once; the reverse rows (callers) when first asked for.
 */
export class CallGraph {
  /** outStart[n]..outStart[n+1] index outTo/outEdge. */
  readonly outStart: Int32Array;
  readonly outTo: Int32Array;
  readonly outEdge: Int32Array;
  /** The kind (EDGE_KINDS index) of each outEdge, in the same order: a search reads it in sequence instead of at random in the EdgeList. */
  readonly outKind: Uint8Array;
  private reverse: { start: Int32Array; from: Int32Array; edge: Int32Array } | null = null;
  /** True when made from kept rows (graph-rows.ts), false when made by folding the edges. */
  readonly fromRows: boolean;

  constructor(
    readonly index: CodeIndex,
    readonly edges: EdgeList,
    /** Edge kinds kept, by kind index. */
    readonly keep: (kind: number) => boolean = () => true,
    /** Keep deferred edges (EdgeList.deferred): false for the synchronous call graph. */
    readonly withDeferred = true,
    /** Rows kept from a graph of the same filter over these very edges (graph-rows.ts); ignored when they do not fit the edges' and nodes' counts. */
    rows?: GraphRows,
  ) {
    const made = rows ? foldedFromRows(rows, index.nodeCount, edges) : null;
    this.fromRows = made !== null;
    if (made) {
      this.outStart = made.outStart;
      this.outTo = made.outTo;
      this.outEdge = made.outEdge;
      this.outKind = made.outKind;
      return;
    }
    const n = index.nodeCount;
    const from = edges.from.view();
    const to = edges.to.view();
    const kind = edges.kind.view();
    const deferred = edges.deferred.view();
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
    this.outStart = outStart;
    this.outTo = outTo.subarray(0, k);
    this.outEdge = outEdge.subarray(0, k);
    const outKind = new Uint8Array(k);
    for (let i = 0; i < k; i++) outKind[i] = kind[outEdge[i]!]!;
    this.outKind = outKind;
  }

  /** inStart[n]..inStart[n+1] index inFrom/inEdge: the callers of n. */
  get inStart(): Int32Array {
    return this.reversed().start;
  }

  get inFrom(): Int32Array {
    return this.reversed().from;
  }

  get inEdge(): Int32Array {
    return this.reversed().edge;
  }

  /** The reverse rows, by counting sort on the callee, made once. */
  private reversed(): { start: Int32Array; from: Int32Array; edge: Int32Array } {
    if (this.reverse) return this.reverse;
    const n = this.index.nodeCount;
    const { outStart, outTo, outEdge } = this;
    const k = outTo.length;
    const start = new Int32Array(n + 1);
    for (let i = 0; i < k; i++) start[outTo[i]! + 1]!++;
    for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
    const from = new Int32Array(k);
    const edge = new Int32Array(k);
    const at = start.slice(0, n);
    for (let v = 0; v < n; v++) {
      for (let i = outStart[v]!; i < outStart[v + 1]!; i++) {
        const j = at[outTo[i]!]!++;
        from[j] = v;
        edge[j] = outEdge[i]!;
      }
    }
    this.reverse = { start, from, edge };
    return this.reverse;
  }

  /** Path cost of an edge. */
  weight(edge: number): number {
    return EDGE_WEIGHTS[this.edges.kind.get(edge)]!;
  }
}
