import { deserialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { rememberBlocks, rememberRead, rememberUnread, type StoredColumn } from './column-reuse.js';
import type { FilePlace } from './file-span.js';
import { type EncodingHint, hintOf, rememberHints } from './column-hints.js';
import { blockReader, blockValues, lineItemReader, linesTextStart, runRows, stepsRows, typedRows } from './column-rows.js';
import { STEP_ANCHOR_EVERY } from './column-encoding.js';
import { align8, type ColumnInfo, COLUMNS_TAG, isPlain, MARK, type StepType, type Typed, TYPED, type TypedName } from './column-format.js';
import { NARROW_VIEWS, type NarrowInts, type NarrowViews } from '../util/narrow-views.js';
import { ROW_READS, type RowReads, upperBound } from '../util/row-reads.js';
import { LIST_ITEMS, type StringItems, TEXT_SLICES, type TextSlices } from '../util/text-slices.js';

/** Reading a columnar frame (column-format.ts): each column is decoded when its property is first read. */

/** True when `bytes` is a columnar frame (else a plain v8-serialised one). */
export const isColumnar = (bytes: Buffer): boolean => bytes.length >= 8 && bytes.subarray(0, 4).equals(COLUMNS_TAG);

/** A view of `bytes` as a typed array of `type`, copied when not aligned for it. */
export function view(bytes: Buffer, offset: number, length: number, type: TypedName): Typed {
  const T = TYPED[type];
  const at = bytes.byteOffset + offset;
  if (at % T.BYTES_PER_ELEMENT === 0) return new T(bytes.buffer as ArrayBuffer, at, length);
  const copy = new T(length);
  new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + length * T.BYTES_PER_ELEMENT));
  return copy;
}

/**
 * A zeroed typed array of `type` in shared memory: a column decoded into new memory (widened, runs,
 * sparse, steps) can then be handed to the worker thread that writes a patched graph
 * (write-behind.ts) without a copy, as columns viewed on the frame's bytes (FrameFile.range) are.
 */
function sharedTyped(type: TypedName, length: number): Typed {
  const T = TYPED[type];
  return new (T as new (buffer: SharedArrayBuffer) => Typed)(new SharedArrayBuffer(length * T.BYTES_PER_ELEMENT));
}

/** `length` values of `type`: `first`, then each the one before plus the next of the `steps` (ColumnInfo `steps`). */
function summed(type: TypedName, length: number, first: number, steps: Typed): Typed {
  const out = sharedTyped(type, length);
  if (length === 0) return out;
  let v = (out[0] = first);
  for (let i = 1; i < length; i++) out[i] = v += steps[i - 1]!;
  return out;
}

/** Where the text of a `lines` column of `length` items starts in its bytes, with the byte offset of each string in that text (Int32, one more than items) when `offsets` is asked for. */
function lineOffsets(bytes: Buffer, length: number, steps: StepType | undefined, offsets: boolean): { offsets?: Int32Array; text: number } {
  if (!steps) return { text: (length + 1) * 4, ...(offsets ? { offsets: view(bytes, 0, length + 1, 'Int32Array') as Int32Array } : {}) };
  return { text: length * TYPED[steps].BYTES_PER_ELEMENT, ...(offsets ? { offsets: summed('Int32Array', length + 1, 0, view(bytes, 0, length, steps)) as Int32Array } : {}) };
}

/**
 * Where a columnar frame's bytes come from: `range(offset, length)` gives `length` bytes from
 * `offset` in the frame (a view of a frame held in memory, or a buffer of their own read from the
 * cache file: FrameFile.value), so that a column is read only when it is decoded. Throws when the
 * frame has no such bytes.
 */
export interface FrameBytes {
  /** The frame's length in bytes. */
  size: number;
  range(offset: number, length: number): Buffer;
  /** Fills `into` with the bytes from `offset` (absent for a frame held in memory: range then). */
  readInto?(offset: number, into: Uint8Array): void;
  /** Where the byte at `offset` lies in the file the frame is read from (absent for a frame held in memory). */
  place?(offset: number): FilePlace;
}

/** FrameBytes over a frame held whole in memory. */
export const frameInMemory = (bytes: Buffer): FrameBytes => ({ size: bytes.length, range: (offset, length) => bytes.subarray(offset, offset + length) });

