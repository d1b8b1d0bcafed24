import { workerScriptBeside } from '../util/worker-script.js';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { rememberedBlocks, rememberRead, rememberUnread, unreadColumn } from './column-reuse.js';
import { TEXT_SLICES, type TextSlices } from '../util/text-slices.js';
import { registerTextBytes } from '../util/text-bytes.js';
import { takenBytesWithRoom } from '../util/shared-arrays.js';
import { detachedForWriting } from './columns.js';
import { type EncodingHint, encodingHints } from './column-hints.js';
import type { KeptForWrite } from './kept-beside.js';

/**
 * Writing a graph cache file in a worker thread while this thread goes on (the query a patched
 * graph was opened for runs meanwhile: on a whole kernel, encoding and writing the graph takes
 * about half a second of its own). What is written is exactly what IndexCache.save writes, and as
 * safely: the worker writes a temporary file and renames it (frame-file.ts
 * writeFrameFileAtomically), so a reader sees the whole old file or the whole new one. Within this
 * process, any later use of the same path waits for the write first (settleWrite); the process
 * does not end before the worker is done (the worker keeps it alive).
 */

/** What the worker is given (one message, a structured clone). */
export interface WriteJob {
  path: string;
  magic: Uint8Array;
  format: number;
  /** Frames, each a value for encodeColumnParts (detachedForWriting). */
  frames: unknown[];
  /** Per frame, how the frame it was decoded from stored each column (column-hints.ts encodingHints), or undefined. */
  hints: (Record<string, EncodingHint> | undefined)[];
  /** Deflated blocks of recently decoded texts, found again by hash instead of deflated again (column-reuse.ts). */
  blocks: { bytes: Uint8Array; ends: number[]; hashes: string[] }[];
  /** Folder and scope key for pruneScopes after the write, or null. */
  prune: { dir: string; key: string } | null;
  /** A file renamed once the graph is written (facts pending for it: IndexCache.savePendingFacts), or null. */
  promote: { from: string; to: string } | null;
  /** A value kept beside the graph file once written and its facts promoted, for the file's identity (kept-beside.ts writeKeptFor), or null. */
  keep: { base: string; kept: KeptForWrite } | null;
  /** Set to 1 (and notified) by the worker when it is done, written or not. */
  done: Int32Array;
}

/** The longest a later use of a path waits for its write (ms): past it, the file read is the old one or the new one, whole either way. */
const MAX_WAIT_MS = 120_000;

/** Writes under way, by path. */
const pending = new Map<string, Int32Array>();

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/; null when there is none. */
const workerScript = (): URL | null => workerScriptBeside('write-behind-worker.js', import.meta.url);

/** A worker started ahead of its write (startWriter), idle until given one; it does not keep the process alive meanwhile. */
let idle: Worker | null = null;

/**
 * Starts the writer's worker thread ahead of a write that may come (a patch about to be made),
 * so that its start-up overlaps the patch; it waits, and keeps nothing alive, until writeBehind gives it a job.
 */
export function startWriter(): void {
  const url = idle ? null : workerScript();
  if (!url) return;
  idle = new Worker(url);
  idle.unref();
  // A worker that fails to start is dropped; writeBehind starts another.
  const worker = idle;
  worker.on('error', () => {
    if (idle === worker) idle = null;
  });
}

/** A long text the writer's worker inflates ahead (textAhead): a `chunks` column's deflated bytes and block ends, its length, where to send the memory it inflates into, and [state, bytes]. */
export interface TextAhead {
  bytes: Uint8Array;
  ends: number[];
  /** Each block's first character, and its hash: the inflated text's blocks are then found again by the writer (column-reuse.ts rememberText). */
  starts: number[];
  hashes: string[] | undefined;
  /** The text's length in characters: the UTF-8 text fits that many bytes when every character is ASCII, else the worker gives up (state 2). */
  length: number;
  /**
   * Where the worker posts the shared memory it inflates into, made there before it inflates (util/shared-arrays.ts
   * sharedBytesWithRoom: `length` bytes, with room after them for a patch's evidence appended), so that the 36 MB
   * of a kernel's text are zeroed by the idle worker, not by the thread that asked (textAhead reads the message, once done).
   */
  port: MessagePort;
  /** [0]: 0 under way, 1 done, 2 given up; [1]: the UTF-8 length when done. */
  state: Int32Array;
}

/** The longest textAhead's reader waits for the worker (ms) before decoding the text itself. */
const AHEAD_WAIT_MS = 10_000;

/**
 * Has the writer's worker (started ahead by startWriter, idle until its write) inflate
 * `owner[key]`, a long text still unread in its cache frame (a `chunks` column: the evidence
 * texts, some 36 MB on a kernel, which a patch that moves lines reads whole), while this thread
 * goes on: reading the property then waits for the worker and decodes its UTF-8 instead of
 * inflating every block here. The property stays what the column reader made it otherwise: the
 * same text, a column a writer copies as stored while unread (or read and unchanged), and its
 * slice reader until read or assigned. Does nothing when there is no idle worker or the property
 * is not such a column; falls back to the column reader when the worker gives up (a text that is
 * not ASCII) or is late.
 */
