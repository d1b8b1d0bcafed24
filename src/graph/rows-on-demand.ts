import type { EdgeList } from '../resolve/edge-list.js';

/**
 * A call graph's rows made one caller at a time, when first asked for, from the caller's own
 * edges. A query that reads a few rows of a kernel's 722,000 (a path query some 46,000, a callees
 * tree a hundred) then neither decodes nor holds the whole graph's rows (40 MB of fresh memory:
 * their page faults cost more than the decoding). Each row is foldEdges' row of that caller
 * (fold-edges.ts): the same edges, in edge order, folded the same way.
 */

/**
 * Where each caller's edges are: runs of edges with that caller, in edge order (run r: edges
 * `first[r]..first[r + 1]`), caller v's runs linked in edge order from `head[v]` through `next`.
 * Links instead of runs sorted by caller: one pass over the runs makes them, where a counting sort
 * took three and one over every node (a kernel's 620,000 runs of 722,000 nodes: 68 ms of a 0.5 s
 * callees query, that reads some 70 rows).
 */
export interface CallerSpans {
  /** Per node, 1 + its first run; 0 for a node that calls nothing. */
  head: Int32Array;
  /** Per run, 1 + the next run of the same caller; 0 after its last run. */
  next: Int32Array;
  /** Per run, its first edge, then the edge count (runs + 1 entries). */
  first: Int32Array;
}

/**
 * The runs of each caller's edges (CallerSpans), from the [caller, end] pairs the cache keeps the
 * callers in (resolve adds most of a caller's edges together: a kernel's 4.4 million edges are
 * some 620,000 runs), else from the callers; null when a caller is no node or the runs do not cover the edges.
 */
export function callerSpans(edges: EdgeList, n: number): CallerSpans | null {
  const pairs = edges.callerRuns() ?? runsOf(edges.from.view());
  const runs = pairs.length / 2;
  const first = new Int32Array(runs + 1);
  const head = new Int32Array(n);
  const next = new Int32Array(runs);
  // One pass, backwards from the last edge: each run's first edge, and the run put before the
  // caller's runs after it (every caller's runs in edge order). One loop, not two: a loop run once
  // is mostly interpreted, and a second pass over the runs cost more than this one (callgrind).
  first[runs] = edges.length;
  for (let r = runs - 1; r >= 0; r--) {
    const v = pairs[2 * r]!;
    if (v < 0 || v >= n) return null;
    first[r] = runStart(pairs, r);
    next[r] = head[v]!;
    head[v] = r + 1;
  }
  // Runs that do not cover the edges (none the cache or runsOf makes): no spans.
  return (runs > 0 ? pairs[2 * runs - 1]! : 0) === edges.length ? { head, next, first } : null;
}

/** The first edge of run r of [caller, end] pairs (EdgeList.callerRuns): where the run before it ends. The only reader of the pairs' second halves. */
const runStart = (pairs: Int32Array, r: number): number => (r > 0 ? pairs[2 * r - 1]! : 0);

/** [caller, end] pairs of the runs of equal callers in `from` (as EdgeList.callerRuns gives them). */
function runsOf(from: ArrayLike<number>): Int32Array {
  const list: number[] = [];
  for (let e = 0; e < from.length; ) {
    let end = e + 1;
    while (end < from.length && from[end] === from[e]) end++;
    list.push(from[e]!, end);
    e = end;
  }
  return Int32Array.from(list);
}

/**
 * Edges whose callee, kind and deferred flag the rows read one by one, from the columns as stored
 * (util/row-reads.ts), before reading those columns whole: a callees query on a kernel makes some
 * 70 rows of 722,000, and read 23 MB (its callees, kinds and deferred flags of 4 million edges) for
 * them. Below the MAX_ROW_READS (cache/column-rows.ts) after which a column read by rows is read whole.
 */
const ROW_CELLS = 2048;

/** Rows longer than this find a callee already in the row through a map instead of a scan of the row. */
const SCANNED_ROW = 24;

/** The rows of one filter, made on demand (see above): row v is to/edge/kind[start(v)..end(v)). */
export class RowsOnDemand {
  /** Per node, 1 + where its row starts in the arrays below; 0 while it is not made. */
  private readonly at: Int32Array;
  private readonly length: Int32Array;
  /** The rows made so far, one after the other (grown by doubling: read them after each start()). */
  to = new Int32Array(1 << 16);
  edge = new Int32Array(1 << 16);
  kind = new Uint8Array(1 << 16);
  private used = 0;
  /** How many rows were made (for --verbose). */
  made = 0;
  /** The edges' callees, kinds and deferred flags, read whole once ROW_CELLS edges were read one by one. */
  private columns: { to: ArrayLike<number>; kind: ArrayLike<number>; deferred: ArrayLike<number> } | null = null;
  /** How many edges' callees, kinds and deferred flags were read one by one (before `columns`). */
  private cells = 0;
  /** The callees, kinds and deferred flags of the row being made, by its edges' order; slotLater: the deferred flag of the edge each of its slots holds. */
  private row = { to: new Int32Array(256), kind: new Uint8Array(256), later: new Uint8Array(256), slotLater: new Uint8Array(256) };

