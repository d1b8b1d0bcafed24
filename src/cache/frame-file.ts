import { closeSync, fstatSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { removeQuietly } from '../util/fs-failure.js';
import { deserialize } from 'node:v8';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { itemStarts, type PackedItems, spliceItems, unpackItems } from '../util/packed-items.js';
import { expandedByDeltas } from './facts-delta.js';
import type { FileFacts } from '../types/facts.js';
import { decodeColumnsFrom, isColumnar } from './columns.js';
import { FileSpan, type FilePlace, identityOf, SpanFiles } from './file-span.js';
import { jsonItemSpan } from '../util/json-items.js';
import type { SpooledBytes } from '../util/byte-spool.js';

/** First bytes of every cache file; the format number follows. */
export const MAGIC = Buffer.from('PFND');

/** Bytes copied at a time when a frame is copied from one file to another. */
const COPY_CHUNK = 8 << 20;

/** Why a cache file could not be opened: absent, damaged, or written by another format. */
export type OpenFailure = 'absent' | 'unreadable' | 'other-format';

/**
 * An open cache file: MAGIC, the format (u32), then frames of [length u32][bytes]. Opening
 * reads only the length headers, so one frame can be read (and decompressed) alone. The file
 * descriptor stays open until `close`: a file renamed over meanwhile by another process is
 * still read whole and consistent.
 */
export class FrameFile {
  /** Byte offset of each frame's content (after its length header). */
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** Device, inode, size and mtime of the open file: the same file when unchanged (a writer renames a new file over it). */
  identity = '';
  /** The buffer copyTo reads frames into. */
  private chunk: Buffer | null = null;

  private constructor(
    private fd: number,
    /** Frames are compressed JSON (facts: encodeFactsFrame) or raw v8-serialised values (graph). */
    private readonly compressed: boolean,
    /** The path it was opened at: where a writer thread finds the bytes of columns never read here (file-span.ts). */
    private readonly path: string,
  ) {}

  /**
   * Opens a file of `format`. `within` reads a file of another magic (an index export) and
   * shows only its frames first..first+count-1 (renumbered from 0), so that one file can hold
   * several sections each read as a cache file is.
   */
  static open(path: string, format: number, compressed: boolean, within: { magic: Buffer; first: number; count?: number } = { magic: MAGIC, first: 0 }): FrameFile | OpenFailure {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return 'absent';
    }
    const file = new FrameFile(fd, compressed, path);
    const failure = file.readLayout(format, within.magic) ?? file.keep(within.first, within.count);
    if (failure) {
      file.close();
      return failure;
    }
    return file;
  }

  /** Keeps frames first..first+count-1 (all from first when count is absent); unreadable when there are fewer. */
  private keep(first: number, count?: number): OpenFailure | null {
    const end = count === undefined ? this.starts.length : first + count;
    if (first === 0 && end === this.starts.length) return null;
    if (end > this.starts.length || first >= end) return 'unreadable';
    this.starts.splice(end);
    this.lengths.splice(end);
    this.starts.splice(0, first);
    this.lengths.splice(0, first);
    return null;
  }

  private readLayout(format: number, magic: Buffer): OpenFailure | null {
    const stat = fstatSync(this.fd);
    const size = stat.size;
    this.identity = identityOf(stat);
    const head = Buffer.alloc(8);
    if (size < 8 || readSync(this.fd, head, 0, 8, 0) !== 8 || !head.subarray(0, 4).equals(magic)) return 'unreadable';
    if (head.readUInt32LE(4) !== format) return 'other-format';
    const word = Buffer.alloc(4);
    for (let at = 8; at < size; ) {
      if (at + 4 > size || readSync(this.fd, word, 0, 4, at) !== 4) return 'unreadable';
      const length = word.readUInt32LE(0);
      if (at + 4 + length > size) return 'unreadable';
      this.starts.push(at + 4);
      this.lengths.push(length);
      at += 4 + length;
    }
    return this.starts.length ? null : 'unreadable';
  }

  /** Number of frames, the manifest (frame 0) included. */
  get frames(): number {
    return this.starts.length;
  }

  /** The length in bytes of frame i as stored. */
  frameBytes(i: number): number {
    return this.lengths[i] ?? 0;
  }

  /**
   * A frame's bytes as stored (compressed for facts). A graph file's bytes are read into shared
   * memory (a SharedArrayBuffer, see range): the columns decoded as views on them, and those left
   * as stored, go to a worker thread that writes a patched graph (write-behind.ts) without being copied.
   */
  raw(i: number): Buffer {
    return this.range(i, 0, this.lengths[i]!);
  }

  /** `length` bytes from `offset` in frame i, in a buffer of their own (its memory starts at the buffer's first byte, so that it is aligned for any typed array); throws past the frame's end. */
  private range(i: number, offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.lengths[i]!) throw new Error('read past the end of a cache frame');
    if (this.fd < 0) throw new Error('cache file read after it was closed');
    // A graph file's columns are read into shared memory, so that a patched graph's writer thread (write-behind.ts) is given them without a copy.
    const bytes = this.compressed ? Buffer.allocUnsafeSlow(length) : Buffer.from(new SharedArrayBuffer(length));
    this.readInto(i, offset, bytes);
    return bytes;
  }

  /** Fills `into` with its length in bytes from `offset` in frame i (FrameBytes.readInto); throws past the frame's end. */
  private readInto(i: number, offset: number, into: Uint8Array): void {
    if (offset < 0 || offset + into.length > this.lengths[i]!) throw new Error('read past the end of a cache frame');
    if (this.fd < 0) throw new Error('cache file read after it was closed');
    let done = 0;
    while (done < into.length) {
      const n = readSync(this.fd, into, done, into.length - done, this.starts[i]! + offset + done);
      if (n === 0) throw new Error('cache file shrank while being read');
      done += n;
    }
  }

  /**
   * A frame's value; throws when its bytes do not decode. A columnar frame (columns.ts) is read a
   * column at a time, each when first decoded, so that a query reads from the file only the
   * columns it uses (a kernel's graph frame is over 100 MB); the file stays open for those reads
   * until it is closed and no value decoded from it can read any more (see close).
   */
  value<T>(i: number): T {
    if (this.compressed) return JSON.parse(decodeFactsFrame(this.raw(i))) as T;
    const head = this.range(i, 0, Math.min(8, this.lengths[i]!));
    if (!isColumnar(head)) return deserialize(this.raw(i)) as T;
    const frame = { size: this.lengths[i]!, range: (offset: number, length: number) => this.range(i, offset, length), readInto: (offset: number, into: Uint8Array) => this.readInto(i, offset, into), place: (offset: number): FilePlace => ({ path: this.path, identity: this.identity, position: this.starts[i]! + offset }) };
    const value = decodeColumnsFrom<T>(frame);
    // The file is closed once `frame`, held by every reader of the value's columns, is collected (or at close, when none is left).
    this.readers++;
    readersGone.register(frame, this);
    return value;
  }

  /** A compressed (facts) frame's JSON as UTF-8 bytes, not parsed (factsItem reads one item of it); throws zlib's error on bytes that do not decode. */
  json(i: number): Buffer {
    return brotliDecompressSync(this.raw(i));
  }

  /** Writes a frame, length header included, to `fd` as it is stored here, without decoding it. */
  copyTo(i: number, fd: number): void {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(this.lengths[i]!);
    writeSync(fd, length);
    // One buffer for every frame copied (a facts file copies some 200 of 400 KB: a fresh buffer for each took 60 ms of a kernel's overflowing patch, its profile says).
    if (!this.chunk || this.chunk.length < Math.min(COPY_CHUNK, this.lengths[i]!)) this.chunk = Buffer.allocUnsafeSlow(Math.min(COPY_CHUNK, Math.max(this.lengths[i]!, 1 << 20)));
    const chunk = this.chunk;
    for (let done = 0; done < this.lengths[i]!; ) {
      const want = Math.min(chunk.length, this.lengths[i]! - done);
      const n = readSync(this.fd, chunk, 0, want, this.starts[i]! + done);
      if (n === 0) throw new Error('cache file shrank while being copied');
      writeSync(fd, chunk, 0, n);
      done += n;
    }
  }

  /**
   * Closes the file, or, while values decoded from it may still read columns (see value), marks it
   * to be closed once the last of them is collected: a file renamed over meanwhile is still the one
   * they read.
   */
  close(): void {
    this.closing = true;
    if (this.readers === 0) this.shut();
  }

  /** One value that could read from the file is gone (collected): called by readersGone alone. */
  readerGone(): void {
    this.readers--;
    if (this.closing && this.readers === 0) this.shut();
  }

  private shut(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Values decoded a column at a time from this file whose readers may still read it. */
  private readers = 0;
  private closing = false;
}

