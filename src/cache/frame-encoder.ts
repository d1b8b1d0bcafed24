import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PackedItems } from '../util/packed-items.js';
import { encodePackedFrame } from './frame-file.js';

/** The compiled encoder script; when running from TypeScript sources (tests), the built copy in dist/. */
function workerScript(): URL | null {
  const here = new URL('./encode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace('/src/cache/', '/dist/cache/'));
  return existsSync(fileURLToPath(built)) ? built : null;
}

/**
 * Encodes facts frames (encodePackedFrame) in one worker thread, in the order asked, while the
 * main thread goes on (a kernel's 218 frames take about 12 s of one core): `encode` hands a
 * frame over at once and its promise settles when the worker is done with it. The worker is
 * started on the first frame and ends with `close` (or when a frame fails); it keeps the process
 * alive only while frames are pending, so an error thrown meanwhile never leaves it hanging. Without a built
 * worker script (tests run from sources with no dist/), frames are encoded on the calling
 * thread when asked for.
 */
export class FrameEncoder {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private next = 0;

  /**
   * The encoded frame of `packed` with the items of `replaced` (item index -> new JSON text)
   * replaced. The packed bytes are transferred to the worker: `packed` is unusable afterwards.
   * Rejects with the encoder's error.
   */
  encode(packed: PackedItems, replaced: Map<number, string>): Promise<Buffer> {
    const worker = this.worker ?? this.start();
    if (!worker) return new Promise((resolve) => resolve(encodePackedFrame(packed, (j) => replaced.get(j))));
    const id = this.next++;
    const done = new Promise<Buffer>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // Handled here too: a frame that fails before anyone awaits it is no unhandled rejection.
    done.catch(() => {});
    worker.ref();
    worker.postMessage({ id, packed, replaced }, [packed.bytes.buffer as ArrayBuffer]);
    return done;
  }

  /** Ends the worker once every frame asked for is encoded. */
  close(): void {
    if (this.pending.size === 0) void this.worker?.terminate();
    this.worker = null;
  }

  /** Settles every pending frame with `err` and ends the worker. */
  private fail(worker: Worker, err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (this.worker === worker) this.worker = null;
    void worker.terminate();
  }

  private start(): Worker | null {
    const url = workerScript();
    if (!url) return null;
    const worker = new Worker(url);
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      if (error !== undefined || !bytes) p.reject(new Error(error ?? 'no frame encoded'));
      else p.resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (this.pending.size > 0) return;
      if (this.worker === worker) worker.unref();
      else void worker.terminate();
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', () => this.fail(worker, new Error('the frame encoder stopped')));
    this.worker = worker;
    return worker;
  }
}
