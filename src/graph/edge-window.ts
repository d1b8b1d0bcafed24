import type { EdgeList } from '../resolve/edge-list.js';
import { arrayColumn, type StoredColumn } from '../resolve/stored-column.js';
import type { FoldColumns } from './fold-edges.js';

/**
 * The columns the alignment of a patched edge list reads of the list before the patch
 * (derive-rows.ts), each as stored in the cache file (resolve/stored-column.ts), so that they are
 * read a window of rows at a time instead of decoded whole: a kernel's callers, callees, kinds and
 * deferred marks are 43 MB of fresh memory decoded, which a query after an edit only compares once.
 */
export interface StoredEdges {
  length: number;
  from: StoredColumn;
  to: StoredColumn;
  kind: StoredColumn;
  deferred: StoredColumn;
}

/** Rows an EdgeWindow holds: 1 MB per 32-bit column. */
export const WINDOW_ROWS = 1 << 18;

const NAMES = ['from', 'to', 'kind', 'deferred'] as const;

/**
 * The columns of `list` the alignment reads: as views of its columns when every one is made (no
 * copy), else each read as stored (a made one from memory). Rows are read through an EdgeWindow.
 */
export function storedEdgesOf(list: EdgeList): FoldColumns | StoredEdges {
  const stored = NAMES.map((c) => list.storedRows(c));
  if (stored.every((c) => c === null)) return { from: list.from.view(), to: list.to.view(), kind: list.kind.view(), deferred: list.deferred.view() };
  const [from, to, kind, deferred] = NAMES.map((c, i) => stored[i] ?? arrayColumn(list[c].view())) as [StoredColumn, StoredColumn, StoredColumn, StoredColumn];
  return { length: list.length, from, to, kind, deferred };
}

const isStored = (source: FoldColumns | StoredEdges): source is StoredEdges => typeof (source.from as StoredColumn).copy === 'function';

/** How many edges `source` holds. */
export const edgeCount = (source: FoldColumns | StoredEdges): number => (isStored(source) ? source.length : source.from.length);

/**
 * Rows [base, end) of an edge list's four columns, in `columns` from index 0: an array source is
 * its own window (base 0, every row); a stored one is copied WINDOW_ROWS rows at a time, cover()
 * moving the window forward. Readers move through the rows in order and ask for at most
 * `capacity` rows at once.
 */
export class EdgeWindow {
  base = 0;
  end: number;
  readonly length: number;
  readonly capacity: number;
  readonly columns: { from: ArrayLike<number>; to: ArrayLike<number>; kind: ArrayLike<number>; deferred: ArrayLike<number> };
  private readonly stored: StoredEdges | null;

  constructor(source: FoldColumns | StoredEdges) {
    this.length = edgeCount(source);
    if (isStored(source)) {
      this.stored = source;
      this.capacity = WINDOW_ROWS;
      this.columns = { from: new Int32Array(WINDOW_ROWS), to: new Int32Array(WINDOW_ROWS), kind: new Uint8Array(WINDOW_ROWS), deferred: new Uint8Array(WINDOW_ROWS) };
      this.end = 0;
    } else {
      this.stored = null;
      this.capacity = this.length;
      this.columns = source;
      this.end = this.length;
    }
  }

  /** Makes rows [lo, hi) (hi at most the length) readable at index row - base; lo must be at or past every row read after. Throws when more than `capacity` rows are asked for. */
  cover(lo: number, hi: number): void {
    const top = Math.min(hi, this.length);
    if (lo >= this.base && top <= this.end) return;
    if (!this.stored) throw new Error(`edge window: rows ${lo}-${top} outside the list`);
    if (top - lo > this.capacity) throw new Error(`edge window: ${top - lo} rows asked for at once, at most ${this.capacity}`);
    this.base = lo;
    this.end = Math.min(this.length, lo + this.capacity);
    for (const c of NAMES) this.stored[c].copy(this.columns[c] as Int32Array, this.base, this.end, 0);
  }
}

/** Calls `visit` with the caller and deferred mark of each edge from `from` to `to` of `source`, in order (a stored one read a window at a time). */
export function forEachEdge(source: FoldColumns | StoredEdges, from: number, to: number, visit: (caller: number, deferred: number) => void): void {
  if (!isStored(source)) {
    for (let e = from; e < to; e++) visit(source.from[e]!, source.deferred[e]!);
    return;
  }
  const size = Math.min(WINDOW_ROWS, Math.max(0, to - from));
  const callers = new Int32Array(size);
  const marks = new Uint8Array(size);
  for (let at = from; at < to; at += size) {
    const end = Math.min(to, at + size);
    source.from.copy(callers, at, end, 0);
    source.deferred.copy(marks, at, end, 0);
    for (let k = 0; k < end - at; k++) visit(callers[k]!, marks[k]!);
  }
}
