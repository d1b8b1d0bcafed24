import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { decodeColumns, isColumnar } from './columns.js';

/** First bytes of every cache file; the format number follows. */
export const MAGIC = Buffer.from('PFND');

/** Bytes copied at a time when a frame is copied from one file to another. */
const COPY_CHUNK = 8 << 20;

/** Why a cache file could not be opened: absent, damaged, or written by another format. */
export type OpenFailure = 'absent' | 'unreadable' | 'other-format';

/**
 * An open cache file: MAGIC, the format (u32), then frames of [length u32][bytes]. Opening
 * reads only the length headers, so one frame can be read (and gunzipped) alone. The file
 * descriptor stays open until `close`: a file renamed over meanwhile by another process is
 * still read whole and consistent.
 */
export class FrameFile {
  /** Byte offset of each frame's content (after its length header). */
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** Device, inode, size and mtime of the open file: the same file when unchanged (a writer renames a new file over it). */
  identity = '';

  private constructor(
    private fd: number,
    /** Frames are gzipped JSON (facts) or raw v8-serialised values (graph). */
    private readonly gzipped: boolean,
  ) {}

  /**
   * Opens a file of `format`. `within` reads a file of another magic (an index export) and
   * shows only its frames first..first+count-1 (renumbered from 0), so that one file can hold
   * several sections each read as a cache file is.
   */
  static open(path: string, format: number, gzipped: boolean, within: { magic: Buffer; first: number; count?: number } = { magic: MAGIC, first: 0 }): FrameFile | OpenFailure {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return 'absent';
    }
    const file = new FrameFile(fd, gzipped);
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
    this.identity = `${stat.dev}:${stat.ino}:${size}:${stat.mtimeMs}`;
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

  /** A frame's bytes as stored (gzipped for facts). */
  raw(i: number): Buffer {
    const bytes = Buffer.allocUnsafe(this.lengths[i]!);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, this.starts[i]! + done);
      if (n === 0) throw new Error('cache file shrank while being read');
      done += n;
    }
    return bytes;
  }

  /** A frame's value (a columnar frame's large parts decoded when first read: see columns.ts); throws when its bytes do not decode. */
  value<T>(i: number): T {
    const raw = this.raw(i);
    if (this.gzipped) return JSON.parse(gunzipSync(raw).toString('utf8')) as T;
    return (isColumnar(raw) ? decodeColumns<T>(raw) : deserialize(raw)) as T;
  }

  /** Writes a frame, length header included, to `fd` as it is stored here, without decoding it. */
  copyTo(i: number, fd: number): void {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(this.lengths[i]!);
    writeSync(fd, length);
    const chunk = Buffer.allocUnsafe(Math.min(COPY_CHUNK, this.lengths[i]!));
    for (let done = 0; done < this.lengths[i]!; ) {
      const want = Math.min(chunk.length, this.lengths[i]! - done);
      const n = readSync(this.fd, chunk, 0, want, this.starts[i]! + done);
      if (n === 0) throw new Error('cache file shrank while being copied');
      writeSync(fd, chunk, 0, n);
      done += n;
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** A frame already encoded as it is to be stored (facts compressed while the graph was resolved). */
export class EncodedFrame {
  constructor(readonly bytes: Buffer) {}
}

/** Encodes a facts frame: gzipped JSON, which decodes faster than a v8-serialised graph of small objects. */
export function encodeFactsFrame(json: string): Buffer {
  return gzipSync(Buffer.from(json, 'utf8'), { level: 1 });
}

const gzipAsync = promisify(gzip);

const gunzipAsync = promisify(gunzip);
const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** The UTF-8 bytes of the JSON array whose items' texts are `items` (each as one Buffer), as one Buffer. */
function arrayBytes(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN];
  items.forEach((b, j) => {
    if (j > 0) parts.push(COMMA);
    parts.push(b);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/**
 * encodeFactsFrame of the JSON array whose items' JSON texts are `items` (the same bytes as for
 * JSON.stringify of the array of their values), done off the main thread (in libuv's thread pool)
 * while other work goes on, with each item's length in UTF-8 bytes (`sizes`), which
 * replaceInFactsFrame takes.
 */
export function encodeFactsItemsAsync(items: readonly string[]): { bytes: Promise<Buffer>; sizes: number[] } {
  const buffers = items.map((t) => Buffer.from(t, 'utf8'));
  return { bytes: gzipAsync(arrayBytes(buffers), { level: 1 }), sizes: buffers.map((b) => b.length) };
}

/**
 * A facts frame encoded by encodeFactsItemsAsync (`bytes`, its items `sizes` bytes long) encoded
 * again with some items replaced: `replacement(j)` is the new value of item j, or undefined to keep
 * its bytes as they are. The result is the encoding of JSON.stringify of the new array; only the
 * replaced items are turned into JSON. Decoding and encoding run in libuv's thread pool. Rejects
 * with zlib's error on bytes that are no gzip.
 */
export async function replaceInFactsFrame(bytes: Buffer, sizes: readonly number[], replacement: (j: number) => unknown): Promise<Buffer> {
  const total = sizes.reduce((a, n) => a + n + 1, 1);
  // One output chunk of the known length: no run of small chunks to gather.
  const json = await gunzipAsync(bytes, { chunkSize: total + 1024 });
  let at = 1;
  const items = sizes.map((size, j) => {
    const value = replacement(j);
    const item = value === undefined ? json.subarray(at, at + size) : Buffer.from(JSON.stringify(value), 'utf8');
    at += size + 1;
    return item;
  });
  return gzipAsync(arrayBytes(items), { level: 1 });
}

/** A frame to write as it is stored in an open cache file (an unchanged part of the file being replaced). */
export class FrameCopy {
  constructor(
    readonly file: FrameFile,
    readonly frame: number,
  ) {}
}

/**
 * Writes a frame file to `path`: `magic`, the format number (u32 LE), then each frame as
 * `[length u32 LE][bytes]` (a FrameCopy copied as it is stored). The frames are taken one at a
 * time, so a generator can encode each only when it is written. The file is written under a
 * temporary name renamed over `path` at the end, so a reader sees a whole old file or a whole new
 * one. Throws the file system's error, the temporary file removed.
 */
export function writeFrameFileAtomically(path: string, magic: Buffer, format: number, frames: Iterable<Buffer | FrameCopy>): void {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  let fd = -1;
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
      const length = Buffer.alloc(4);
      length.writeUInt32LE(frame.length);
      writeSync(fd, length);
      writeSync(fd, frame);
    }
    closeSync(fd);
    fd = -1;
    renameSync(temp, path);
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}
