import { deserialize, serialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { rememberBlocks, rememberUnread, textBlocks, unreadColumn } from './column-reuse.js';
import { LIST_ITEMS, type StringItems, TEXT_SLICES, type TextSlices } from '../util/text-slices.js';

/**
 * The columnar frame encoding of the graph cache: a value whose large parts (typed arrays, long
 * strings, long arrays of strings, long arrays of flat records) are written as raw columns after
 * a small v8-serialised skeleton. Loading reads the skeleton and leaves each column in the
 * frame's bytes until its property is first read (a getter), so a query pays only for what it
 * touches, and a typed array stored raw is a view on the frame's bytes, not a copy. Any other
 * value (and any field nobody here knows of) goes through v8 as it is: the encoding keeps every
 * field of the object it is given.
 *
 * Layout: COLUMNS_TAG, the skeleton's length (u32 LE), the skeleton (v8: `{ value, columns }`,
 * each column replaced in `value` by `{ [MARK]: i }`), padding to 8 bytes, then each column's
 * bytes at its `offset` (relative to the padded end of the skeleton), each at a multiple of 8.
 */
export const COLUMNS_TAG = Buffer.from('PFCL');

/** The key of a skeleton's placeholder object for column i. */
const MARK = '\u0000column';

/** Typed arrays smaller than this (in bytes), strings and arrays shorter than this, stay in the skeleton. */
const MIN_COLUMN = 4096;

type Typed = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
const TYPED = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array } as const;
type TypedName = keyof typeof TYPED;

/**
 * How one column is stored:
 * - `typed`: the array's bytes as they are (`type` its class), or narrowed (`stored`: an Int32Array
 *   whose values all fit a smaller integer type is stored as that type and widened when read);
 * - `runs`: an Int32Array as [value, count] pairs (Int32), when it has few runs (edge callers);
 * - `sparse`: an Int32Array or Uint8Array mostly equal to `fill`, as the positions (Int32) and
 *   values (Int32) of the others (evidence sets, deferred flags);
 * - `text`: a string, UTF-8;
 * - `chunks`: a long string (evidence texts) cut into blocks by content (column-reuse.ts
 *   blockEnds), each UTF-8 deflated alone (`starts`: each block's first character, `ends`: each
 *   block's end in bytes, `hashes`: each block's hash, by which writing the text again after an
 *   edit finds the unchanged blocks): the property gives the whole string, and a slice reader
 *   (util/text-slices.ts) reads a part by inflating only the blocks it spans;
 * - `lines`: an array of strings none of which holds a newline: the byte offset of each (Int32,
 *   one more than items), then the strings joined by newlines, UTF-8; an item reader
 *   (util/text-slices.ts LIST_ITEMS) decodes one string without the others;
 * - `records`: an array of objects with the same keys (`keys`), each value a number (Float64
 *   column) or a string (newline-joined column), per `kinds`.
 */
type ColumnInfo =
  | { enc: 'typed'; type: TypedName; stored: TypedName; offset: number; bytes: number; length: number }
  | { enc: 'runs'; type: TypedName; offset: number; bytes: number; length: number }
  | { enc: 'sparse'; type: TypedName; fill: number; offset: number; bytes: number; length: number; count: number }
  | { enc: 'text' | 'lines'; offset: number; bytes: number; length: number }
  | { enc: 'chunks'; offset: number; bytes: number; length: number; starts: number[]; ends: number[]; hashes?: string[] }
  | { enc: 'records'; keys: string[]; kinds: ('number' | 'string')[]; offset: number; bytes: number; length: number; parts: number[] };

const align8 = (n: number): number => (n + 7) & ~7;

/** Strings at least this long are stored in deflated blocks (`chunks`); shorter long ones as plain UTF-8 (`text`). */
const MIN_CHUNKED = 1 << 20;

const isTyped = (v: unknown): v is Typed => ArrayBuffer.isView(v) && !(v instanceof DataView) && (v.constructor.name as string) in TYPED;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

