import { type StepType, type Typed, TYPED, type TypedName } from './column-format.js';
import { type RowReads, runHolding } from '../util/row-reads.js';
import type { NarrowInts, NarrowType } from '../util/narrow-views.js';

/**
 * Reading a few rows of a large column of the graph cache without reading the column (see
 * column-read.ts): the rows' bytes are read in blocks of BLOCK_BYTES, each block once. A warm
 * query prints some forty functions and edges of a kernel's 722,000 nodes and 4 million edges:
 * reading whole the columns it takes those from (node names, lines and flags, call lines, the
 * names' text: 34 MB of the 73 MB it read) cost more than the search. A column asked for more
 * rows than MAX_ROW_READS is read whole once, so that a reader walking every row pays one read.
 */

/** Bytes read at a time from a column read by rows: a few KB cost one system call, as one row does. */
export const BLOCK_BYTES = 4096;

/** Rows read by blocks before the column is read whole (a reader walking many rows). */
export const MAX_ROW_READS = 4096;

/**
 * `length` bytes from `offset` of a column whose bytes `part(offset, length)` reads: from the
 * BLOCK_BYTES block holding them (read once and kept), or read alone when they span two blocks.
 */
export function blockReader(part: (offset: number, length: number) => Buffer, size: number): (offset: number, length: number) => Buffer {
  const blocks = new Map<number, Buffer>();
  return (offset, length) => {
    const b = Math.floor(offset / BLOCK_BYTES);
    if (offset + length > (b + 1) * BLOCK_BYTES) return part(offset, length);
    let block = blocks.get(b);
    if (!block) blocks.set(b, (block = part(b * BLOCK_BYTES, Math.min(BLOCK_BYTES, size - b * BLOCK_BYTES))));
    const at = offset - b * BLOCK_BYTES;
    return block.subarray(at, at + length);
  };
}

/**
 * Row `i` of a `type` column whose bytes `part(offset, length)` reads (`size` bytes in all): from
 * the BLOCK_BYTES block holding it, read once and kept as an array of that type (in the platform's
 * byte order, as typed arrays store it). A row never spans two blocks (BLOCK_BYTES is a multiple of
 * every type's width), and reading it allocates nothing: a callees tree of a kernel reads some
 * 20,000 rows so, and a buffer and an array of one value for each were a good part of its garbage.
 */
export function blockValues(part: (offset: number, length: number) => Buffer, size: number, type: TypedName): (i: number) => number {
  const T = TYPED[type];
  const width = T.BYTES_PER_ELEMENT;
  const perBlock = BLOCK_BYTES / width;
  const blocks = new Map<number, Typed>();
  return (i) => {
    const b = Math.floor(i / perBlock);
    let block = blocks.get(b);
    if (!block) {
      const bytes = part(b * BLOCK_BYTES, Math.min(BLOCK_BYTES, size - b * BLOCK_BYTES));
      block = new T(Math.floor(bytes.length / width));
      new Uint8Array(block.buffer).set(bytes.subarray(0, block.length * width));
      blocks.set(b, block);
    }
    return block[i - b * perBlock]!;
  };
}

/** Bytes read at a time when typedRows copies rows into an array of another type than they are stored as (a multiple of every width). */
const COPY_CHUNK_BYTES = 1 << 20;

/** The buffer those bytes are read into, made at the first such copy and kept. */
let copyScratch: Buffer | null = null;

/** The stored types RowReads.storedAs names (NarrowInts). */
const INTS = new Set<TypedName>(['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array']);

/**
 * Rows of a `typed` column one at a time, each read from its block (`part` reads the column's
 * bytes, `stored` their type, `length` its rows); past MAX_ROW_READS rows, from `whole()`, the column as stored.
 * With `readInto` (the bytes from an offset read into a given array: FrameBytes.readInto), ranges of rows are
 * also copied (RowReads.copy): straight from the cache file into an array of the stored type, without a
 * buffer of their own (a patch splicing four million edges copies each column so: resolve/splice-edges.ts).
 * `narrow`: an Int32Array column stored in fewer bits (RowReads.narrowAs).
 */
export function typedRows(part: (offset: number, length: number) => Buffer, size: number, stored: TypedName, length: number, whole: () => Typed, readInto?: (offset: number, into: Uint8Array) => void, narrow = false): RowReads {
  const T = TYPED[stored];
  const width = T.BYTES_PER_ELEMENT;
  const value = blockValues(part, size, stored);
  let reads = 0;
  let all: Typed | null = null;
  const copy = (out: NarrowInts, from: number, to: number, at: number): void => {
    if (to <= from) return;
    if (all) out.set(all.subarray(from, to), at);
    else if (out.constructor === T) readInto!(from * width, new Uint8Array(out.buffer, out.byteOffset + at * width, (to - from) * width));
    else {
      // Widened a chunk at a time through one buffer kept for every such copy (a patch's chunked scans of a kernel's 4 million edges read 65 ranges of 128 KB per 16-bit column so, each into a buffer of its own).
      const chunk = (copyScratch ??= Buffer.allocUnsafeSlow(COPY_CHUNK_BYTES));
      const rows = COPY_CHUNK_BYTES / width;
      for (let r = from; r < to; r += rows) {
        const end = Math.min(to, r + rows);
        readInto!(r * width, chunk.subarray(0, (end - r) * width));
        out.set(new (T as new (b: ArrayBufferLike, offset: number, length: number) => NarrowInts)(chunk.buffer, chunk.byteOffset, end - r), at + r - from);
      }
    }
  };
  return {
    length,
    ...(narrow && INTS.has(stored) ? { narrowAs: T as NarrowType } : {}),
    at: (i) => {
      if (all) return all[i]!;
      if (++reads > MAX_ROW_READS) return (all = whole())[i]!;
      return value(i);
    },
    ...(readInto ? { copy } : {}),
  };
}

