import { serialize } from 'node:v8';
import { deflateRawSync } from 'node:zlib';
import { decodeColumn } from './column-read.js';
import { asciiTextBlocks, readColumn, type StoredColumn, textBlocks, unreadColumn } from './column-reuse.js';
import { align8, type ColumnInfo, COLUMNS_TAG, isPlain, isTyped, MARK, MIN_PACKED, type StepType, type Typed, TYPED, type TypedName } from './column-format.js';
import { encodeHinted, type EncodingHint } from './column-hints.js';
import { FileSpan, type FilePlace, SpanFiles } from './file-span.js';
import { HANDED, handedBytes, handOver, isHanded, isNarrowedColumn, MIN_CHUNKED, MIN_COLUMN, NARROWED, type NarrowedColumn, paddedParts, recordParts, recordShape } from './column-handoff.js';
import { heldNarrow, type NarrowInts } from '../util/narrow-views.js';
import { anchored, bestEncoding, risingSteps, runPairs, STEP_ANCHOR_EVERY, stepAnchors, stepsOf } from './column-encoding.js';
import { linesTextStart } from './column-rows.js';
import { holdsStored, packedAgain, packedCopy } from './column-compare.js';

/**
 * Writing the columnar frame of the graph cache (column-format.ts describes it; column-read.ts
 * reads it).
 */
export { decodeColumns, decodeColumnsFrom, isColumnar } from './column-read.js';
export { COLUMNS_TAG } from './column-format.js';

const bytesOf = (a: Typed): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** True for an array worth a `lines` column. */
const isLines = (v: unknown[]): v is string[] => v.length >= MIN_COLUMN && v.every((s) => typeof s === 'string' && !s.includes('\n'));

/** The key marking a column detachedForWriting found unread (its stored description and bytes). */
const DETACHED = '\u0000stored';

/** A column left as stored, in a value made by detachedForWriting. */
interface DetachedColumn {
  [DETACHED]: true;
  info: StoredColumn['info'];
  /** Its bytes as stored, or (`place`) where they lie in the cache file, for the writer to read them there (file-span.ts). */
  bytes?: Uint8Array;
  place?: FilePlace;
  /** The value the column was read as, when it may have changed since: written as stored only when it still decodes the same (sameAsStored). */
  value?: unknown;
  /** Of a `lines` column left unread: items appended since (StringItems.append), written after the stored ones (linesAppended). */
  appended?: string[];
}

/**
 * True when `value` (a column read since its frame was decoded: column-reuse.ts readColumn) holds
 * exactly what its stored bytes decode to, so that they can be written again as they are: a
 * typed array of the same type and values, or an array of the same strings (column-compare.ts,
 * which walks the stored bytes against the value without decoding them). Other values are
 * written anew (false).
 */
