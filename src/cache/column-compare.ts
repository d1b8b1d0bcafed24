import { serialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { decodeColumn, view } from './column-read.js';
import { type ColumnInfo, isPlain, isTyped, type Typed, TYPED, type TypedName } from './column-format.js';

/**
 * Whether a column read since its frame was decoded still holds what its stored bytes say, so
 * that a writer copies those bytes instead of encoding the value again (columns.ts). Told by
 * walking the stored bytes against the value, not by decoding them into a new array first: a
 * patched kernel graph's writer compared some 10 MB of such columns (the file list, node lines
 * and files, evidence offsets) on every edit, each decoded into fresh shared memory (and the file
 * list into 43,000 strings) only to be compared and dropped.
 */

const bytesOf = (a: Typed): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * True when `value` holds exactly what `bytes` (a column stored as `info`) decode to: a typed
 * array of the class and length `info` gives with the same values, or (a `lines` column) an array
 * of the same strings. False for any other value. The answer is decodeColumn's value compared
 * with `value`, with one difference that changes no byte written: a string holding a lone
 * surrogate matches the U+FFFD stored for it (encoding the value again stores those same bytes).
 */
export function holdsStored(value: unknown, info: ColumnInfo, bytes: Buffer): boolean {
  if (info.enc === 'lines') return Array.isArray(value) && linesHold(value, info, bytes);
  if (info.enc === 'packed') return Array.isArray(value) && value.length === info.length && packedHolds(value, bytes.subarray(0, info.bytes));
  if (!isTyped(value) || !('type' in info) || value.constructor.name !== info.type || value.length !== info.length) return false;
  switch (info.enc) {
    case 'typed':
      return typedHolds(value, info.stored, bytes);
    case 'runs':
      return runsHold(value, view(bytes, 0, info.bytes / 4, 'Int32Array'));
    case 'sparse':
      return sparseHolds(value, info.fill, view(bytes, 0, info.count, 'Int32Array'), view(bytes, info.count * 4, info.count, 'Int32Array'));
    case 'steps':
      return stepsHold(value, info.first, view(bytes, 0, Math.max(0, info.length - 1), info.stored));
    default: {
      const stored = decodeColumn(bytes, info);
      return isTyped(stored) && stored.constructor === value.constructor && stored.length === value.length && Buffer.compare(bytesOf(stored), bytesOf(value)) === 0;
    }
  }
}

/**
 * `v` with every array in it copied item by item (plain objects copied too): V8's `map` (and a
 * structured clone) may make holey arrays, which v8.serialize writes in a longer form, so that a
 * packed column's bytes would depend on how its arrays were made.
 */
export function packedCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) out.push(packedCopy(x));
    return out;
  }
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = packedCopy(v[k]);
  return out;
}

/**
 * A `packed` column (v8-serialised, deflated): the value serialised as a writer would serialise
 * it (packedCopy) is the stored bytes inflated, so what it decodes to is what they decode to.
 * Inflating and serialising cost a fraction of deflating again at level 6 (a kernel's build
 * record: its files, absent paths and macro definitions, read by every patch, took the writer
 * some 40 ms to encode again).
 */
const packedHolds = (value: unknown[], deflated: Buffer): boolean => packedAgain(value, deflated) === true;

/**
 * packedHolds, or when the value does not hold the stored bytes, its serialisation (packedCopy),
 * which a writer deflates instead of serialising the value again (a patch that renumbers files
 * changes the build record's macro definitions).
 */
export function packedAgain(value: unknown[], deflated: Buffer): true | Buffer {
  const serialised = serialize(packedCopy(value));
  try {
    if (inflateRawSync(deflated).equals(serialised)) return true;
  } catch {
    // Stored bytes that do not inflate hold nothing: the value is written anew.
  }
  return serialised;
}

/** A `typed` column: the value's bytes as they are, or (narrowed) each value against the narrow one stored. */
function typedHolds(value: Typed, stored: TypedName, bytes: Buffer): boolean {
  if (stored === value.constructor.name) return bytes.length >= value.byteLength && Buffer.compare(bytesOf(value), bytes.subarray(0, value.byteLength)) === 0;
  const narrow = view(bytes, 0, value.length, stored);
  for (let i = 0; i < value.length; i++) if (value[i] !== narrow[i]) return false;
  return true;
}

/** A `runs` column: [value, end] pairs covering every row (ends rising, the last the row count). */
function runsHold(value: Typed, pairs: Typed): boolean {
  let i = 0;
  for (let k = 0; k + 1 < pairs.length; k += 2) {
    const v = pairs[k]!;
    const end = pairs[k + 1]!;
    if (end < i || end > value.length) return false;
    for (; i < end; i++) if (value[i] !== v) return false;
  }
  return i === value.length;
}

/** A `sparse` column: `fill` everywhere but at the positions `where`, which hold `what`. */
function sparseHolds(value: Typed, fill: number, where: Typed, what: Typed): boolean {
  let i = 0;
  for (let k = 0; k < where.length; k++) {
    const at = where[k]!;
    if (at < i || at >= value.length) return false;
    for (; i < at; i++) if (value[i] !== fill) return false;
    if (value[i++] !== what[k]) return false;
  }
  for (; i < value.length; i++) if (value[i] !== fill) return false;
  return true;
}

/** A `steps` column: `first`, then each value the one before plus its step, as decodeColumn sums them (in the value's own type). */
function stepsHold(value: Typed, first: number, steps: Typed): boolean {
  if (value.length === 0) return true;
  // Summed in an array of the value's type, as decoding stores each sum: the same wrapping at its bounds.
  const sum = new (value.constructor as new (n: number) => Typed)(1);
  sum[0] = first;
  if (value[0] !== sum[0]) return false;
  for (let i = 1; i < value.length; i++) {
    sum[0] = sum[0]! + steps[i - 1]!;
    if (value[i] !== sum[0]) return false;
  }
  return true;
}

/**
 * A `lines` column: the same number of strings, joined by newlines into the same UTF-8 bytes as
 * the stored text. The stored strings hold no newline, so equal bytes with as many items leave
 * none in the value's either: each string is the stored one.
 */
function linesHold(value: unknown[], info: Extract<ColumnInfo, { enc: 'lines' }>, bytes: Buffer): boolean {
  if (value.length !== info.length) return false;
  // Indexed, not for-of: a loop run once, unoptimised, would allocate an iterator result per item.
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  const text = info.steps ? info.length * TYPED[info.steps].BYTES_PER_ELEMENT : (info.length + 1) * 4;
  const stored = bytes.subarray(text, info.bytes);
  const ascii = asciiLinesHold(value as string[], stored);
  if (ascii !== null) return ascii;
  const joined = Buffer.from((value as string[]).join('\n'), 'utf8');
  return joined.length === stored.length && joined.equals(stored);
}

/**
 * linesHold for strings of ASCII characters: each string's characters against the stored bytes
 * where it lies, newlines between (no string joined or encoded: joining a kernel's 43,000 paths
 * and encoding them took the writer 25-45 ms, this some 8); null when a string has a character
 * past ASCII (its UTF-8 takes other bytes: the caller compares the encoded text).
 */
function asciiLinesHold(value: string[], stored: Buffer): boolean | null {
  let at = 0;
  for (let i = 0; i < value.length; i++) {
    const s = value[i]!;
    if (i > 0 && stored[at++] !== 10) return false;
    if (at + s.length > stored.length) return false;
    for (let c = 0; c < s.length; c++) {
      const x = s.charCodeAt(c);
      if (x >= 0x80) return null;
      if (stored[at + c] !== x) return false;
    }
    at += s.length;
  }
  return at === stored.length;
}