/** Where the text of a `lines` column of `length` items starts in its bytes (after the offsets, or their steps). */
export const linesTextStart = (length: number, steps: StepType | undefined): number => (steps ? length * TYPED[steps].BYTES_PER_ELEMENT : (length + 1) * 4);

/**
 * An item of a `lines` column by the byte range of its text in the column's bytes (`from` to `to`,
 * the newline after it left out): read from the block holding it by `block`, or from `whole()`
 * (the column's bytes) once the reader `count`ed more than MAX_ROW_READS items.
 */
export function lineItemReader(block: (offset: number, length: number) => Buffer, whole: () => Buffer): (from: number, to: number) => string {
  let reads = 0;
  let all: Buffer | null = null;
  return (from, to) => {
    if (!all && ++reads > MAX_ROW_READS) all = whole();
    return all ? all.toString('utf8', from, to) : block(from, to - from).toString('utf8');
  };
}

/** Rows a `runs` column is asked for one at a time before its pairs are read whole (each costs a binary search of ~20 reads from blocks). */
export const MAX_RUN_LOOKUPS = 256;

/**
 * Rows of a `runs` column one at a time ([value, end] pairs, the ends rising: column-format.ts):
 * the run holding row i is the first whose end exceeds i, found by a binary search whose probes
 * are read from their blocks (`part` reads the column's bytes, `size` of them: blockValues), or,
 * past MAX_RUN_LOOKUPS rows, from `whole()`, the pairs as stored (also RowReads.runEnds). A
 * kernel's edge callers are 600,000 runs (4.7 MB): a path query asks a few dozen edges' callers
 * and evidence, which took 25-35 ms a column when the whole column was read and its ends summed.
 */
export function runRows(part: (offset: number, length: number) => Buffer, size: number, whole: () => Int32Array): RowReads {
  const value = blockValues(part, size, 'Int32Array');
  const runs = size / 8;
  let lookups = 0;
  let all: Int32Array | null = null;
  const runEnds = (): Int32Array => (all ??= whole());
  // Half `half` (0: value, 1: end) of pair k.
  const pairPart = (k: number, half: number): number => (all ? all[2 * k + half]! : value(2 * k + half));
  const endOf = (k: number): number => pairPart(k, 1);
  return {
    at: (i) => {
      if (!all && ++lookups > MAX_RUN_LOOKUPS) runEnds();
      return pairPart(runHolding(endOf, runs, i), 0);
    },
    runEnds,
  };
}

/** Rows a `steps` column is asked for one at a time before it is decoded whole (each sums up to STEP_ANCHOR_EVERY - 1 steps): a path query looks up some forty names of diagnostics, each a binary search of about 20 strings of a kernel's 666,000. */
export const MAX_STEP_LOOKUPS = 1024;

/**
 * Rows of a `steps` column one at a time: row i is the anchor before it (`anchors`, the value at
 * every `every`-th row: column-format.ts) plus the steps from that anchor's row to i, read from
 * their block (`part` reads the column's bytes, `size` of them, `stored` their type); past
 * MAX_STEP_LOOKUPS rows, from `whole()`, the column decoded. A query looks up a few names' rows
 * of a kernel's 666,000 (IndexSnapshot.nameStart), which otherwise summed every step: 20 ms.
 */
export function stepsRows(part: (offset: number, length: number) => Buffer, size: number, stored: StepType, anchors: ArrayLike<number>, every: number, length: number, whole: () => Typed): RowReads {
  const step = blockValues(part, size, stored);
  let lookups = 0;
  let all: Typed | null = null;
  return {
    at: (i) => {
      if (all) return all[i]!;
      if (++lookups > MAX_STEP_LOOKUPS) return (all = whole())[i]!;
      const j = Math.floor(i / every);
      let v = anchors[j]!;
      for (let k = j * every; k < i; k++) v += step(k);
      return v;
    },
    length,
    // A range of rows summed from the anchor before it over the steps read as one range (a window of a kernel's callers, never the column decoded whole).
    copy: (out, from, to, at) => {
      if (from >= to) return;
      if (all) return out.set(all.subarray(from, to), at);
      const first = Math.floor(from / every) * every;
      const width = TYPED[stored].BYTES_PER_ELEMENT;
      // Row i is row i - 1 plus step i - 1: steps first .. to - 2.
      const bytes = part(first * width, (to - 1 - first) * width);
      const T = TYPED[stored];
      const steps = bytes.byteOffset % width === 0 ? new T(bytes.buffer as ArrayBuffer, bytes.byteOffset, to - 1 - first) : new T(new Uint8Array(bytes).buffer, 0, to - 1 - first);
      let v = anchors[first / every]!;
      for (let k = 0; k < from - first; k++) v += steps[k]!;
      out[at] = v;
      for (let i = from + 1; i < to; i++) out[at + i - from] = v += steps[i - 1 - first]!;
    },
  };
}
