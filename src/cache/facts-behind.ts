/**
 * The facts file of a cold index encoded and written in a worker thread, frame by frame as the
 * main thread expands them, and on while it resolves the graph.
 *
 * Why: the expansion and the resolution run on the main thread alone, and the facts frames'
 * Brotli (with each frame's mention table) is most of a cold index's work besides them. Encoded by
 * two threads the expansion waited for, as before, the frames left one core idle through the
 * resolution; encoded beside both, they take the idle core. The frames wait in the spool
 * (util/byte-spool.ts) as the parse workers packed them, with what expansion changed in each file
 * it changed (facts-delta.ts, expand-frames.ts DeferredFrame), so nothing of them is held in memory meanwhile, and
 * the writer thread reads them from the spool's file by its descriptor (facts-order.ts, facts-worker.ts).
 */
import { workerScriptBeside } from '../util/worker-script.js';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { MentionTable } from '../resolve/mention-table.js';
import type { ByteSpool, SpooledBytes } from '../util/byte-spool.js';
import type { DeferredFrame } from './expand-frames.js';
import { type FactsFile, type FrameOrder, type SpoolRun, writeOrderedFacts } from './facts-order.js';
import { CACHE_FORMAT, type CacheEntry, type IndexCache } from './index-cache.js';

/**
 * The writer thread's young generation, in MB (V8's resourceLimits.maxYoungGenerationSizeMb):
 * what it allocates in V8's heap is little (the frames are buffers outside it), and it is alive
 * where a cold index's memory peaks.
 */
const WRITER_YOUNG_MB = 4;

const runOf = (bytes: SpooledBytes): SpoolRun => bytes.place ?? { bytes: bytes.read() };

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/; null when there is none. */
const workerScript = (): URL | null => workerScriptBeside('facts-worker.js', import.meta.url);

/**
 * Writes the facts file of `manifest` in a worker thread from the frames given to `add`, in
 * order, every frame of the index (expandFrames with `later`); `spool` must stay open until `done`
 * settles. Without a built worker script (tests from sources), the file is written on this thread by `done`.
 */
export class FactsWriter {
  private readonly file: FactsFile;
  private readonly worker: Worker | null = null;
  private readonly port: MessagePort | null = null;
  /** The count of messages posted on `port`, which the worker sleeps on. */
  private readonly sent: Int32Array | null = null;
  private readonly written: Promise<MentionTable | null> | null = null;
  /** The frames given, when there is no worker thread. */
  private readonly held: FrameOrder[] = [];

  constructor(
    private readonly cache: IndexCache,
    manifest: CacheEntry[],
    spool: ByteSpool,
  ) {
    this.file = { path: cache.filePath('facts'), format: CACHE_FORMAT, manifest, fd: spool.descriptor };
    const url = workerScript();
    if (!url) return;
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const worker = new Worker(url, { workerData: { file: this.file, port: port2, signal }, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_MB } });
    // Kept alive by `done` only: an index failing before it leaves no thread waiting for frames.
    worker.unref();
    this.written = new Promise((resolve) => {
      let settled = false;
      // The first of the worker's answer, error or exit settles; what follows (the exit of a worker that answered) is no failure.
      const settle = (table: () => MentionTable | null): void => {
        if (settled) return;
        settled = true;
        port1.close();
        // Settled once the thread is gone, so that no event of it comes after.
        void worker.terminate().finally(() => resolve(table()));
      };
      worker.on('message', ({ mentions, error }: { mentions?: { hashes: Uint32Array; counts: Uint8Array }; error?: string }) => settle(() => (mentions ? new MentionTable(mentions.hashes, mentions.counts) : this.failed(new Error(error ?? 'no facts written')))));
      worker.on('error', (err) => settle(() => this.failed(err)));
      worker.on('exit', () => settle(() => this.failed(new Error('the facts writer stopped'))));
    });
    this.worker = worker;
    this.port = port1;
    this.sent = new Int32Array(signal);
  }

  private failed(err: unknown): null {
    this.cache.writeFailed(err instanceof Error ? err.message : String(err));
    return null;
  }

  /** Posts `message` and wakes the worker. */
  private post(message: FrameOrder | null): void {
    this.port!.postMessage(message);
    Atomics.add(this.sent!, 0, 1);
    Atomics.notify(this.sent!, 0);
  }

  /** The next frame of the file (its runs must stay in the spool until `done` settles). */
  add(frame: DeferredFrame): void {
    const order: FrameOrder = { packed: runOf(frame.packed), sizes: frame.sizes, changed: frame.changed, texts: runOf(frame.texts), textSizes: frame.textSizes };
    if (this.port) this.post(order);
    else this.held.push(order);
  }

  /**
   * Ends the frames: resolves with their merged mention table once the file is written, or null
   * when it could not be (noted once through the cache: IndexCache.writeFailed).
   */
  done(): Promise<MentionTable | null> {
    if (!this.worker) {
      try {
        return Promise.resolve(writeOrderedFacts(this.file, this.held));
      } catch (err) {
        return Promise.resolve(this.failed(err));
      }
    }
    this.worker.ref();
    this.post(null);
    return this.written!;
  }

  /** Stops the writer without writing the file (an index that failed before all its frames were given). */
  abandon(): void {
    void this.worker?.terminate();
  }
}

/**
 * What `run` returns; when it throws, `written` (a facts file being written: FactsWriter.done) is
 * waited for first, so that an index failing while it resolves keeps the facts it parsed, as one
 * whose facts were written before resolving does.
 */
export async function besideFacts<T>(written: Promise<unknown> | null, run: () => T): Promise<T> {
  try {
    return run();
  } catch (err) {
    await written;
    throw err;
  }
}
