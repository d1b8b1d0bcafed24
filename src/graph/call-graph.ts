import type { CodeIndex } from '../index/code-index.js';
import { EDGE_WEIGHTS } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { derivedRows } from './derive-rows.js';
import { type FoldColumns, type FoldedRows, foldEdges } from './fold-edges.js';
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
  /** True when made from kept rows (graph-rows.ts), false when made otherwise. */
  readonly fromRows: boolean;
  /** How the rows were made: from kept rows (graph-rows.ts), derived from the graph before a patch (derive-rows.ts), or by folding every edge. */
  readonly madeBy: 'rows' | 'derived' | 'folded';

  constructor(
    readonly index: CodeIndex,
    readonly edges: EdgeList,
    /** Edge kinds kept, by kind index. */
    readonly keep: (kind: number) => boolean = () => true,
    /** Keep deferred edges (EdgeList.deferred): false for the synchronous call graph. */
    readonly withDeferred = true,
    /**
     * Rows kept from a graph of the same filter over these very edges (graph-rows.ts), ignored when
     * they do not fit the edges' and nodes' counts; or the call graph of the same filter over the
     * edges before a patch (the cached graph's), whose rows are reused for the callers whose edges
     * the patch left as they were (derive-rows.ts; every edge is folded when they differ too much).
     */
    rows?: GraphRows | CallGraph,
    /** With a call graph of before a patch that renumbered nodes: the node in `index` of each of its nodes (-1: gone). */
    nodeMap?: Int32Array,
  ) {
    const n = index.nodeCount;
    const columns = (list: EdgeList): FoldColumns => ({ from: list.from.view(), to: list.to.view(), kind: list.kind.view(), deferred: list.deferred.view() });
    let made: FoldedRows | null = null;
    if (rows instanceof CallGraph) {
      made = derivedRows(rows, columns(rows.edges), columns(edges), n, keep, withDeferred, nodeMap);
      this.madeBy = made ? 'derived' : 'folded';
    } else if (rows) {
      made = foldedFromRows(rows, n, edges);
      this.madeBy = made ? 'rows' : 'folded';
    } else this.madeBy = 'folded';
    made ??= foldEdges(n, columns(edges), keep, withDeferred);
    this.fromRows = this.madeBy === 'rows';
    this.outStart = made.outStart;
    this.outTo = made.outTo;
    this.outEdge = made.outEdge;
    this.outKind = made.outKind;
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
