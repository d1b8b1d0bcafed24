/**
 * The facts file of a cold index encoded and written in a worker thread while the main thread
 * resolves the graph.
 *
 * Why: resolve runs on one thread, and the facts frames' Brotli (with each frame's mention table)
 * is most of a cold index's work besides it. Encoded during expansion, as before, the frames kept
 * both cores busy there and left one idle through the resolution; encoded beside it, they take
 * the idle core. The frames wait in the spool (util/byte-spool.ts) as the parse workers packed them,
 * with the JSON of the files expansion changed (expand-frames.ts DeferredFrame), so nothing of
 * them is held in memory while the graph resolves, and the writer thread reads them from the
 * spool's file by its descriptor.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MentionTable } from '../resolve/mention-table.js';
import { mentionTableOfJson } from '../resolve/mention-json.js';
import { type ByteSpool, readSpoolFile, type SpooledBytes } from '../util/byte-spool.js';
import { WORKER_YOUNG_MB } from '../util/worker-limits.js';
import type { DeferredFrame } from './expand-frames.js';
import { workerScript } from './frame-encoder.js';
import { compressFactsJson, encodeFactsFrame, MAGIC, splicedJson, writeFrameFileAtomically } from './frame-file.js';
import { CACHE_FORMAT, type CacheEntry, type IndexCache } from './index-cache.js';

/** A run of spooled bytes as another thread reads it: its place in the spool's file, or its bytes when the spool kept them in memory. */
export type SpoolRun = { position: number; length: number } | { bytes: Uint8Array };

/** A DeferredFrame as sent to the writer thread (plain data). */
export interface FrameOrder {
  packed: SpoolRun;
  sizes: number[];
  changed: number[];
  texts: SpoolRun;
  textSizes: number[];
}

/** What the writer thread is asked to write: the facts file at `path`, its manifest, its frames in order, read from the spool open as `fd`. */
export interface FactsOrder {
  path: string;
  manifest: CacheEntry[];
  frames: FrameOrder[];
  fd: number;
}

/** Frame mention tables merged at a time while the frames are encoded, so that at most this many are held (merging is associative: MentionTable.merge). */
const MERGE_EVERY = 16;

const runOf = (bytes: SpooledBytes): SpoolRun => bytes.place ?? { bytes: bytes.read() };

/**
 * Writes the facts file `order` describes (as IndexCache.save writes one: the manifest frame, then
 * each frame's packed JSON with its changed files' texts spliced in, Brotli-compressed: the same
 * bytes as expand-frames.ts and save-facts.ts write), and returns the mention table of all its
 * frames (resolve/mention-json.ts, merged). Runs on the thread that calls it (the writer thread:
 * encode-worker.ts). Throws the file system's error (the file is then left as it was) or zlib's.
 */
export function writeOrderedFacts(order: FactsOrder): MentionTable {
  let tables: MentionTable[] = [];
  const read = (run: SpoolRun): Buffer => {
    if ('bytes' in run) return Buffer.from(run.bytes.buffer, run.bytes.byteOffset, run.bytes.byteLength);
    const into = Buffer.allocUnsafeSlow(run.length);
    readSpoolFile(order.fd, run.position, run.length, into);
    return into;
  };
  const frames = function* (): Generator<Buffer> {
    yield encodeFactsFrame(JSON.stringify(order.manifest));
    for (const f of order.frames) {
      const textBytes = read(f.texts);
      let at = 0;
      const texts = f.textSizes.map((n) => textBytes.toString('utf8', at, (at += n)));
      const json = splicedJson({ bytes: read(f.packed), sizes: f.sizes }, f.changed, texts);
      tables.push(mentionTableOfJson(json));
      if (tables.length >= MERGE_EVERY) tables = [MentionTable.merge(tables)];
      yield compressFactsJson(json);
    }
  };
  mkdirSync(dirname(order.path), { recursive: true });
  writeFrameFileAtomically(order.path, MAGIC, CACHE_FORMAT, frames());
  return MentionTable.merge(tables);
}

/**
 * Encodes and writes the facts file of `manifest` from `frames` (every frame of the index, in
 * order: expandFrames with `later`) in a worker thread, while the caller goes on; `spool` must stay
 * open until the promise settles. Resolves with the frames' merged mention table, or null when
 * the file could not be written (noted once through the cache: IndexCache.writeFailed). Without a
 * built worker script (tests from sources), the file is written on this thread when called.
 */
export function writeFactsBehind(cache: IndexCache, manifest: CacheEntry[], frames: DeferredFrame[], spool: ByteSpool): Promise<MentionTable | null> {
  const order: FactsOrder = { path: cache.filePath('facts'), manifest, frames: frames.map((f) => ({ packed: runOf(f.packed), sizes: f.sizes, changed: f.changed, texts: runOf(f.texts), textSizes: f.textSizes })), fd: spool.descriptor };
  const failed = (err: unknown): null => {
    cache.writeFailed(err instanceof Error ? err.message : String(err));
    return null;
  };
  const url = workerScript();
  if (!url) {
    try {
      return Promise.resolve(writeOrderedFacts(order));
    } catch (err) {
      return Promise.resolve(failed(err));
    }
  }
  return new Promise((resolve) => {
    const worker = new Worker(url, { workerData: null, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    let settled = false;
    const settle = (table: MentionTable | null): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(table);
    };
    worker.on('message', ({ mentions, error }: { mentions?: { hashes: Uint32Array; counts: Uint8Array }; error?: string }) => settle(mentions ? new MentionTable(mentions.hashes, mentions.counts) : failed(new Error(error ?? 'no facts written'))));
    worker.on('error', (err) => settle(failed(err)));
    worker.on('exit', () => settle(failed(new Error('the facts writer stopped'))));
    worker.postMessage({ id: 0, facts: order });
  });
}