const bytesOf = (a: Typed): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The most frequent of the first 1024 values of `a`. */
function commonValue(a: Int32Array | Uint8Array): number {
  const seen = new Map<number, number>();
  for (let i = 0; i < Math.min(a.length, 1024); i++) seen.set(a[i]!, (seen.get(a[i]!) ?? 0) + 1);
  let fill = 0;
  let best = -1;
  for (const [v, n] of seen) if (n > best) [fill, best] = [v, n];
  return fill;
}

/**
 * What choosing an Int32Array column's encoding needs, in one pass: its runs of equal values, how
 * many values differ from `fill` (commonValue), and the smallest integer type holding every value
 * (null when only Int32 does).
 */
function surveyInts(a: Int32Array): { runs: number; fill: number; others: number; narrow: TypedName | null } {
  const fill = commonValue(a);
  let runs = a.length ? 1 : 0;
  let others = 0;
  let lo = 0;
  let hi = 0;
  let last = a.length ? a[0]! : 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v !== last) {
      runs++;
      last = v;
    }
    if (v !== fill) others++;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  let narrow: TypedName | null = null;
  if (lo >= 0 && hi <= 0xff) narrow = 'Uint8Array';
  else if (lo >= -0x80 && hi <= 0x7f) narrow = 'Int8Array';
  else if (lo >= 0 && hi <= 0xffff) narrow = 'Uint16Array';
  else if (lo >= -0x8000 && hi <= 0x7fff) narrow = 'Int16Array';
  return { runs, fill, others, narrow };
}

/** How many values of `a` differ from `fill`, counted up to `enough` (past it, the count is only known to exceed it). */
function countOthers(a: Uint8Array, fill: number, enough: number): number {
  let others = 0;
  for (let i = 0; i < a.length && others <= enough; i++) if (a[i] !== fill) others++;
  return others;
}

/** How a Uint8Array or Int32Array column is best stored: runs, sparse, narrowed, or as it is (see ColumnInfo). */
function bestEncoding(a: Int32Array | Uint8Array): { enc: 'runs' | 'sparse' | 'typed'; runs: number; fill: number; others: number; narrow: TypedName | null } {
  if (a instanceof Uint8Array) {
    const fill = commonValue(a);
    // Sparse pays 8 bytes per other value: worth it below one in eight.
    const others = countOthers(a, fill, a.length >> 3);
    return { enc: others * 8 < a.length ? 'sparse' : 'typed', runs: 0, fill, others, narrow: null };
  }
  const { runs, fill, others, narrow } = surveyInts(a);
  const sizes = { runs: runs * 8, sparse: others * 8, typed: narrow ? a.length * TYPED[narrow].BYTES_PER_ELEMENT : a.byteLength };
  if (sizes.runs < sizes.typed && sizes.runs <= sizes.sparse) return { enc: 'runs', runs, fill, others, narrow };
  return { enc: sizes.sparse < sizes.typed ? 'sparse' : 'typed', runs, fill, others, narrow };
}

/** True for an array worth a `lines` column. */
const isLines = (v: unknown[]): v is string[] => v.length >= MIN_COLUMN && v.every((s) => typeof s === 'string' && !s.includes('\n'));

/** The keys and value kinds of an array worth a `records` column, or null. */
function recordShape(v: unknown[]): { keys: string[]; kinds: ('number' | 'string')[] } | null {
  if (v.length < MIN_COLUMN || !isPlain(v[0])) return null;
  const keys = Object.keys(v[0]);
  const kinds = keys.map((k) => typeof (v[0] as Record<string, unknown>)[k]);
  if (keys.length === 0 || kinds.some((k) => k !== 'number' && k !== 'string')) return null;
  for (const r of v) {
    if (!isPlain(r)) return null;
    const rk = Object.keys(r);
    if (rk.length !== keys.length) return null;
    for (let j = 0; j < keys.length; j++) {
      const x = r[keys[j]!];
      if (rk[j] !== keys[j] || typeof x !== kinds[j] || (typeof x === 'string' && x.includes('\n'))) return null;
    }
  }
  return { keys, kinds: kinds as ('number' | 'string')[] };
}

/** Encodes `value` as a columnar frame (see the module comment). */
export const encodeColumns = (value: unknown): Buffer => Buffer.concat(encodeColumnParts(value));

