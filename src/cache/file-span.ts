import { closeSync, fstatSync, openSync, readSync, type Stats, writeSync } from 'node:fs';

/**
 * Bytes of a cache file on disk named by where they lie, so that a writer thread copies them
 * into the file it writes without the thread that decoded the file reading them first: a patched
 * graph's columns left unread (some 60 MB of a kernel's graph file) were read into fresh memory
 * on the main thread only to be handed over and written again.
 */

/** Where a column's bytes lie: the file (by path, and its identity when it was opened: FrameFile.identity) and the byte position in it. */
export interface FilePlace {
  path: string;
  identity: string;
  position: number;
}

/** `length` bytes at `place`, a part of a frame to write (columns.ts encodeColumnParts, frame-file.ts writeFrameFileAtomically). */
export class FileSpan {
  constructor(
    readonly place: FilePlace,
    readonly length: number,
  ) {}
}

/** Bytes copied at a time from a span into the file written. */
const COPY_CHUNK = 4 << 20;

/** The identity of a file as FrameFile.identity gives it: device, inode, size and mtime (a writer renames a new file over an old one). */
export const identityOf = (stat: Stats): string => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;

/**
 * The files spans are read from, each opened once and checked to be the very file the span was
 * taken from (another process may have renamed a new cache file over it since): a file of another
 * identity throws, so the write fails and the cache file stays whole, old or new. `close` closes them.
 */
export class SpanFiles {
  private readonly fds = new Map<string, number>();
  private chunk: Buffer | null = null;

  private fdOf(place: FilePlace): number {
    let fd = this.fds.get(place.path);
    if (fd === undefined) {
      fd = openSync(place.path, 'r');
      this.fds.set(place.path, fd);
      if (identityOf(fstatSync(fd)) !== place.identity) throw new Error(`${place.path} changed since it was read`);
    }
    return fd;
  }

  /** Reads `length` bytes at `at` of `place`'s file into `into` from `offset`; throws when the file is shorter. */
  private readInto(place: FilePlace, at: number, into: Buffer, offset: number, length: number): void {
    const fd = this.fdOf(place);
    for (let done = 0; done < length; ) {
      const n = readSync(fd, into, offset + done, length - done, place.position + at + done);
      if (n === 0) throw new Error(`${place.path} is shorter than a column it holds`);
      done += n;
    }
  }

  /** The bytes of `span`, in a buffer of their own. */
  read(span: FileSpan): Buffer {
    const bytes = Buffer.allocUnsafe(span.length);
    this.readInto(span.place, 0, bytes, 0, span.length);
    return bytes;
  }

  /** Writes the bytes of `span` to `fd` at its position, a chunk at a time through one buffer (no fresh memory per span). */
  copyTo(span: FileSpan, fd: number): void {
    this.chunk ??= Buffer.allocUnsafe(COPY_CHUNK);
    for (let done = 0; done < span.length; ) {
      const n = Math.min(this.chunk.length, span.length - done);
      this.readInto(span.place, done, this.chunk, 0, n);
      for (let w = 0; w < n; ) w += writeSync(fd, this.chunk, w, n - w);
      done += n;
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