/** Decodes column `c` from `bytes`, its bytes as stored (also used by columns.ts to tell whether a column read still holds what it was decoded to). */
export function decodeColumn(bytes: Buffer, c: ColumnInfo): unknown {
  switch (c.enc) {
    case 'typed': {
      const stored = view(bytes, 0, c.length, c.stored);
      if (c.stored === c.type) return stored;
      const wide = sharedTyped(c.type, c.length);
      wide.set(stored);
      return wide;
    }
    case 'runs': {
      const pairs = view(bytes, 0, c.bytes / 4, 'Int32Array');
      const out = sharedTyped(c.type, c.length);
      for (let k = 0, i = 0; k < pairs.length; k += 2) {
        const v = pairs[k]!;
        for (const end = pairs[k + 1]!; i < end; i++) out[i] = v;
      }
      return out;
    }
    case 'sparse': {
      const where = view(bytes, 0, c.count, 'Int32Array');
      const what = view(bytes, c.count * 4, c.count, 'Int32Array');
      const out = sharedTyped(c.type, c.length).fill(c.fill);
      for (let k = 0; k < where.length; k++) out[where[k]!] = what[k]!;
      return out;
    }
    case 'steps':
      return summed(c.type, c.length, c.first, view(bytes, 0, Math.max(0, c.length - 1), c.stored));
    case 'text':
      return bytes.toString('utf8', 0, c.bytes);
    case 'chunks':
      return c.starts.map((_, b) => inflateRawSync(bytes.subarray(b === 0 ? 0 : c.ends[b - 1]!, c.ends[b]!)).toString('utf8')).join('');
    case 'lines': {
      const { text } = lineOffsets(bytes, c.length, c.steps, false);
      return c.length === 0 ? [] : bytes.toString('utf8', text, c.bytes).split('\n');
    }
    case 'packed':
      return deserialize(inflateRawSync(bytes.subarray(0, c.bytes)));
    case 'records': {
      let from = 0;
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

/**
 * An item reader of the `lines` column `c` with the items `appended` after it: an item is read
 * from the column's offsets (read by `part` when an item is first asked for) and the block of
 * text holding it (column-rows.ts), until many are asked for: then from `bytes()`, the column's
 * bytes; `all` reads the property (the whole array).
 */
function lineItems(bytes: () => Buffer, part: (offset: number, length: number) => Buffer, c: Extract<ColumnInfo, { enc: 'lines' }>, all: () => string[], appended: string[]): StringItems {
  let table: { offsets: Int32Array; text: number } | null = null;
  const block = blockReader(part, c.bytes);
  const item = lineItemReader(block, bytes);
  const text = linesTextStart(c.length, c.steps);
  // With anchors: an item's offset is its anchor plus the steps after it, the first few hundred items asked (column-rows.ts stepsRows).
  const offsetAt = c.steps && c.anchors ? stepsRows(part, text, c.steps, c.anchors, STEP_ANCHOR_EVERY, c.length + 1, () => lineOffsets(part(0, text), c.length, c.steps, true).offsets!) : null;
  const stepAt = c.steps ? blockValues(part, text, c.steps) : null;
  return {
    get length() {
      return c.length + appended.length;
    },
    at: (i) => {
      if (i >= c.length) return appended[i - c.length]!;
      if (!table && offsetAt) {
        const from = offsetAt.at(i);
        return item(text + from, text + from + stepAt!(i) - 1);
      }
      table ??= lineOffsets(part(0, text), c.length, c.steps, true) as { offsets: Int32Array; text: number };
      return item(text + table.offsets[i]!, text + table.offsets[i + 1]! - 1);
    },
    all,
    append: (item) => {
      appended.push(item);
    },
  };
}

/** A reader of slices of the `chunks` column `c` that reads and inflates only the blocks a slice spans (each once): `block(from, to)` gives the column's bytes from..to. */
function chunkSlicer(block: (from: number, to: number) => Buffer, c: Extract<ColumnInfo, { enc: 'chunks' }>): (from: number, to: number) => string {
  const done = new Map<number, string>();
  const text = (b: number): string => {
    let t = done.get(b);
    if (t === undefined) done.set(b, (t = inflateRawSync(block(b === 0 ? 0 : c.ends[b - 1]!, c.ends[b]!)).toString('utf8')));
    return t;
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
    let out = '';
    for (let b = first; b <= last; b++) out += text(b);
    return out.slice(from - c.starts[first]!, to - c.starts[first]!);
  };
}

/** Rows of the `sparse` column `c` one at a time (a binary search of its positions), its bytes read by `bytes` when a row is first asked for. */
function sparseRows(bytes: () => Buffer, c: Extract<ColumnInfo, { enc: 'sparse' }>): RowReads {
  let read: { where: Typed; what: Typed } | null = null;
  const entries = (): { where: Typed; what: Typed } => {
    if (!read) {
      const b = bytes();
      read = { where: view(b, 0, c.count, 'Int32Array'), what: view(b, c.count * 4, c.count, 'Int32Array') };
    }
    return read;
  };
  return {
    at: (i) => {
      const { where, what } = entries();
      const k = upperBound(where, i) - 1;
      return k >= 0 && where[k] === i ? what[k]! : c.fill;
    },
    length: c.length,
    // A range of rows: the fill, then the entries within it (a window of a kernel's deferred marks, never the column decoded whole).
    copy: (out, from, to, at) => {
      const { where, what } = entries();
      out.fill(c.fill, at, at + to - from);
      for (let k = upperBound(where, from - 1); k < where.length && where[k]! < to; k++) out[at + where[k]! - from] = what[k]!;
    },
  };
}

const isMark = (v: unknown): v is Record<string, number> => isPlain(v) && typeof v[MARK] === 'number';

/**
 * Decodes a columnar frame. Each column inside an object becomes a property decoded when first
 * read (and assignable as usual); a column that is the whole value or an array item is decoded
 * at once. Throws when the bytes do not decode.
 */
export const decodeColumns = <T>(bytes: Buffer): T => decodeColumnsFrom<T>(frameInMemory(bytes));

/**
 * decodeColumns over a frame whose bytes are read as they are needed (`frame`): its skeleton at
 * once, each column when it is decoded (or, for an item or slice reader, when one is first read).
 * Throws when the skeleton does not decode or a column lies past the frame's end.
 */
export function decodeColumnsFrom<T>(frame: FrameBytes): T {
  const head = frame.size >= 8 ? frame.range(0, 8) : Buffer.alloc(0);
  if (!isColumnar(head)) throw new Error('not a columnar frame');
  const length = head.readUInt32LE(4);
  if (8 + length > frame.size) throw new Error('columnar frame truncated');
  const { value, columns } = deserialize(frame.range(8, length)) as { value: unknown; columns: ColumnInfo[] };
  const base = align8(8 + length);
  const last = columns.reduce((end, c) => Math.max(end, base + c.offset + c.bytes), base);
  if (last > frame.size) throw new Error('columnar frame truncated');
  const stored = (i: number): Buffer => frame.range(base + columns[i]!.offset, columns[i]!.bytes);
  // A few bytes for a reader of rows (a block of a column), in memory of their own: shared memory, which only
  // bytes handed to a writer's thread need, cost some 11 us per block to make (a patch reads thousands of rows).
  const unshared = (offset: number, length: number): Buffer => {
    if (!frame.readInto) return frame.range(offset, length);
    const bytes = Buffer.allocUnsafeSlow(length);
    frame.readInto(offset, bytes);
    return bytes;
  };
  // Bytes of column c from `offset`, for its row readers.
  const partOf = (c: ColumnInfo) => (offset: number, length: number): Buffer => unshared(base + c.offset + offset, length);
  const read = (i: number): unknown => decodeColumn(stored(i), columns[i]!);
  const lazy = (owner: Record<string, unknown>, key: string, i: number, read: (i: number) => unknown, appended?: string[]): void => {
    // Once the property holds a whole value (read or assigned), it is a plain property: a slice
    // reader registered for it would not see later assignments, so it is dropped (slices then come from the value).
    const settle = (on: object, v: unknown): void => {
      delete (on as { [TEXT_SLICES]?: TextSlices })[TEXT_SLICES]?.[key];
      delete (on as { [LIST_ITEMS]?: Record<string, StringItems> })[LIST_ITEMS]?.[key];
      delete (on as { [NARROW_VIEWS]?: NarrowViews })[NARROW_VIEWS]?.[key];
      delete (on as { [ROW_READS]?: Record<string, RowReads> })[ROW_READS]?.[key];
      Object.defineProperty(on, key, { value: v, writable: true, enumerable: true, configurable: true });
    };
    const column: StoredColumn = {
      info: columns[i]!,
      get bytes() {
        return stored(i);
      },
      ...(frame.place ? { place: frame.place(base + columns[i]!.offset) } : {}),
      ...(appended ? { appended } : {}),
    };
    // The owner and every copy carrying this getter (util/text-slices.ts withFields) share one decode.
    let decoded: { value: unknown } | null = null;
    function get(this: object | undefined): unknown {
      const on = this ?? owner;
      decoded ??= { value: read(i) };
      settle(on, decoded.value);
      // A writer copies the column as stored while it holds the same values (column-reuse.ts readColumn).
      rememberRead(on, key, decoded.value, column);
      return decoded.value;
    }
    function set(this: object | undefined, v: unknown): void {
      settle(this ?? owner, v);
    }
    rememberUnread(get, column);
    Object.defineProperty(owner, key, { enumerable: true, configurable: true, get, set });
  };
  // How each column of an object was stored, by its path from the value down (keys joined by '.', none through an array): a writer stores a new value of it the same way (column-hints.ts).
  const hints: Record<string, EncodingHint> = {};
  // The skeleton holds tens of thousands of small objects and strings (a kernel's build record):
  // primitives return at once, and each object is looked at once, its keys without entry pairs.
  const walk = (v: unknown, path: string | null): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x === 'object' && x !== null) v[i] = isMark(x) ? read(x[MARK]!) : walk(x, null);
      }
      return v;
    }
    if (isMark(v)) return read(v[MARK]!);
    if (isPlain(v)) {
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (typeof x !== 'object' || x === null) continue;
        if (!isMark(x)) {
          walk(x, path === null ? null : `${path}${k}.`);
          continue;
        }
        const i = x[MARK]!;
        const c = columns[i]!;
        const hint = path === null ? undefined : hintOf(c);
        if (hint) hints[`${path}${k}`] = hint;
        if (c.enc === 'lines') {
          // The item reader and the whole array share one read of the column's bytes.
          let held: Buffer | null = null;
          const bytes = (): Buffer => (held ??= stored(i));
          // Items appended before the array is decoded (StringItems.append): the writer adds them to the column as stored.
          const appended: string[] = [];
          lazy(
            v,
            k,
            i,
            () => {
              const items = decodeColumn(bytes(), c) as string[];
              for (const x of appended) items.push(x);
              return items;
            },
            appended,
          );
          const owner = v as { [LIST_ITEMS]?: Record<string, StringItems> };
          if (!owner[LIST_ITEMS]) Object.defineProperty(owner, LIST_ITEMS, { value: {}, enumerable: false });
          owner[LIST_ITEMS]![k] = lineItems(bytes, (offset, length) => frame.range(base + c.offset + offset, length), c, () => v[k] as string[], appended);
          continue;
        }
        lazy(v, k, i, read);
        if (c.enc === 'typed' && c.stored !== c.type && c.type === 'Int32Array') {
          // The values as stored (8 or 16 bits), for readers that need not widen them (util/narrow-views.ts).
          const owner = v as { [NARROW_VIEWS]?: NarrowViews };
          if (!owner[NARROW_VIEWS]) Object.defineProperty(owner, NARROW_VIEWS, { value: {}, enumerable: false });
          owner[NARROW_VIEWS]![k] = () => view(stored(i), 0, c.length, c.stored) as NarrowInts;
        }
        if (c.enc === 'sparse' || c.enc === 'runs' || c.enc === 'typed' || (c.enc === 'steps' && c.anchors)) {
          const owner = v as { [ROW_READS]?: Record<string, RowReads> };
          if (!owner[ROW_READS]) Object.defineProperty(owner, ROW_READS, { value: {}, enumerable: false });
          owner[ROW_READS]![k] =
            c.enc === 'steps'
              ? stepsRows(partOf(c), c.bytes, c.stored, c.anchors!, STEP_ANCHOR_EVERY, c.length, () => read(i) as Typed)
              : c.enc === 'sparse' ? sparseRows(() => stored(i), c) : c.enc === 'runs' ? runRows(partOf(c), c.bytes, () => view(stored(i), 0, c.bytes / 4, 'Int32Array') as Int32Array) : typedRows(partOf(c), c.bytes, c.stored, c.length, () => view(stored(i), 0, c.length, c.stored), frame.readInto && ((offset, into) => frame.readInto!(base + c.offset + offset, into)), c.enc === 'typed' && c.stored !== c.type && c.type === 'Int32Array');
        }
        if (c.enc === 'chunks') {
          const at = base + c.offset;
          const block = (from: number, to: number): Buffer => frame.range(at + from, to - from);
          rememberBlocks(block, c.ends, c.hashes);
          const owner = v as { [TEXT_SLICES]?: TextSlices };
          if (!owner[TEXT_SLICES]) Object.defineProperty(owner, TEXT_SLICES, { value: {}, enumerable: false });
          owner[TEXT_SLICES]![k] = chunkSlicer(block, c);
        }
      }
    }
    return v;
  };
  const decoded = walk(value, '');
  if (isPlain(decoded)) rememberHints(decoded, hints);
  return decoded as T;
}
