import type { CodeIndex } from '../index/code-index.js';
import { EDGE_WEIGHTS } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';

/**
 * The call graph in compressed sparse rows, forward and reverse. Parallel edges between
 * the same two nodes are folded into the strongest one; `edge` arrays point back into the EdgeList.
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
  ) {
    const n = index.nodeCount;
    const kept: number[] = [];
    for (let e = 0; e < edges.length; e++) if (keep(edges.kind.get(e))) kept.push(e);
    // Bucket by caller, then fold each caller's edges to the strongest one per callee.
    const [start, , byFrom] = csr(n, kept, (e) => edges.from.get(e), (e) => e);
    const folded: number[] = [];
    for (let v = 0; v < n; v++) {
      const group = Array.from(byFrom.subarray(start[v]!, start[v + 1]!));
      group.sort((a, b) => edges.to.get(a) - edges.to.get(b) || edges.kind.get(a) - edges.kind.get(b) || a - b);
      group.forEach((e, i) => {
        if (i === 0 || edges.to.get(e) !== edges.to.get(group[i - 1]!)) folded.push(e);
      });
    }
    [this.outStart, this.outTo, this.outEdge] = csr(n, folded, (e) => edges.from.get(e), (e) => edges.to.get(e));
    [this.inStart, this.inFrom, this.inEdge] = csr(n, folded, (e) => edges.to.get(e), (e) => edges.from.get(e));
  }

  /** Path cost of an edge. */
  weight(edge: number): number {
    return EDGE_WEIGHTS[this.edges.kind.get(edge)]!;
  }
}

function csr(n: number, edgeIds: number[], key: (e: number) => number, value: (e: number) => number): [Int32Array, Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (const e of edgeIds) start[key(e) + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const to = new Int32Array(edgeIds.length);
  const edge = new Int32Array(edgeIds.length);
  for (const e of edgeIds) {
    const at = fill[key(e)]!++;
    to[at] = value(e);
    edge[at] = e;
  }
  return [start, to, edge];
}
