import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { rememberedBlocks } from './column-reuse.js';
import { detachedForWriting } from './columns.js';

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
  /** Deflated blocks of recently decoded texts, found again by hash instead of deflated again (column-reuse.ts). */
  blocks: { bytes: Uint8Array; ends: number[]; hashes: string[] }[];
  /** Folder and scope key for pruneScopes after the write, or null. */
  prune: { dir: string; key: string } | null;
  /** Set to 1 (and notified) by the worker when it is done, written or not. */
  done: Int32Array;
}

/** The longest a later use of a path waits for its write (ms): past it, the file read is the old one or the new one, whole either way. */
const MAX_WAIT_MS = 120_000;

/** Writes under way, by path. */
const pending = new Map<string, Int32Array>();

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/; null when there is none. */
function workerScript(): URL | null {
  const here = new URL('./write-behind-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace('/src/cache/', '/dist/cache/'));
  return existsSync(fileURLToPath(built)) ? built : null;
}

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

/**
 * Starts writing `frames` (values as IndexCache.save encodes them for a graph file) to `path` in
 * a worker thread; false when there is no worker script (the caller writes here). `onError` gets
 * the write's error message, if it fails (the file is then left as it was).
 */
export function writeBehind(path: string, magic: Buffer, format: number, frames: unknown[], prune: WriteJob['prune'], onError: (message: string) => void): boolean {
  const url = workerScript();
  if (!url) return false;
  settleWrite(path);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const job: WriteJob = { path, magic: new Uint8Array(magic), format, frames: frames.map(detachedForWriting), blocks: rememberedBlocks(), prune, done };
  const worker = idle ?? new Worker(url);
  idle = null;
  worker.ref();
  // Structured clone: the frames' shared memory (graph frames, patched edge columns) is shared, the rest copied.
  worker.postMessage(job);
  pending.set(path, done);
  const finished = (): void => {
    if (pending.get(path) === done) pending.delete(path);
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