/** encodeColumns as the pieces whose concatenation is the frame, so that a writer writes them without joining them first. */
export function encodeColumnParts(value: unknown): Buffer[] {
  const columns: ColumnInfo[] = [];
  const data: Buffer[] = [];
  let at = 0;
  const put = (parts: Buffer[]): { offset: number; bytes: number } => {
    const offset = at;
    let bytes = 0;
    for (const p of parts) {
      data.push(p);
      bytes += p.length;
    }
    const pad = align8(bytes) - bytes;
    if (pad) data.push(Buffer.alloc(pad));
    at += bytes + pad;
    return { offset, bytes };
  };
  const column = (info: ColumnInfo): Record<string, number> => {
    columns.push(info);
    return { [MARK]: columns.length - 1 };
  };
  const typedColumn = (a: Typed): Record<string, number> => {
    const type = a.constructor.name as TypedName;
    if (a instanceof Int32Array || a instanceof Uint8Array) {
      const { enc, runs, fill, others, narrow } = bestEncoding(a);
      if (enc === 'runs') {
        const pairs = new Int32Array(runs * 2);
        let k = -2;
        for (let i = 0; i < a.length; i++) {
          if (i === 0 || a[i] !== a[i - 1]) pairs[(k += 2)] = a[i]!;
          pairs[k + 1]!++;
        }
        return column({ enc: 'runs', type, length: a.length, ...put([bytesOf(pairs)]) });
      }
      if (enc === 'sparse') {
        const where = new Int32Array(others);
        const what = new Int32Array(others);
        let k = 0;
        for (let i = 0; i < a.length; i++) {
          if (a[i] === fill) continue;
          where[k] = i;
          what[k++] = a[i]!;
        }
        return column({ enc: 'sparse', type, fill, length: a.length, count: others, ...put([bytesOf(where), bytesOf(what)]) });
      }
      if (narrow) {
        // set() converts natively; every value fits (bestEncoding).
        const stored = new TYPED[narrow](a.length);
        stored.set(a);
        return column({ enc: 'typed', type, stored: narrow, length: a.length, ...put([bytesOf(stored)]) });
      }
    }
    return column({ enc: 'typed', type, stored: type, length: a.length, ...put([bytesOf(a)]) });
  };
  const walk = (v: unknown): unknown => {
    if (isTyped(v)) return v.byteLength >= MIN_COLUMN ? typedColumn(v) : v;
    if (typeof v === 'string' && v.length >= MIN_CHUNKED) {
      const { starts, hashes, blocks } = textBlocks(v);
      let bytes = 0;
      const ends = blocks.map((b) => (bytes += b.length));
      return column({ enc: 'chunks', length: v.length, starts, ends, hashes, ...put(blocks) });
    }
    if (typeof v === 'string') return v.length >= MIN_COLUMN * 16 ? column({ enc: 'text', length: v.length, ...put([Buffer.from(v, 'utf8')]) }) : v;
    if (Array.isArray(v)) {
      if (isLines(v)) {
        const offsets = new Int32Array(v.length + 1);
        v.forEach((x, i) => {
          offsets[i + 1] = offsets[i]! + Buffer.byteLength(x, 'utf8') + 1;
        });
        return column({ enc: 'lines', length: v.length, ...put([bytesOf(offsets), Buffer.from(v.join('\n'), 'utf8')]) });
      }
      const shape = recordShape(v);
      if (shape) {
        const parts = shape.keys.map((k, j) => {
          const values = v.map((r) => (r as Record<string, unknown>)[k]);
          return shape.kinds[j] === 'number' ? bytesOf(Float64Array.from(values as number[])) : Buffer.from((values as string[]).join('\n'), 'utf8');
        });
        // Each part padded to 8 bytes, so that every Float64 part is aligned.
        const padded = parts.flatMap((p) => (align8(p.length) > p.length ? [p, Buffer.alloc(align8(p.length) - p.length)] : [p]));
        return column({ enc: 'records', ...shape, length: v.length, parts: parts.map((p) => p.length), ...put(padded) });
      }
      return v.map(walk);
    }
    if (isPlain(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        // A column nobody has read since its frame was decoded is copied as stored, not decoded and encoded again.
        const stored = unreadColumn(v, k);
        out[k] = stored ? column({ ...stored.info, ...put([stored.bytes]) } as ColumnInfo) : walk(v[k]);
      }
      return out;
    }
    return v;
  };
  const skeleton = serialize({ value: walk(value), columns });
  const head = Buffer.alloc(8);
  COLUMNS_TAG.copy(head, 0);
  head.writeUInt32LE(skeleton.length, 4);
  const pad = align8(8 + skeleton.length) - (8 + skeleton.length);
  return [head, skeleton, Buffer.alloc(pad), ...data];
}

