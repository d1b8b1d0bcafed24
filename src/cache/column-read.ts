import { deserialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { rememberBlocks, rememberUnread } from './column-reuse.js';
import { align8, type ColumnInfo, COLUMNS_TAG, isPlain, MARK, type StepType, type Typed, TYPED, type TypedName } from './column-format.js';
import { LIST_ITEMS, type StringItems, TEXT_SLICES, type TextSlices } from '../util/text-slices.js';

/** Reading a columnar frame (column-format.ts): each column is decoded when its property is first read. */

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

/** `length` values of `type`: `first`, then each the one before plus the next of the `steps` (ColumnInfo `steps`). */
function summed(type: TypedName, length: number, first: number, steps: Typed): Typed {
  const out = new TYPED[type](length);
  if (length === 0) return out;
  let v = (out[0] = first);
  for (let i = 1; i < length; i++) out[i] = v += steps[i - 1]!;
  return out;
}

/** The byte offsets of the strings of a `lines` column of `length` items at `at` (Int32, one more than items), and where its text starts. */
function lineOffsets(bytes: Buffer, at: number, length: number, steps: StepType | undefined): { offsets: Int32Array; text: number } {
  if (!steps) return { offsets: view(bytes, at, length + 1, 'Int32Array') as Int32Array, text: at + (length + 1) * 4 };
  return { offsets: summed('Int32Array', length + 1, 0, view(bytes, at, length, steps)) as Int32Array, text: at + length * TYPED[steps].BYTES_PER_ELEMENT };
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
    case 'steps':
      return summed(c.type, c.length, c.first, view(bytes, at, Math.max(0, c.length - 1), c.stored));
    case 'text':
      return bytes.toString('utf8', at, at + c.bytes);
    case 'chunks':
      return c.starts.map((_, b) => blockText(bytes, at, c, b)).join('');
    case 'lines': {
      const text = at + (c.steps ? c.length * TYPED[c.steps].BYTES_PER_ELEMENT : (c.length + 1) * 4);
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

/** An item reader of a `lines` column at `at` holding `length` strings (offsets stored as `steps` when given); `all` reads the property (the whole array). */
function lineItems(bytes: Buffer, at: number, length: number, steps: StepType | undefined, all: () => string[]): StringItems {
  let read: { offsets: Int32Array; text: number } | null = null;
  return {
    length,
    at: (i) => {
      const { offsets, text } = (read ??= lineOffsets(bytes, at, length, steps));
      return bytes.toString('utf8', text + offsets[i]!, text + offsets[i + 1]! - 1);
    },
    all,
  };
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
            owner[LIST_ITEMS]![k] = lineItems(bytes, base + c.offset, c.length, c.steps, () => v[k] as string[]);
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
