import { type NarrowInts, type NarrowType, narrowView } from '../util/narrow-views.js';
import { rowReads, runHolding } from '../util/row-reads.js';

/**
 * One integer column of an edge snapshot as a patch reads and copies it: from its bytes as stored
 * when the cache keeps it narrower than its type (util/narrow-views.ts: 16-bit lines and call
 * sites) or as runs (util/row-reads.ts: evidence sets) and it was not decoded yet, else from the
 * property. A patch that copies four million rows into new columns then reads each column once as
 * stored, instead of first decoding it into a widened array of its own (16 MB of fresh memory per
 * column on a kernel) that it would only copy.
 */
export interface StoredColumn {
  /** The value of row `i`. */
  at(i: number): number;
  /** Writes rows [from, to) into `out` from `at` on (an array of the stored type, or of a type holding every value). */
  copy(out: NarrowInts, from: number, to: number, at: number): void;
  /** Calls `visit` for each row whose value lies in [lo, hi], in row order (a column stored as runs is walked run by run). */
  rowsWithin(lo: number, hi: number, visit: (row: number, value: number) => void): void;
  /** How many rows. */
  length: number;
  /** The typed array the values are stored as, when the cache keeps them narrower than their type (8 or 16 bits). */
  narrowAs?: NarrowType;
}

/** True when `owner[key]` is present, without reading it (a getter would decode a column). */
export function hasColumn(owner: object, key: string): boolean {
  const d = Object.getOwnPropertyDescriptor(owner, key);
  return d !== undefined && (d.get !== undefined || d.value !== undefined);
}

/** Column `key` of `owner` read as StoredColumn says; null when the owner has no such column. */
export function storedColumn(owner: object, key: string): StoredColumn | null {
  if (!hasColumn(owner, key)) return null;
  const reads = rowReads(owner, key);
  // A column of the cache file not decoded yet: its rows read by blocks, ranges copied from the file into the new column (column-rows.ts typedRows).
  if (reads?.copy && reads.length !== undefined) {
    const { narrowAs, length } = reads;
    return { at: (i) => reads.at(i), copy: (out, from, to, at) => reads.copy!(out, from, to, at), rowsWithin: (lo, hi, visit) => rowsOf((owner as Record<string, Int32Array | Uint8Array>)[key]!, lo, hi, visit), length, ...(narrowAs ? { narrowAs } : {}) };
  }
  const narrow = narrowView(owner, key);
  if (narrow) return { at: (i) => narrow[i]!, copy: (out, from, to, at) => out.set(narrow.subarray(from, to), at), rowsWithin: (lo, hi, visit) => rowsOf(narrow, lo, hi, visit), length: narrow.length, narrowAs: narrow.constructor as NarrowType };
  const runs = reads?.runEnds?.();
  if (runs) return runColumn(runs);
  return arrayColumn((owner as Record<string, Int32Array | Uint8Array>)[key]!);
}

/** A column held whole in memory, read as StoredColumn reads a stored one. */
export function arrayColumn(whole: Int32Array | Uint8Array | NarrowInts): StoredColumn {
  return { at: (i) => whole[i]!, copy: (out, from, to, at) => out.set(whole.subarray(from, to), at), rowsWithin: (lo, hi, visit) => rowsOf(whole, lo, hi, visit), length: whole.length };
}

/** StoredColumn.rowsWithin over an array. */
function rowsOf(values: ArrayLike<number>, lo: number, hi: number, visit: (row: number, value: number) => void): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v >= lo && v <= hi) visit(i, v);
  }
}

/** A column stored as [value, end] pairs (cache/column-format.ts `runs`). */
function runColumn(pairs: Int32Array): StoredColumn {
  const runs = pairs.length / 2;
  // One past the last row of run k.
  const endOf = (k: number): number => pairs[2 * k + 1]!;
  return {
    length: runs ? endOf(runs - 1) : 0,
    at: (i) => pairs[2 * runHolding(endOf, runs, i)]!,
    copy: (out, from, to, at) => {
      // Short runs (a caller's few edges in `from`) are written one value at a time: a fill call each costs more than the writes.
      for (let k = runHolding(endOf, runs, from), i = from; i < to; k++) {
        const end = Math.min(endOf(k), to);
        const v = pairs[2 * k]!;
        if (end - i > 64) out.fill(v, at + i - from, at + end - from);
        else for (let j = at + i - from, stop = at + end - from; j < stop; j++) out[j] = v;
        i = end;
      }
    },
    rowsWithin: (lo, hi, visit) => {
      for (let k = 0, row = 0; k < runs; k++) {
        const v = pairs[2 * k]!;
        const end = pairs[2 * k + 1]!;
        if (v >= lo && v <= hi) for (; row < end; row++) visit(row, v);
        row = end;
      }
    },
  };
}

/** Rows scanColumns reads at a time: 64K rows, 256 KB per 32-bit column. */
export const SCAN_ROWS = 1 << 16;

/**
 * Visits every row of the columns `keys` of `owner` (an edge snapshot, say), SCAN_ROWS rows at a
 * time: `visit(rows, start, count)` gets, by key, an array whose first `count` values are the
 * column's rows [start, start + count). A column of the cache file not decoded yet is read as
 * stored (StoredColumn.copy: its bytes straight from the file, runs expanded chunk by chunk), never
 * decoded whole: a patch that looks at every edge once (the calls of a changed name) then reads a
 * kernel's 4 million rows through 256 KB arrays reused from chunk to chunk, instead of decoding
 * each column into 16 MB of fresh memory it would read once. The arrays are 32-bit (every column's
 * values fit) and are overwritten by the next chunk; a key the owner has no column for gets none,
 * and the columns present must be of one length. Throws when they are not.
 */
export function scanColumns<K extends string>(owner: object, keys: readonly K[], visit: (rows: Partial<Record<K, Int32Array>>, start: number, count: number) => void): void {
  const columns = keys.flatMap((k) => {
    const column = storedColumn(owner, k);
    return column ? [[k, column] as const] : [];
  });
  if (columns.length === 0) return;
  const length = columns[0]![1].length;
  if (columns.some(([, c]) => c.length !== length)) throw new Error('scanColumns: columns of different lengths');
  const rows: Partial<Record<K, Int32Array>> = {};
  for (const [k] of columns) rows[k] = new Int32Array(Math.min(SCAN_ROWS, length));
  for (let start = 0; start < length; start += SCAN_ROWS) {
    const count = Math.min(SCAN_ROWS, length - start);
    for (const [k, c] of columns) c.copy(rows[k]!, start, start + count, 0);
    visit(rows, start, count);
  }
}

/** Calls `visit(e, caller)` for each edge of `edges`, in order, whose caller is among `callers` (node ids below `nodeCount`), reading the callers' column alone as stored (scanColumns). */
export function scanCallersEdges(edges: object, nodeCount: number, callers: Iterable<number>, visit: (e: number, caller: number) => void): void {
  const interest = new Uint8Array(nodeCount);
  for (const x of callers) interest[x] = 1;
  scanColumns(edges, ['from'] as const, (chunk, start, n) => {
    const from = chunk.from!;
    for (let i = 0; i < n; i++) if (interest[from[i]!]) visit(start + i, from[i]!);
  });
}