/** True when `bytes` is a columnar frame (else a plain v8-serialised one). */
export const isColumnar = (bytes: Buffer): boolean => bytes.length >= 8 && bytes.subarray(0, 4).equals(COLUMNS_TAG);

/** A view of `bytes` as a typed array of `type`, copied when not aligned for it. */
function view(bytes: Buffer, offset: number, length: number, type: TypedName): Typed {
  const T = TYPED[type];
  const at = bytes.byteOffset + offset;
  if (at % T.BYTES_PER_ELEMENT === 0) return new T(bytes.buffer as ArrayBuffer, at, length);
  const copy = new T(length);
  new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + length * T.BYTES_PER_ELEMENT));
  return copy;
}

/** Decodes column `c` whose bytes start at `base` in `bytes`. */
function decodeColumn(bytes: Buffer, base: number, c: ColumnInfo): unknown {
  const at = base + c.offset;
  switch (c.enc) {
    case 'typed': {
      const stored = view(bytes, at, c.length, c.stored);
      if (c.stored === c.type) return stored;
      const wide = new TYPED[c.type](c.length);
      wide.set(stored);
      return wide;
    }
    case 'runs': {
      const pairs = view(bytes, at, c.bytes / 4, 'Int32Array');
      const out = new TYPED[c.type](c.length);
      for (let k = 0, i = 0; k < pairs.length; k += 2) {
        const v = pairs[k]!;
        for (const end = i + pairs[k + 1]!; i < end; i++) out[i] = v;
      }
      return out;
    }
    case 'sparse': {
      const where = view(bytes, at, c.count, 'Int32Array');
      const what = view(bytes, at + c.count * 4, c.count, 'Int32Array');
      const out = new TYPED[c.type](c.length).fill(c.fill);
      for (let k = 0; k < where.length; k++) out[where[k]!] = what[k]!;
      return out;
    }
    case 'text':
      return bytes.toString('utf8', at, at + c.bytes);
    case 'chunks':
      return c.starts.map((_, b) => blockText(bytes, at, c, b)).join('');
    case 'lines': {
      const text = at + (c.length + 1) * 4;
      return c.length === 0 ? [] : bytes.toString('utf8', text, at + c.bytes).split('\n');
    }
    case 'records': {
      let from = at;
      const cols = c.parts.map((size, j) => {
        const part = c.kinds[j] === 'number' ? view(bytes, from, size / 8, 'Float64Array') : bytes.toString('utf8', from, from + size).split('\n');
        from += align8(size);
        return part;
      });
      const out = new Array<Record<string, unknown>>(c.length);
      for (let i = 0; i < c.length; i++) {
        const r: Record<string, unknown> = {};
        for (let j = 0; j < c.keys.length; j++) r[c.keys[j]!] = cols[j]![i];
        out[i] = r;
      }
      return out;
    }
  }
}

/** An item reader of a `lines` column at `at` holding `length` strings; `all` reads the property (the whole array). */
function lineItems(bytes: Buffer, at: number, length: number, all: () => string[]): StringItems {
  const offsets = view(bytes, at, length + 1, 'Int32Array');
  const text = at + (length + 1) * 4;
  return { length, at: (i) => bytes.toString('utf8', text + offsets[i]!, text + offsets[i + 1]! - 1), all };
}

/** Block b of a `chunks` column, inflated. */
function blockText(bytes: Buffer, at: number, c: Extract<ColumnInfo, { enc: 'chunks' }>, b: number): string {
  const from = at + (b === 0 ? 0 : c.ends[b - 1]!);
  return inflateRawSync(bytes.subarray(from, at + c.ends[b]!)).toString('utf8');
}

