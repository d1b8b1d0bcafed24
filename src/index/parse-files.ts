import { workerScriptBeside } from '../util/worker-script.js';
import { Worker } from 'node:worker_threads';
import { type Extractor, fileParser } from '../parse/file-parser.js';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import type { PackedItems } from '../util/packed-items.js';
import type { SourceFile } from './discover-files.js';
import { FactSharer } from './share-facts.js';
import { WORKER_YOUNG_MB } from '../util/worker-limits.js';

/** Progress of indexing, emitted as events; only the CLI draws it. */
export interface IndexProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface ParseOptions {
  jobs: number;
  /** The fact extractor (default 'scan'). */
  extractor?: Extractor;
  /**
   * Batches are runs of this many consecutive files, and `onBatch` receives each one's facts
   * packed by the worker (util/packed-items.ts: their JSON texts, one per file in order): the
   * cache stores them as they are (one frame per batch). Only with worker threads (jobs > 1).
   */
  frames?: { size: number; onBatch: (first: number, packed: PackedItems) => void };
  onProgress?: (p: IndexProgress) => void;
}

const BATCH_BYTES = 2 << 20;

/** Fewer files than this are parsed in the calling thread; from this many on, worker threads parse them (with jobs > 1). */
export const IN_THREAD_FILES = 64;

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/; null when there is none. */
const workerScript = (): URL | null => workerScriptBeside('parse-worker.js', import.meta.url);

/** Facts for every file, in the order given. Runs `jobs` worker threads when jobs > 1. */
export async function parseFiles(root: string, profile: Profile, files: SourceFile[], options: ParseOptions): Promise<FileFacts[]> {
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  const progress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes };
  const workerUrl = workerScript();
  if (options.jobs <= 1 || files.length < IN_THREAD_FILES || !workerUrl) {
    const parse = fileParser(root, profile, options.extractor);
    return files.map((f) => {
      const facts = parse(f.path);
      progress.files++;
      progress.bytes += f.size;
      options.onProgress?.(progress);
      return facts;
    });
  }
  const batches = options.frames ? framesOf(files, options.frames.size) : batchesOf(files);
  const results: FileFacts[] = new Array(files.length);
  let next = 0;
  // Repeated values (argument lists, type expressions, parameters, member paths) shared across every batch's facts, and long
  // strings (share-facts.ts, intern-facts.ts): less heap, and names hashed once. The pools end with the parse.
  const sharer = new FactSharer();
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { root, profile: profile.name, extractor: options.extractor ?? 'scan' }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      let inFlight = 0;
      const feed = (): void => {
        if (next >= batches.length) {
          if (inFlight === 0) void worker.terminate().then(() => resolve());
          return;
        }
        const id = next++;
        inFlight++;
        worker.postMessage({ id, paths: batches[id]!.map((i) => files[i]!.path), pack: !!options.frames });
      };
      // Facts come back as JSON text, one per file: parsing it costs the main thread less than a structured clone of many small
      // objects. Each file's text is parsed and its values shared before the next is parsed, so the copies sharing drops die
      // young: parsed a batch at a time, a batch's duplicates would still be held whenever a scavenge came in the middle of its
      // parse, and be copied by it.
      worker.on('message', ({ id, items, packed }: { id: number; items: string[]; packed?: PackedItems }) => {
        inFlight--;
        const batch = batches[id]!;
        if (packed) options.frames?.onBatch(batch[0]!, packed);
        for (let j = 0; j < items.length; j++) {
          const facts = JSON.parse(items[j]!) as FileFacts;
          items[j] = ''; // the text is garbage once parsed
          sharer.file(facts);
          results[batch[j]!] = facts;
          progress.bytes += files[batch[j]!]!.size;
        }
        progress.files += batch.length;
        options.onProgress?.(progress);
        feed();
      });
      worker.on('error', reject);
      // Two batches in flight, so a worker never waits while the main thread reads the other's results.
      feed();
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(options.jobs, batches.length) }, runWorker));
  return results;
}

/** Batches of about BATCH_BYTES, largest files first so no worker is left with a long tail. */
function batchesOf(files: SourceFile[]): number[][] {
  const order = files.map((_, i) => i).sort((a, b) => files[b]!.size - files[a]!.size);
  const batches: number[][] = [];
  let current: number[] = [];
  let size = 0;
  for (const i of order) {
    current.push(i);
    size += files[i]!.size;
    if (size >= BATCH_BYTES || current.length >= 256) {
      batches.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** Runs of `size` consecutive files, the heaviest runs first. */
function framesOf(files: SourceFile[], size: number): number[][] {
  const runs: number[][] = [];
  for (let i = 0; i < files.length; i += size) runs.push(Array.from({ length: Math.min(size, files.length - i) }, (_, k) => i + k));
  const weight = (run: number[]): number => run.reduce((a, i) => a + files[i]!.size, 0);
  return runs.map((run) => [weight(run), run] as const).sort((a, b) => b[0] - a[0]).map(([, run]) => run);
}
