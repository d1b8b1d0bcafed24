import { parentPort } from 'node:worker_threads';
import { rememberBlocks } from './column-reuse.js';
import { encodeColumnParts } from './columns.js';
import { writeFrameFileAtomically } from './frame-file.js';
import { pruneScopes } from './prune-scopes.js';
import type { WriteJob } from './write-behind.js';

/**
 * Worker thread of write-behind.ts, started ahead (startWriter) and given one job: encodes the frames of one graph cache file (columns.ts) and
 * writes it atomically, then says it is done (WriteJob.done) and ends whether it wrote or failed; a failure
 * is posted back as its message.
 */
parentPort!.once('message', (job: WriteJob) => {
  // The remembered blocks, each as its bytes (shared memory: read by the main thread from the old cache file).
  const held = job.blocks.map((b) => Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength));
  try {
    held.forEach((bytes, i) => rememberBlocks((from, to) => bytes.subarray(from, to), job.blocks[i]!.ends, job.blocks[i]!.hashes));
    writeFrameFileAtomically(job.path, Buffer.from(job.magic), job.format, job.frames.map((f) => encodeColumnParts(f)));
    if (job.prune) pruneScopes(job.prune.dir, job.prune.key);
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message.split('\n')[0] });
  } finally {
    Atomics.store(job.done, 0, 1);
    Atomics.notify(job.done, 0);
    held.length = 0;
    parentPort!.close();
  }
});