/** A reader of slices of a `chunks` column that inflates only the blocks a slice spans (each once). */
function chunkSlicer(bytes: Buffer, at: number, c: Extract<ColumnInfo, { enc: 'chunks' }>): (from: number, to: number) => string {
  const done = new Map<number, string>();
  const block = (b: number): string => {
    let text = done.get(b);
    if (text === undefined) done.set(b, (text = blockText(bytes, at, c, b)));
    return text;
  };
  // The block holding character i: the last whose start is at most i.
  const blockOf = (i: number): number => {
    let lo = 0;
    let hi = c.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (c.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return (from, to) => {
    from = Math.max(0, Math.min(from, c.length));
    to = Math.max(from, Math.min(to, c.length));
    if (from === to) return '';
    const first = blockOf(from);
    const last = blockOf(to - 1);
    let text = '';
    for (let b = first; b <= last; b++) text += block(b);
    return text.slice(from - c.starts[first]!, to - c.starts[first]!);
  };
}

const isMark = (v: unknown): v is Record<string, number> => isPlain(v) && typeof v[MARK] === 'number';

/**
 * Decodes a columnar frame. Each column inside an object becomes a property decoded when first
 * read (and assignable as usual); a column that is the whole value or an array item is decoded
 * at once. Throws when the bytes do not decode.
 */
export function decodeColumns<T>(bytes: Buffer): T {
  if (!isColumnar(bytes)) throw new Error('not a columnar frame');
  const length = bytes.readUInt32LE(4);
  const { value, columns } = deserialize(bytes.subarray(8, 8 + length)) as { value: unknown; columns: ColumnInfo[] };
  const base = align8(8 + length);
  const last = columns.reduce((end, c) => Math.max(end, base + c.offset + c.bytes), base);
  if (last > bytes.length) throw new Error('columnar frame truncated');
  const read = (i: number): unknown => decodeColumn(bytes, base, columns[i]!);
  const lazy = (owner: Record<string, unknown>, key: string, i: number): void => {
    // Once the property holds a whole value (read or assigned), it is a plain property: a slice
    // reader registered for it would not see later assignments, so it is dropped (slices then come from the value).
    const settle = (v: unknown): void => {
      delete (owner as { [TEXT_SLICES]?: TextSlices })[TEXT_SLICES]?.[key];
      delete (owner as { [LIST_ITEMS]?: Record<string, StringItems> })[LIST_ITEMS]?.[key];
      Object.defineProperty(owner, key, { value: v, writable: true, enumerable: true, configurable: true });
    };
    const get = (): unknown => {
      const v = read(i);
      settle(v);
      return v;
    };
    const c = columns[i]!;
    rememberUnread(get, { info: c, bytes: bytes.subarray(base + c.offset, base + c.offset + c.bytes) });
    Object.defineProperty(owner, key, { enumerable: true, configurable: true, get, set: settle });
  };
  const walk = (v: unknown): unknown => {
    if (isMark(v)) return read(v[MARK]!);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (isPlain(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (isMark(x)) {
          const c = columns[x[MARK]!]!;
          lazy(v, k, x[MARK]!);
          if (c.enc === 'lines') {
            const owner = v as { [LIST_ITEMS]?: Record<string, StringItems> };
            if (!owner[LIST_ITEMS]) Object.defineProperty(owner, LIST_ITEMS, { value: {}, enumerable: false });
            owner[LIST_ITEMS]![k] = lineItems(bytes, base + c.offset, c.length, () => v[k] as string[]);
          }
          if (c.enc === 'chunks') {
            rememberBlocks(bytes, base + c.offset, c.ends, c.hashes);
            const owner = v as { [TEXT_SLICES]?: TextSlices };
            if (!owner[TEXT_SLICES]) Object.defineProperty(owner, TEXT_SLICES, { value: {}, enumerable: false });
            owner[TEXT_SLICES]![k] = chunkSlicer(bytes, base + c.offset, c);
          }
        } else walk(x);
      }
    }
    return v;
  };
  return walk(value) as T;
}