/** Told when the bytes reader of a value decoded a column at a time is collected (see FrameFile.value). */
const readersGone = new FinalizationRegistry<FrameFile>((file) => file.readerGone());

/** A frame already encoded as it is to be stored (facts compressed while they were expanded), as a buffer or in a spool (util/byte-spool.ts). */
export class EncodedFrame {
  constructor(readonly bytes: Buffer | SpooledBytes) {}
}

/**
 * How facts frames are compressed: Brotli at quality 6 with a 4 MB window (a frame's JSON is
 * about 4 MB). Measured on a Linux 6.1 x86 tree's facts (950 MB of JSON): quality 5 gave 0.61 of
 * the size gzip level 1 gave (89 MB against 145 MB) at about 3 times its encoding time. On all
 * 217 frames of that tree's facts (931 MB of JSON, 2026-12-03, one thread, load 10), against
 * quality 7: quality 6 makes 86.94 MB instead of 85.01 MB (2.3% more) in 17.3 s of CPU instead of
 * 23.8 s (on every 8th frame, idler: 2.1 s instead of 3.4 s); a 16 MB window or a larger block
 * gains under 0.1% for more time. A cold index compresses its frames while it expands the facts,
 * both cores busy, so that CPU is wall time; the 2 MB leave the whole tree's cache (196.4 MB at
 * quality 7 after the bench's warm queries) under its 200 MB budget.
 * Decoding is as fast.
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_LGWIN]: 22 } };

/**
 * How a frame re-encoded on its own is compressed (a patch rewrites the frame of each edited,
 * added or deleted file, in the main thread): Brotli quality 5. Measured on four frames of Linux
 * 6.1 x86 facts (3.3 to 7.0 MB of JSON, 2026-11-30), against quality 7 (how a full index writes
 * them): quality 3 was 26-32% larger (0.43-0.83 MB) in 17-41 ms, quality 5 4-6% larger in 46-83
 * ms, quality 6 2-3% larger in 52-104 ms, quality 7 64-149 ms. At quality 3 a cache whose frames
 * patches had all rewritten would grow about 24 MB past a full index's at quality 7 (85 MB of
 * facts), beyond the 200 MB budget; at quality 5, about 4 MB (about 2 MB past one at quality 6).
 */