export function textAhead(owner: Record<string, unknown>, key: string): void {
  const column = unreadColumn(owner, key);
  const own = Object.getOwnPropertyDescriptor(owner, key);
  if (!idle || !column || column.info.enc !== 'chunks' || !own?.get) return;
  const info = column.info as typeof column.info & { ends: number[]; starts: number[]; hashes?: string[]; length: number };
  const channel = new MessageChannel();
  // Each read of a stored column's bytes reads them from the cache file into memory of their own: read once.
  const stored = column.bytes;
  const ahead: TextAhead = { bytes: new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength), ends: info.ends, starts: info.starts, hashes: info.hashes, length: info.length, port: channel.port2, state: new Int32Array(new SharedArrayBuffer(8)) };
  if (!(ahead.bytes.buffer instanceof SharedArrayBuffer)) return;
  idle.postMessage({ ahead }, [channel.port2]);
  // The memory the text was inflated into, as the worker posted it (before inflating, so that it is there once the state says done).
  let inflatedInto: Uint8Array | null | undefined;
  const out = (): Uint8Array | null => {
    if (inflatedInto !== undefined) return inflatedInto;
    const sent = receiveMessageOnPort(channel.port1)?.message;
    channel.port1.close();
    return (inflatedInto = sent instanceof SharedArrayBuffer ? takenBytesWithRoom(sent, info.length) : null);
  };
  const decode = own.get;
  // As the column reader settles a property once it holds a whole value: a plain property, its slice and byte readers dropped.
  // On the object read (`this`): a copy carrying the getter (util/text-slices.ts withFields) settles itself.
  const settle = (on: object, v: unknown): void => {
    delete (on as { [TEXT_SLICES]?: TextSlices })[TEXT_SLICES]?.[key];
    registerTextBytes(on, key, undefined);
    Object.defineProperty(on, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
  /** True once the worker has inflated the text, and its memory is here (false when it gave up or is late). */
  const inflated = (): boolean => {
    const until = Date.now() + AHEAD_WAIT_MS;
    while (Atomics.load(ahead.state, 0) === 0 && Date.now() < until) Atomics.wait(ahead.state, 0, 0, 100);
    return Atomics.load(ahead.state, 0) === 1 && out() !== null;
  };
  let text: string | undefined;
  function get(this: object | undefined): unknown {
    const on = this ?? owner;
    if (!inflated()) {
      // The column reader inflates it here (and settles the property itself).
      registerTextBytes(on, key, undefined);
      Object.defineProperty(on, key, own!);
      return decode.call(on);
    }
    text ??= Buffer.from(out()!.buffer, 0, Atomics.load(ahead.state, 1)).toString('latin1');
    settle(on, text);
    rememberRead(on, key, text, column!);
    return text;
  }
  rememberUnread(get, column);
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get,
    set(this: object | undefined, v: unknown) {
      settle(this ?? owner, v);
    },
  });
  // Its bytes, for a reader that works on them without making the string (resolve/remap-evidence.ts).
  registerTextBytes(owner, key, () => (inflated() ? out()!.subarray(0, Atomics.load(ahead.state, 1)) : undefined));
}

/**
 * Starts writing `frames` (values as IndexCache.save encodes them for a graph file) to `path` in
 * a worker thread; false when there is no worker script (the caller writes here). `onError` gets
 * the write's error message, if it fails (the file is then left as it was). `promote`: a file
 * renamed once `path` is written (not when its write fails); a use of its new name waits as well.
 * `keep`: a value kept beside the file written (WriteJob.keep).
 */
export function writeBehind(path: string, magic: Buffer, format: number, frames: unknown[], prune: WriteJob['prune'], onError: (message: string) => void, promote: WriteJob['promote'] = null, keep: WriteJob['keep'] = null): boolean {
  const url = workerScript();
  if (!url) return false;
  settleWrite(path);
  const done = new Int32Array(new SharedArrayBuffer(4));
  if (promote) settleWrite(promote.to);
  const job: WriteJob = { path, magic: new Uint8Array(magic), format, frames: frames.map(detachedForWriting), hints: frames.map(encodingHints), blocks: rememberedBlocks(), prune, promote, keep, done };
  const worker = idle ?? new Worker(url);
  idle = null;
  worker.ref();
  // Structured clone: the frames' shared memory (graph frames, patched edge columns) is shared, the rest copied.
  worker.postMessage(job);
  const paths = promote ? [path, promote.to] : [path];
  for (const p of paths) pending.set(p, done);
  const finished = (): void => {
    for (const p of paths) if (pending.get(p) === done) pending.delete(p);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) onError(m.error);
  });
  worker.on('error', (err) => onError(err.message));
  worker.on('exit', finished);
  return true;
}

/** Waits (blocking this thread) until a write of `path` started here is done. */
export function settleWrite(path: string): void {
  const done = pending.get(path);
  if (!done) return;
  const until = Date.now() + MAX_WAIT_MS;
  while (Atomics.load(done, 0) === 0 && Date.now() < until) Atomics.wait(done, 0, 0, 100);
  pending.delete(path);
}

/** Waits (blocking this thread) for every write started here: before the process ends at once (process.exit), so that no write is cut short. */
export function settleWrites(): void {
  for (const path of [...pending.keys()]) settleWrite(path);
}
