import type { CodeIndex } from '../index/code-index.js';
import { EDGE_WEIGHTS } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { alignedRuns, derivedRows } from './derive-rows.js';
import { type FoldedRows, foldColumnsOf, foldEdges } from './fold-edges.js';
import { storedEdgesOf } from './edge-window.js';
import { edgesOfRows, gatherRows, type GraphRows } from './graph-rows.js';
import { callerSpans, RowsOnDemand } from './rows-on-demand.js';

/** What readers of a call graph read while CallGraph.reads was set: the rows by node (1: read), and whether every row was. */
export interface RowReads {
  rows: Uint8Array;
  whole: boolean;
}

/**
 * The call graph in compressed sparse rows, forward and reverse. Parallel edges between
 * the same two nodes are folded into one: a synchronous edge before a deferred one, then the
 * strongest kind; `edge` arrays point back into the EdgeList. The forward rows are built at
 * once, or each when first read (onDemand); the reverse rows (callers) when first asked for.
 */
export class CallGraph {
  /** The rows of every caller, once made (at once, or when a reader asks for outStart, outTo, outEdge or outKind of a graph made on demand). */
  private full: FoldedRows | null = null;
  /** With `onDemand`: the rows made one caller at a time (rows-on-demand.ts) until the full rows are made. */
  private readonly rows: RowsOnDemand | null = null;
  /**
   * With full rows made from kept rows or derived from a base: per node, 1 once its row's callees and kinds are gathered
   * from the edges (graph-rows.ts gatherRows), each when the row is first read through outFirst
   * or outEnd, every one when outTo or outKind is read; `left` rows are still to gather, `to` and
   * `kind` are the edges' columns. Null once every row is gathered.
   */
  private gathering: Gathering | null = null;
  /** Rows gathered one at a time (see `gathering`). */
  private gathered = 0;
  private reverse: { start: Int32Array; from: Int32Array; edge: Int32Array } | null = null;
  private how: 'rows' | 'derived' | 'folded' | null = null;
  /**
   * While set (api/ahead-after-patch.ts records what an answer worked out ahead read): per node, 1
   * once its row was read through outFirst or outEnd; `whole` once a reader asked for every row
   * (outStart, outTo, outEdge, outKind or the reverse rows).
   */
  reads: RowReads | null = null;
  /**
   * The call sites through a pointer of a node that no edge shows (bound to nothing), when the
   * graph's owner knows them (api/project.ts: the call-site summary read against the edges); read
   * by graph-steps.ts oneCallLine. Undefined when they are not known.
   */
  unboundSitesOf: ((node: number) => readonly number[] | undefined) | undefined;

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
    private readonly base?: GraphRows | CallGraph,
    /** With a call graph of before a patch that renumbered nodes: the node in `index` of each of its nodes (-1: gone). */
    private readonly nodeMap?: Int32Array,
    /**
     * Make each caller's row when first read through outFirst and outEnd (rows-on-demand.ts), and
     * the full rows (from `base` as above) only when outStart, outTo, outEdge or outKind is read.
     */
    onDemand = false,
  ) {
    const spans = onDemand ? callerSpans(edges, index.nodeCount) : null;
    if (spans) this.rows = new RowsOnDemand(edges, spans, new Uint8Array(64).map((_, k) => (keep(k) ? 1 : 0)), withDeferred);
    else this.built();
  }

  /** The full rows, made now if they were not, every row's callees and kinds gathered. */
  private complete(): FoldedRows {
    const full = this.built();
    if (this.gathering) {
      const { done, to, kind } = this.gathering;
      for (let v = 0; v < done.length; v++) if (!done[v]) gatherRows(full.outEdge, full.outStart[v]!, full.outStart[v + 1]!, to, kind, full.outTo, full.outKind);
      this.gathering = null;
    }
    return full;
  }

  /** Gathers row v's callees and kinds (see `gathering`) when they are not yet. */
  private gather(v: number): void {
    const g = this.gathering!;
    if (g.done[v]) return;
    g.done[v] = 1;
    this.gathered++;
    const full = this.full!;
    gatherRows(full.outEdge, full.outStart[v]!, full.outStart[v + 1]!, g.to, g.kind, full.outTo, full.outKind);
    if (--g.left === 0) this.gathering = null;
  }

  /** The full rows, made now if they were not (rows from kept rows: their callees and kinds gathered only as `gathering` says; complete() gathers them all). */
  private built(): FoldedRows {
    if (this.full) return this.full;
    const { index, edges, keep, withDeferred, base } = this;
    const n = index.nodeCount;
    let made: FoldedRows | null = null;
    // Rows derived from the base's or read from kept rows are edges alone: their callees and kinds are gathered row by row as rows are read.
    // The base's edges read as stored (edge-window.ts): a query after a patch compares them once and never decodes them whole.
    const rowEdges = base instanceof CallGraph ? derivedRows(base.built(), storedEdgesOf(base.edges), foldColumnsOf(edges), n, keep, withDeferred, this.nodeMap, alignedRuns(base.edges, edges, this.nodeMap)) : base ? edgesOfRows(base, n, edges.length) : null;
    if (rowEdges) {
      // (A path query reads some 46,000 rows of a kernel's 722,000: zeroed arrays whose untouched pages cost nothing.)
      made = { ...rowEdges, outTo: new Int32Array(rowEdges.outEdge.length), outKind: new Uint8Array(rowEdges.outEdge.length) };
      this.gathering = new Gathering(n, edges);
    }
    this.how = !made ? 'folded' : base instanceof CallGraph ? 'derived' : 'rows';
    this.full = made ?? foldEdges(n, foldColumnsOf(edges), keep, withDeferred);
    return this.full;
  }

  /** outStart[n]..outStart[n+1] index outTo/outEdge: the callees of n (reading it makes every row: a reader of a few rows asks outFirst and outEnd). */
  get outStart(): Int32Array {
    if (this.reads) this.reads.whole = true;
    return this.built().outStart;
  }

  get outTo(): Int32Array {
    if (this.reads) this.reads.whole = true;
    return this.complete().outTo;
  }

  get outEdge(): Int32Array {
    if (this.reads) this.reads.whole = true;
    return this.built().outEdge;
  }

  /** The kind (EDGE_KINDS index) of each outEdge, in the same order: a search reads it in sequence instead of at random in the EdgeList. */
  get outKind(): Uint8Array {
    if (this.reads) this.reads.whole = true;
    return this.complete().outKind;
  }

  /** Where the row of node v starts in rowTo, rowEdge and rowKind (read them after this call: making a row may replace them). */
  outFirst(v: number): number {
    if (this.reads) this.reads.rows[v] = 1;
    if (this.gathering) this.gather(v);
    return this.full ? this.full.outStart[v]! : this.rows!.start(v);
  }

  /** Where the row of node v ends in rowTo, rowEdge and rowKind. */
  outEnd(v: number): number {
    if (this.reads) this.reads.rows[v] = 1;
    if (this.gathering) this.gather(v);
    return this.full ? this.full.outStart[v + 1]! : this.rows!.end(v);
  }

  /**
   * While rows from kept rows are gathered one at a time (see `gathering`): the edges' callee and
   * kind columns, by EdgeList id, for a reader that reads row v's callees and kinds at its edges
   * (rowEdge from spanFirst(v) to spanEnd(v)) instead of having them gathered into rowTo and rowKind
   * (a path search over a kernel reads 46,000 rows once each: writing them cost more than it saves).
   * Null otherwise: read rowTo and rowKind through outFirst and outEnd.
   */
  get edgeColumns(): { to: ArrayLike<number>; kind: ArrayLike<number> } | null {
    return this.gathering;
  }

  /** Where row v starts in rowEdge, without gathering its callees and kinds (see edgeColumns; only while that is set). */
  spanFirst(v: number): number {
    if (this.reads) this.reads.rows[v] = 1;
    return this.full!.outStart[v]!;
  }

  /** Where row v ends in rowEdge (see spanFirst). */
  spanEnd(v: number): number {
    return this.full!.outStart[v + 1]!;
  }

  /** The callees of the rows outFirst and outEnd give (outTo once the full rows are made). */
  get rowTo(): Int32Array {
    return this.full ? this.full.outTo : this.rows!.to;
  }

  /** The edges (EdgeList ids) of the rows outFirst and outEnd give. */
  get rowEdge(): Int32Array {
    return this.full ? this.full.outEdge : this.rows!.edge;
  }

  /** The kinds of the rows outFirst and outEnd give. */
  get rowKind(): Uint8Array {
    return this.full ? this.full.outKind : this.rows!.kind;
  }

  /** True when made from kept rows (graph-rows.ts), false when made otherwise (reading it makes the full rows). */
  get fromRows(): boolean {
    return this.madeBy === 'rows';
  }

  /** How the full rows were made: from kept rows (graph-rows.ts), derived from the graph before a patch (derive-rows.ts), or by folding every edge (reading it makes them). */
  get madeBy(): 'rows' | 'derived' | 'folded' {
    this.built();
    return this.how!;
  }

  /** How the rows were made so far, without making any: as madeBy, or 'on demand' while only rows asked for were made (how many: `rowsMade`). */
  get madeSoFar(): 'rows' | 'derived' | 'folded' | 'on demand' {
    return this.how ?? 'on demand';
  }

  /** How many rows were made on demand; from kept rows, how many had their callees gathered one at a time, when first read through outFirst or outEnd (rows read at their edges through spanFirst are not gathered; 0 for a graph made in full at once). */
  get rowsMade(): number {
    return this.rows?.made ?? this.gathered;
  }

  /** Whether the full rows are made (rowsOf may read them without making them). */
  get isFull(): boolean {
    return this.full !== null;
  }

  /** inStart[n]..inStart[n+1] index inFrom/inEdge: the callers of n. */
  get inStart(): Int32Array {
    if (this.reads) this.reads.whole = true;
    return this.reversed().start;
  }

  get inFrom(): Int32Array {
    if (this.reads) this.reads.whole = true;
    return this.reversed().from;
  }

  get inEdge(): Int32Array {
    if (this.reads) this.reads.whole = true;
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

/**
 * The rows of a CallGraph still to gather (see CallGraph.gathering): per node, 1 once gathered;
 * `left` rows to go; the edges' callee and kind columns, each read when first asked for (a base
 * graph a patch derives rows from may never gather one: a kernel's 17 MB of callees and 4 MB of
 * kinds are then not decoded).
 */
class Gathering {
  readonly done: Uint8Array;
  left: number;
  private columns: { to: ArrayLike<number>; kind: ArrayLike<number> } | null = null;

  constructor(
    n: number,
    private readonly edges: EdgeList,
  ) {
    this.done = new Uint8Array(n);
    this.left = n;
  }

  get to(): ArrayLike<number> {
    return this.read().to;
  }

  get kind(): ArrayLike<number> {
    return this.read().kind;
  }

  /** The edges' callee and kind columns, read at the first call. */
  private read(): { to: ArrayLike<number>; kind: ArrayLike<number> } {
    return (this.columns ??= { to: this.edges.to.view(), kind: this.edges.kind.view() });
  }
}
