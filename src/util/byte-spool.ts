import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs of bytes written to a temporary file as they come and read back when wanted, instead of
 * held in memory meanwhile.
 *
 * Why: a cold index holds its parse workers' packed frames (a whole Linux 6.1 x86 tree: 218
 * frames, some 140 MB) from parsing until expansion takes them, and the encoders' compressed
 * frames (85 MB) from expansion until the facts file is written. Held in memory, as malloc'd
 * buffers or as strings in V8's heap, they add to the peak of both phases; written here, they
 * are in the system's page cache, which is no part of the process's resident memory.
 *
 * The file is removed from its folder as soon as it is open (where the system allows it, else when
 * the spool is closed), so that nothing is left behind when the process is killed. It lies in the
 * folder given (the cache's): a temporary folder may be a tmpfs, held in memory anyway.
 */
export class ByteSpool {
  /** Where the next run is written: the file's length so far. */
  private end = 0;
  /** The file: not yet opened (the first put opens it), open, or none (-1: it could not be made, or the spool is closed). */
  private fd: number | 'unopened' = 'unopened';
  /** The file's path while it still has one (removed at close), else null. */
  private path: string | null = null;

  /**
   * A spool whose file is made in `dir` (made by `makeDir` when absent) by the first put. When no
   * file can be made there (a read-only folder), the spool keeps what it is given in memory, as the
   * caller would have without it.
   */
  constructor(
    private readonly dir: string,
    private readonly makeDir: (dir: string) => void = (d) => mkdirSync(d, { recursive: true }),
  ) {}

  /** The file's descriptor, the file made when none was: -1 when it cannot be made, or the spool is closed. */
  private file(): number {
    if (this.fd !== 'unopened') return this.fd;
    const path = join(this.dir, `.spool-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
    try {
      this.makeDir(this.dir);
      this.fd = openSync(path, 'wx+');
    } catch {
      return (this.fd = -1);
    }
    try {
      unlinkSync(path);
    } catch {
      this.path = path;
    }
    return this.fd;
  }

  /**
   * `bytes` written at the end of the file (copied: the caller may reuse them at once). When they
   * cannot be written (a full disk, a closed spool or one with no file), they are kept in memory
   * instead, copied.
   */
  put(bytes: Uint8Array): SpooledBytes {
    const position = this.end;
    const fd = this.file();
    if (fd < 0) return new SpooledBytes(this, -1, bytes.length, Buffer.from(bytes));
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    } catch {
      return new SpooledBytes(this, -1, bytes.length, Buffer.from(bytes));
    }
    this.end += bytes.length;
    return new SpooledBytes(this, position, bytes.length, null);
  }

  /** Reads `length` bytes at `position` into `into`; throws when the file is shorter or closed. */
  readAt(position: number, length: number, into: Buffer): void {
    if (typeof this.fd !== 'number' || this.fd < 0) throw new Error('the byte spool is closed');
    readSpoolFile(this.fd, position, length, into);
  }

  /**
   * The file's descriptor (-1 when it has none: not yet written, closed, or kept in memory), for
   * another thread of this process to read runs at their SpooledBytes.place with readSpoolFile
   * while the spool stays open.
   */
  get descriptor(): number {
    return typeof this.fd === 'number' ? this.fd : -1;
  }

  /** Closes (and removes) the file; runs it held can no longer be read. */
  close(): void {
    if (typeof this.fd === 'number' && this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.path) unlinkSync(this.path);
    this.path = null;
  }
}

/** A run of bytes put in a ByteSpool. */
export class SpooledBytes {
  constructor(
    private readonly spool: ByteSpool,
    /** Byte position in the spool's file (-1 when `kept`). */
    private readonly position: number,
    /** The number of bytes. */
    readonly length: number,
    /** The bytes, when they could not be written to the file. */
    private readonly kept: Buffer | null,
  ) {}

  /** Where the run lies in its spool's file (bytes), or null when it is kept in memory (see `read`). */
  get place(): { position: number; length: number } | null {
    return this.kept ? null : { position: this.position, length: this.length };
  }

  /**
   * The bytes: written into `into` (its first `length` bytes, returned as a view of it) when given,
   * so that a caller reading many runs in turn reuses one buffer; otherwise in a buffer of their
   * own (its whole ArrayBuffer, transferable). Throws RangeError when `into` is shorter than the
   * bytes, and the file system's error when the spool is closed.
   */
  read(into?: Buffer): Buffer {
    if (into && into.length < this.length) throw new RangeError(`a buffer of ${into.length} bytes cannot hold ${this.length} spooled bytes`);
    const out = into ?? Buffer.allocUnsafeSlow(this.length);
    if (this.kept) this.kept.copy(out);
    else this.spool.readAt(this.position, this.length, out);
    return out.subarray(0, this.length);
  }
}

/**
 * Reads `length` bytes at `position` of the spool file open as `fd` (ByteSpool.descriptor) into
 * `into` (from its start), from any thread of the process that opened it. Throws when the file is
 * shorter, or the file system's error (a closed descriptor).
 */
export function readSpoolFile(fd: number, position: number, length: number, into: Buffer): void {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) throw new Error('the byte spool is shorter than a run it holds');
    done += n;
  }
}