const BROTLI_PATCHED = { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_LGWIN]: 22 } };

/** Encodes a facts frame from its JSON text, or that text's UTF-8 bytes (compressed: see BROTLI; `patched`: one frame rewritten alone, see BROTLI_PATCHED). */
export function encodeFactsFrame(json: string | Buffer, patched = false): Buffer {
  return brotliCompressSync(typeof json === 'string' ? Buffer.from(json, 'utf8') : json, patched ? BROTLI_PATCHED : BROTLI);
}

/** The JSON text of a facts frame encodeFactsFrame (or encodePackedFrame) made; throws zlib's error on other bytes. */
export function decodeFactsFrame(bytes: Buffer): string {
  return brotliDecompressSync(bytes).toString('utf8');
}

/**
 * The facts frame of a parse worker's packed batch (util/packed-items.ts), its files revised by
 * `revise` (definer expansion: it returns each file's facts, the same object when unchanged):
 * encodeFactsFrame of the JSON of the revised array, where only the files revised are turned into
 * JSON again. Runs where it is called: the cache stage calls it in a worker thread
 * (frame-encoder.ts). Throws zlib's error on bytes that packItems did not make.
 */
export function encodePackedFrame(packed: PackedItems, revise?: (files: FileFacts[]) => FileFacts[]): Buffer {
  const json = unpackItems(packed);
  if (!revise) return brotliCompressSync(json, BROTLI);
  const files = JSON.parse(json.toString('utf8')) as FileFacts[];
  const revised = revise(files);
  return brotliCompressSync(spliceItems(json, packed.sizes, (j) => (revised[j] === files[j] ? undefined : JSON.stringify(revised[j]))), BROTLI);
}

/**
 * The UTF-8 JSON of a parse worker's packed batch with the files at `changed` (positions in the
 * batch, ascending) revised by `revise` (definer expansion: it returns each file's facts, the same
 * object when unchanged): only those files are read from the JSON and turned into JSON again; the
 * others keep their packed bytes. Throws zlib's error on bytes that packItems did not make.
 */
