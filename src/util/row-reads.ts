import type { NarrowInts, NarrowType } from './narrow-views.js';

/**
 * A way to read single values of an integer typed-array property that is stored compressed
 * (cache/columns.ts `sparse`: the positions and values of the few rows that differ from a fill;
 * `runs`: [value, end] pairs) without decoding the whole column: a decoder registers, under this
 * symbol on the object owning the property, a reader of one row (and, for runs, the pairs as
 * stored). Readers that need a few rows of four million (EdgeList: the evidence set, deferred flag
 * and bind flags of the edges a query prints; the edges of a few callers) use it while the column
 * is not decoded; everyone else reads the property as usual and gets the declared type. The
 * decoder drops the reader once the property is read whole or assigned.
 */
export const ROW_READS = Symbol('pathfind.rowReads');

/** One row at a time of a stored column. */
export interface RowReads {
  /** The value of row `i` (0 <= i < length). */
  at(i: number): number;
  /** How many rows the column has (given by the readers of `typed` columns). */
  length?: number;
  /** For a column stored as runs: the [value, end] pairs as stored, in row order (`end`: one past the run's last row). */
  runEnds?: () => Int32Array;
  /** For an Int32Array column stored in 8 or 16 bits (cache/columns.ts `typed`): the typed array of its values as stored. */
  narrowAs?: NarrowType;
  /**
   * For a `typed` column read from a cache file: writes rows [from, to) into `out` from `at` on
   * (an array of the stored type, read into straight from the file; or one holding every value).
   */
  copy?(out: NarrowInts, from: number, to: number, at: number): void;
}

/** The registered row reader of `owner[key]` (see ROW_READS), or undefined (read the property). */
export function rowReads(owner: object, key: string): RowReads | undefined {
  return (owner as { [ROW_READS]?: Record<string, RowReads> })[ROW_READS]?.[key];
}

/**
 * The run holding row `i` of a column stored as [value, end] pairs (cache/column-format.ts `runs`):
 * the first of `runs` runs whose end (`endOf(k)`, one past its last row) exceeds i; `runs` when none does.
 */
export function runHolding(endOf: (k: number) => number, runs: number, i: number): number {
  let lo = 0;
  let hi = runs;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (endOf(mid) <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of `sorted` (ascending) whose value is greater than `v`. */
export function upperBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