const sameAsStored = (value: unknown, info: StoredColumn['info'], bytes: Uint8Array): boolean => holdsStored(value, info as ColumnInfo, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * A column of `owner[key]` that can be written as stored: unread since its frame was decoded, or
 * read and still the string it was decoded to; a column read as an array may have changed in
 * place, so it comes with its value (DetachedColumn.value). Undefined when the property holds a
 * value not decoded from the frame (or since replaced).
 */
function storedColumnOf(owner: Record<string, unknown>, key: string): { column: StoredColumn; value?: unknown } | undefined {
  const unread = unreadColumn(owner, key);
  if (unread) return { column: unread };
  const read = readColumn(owner, key);
  if (!read) return undefined;
  const value = owner[key];
  return typeof value === 'string' ? { column: read } : { column: read, value };
}

const isDetachedColumn = (v: Record<string, unknown>): v is Record<string, unknown> & DetachedColumn => v[DETACHED] === true;

/**
 * The parts of a `lines` column holding the stored one's items (`info`, `bytes`) then `appended`,
 * as encoding the whole array would make them (offsets or steps, then the text), without decoding
 * the stored strings; null when an appended string's step does not fit the stored step type.
 */
function linesAppended(info: Extract<ColumnInfo, { enc: 'lines' }>, bytes: Buffer, appended: string[]): Buffer[] | null {
  const sizes = appended.map((x) => Buffer.byteLength(x, 'utf8') + 1);
  const width = info.steps ? TYPED[info.steps].BYTES_PER_ELEMENT : 4;
  const head = info.steps ? info.length * width : (info.length + 1) * 4;
  let more: Uint8Array | Uint16Array | Int32Array;
  if (info.steps) {
    const limit = info.steps === 'Uint8Array' ? 0xff : 0xffff;
    if (sizes.some((n) => n > limit)) return null;
    more = TYPED[info.steps].from(sizes) as Uint8Array | Uint16Array;
  } else {
    // Int32 offsets, one more than the items: the last stored one is where the appended text starts.
    let at = bytes.readInt32LE(info.length * 4);
    more = Int32Array.from(sizes, (n) => (at += n));
  }
  const text = (info.length > 0 ? '\n' : '') + appended.join('\n');
  return [bytes.subarray(0, head), bytesOf(more), bytes.subarray(head, info.bytes), Buffer.from(text, 'utf8')];
}

/**
 * The anchors of a `lines` column of steps (`info`, `bytes`) with `appended` after its items: the
 * stored ones, then the offsets of the appended items that fall on an anchor row (stepAnchors);
 * null when the stored column was too short to keep anchors and the grown one is not (encode the
 * whole array again, as stepAnchors decides).
 */
function linesAnchors(info: Extract<ColumnInfo, { enc: 'lines' }>, appended: string[]): { anchors?: Int32Array } | null {
  if (!info.steps) return {};
  const length = info.length + appended.length;
  // The offsets are one more than the items.
  if (!info.anchors) return anchored(length + 1) ? null : {};
  const anchors = new Int32Array(Math.ceil((length + 1) / STEP_ANCHOR_EVERY));
  anchors.set(info.anchors);
  // The offset after the stored items: their text and a newline each (the text's last newline is the appended part's first).
  let at = info.length > 0 ? info.bytes - linesTextStart(info.length, info.steps) + 1 : 0;
  for (let i = info.length; i <= length; i++) {
    if (i % STEP_ANCHOR_EVERY === 0) anchors[i / STEP_ANCHOR_EVERY] = at;
    if (i < length) at += Buffer.byteLength(appended[i - info.length]!, 'utf8') + 1;
  }
  return { anchors };
}

/**
 * `value` as plain data another thread can be given (structured clone) and encode as
 * encodeColumnParts would encode `value` here: each column still unread since its frame was
 * decoded (column-reuse.ts unreadColumn) becomes its stored description and bytes, so that
 * handing the value over never decodes it; everything else is as it is (shared, not copied).
 */
export function detachedForWriting(value: unknown): unknown {
  // A long string, or an array of records, is handed over in shared memory (column-handoff.ts).
  const handed = handOver(value);
  if (handed) return handed;
  // An array of strings or numbers holds no column: handed over as it is, not walked item by item (150,000 names in a kernel's binding record).
  if (Array.isArray(value)) return value.every((x) => typeof x !== 'object' || x === null) ? value : value.map(detachedForWriting);
  if (!isPlain(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const stored = storedColumnOf(value, k);
    const narrow = stored ? undefined : heldNarrow(value, k);
    out[k] = stored ? detachedOf(stored) : narrow ? ({ [NARROWED]: narrow } satisfies NarrowedColumn) : (handedBytes(value, k) ?? detachedForWriting(value[k]));
  }
  return out;
}

/**
 * A column as stored (storedColumnOf) in the form encodeParts writes it from (DetachedColumn):
 * its description, its bytes or their place in the cache file (the writer's thread reads them
 * there: file-span.ts), the value read when it may have changed, the strings appended to it unread.
 */
function detachedOf(stored: { column: StoredColumn; value?: unknown }): DetachedColumn {
  const appended = stored.column.appended?.length ? { appended: [...stored.column.appended] } : {};
  const where = stored.column.place && !stored.column.appended?.length ? { place: stored.column.place } : { bytes: stored.column.bytes };
  return { [DETACHED]: true, info: stored.column.info, ...where, ...('value' in stored ? { value: stored.value } : {}), ...appended };
}

/** Encodes `value` as a columnar frame (see the module comment). */
export const encodeColumns = (value: unknown): Buffer => Buffer.concat(encodeColumnParts(value));

/**
 * encodeColumns as the pieces whose concatenation is the frame, so that a writer writes them
 * without joining them first. `hints` (column-hints.ts encodingHints: how the frame `value` was
 * decoded from stored each column, by path) let an Int32Array or Uint8Array column be stored as
 * its predecessor was without surveying its values first, while they fit. A column
 * detachedForWriting names by its place in a cache file is read from there (`spans` opens those
 * files, and the caller closes it); with `spans`, one copied as it lies is a FileSpan part, which
 * writeFrameFileAtomically copies from that file.
 */
export function encodeColumnParts(value: unknown, hints?: Record<string, EncodingHint>): Buffer[];
export function encodeColumnParts(value: unknown, hints: Record<string, EncodingHint> | undefined, spans: SpanFiles): (Buffer | FileSpan)[];
export function encodeColumnParts(value: unknown, hints?: Record<string, EncodingHint>, spans?: SpanFiles): (Buffer | FileSpan)[] {
  if (spans) return encodeParts(value, hints, spans, true);
  const own = new SpanFiles();
  try {
    return encodeParts(value, hints, own, false);
  } finally {
    own.close();
  }
}

/** encodeColumnParts, a column found at its place in a cache file read into a buffer unless `asSpans`. */
function encodeParts(value: unknown, hints: Record<string, EncodingHint> | undefined, spans: SpanFiles, asSpans: boolean): (Buffer | FileSpan)[] {
  const columns: ColumnInfo[] = [];
  const data: (Buffer | FileSpan)[] = [];
  let at = 0;
  const put = (parts: (Buffer | FileSpan)[]): { offset: number; bytes: number } => {
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
  const typedColumn = (a: Typed, hint: EncodingHint | undefined): Record<string, number> => {
    const type = a.constructor.name as TypedName;
    if (hint && (a instanceof Int32Array || a instanceof Uint8Array)) {
      const info = encodeHinted(a, hint, put);
      if (info) return column(info);
    }
    if (a instanceof Uint32Array) {
      // Sorted hashes: their steps, when they fit 16 bits, take half the room.
      const steps = risingSteps(a);
      if (steps) return column({ enc: 'steps', type, stored: steps.constructor.name as StepType, first: a[0] ?? 0, length: a.length, ...stepAnchors(a), ...put([bytesOf(steps)]) });
    }
    if (a instanceof Int32Array || a instanceof Uint8Array) {
      const { enc, runs, fill, others, narrow, steps } = bestEncoding(a);
      if (enc === 'steps' && steps) return column({ enc: 'steps', type, stored: steps, first: a[0] ?? 0, length: a.length, ...stepAnchors(a), ...put([bytesOf(stepsOf(a, steps))]) });
      if (enc === 'runs') return column({ enc: 'runs', type, length: a.length, ...put([bytesOf(runPairs(a, runs))]) });
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
  /**
   * An Int32Array column held narrow (holdNarrow): its values stored as they are when the hint
   * says the column was stored in that very type (what encodeHinted would make of the widened
   * values, without widening them and narrowing them again), else widened and encoded as any.
   */
  const narrowColumn = (narrow: NarrowInts, hint: EncodingHint | undefined): unknown => {
    const stored = narrow.constructor.name as TypedName;
    if (narrow.length * 4 >= MIN_COLUMN && hint?.enc === 'typed' && hint.type === 'Int32Array' && hint.stored === stored) return column({ enc: 'typed', type: 'Int32Array', stored, length: narrow.length, ...put([bytesOf(narrow)]) });
    const wide = new Int32Array(narrow.length);
    wide.set(narrow);
    return wide.byteLength >= MIN_COLUMN ? typedColumn(wide, hint) : wide;
  };
  /** The `chunks` column of a text of `length` characters cut into `blocks` (textBlocks). */
  const chunksColumn = (length: number, { starts, hashes, blocks }: ReturnType<typeof textBlocks>): Record<string, number> => {
    let bytes = 0;
    const ends = blocks.map((b) => (bytes += b.length));
    return column({ enc: 'chunks', length, starts, ends, hashes, ...put(blocks) });
  };
  // `path`: the keys from the value down to `v` joined by '.', as hints name columns (null below an array).
  // `serialised`: v8.serialize(packedCopy(v)) when already made (packedAgain), deflated as is should `v` be stored `packed`.
  const walk = (v: unknown, path: string | null = null, serialised?: Buffer): unknown => {
    if (isTyped(v)) return v.byteLength >= MIN_COLUMN ? typedColumn(v, path === null ? undefined : hints?.[path]) : v;
    if (typeof v === 'string' && v.length >= MIN_CHUNKED) return chunksColumn(v.length, textBlocks(v));
    if (typeof v === 'string') return v.length >= MIN_COLUMN * 16 ? column({ enc: 'text', length: v.length, ...put([Buffer.from(v, 'utf8')]) }) : v;
    if (Array.isArray(v)) {
      if (isLines(v)) {
        const offsets = new Int32Array(v.length + 1);
        v.forEach((x, i) => {
          offsets[i + 1] = offsets[i]! + Buffer.byteLength(x, 'utf8') + 1;
        });
        const text = Buffer.from(v.join('\n'), 'utf8');
        // Each string's length plus one, in the narrowest type that holds them all: the offsets are summed when read.
        const steps = risingSteps(offsets);
        if (steps) return column({ enc: 'lines', length: v.length, steps: steps.constructor.name as StepType, ...stepAnchors(offsets), ...put([bytesOf(steps), text]) });
        return column({ enc: 'lines', length: v.length, ...put([bytesOf(offsets), text]) });
      }
      const shape = recordShape(v);
      if (shape) {
        const parts = recordParts(v, shape);
        return column({ enc: 'records', ...shape, length: v.length, parts: parts.map((p) => p.length), ...put(paddedParts(parts)) });
      }
      // A long array an object holds: read when its property is (column-format.ts `packed`).
      if (path !== null && v.length >= MIN_PACKED) return column({ enc: 'packed', length: v.length, ...put([deflateRawSync(serialised ?? serialize(packedCopy(v)), { level: 6 })]) });
      // Pushed one by one, never `map`: V8's map may hand back a holey array (depending on the JIT's state), which
      // v8.serialize writes in its longer sparse form, so the skeleton's bytes would depend on timing.
      const out: unknown[] = [];
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (isHanded(v)) {
      // Handed over by detachedForWriting: a long string as its UTF-8, records as their column's parts.
      const bytes = Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
      // ASCII text (the evidence texts) is cut into blocks on its bytes: decoding 36 MB into a string took the writer 0.2 s.
      if (v[HANDED] === 'text' && v.ascii) return chunksColumn(bytes.length, asciiTextBlocks(bytes));
      if (v[HANDED] === 'text') return walk(bytes.toString('utf8'), path);
      // Arrays a structured clone made may be holey, which v8.serialize writes in a longer form: copied item by item.
      const packed = <T>(a: T[]): T[] => {
        const out: T[] = [];
        for (const x of a) out.push(x);
        return out;
      };
      return column({ enc: 'records', keys: packed(v.keys), kinds: packed(v.kinds), length: v.length, parts: packed(v.sizes), ...put([bytes]) });
    }
    if (isPlain(v)) {
      if (isNarrowedColumn(v)) return narrowColumn(v[NARROWED], path === null ? undefined : hints?.[path]);
      // A column detachedForWriting found unread, or read and unchanged: copied as stored.
      if (isDetachedColumn(v)) {
        const span = v.place ? new FileSpan(v.place, v.info.bytes) : null;
        // Only a column read since may have changed: its bytes are read to tell; the others are copied from the file as they lie.
        if (span && !('value' in v)) return column({ ...v.info, ...put([asSpans ? span : spans.read(span)]) } as ColumnInfo);
        const bytes = span ? spans.read(span) : Buffer.from(v.bytes!.buffer, v.bytes!.byteOffset, v.bytes!.byteLength);
        if ('value' in v && v.info.enc === 'packed' && Array.isArray(v.value)) {
          const again = packedAgain(v.value, bytes.subarray(0, v.info.bytes));
          // Changed: walked again, a `packed` column deflated from the serialisation just compared.
          if (again !== true) return walk(v.value, path, again);
        } else if ('value' in v && !sameAsStored(v.value, v.info, bytes)) return walk(v.value, path);
        if (v.appended?.length) {
          const info = v.info as ColumnInfo;
          const grown = info.enc === 'lines' ? linesAppended(info, bytes, v.appended) : null;
          const anchors = info.enc === 'lines' ? linesAnchors(info, v.appended) : null;
          // Steps the stored type cannot hold, or a column grown long enough for anchors: the whole array is encoded again.
          if (!grown || !anchors) return walk([...(decodeColumn(bytes, info) as string[]), ...v.appended]);
          return column({ ...info, length: info.length + v.appended.length, ...anchors, ...put(grown) });
        }
        return column({ ...v.info, ...put([bytes]) } as ColumnInfo);
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        // A column decoded from a frame is written as detachedForWriting hands it to a writer's thread (the branch above):
        // copied as stored while unread or holding what it was decoded to, with the strings appended to it unread.
        const stored = storedColumnOf(v, k);
        const at = path === null ? null : path ? `${path}.${k}` : k;
        const narrow = stored ? undefined : heldNarrow(v, k);
        out[k] = stored ? walk(detachedOf(stored), at) : narrow ? narrowColumn(narrow, at === null ? undefined : hints?.[at]) : walk(v[k], at);
      }
      return out;
    }
    return v;
  };
  const skeleton = serialize({ value: walk(value, ''), columns });
  const head = Buffer.alloc(8);
  COLUMNS_TAG.copy(head, 0);
  head.writeUInt32LE(skeleton.length, 4);
  const pad = align8(8 + skeleton.length) - (8 + skeleton.length);
  return [head, skeleton, Buffer.alloc(pad), ...data];
}