export function revisedJson(packed: PackedItems, revise: (files: FileFacts[]) => FileFacts[], changed: readonly number[]): Buffer {
  const json = unpackItems(packed);
  if (changed.length === 0) return json;
  const starts = itemStarts(packed.sizes);
  const files = changed.map((j) => JSON.parse(json.toString('utf8', starts[j]!, starts[j]! + packed.sizes[j]!)) as FileFacts);
  const revised = revise(files);
  const texts = new Map<number, string>();
  changed.forEach((j, k) => {
    if (revised[k] !== files[k]) texts.set(j, JSON.stringify(revised[k]));
  });
  return spliceItems(json, packed.sizes, (j) => texts.get(j));
}

/**
 * The UTF-8 JSON of a parse worker's packed batch with the files at `changed` (positions in the
 * batch, ascending) expanded by `deltas` (deltas[k] what expansion changed in the file at
 * changed[k]: facts-delta.ts): what revisedJson gives when the caller has expanded those files
 * already. Throws zlib's error on bytes that packItems did not make.
 */
export function splicedJson(packed: PackedItems, changed: readonly number[], deltas: readonly string[]): Buffer {
  const json = unpackItems(packed);
  if (changed.length === 0) return json;
  return expandedByDeltas(json, packed.sizes, new Map(changed.map((j, k) => [j, deltas[k]!])));
}

/** Compresses a facts frame's UTF-8 JSON as encodeFactsFrame does. */
export function compressFactsJson(json: Buffer): Buffer {
  return brotliCompressSync(json, BROTLI);
}

/**
 * Item `slot` of a facts frame (its JSON: FrameFile.json), parsed alone: the items before it are
 * skipped by their punctuation (util/json-items.ts), so that one file's facts cost the parse of its
 * own JSON, not of its frame's 200 files. Undefined when the frame has no such item; throws when
 * the item's JSON does not parse.
 */
export function factsItem<T>(json: Buffer, slot: number): T | undefined {
  const span = jsonItemSpan(json, slot);
  return span ? (JSON.parse(json.toString('utf8', span[0], span[1])) as T) : undefined;
}

/** A frame to write as it is stored in an open cache file (an unchanged part of the file being replaced). */
export class FrameCopy {
  constructor(
    readonly file: FrameFile,
    readonly frame: number,
  ) {}
}

/** Writes all of `bytes` at the file's position (writeSync may write less than asked). */
function writeBuffer(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Writes a frame file to `path`: `magic`, the format number (u32 LE), then each frame as
 * `[length u32 LE][bytes]` (a FrameCopy copied as it is stored; a list of parts is one frame, their
 * concatenation, a FileSpan part copied from the file it names: file-span.ts). The frames are taken one at a
 * time, so a generator can encode each only when it is written. The file is written under a
 * temporary name renamed over `path` at the end, so a reader sees a whole old file or a whole new
 * one. Returns the identity of the file written (file-span.ts identityOf), for what is kept beside
 * it (kept-beside.ts). Throws the file system's error, the temporary file removed.
 */
export function writeFrameFileAtomically(path: string, magic: Buffer, format: number, frames: Iterable<Buffer | (Buffer | FileSpan)[] | FrameCopy>): string {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  let fd = -1;
  const spans = new SpanFiles();
  try {
    fd = openSync(temp, 'w');
    const head = Buffer.alloc(8);
    magic.copy(head);
    head.writeUInt32LE(format, 4);
    writeSync(fd, head);
    for (const frame of frames) {
      if (frame instanceof FrameCopy) {
        frame.file.copyTo(frame.frame, fd);
        continue;
      }
      const parts = Array.isArray(frame) ? frame : [frame];
      const length = Buffer.alloc(4);
      length.writeUInt32LE(parts.reduce((n, p) => n + p.length, 0));
      writeSync(fd, length);
      for (const part of parts) {
        if (part instanceof FileSpan) spans.copyTo(part, fd);
        else writeBuffer(fd, part);
      }
    }
    // Taken from the file written, not from `path` after the rename: another writer may rename its own over it meanwhile.
    const identity = identityOf(fstatSync(fd));
    closeSync(fd);
    fd = -1;
    renameSync(temp, path);
    return identity;
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    // The write's own error is the one to report, not the clean-up's.
    removeQuietly(temp);
    throw err;
  } finally {
    spans.close();
  }
}