  constructor(
    private readonly edges: EdgeList,
    private readonly spans: CallerSpans,
    /** Per kind (EDGE_KINDS index), 1 when the filter keeps it. */
    private readonly kept: Uint8Array,
    private readonly withDeferred: boolean,
  ) {
    this.at = new Int32Array(spans.head.length);
    this.length = new Int32Array(spans.head.length);
  }

  /** Where row v starts in to/edge/kind, made now if it was not. */
  start(v: number): number {
    const at = this.at[v]!;
    return at > 0 ? at - 1 : this.make(v);
  }

  /** Where row v ends (after start(v)). */
  end(v: number): number {
    return this.start(v) + this.length[v]!;
  }

  private make(v: number): number {
    const { kept, withDeferred, edges } = this;
    const { head, next, first } = this.spans;
    let size = 0;
    for (let r = head[v]! - 1; r >= 0; r = next[r]! - 1) size += first[r + 1]! - first[r]!;
    // The row's edges' callees, kinds and deferred flags: read edge by edge as stored while few
    // rows are made (EdgeList.calleeOf...), from the whole columns once ROW_CELLS edges were so read.
    if (!this.columns && this.cells + size > ROW_CELLS) this.columns = { to: edges.to.view(), kind: edges.kind.view(), deferred: edges.deferred.view() };
    const columns = this.columns;
    if (!columns) this.cells += size;
    const row = this.scratch(size);
    for (let r = head[v]! - 1, j = 0; r >= 0; r = next[r]! - 1) {
      const end = first[r + 1]!;
      for (let e = first[r]!; e < end; e++, j++) {
        row.kind[j] = columns ? columns.kind[e]! : edges.kindOf(e);
        if (kept[row.kind[j]!] !== 1) continue;
        row.later[j] = columns ? columns.deferred[e]! : edges.isDeferred(e) ? 1 : 0;
        if (row.later[j] !== 0 && !withDeferred) continue;
        row.to[j] = columns ? columns.to[e]! : edges.calleeOf(e);
      }
    }
    this.room(size);
    const { to, edge, kind } = this;
    const start = this.used;
    let k = start;
    const slots = size > SCANNED_ROW ? new Map<number, number>() : null;
    for (let r = head[v]! - 1, j = 0; r >= 0; r = next[r]! - 1) {
      const end = first[r + 1]!;
      for (let e = first[r]!; e < end; e++, j++) {
        const c = row.kind[j]!;
        if (kept[c] !== 1) continue;
        const d = row.later[j]!;
        if (d !== 0 && !withDeferred) continue;
        const t = row.to[j]!;
        let slot = -1;
        if (slots) slot = slots.get(t) ?? -1;
        else {
          for (let i = start; i < k; i++) {
            if (to[i] !== t) continue;
            slot = i;
            break;
          }
        }
        if (slot < 0) {
          slots?.set(t, k);
          row.slotLater[k - start] = d;
          to[k] = t;
          edge[k] = e;
          kind[k++] = c;
        } else if (d * 64 + c < row.slotLater[slot - start]! * 64 + kind[slot]!) {
          // A synchronous edge before a deferred one, then the strongest kind (the lowest), then the first: as foldEdges.
          row.slotLater[slot - start] = d;
          edge[slot] = e;
          kind[slot] = c;
        }
      }
    }
    this.used = k;
    this.at[v] = start + 1;
    this.length[v] = k - start;
    this.made++;
    return start;
  }

  /** The row scratch arrays, grown to hold `size` edges. */
  private scratch(size: number): RowsOnDemand['row'] {
    if (this.row.to.length < size) {
      const n = Math.max(size, this.row.to.length * 2);
      this.row = { to: new Int32Array(n), kind: new Uint8Array(n), later: new Uint8Array(n), slotLater: new Uint8Array(n) };
    }
    return this.row;
  }

  /** Makes room for `count` more entries. */
  private room(count: number): void {
    if (this.used + count <= this.to.length) return;
    let size = this.to.length * 2;
    while (size < this.used + count) size *= 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a.subarray(0, this.used));
      return b;
    };
    this.to = grow(this.to);
    this.edge = grow(this.edge);
    this.kind = grow(this.kind);
  }
}
