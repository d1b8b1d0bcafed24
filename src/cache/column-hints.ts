import { type ColumnInfo, type Typed, TYPED, type TypedName } from './column-format.js';
import { runPairs } from './column-encoding.js';

/**
 * Encoding a column again the way its frame stored it (a hint), so that writing a patched graph
 * does not survey every value of its 4-million-row edge columns to choose an encoding (surveyInts
 * in columns.ts: a pass of its own per column, some 30-70 ms each on a kernel) when the column it
 * replaces already says which one fits: a patch inserts, removes or changes a few rows, and the
 * choice a full index made for those columns stays the right one. A hint is followed only while
 * every value still fits it (a narrow type holds each value; runs and sparse stay smaller than the
 * values as they are); otherwise the column is encoded as if there were none (null here). The
 * values decoded are the same either way: only the bytes stored may differ from a fresh encoding's.
 */

/** How a column was stored: what is needed to store a new value of the same property the same way. */
export interface EncodingHint {
  enc: 'typed' | 'runs' | 'sparse';
  type: TypedName;
  /** Of a `typed` column: the type its values were stored as. */
  stored?: TypedName;
  /** Of a `runs` or `sparse` column: its runs or its values other than `fill` as stored, a first guess at how many the new value has. */
  count: number;
  /** Of a `sparse` column: the value the others differ from. */
  fill?: number;
}

/** Hints by column path (keys from the frame's value down, joined by '.'), by the decoded value they were read from. */
const hintsOf = new WeakMap<object, Record<string, EncodingHint>>();

/** The hint a column as stored gives (ColumnInfo), or undefined for encodings hints do not cover. */
export function hintOf(c: ColumnInfo): EncodingHint | undefined {
  if (c.enc === 'typed') return { enc: 'typed', type: c.type, stored: c.stored, count: 0 };
  if (c.enc === 'runs') return { enc: 'runs', type: c.type, count: c.bytes / 8 };
  if (c.enc === 'sparse') return { enc: 'sparse', type: c.type, count: c.count, fill: c.fill };
  return undefined;
}

/** Records the hints of a frame decoded as `value` (column-read.ts decodeColumnsFrom). */
export function rememberHints(value: object, hints: Record<string, EncodingHint>): void {
  hintsOf.set(value, hints);
}

/** The hints recorded for a decoded frame's value (plain data, for another thread too), or undefined. */
export const encodingHints = (value: unknown): Record<string, EncodingHint> | undefined => (typeof value === 'object' && value !== null ? hintsOf.get(value) : undefined);

/** Where one column's bytes go (columns.ts put) and how it is described (columns.ts column). */
type Put = (parts: Buffer[]) => { offset: number; bytes: number };

const bytesOf = (a: Typed): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** An Int32Array growing by doubling, for the pairs or positions a hinted encoding collects in one pass. */
function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** The values each narrow integer type holds, lowest and highest: a narrowed column is stored as one of these. */
const RANGE: Partial<Record<TypedName, [number, number]>> = { Int8Array: [-0x80, 0x7f], Uint8Array: [0, 0xff], Int16Array: [-0x8000, 0x7fff], Uint16Array: [0, 0xffff] };

/** True when every value of `a` lies within [lo, hi] (one pass). */
function within(a: Int32Array, [lo, hi]: [number, number]): boolean {
  let min = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  return min >= lo && max <= hi;
}

/**
 * The description of `a` (an Int32Array or Uint8Array) encoded as `hint` says, its bytes given to
 * `put`; null when the hint does not hold for `a` (another type, a value past the narrow type, runs
 * or others too many to be worth it), and nothing was put.
 */
export function encodeHinted(a: Int32Array | Uint8Array, hint: EncodingHint, put: Put): ColumnInfo | null {
  const type = a.constructor.name as TypedName;
  if (hint.type !== type) return null;
  if (hint.enc === 'typed') {
    const stored = hint.stored ?? type;
    if (stored === type) return { enc: 'typed', type, stored, length: a.length, ...put([bytesOf(a)]) };
    const range = RANGE[stored];
    if (!(a instanceof Int32Array) || !range || !within(a, range)) return null;
    const narrow = new TYPED[stored](a.length);
    narrow.set(a);
    return { enc: 'typed', type, stored, length: a.length, ...put([bytesOf(narrow)]) };
  }
  if (hint.enc === 'runs') {
    if (!(a instanceof Int32Array)) return null;
    const pairs = runPairs(a, hint.count + 32);
    // As bestEncoding weighs it: runs pay 8 bytes each, against 4 a value.
    if (pairs.byteLength >= a.byteLength) return null;
    return { enc: 'runs', type, length: a.length, ...put([bytesOf(pairs)]) };
  }
  const fill = hint.fill ?? 0;
  let where = new Int32Array(Math.max(16, hint.count + 64));
  let what = new Int32Array(where.length);
  let others = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === fill) continue;
    if (others === where.length) {
      where = grow(where, others + 1);
      what = grow(what, where.length);
    }
    where[others] = i;
    what[others++] = a[i]!;
  }
  // Sparse pays 8 bytes per other value: worth it only below the values' own size.
  if (others * 8 >= a.byteLength) return null;
  return { enc: 'sparse', type, fill, length: a.length, count: others, ...put([bytesOf(where.subarray(0, others)), bytesOf(what.subarray(0, others))]) };
}
