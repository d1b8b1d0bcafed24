import type { CodeIndex } from '../index/code-index.js';
import { EDGE_WEIGHTS } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';

/**
 * The call graph in compressed sparse rows, forward and reverse. Parallel edges between
 * the same two nodes are folded into one: a synchronous edge before a deferred one, then the
 * strongest kind; `edge` arrays point back into the EdgeList.
 */
export class CallGraph {
  /** outStart[n]..outStart[n+1] index outTo/outEdge. */
  readonly outStart: Int32Array;
  readonly outTo: Int32Array;
  readonly outEdge: Int32Array;
  readonly inStart: Int32Array;
  readonly inFrom: Int32Array;
  readonly inEdge: Int32Array;

  constructor(
    readonly index: CodeIndex,
    readonly edges: EdgeList,
    /** Edge kinds kept, by kind index. */
    readonly keep: (kind: number) => boolean = () => true,
    /** Keep deferred edges (EdgeList.deferred): false for the synchronous call graph. */
    readonly withDeferred = true,
  ) {
    const n = index.nodeCount;
    const from = edges.from.view();
    const to = edges.to.view();
    const kind = edges.kind.view();
    const deferred = edges.deferred.view();
    const kept = new Uint8Array(64).map((_, k) => (keep(k) ? 1 : 0));
    const keeps = (e: number): boolean => kept[kind[e]!] === 1 && (withDeferred || deferred[e] === 0);
    // Synchronous first, then by kind: the order in which one of parallel edges is preferred.
    const rank = (e: number): number => deferred[e]! * 64 + kind[e]!;
    // Bucket edge ids by caller (counting sort, stable).
    const bucketStart = new Int32Array(n + 1);
    for (let e = 0; e < from.length; e++) if (keeps(e)) bucketStart[from[e]! + 1]!++;
    for (let v = 0; v < n; v++) bucketStart[v + 1]! += bucketStart[v]!;
    const bucket = new Int32Array(bucketStart[n]!);
    const fill = bucketStart.slice(0, n);
    for (let e = 0; e < from.length; e++) if (keeps(e)) bucket[fill[from[e]!]!++] = e;
    // Fold each caller's edges to the strongest one per callee, in order of first appearance.
    this.outStart = new Int32Array(n + 1);
    const outTo = new Int32Array(bucket.length);
    const outEdge = new Int32Array(bucket.length);
    const stamp = new Int32Array(n).fill(-1);
    const slot = new Int32Array(n);
    let k = 0;
    for (let v = 0; v < n; v++) {
      this.outStart[v] = k;
      for (let i = bucketStart[v]!; i < bucketStart[v + 1]!; i++) {
        const e = bucket[i]!;
        const t = to[e]!;
        if (stamp[t] !== v) {
          stamp[t] = v;
          slot[t] = k;
          outTo[k] = t;
          outEdge[k++] = e;
        } else if (rank(e) < rank(outEdge[slot[t]!]!)) {
          outEdge[slot[t]!] = e;
        }
      }
    }
    this.outStart[n] = k;
    this.outTo = outTo.slice(0, k);
    this.outEdge = outEdge.slice(0, k);
    // Reverse rows by counting sort on the callee.
    this.inStart = new Int32Array(n + 1);
    for (let i = 0; i < k; i++) this.inStart[this.outTo[i]! + 1]!++;
    for (let v = 0; v < n; v++) this.inStart[v + 1]! += this.inStart[v]!;
    this.inFrom = new Int32Array(k);
    this.inEdge = new Int32Array(k);
    const at = this.inStart.slice(0, n);
    for (let v = 0; v < n; v++) {
      for (let i = this.outStart[v]!; i < this.outStart[v + 1]!; i++) {
        const j = at[this.outTo[i]!]!++;
        this.inFrom[j] = v;
        this.inEdge[j] = this.outEdge[i]!;
      }
    }
  }

  /** Path cost of an edge. */
  weight(edge: number): number {
    return EDGE_WEIGHTS[this.edges.kind.get(edge)]!;
  }
}
