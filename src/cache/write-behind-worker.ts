import { parentPort } from 'node:worker_threads';
import { rememberBlocks, rememberText } from './column-reuse.js';
import { encodeColumnParts } from './columns.js';
import { SpanFiles } from './file-span.js';
import { writeFrameFileAtomically } from './frame-file.js';
import { writeKeptFor } from './kept-beside.js';
import { pruneScopes } from './prune-scopes.js';
import { inflateRawSync } from 'node:zlib';
import { renameSync } from 'node:fs';
import { sharedBytesWithRoom } from '../util/shared-arrays.js';
import type { TextAhead, WriteJob } from './write-behind.js';

/**
 * Worker thread of write-behind.ts, started ahead (startWriter), asked meanwhile to inflate a long text ahead (textAhead), and given one job: encodes the frames of one graph cache file (columns.ts) and
 * writes it atomically, then renames the file the job promotes (WriteJob.promote), keeps what the job keeps beside it (WriteJob.keep), then says it is done
 * (WriteJob.done) and ends whether it wrote or failed; a failure is posted back as its message.
 */
/**
 * Inflates a `chunks` column's blocks (UTF-8) into shared memory of the text's length, made here
 * and posted to the asking thread's port first (write-behind.ts textAhead); state 1 and the byte
 * length when done, state 2 when the text does not fit it or a block does not inflate. The text inflated is remembered with its blocks, which
 * the write that follows finds again in the patched text by their bytes (column-reuse.ts rememberText).
 */
function inflateAhead(ahead: TextAhead): void {
  const { bytes, ends, starts, length, port, state } = ahead;
  let at = 0;
  try {
    // Made and sent before inflating: the thread that asked takes it from its port once the state says done.
    const out = sharedBytesWithRoom(length);
    port.postMessage(out.buffer);
    port.close();
    const held = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const into = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    const deflated = (b: number): Buffer => held.subarray(b === 0 ? 0 : ends[b - 1]!, ends[b]!);
    for (let b = 0; b < ends.length; b++) {
      // Inflated into one buffer of the block's size (an ASCII block has as many bytes as characters), not 16 KB pieces joined after.
      const size = (b + 1 < starts.length ? starts[b + 1]! : into.length) - (starts[b] ?? 0);
      const block = inflateRawSync(deflated(b), { chunkSize: Math.max(64, size + 1) });
      if (at + block.length > into.length) throw new Error('the text is longer than asked for');
      block.copy(into, at);
      at += block.length;
    }
    // As many bytes as characters: every character is ASCII (UTF-8 takes more bytes for any other).
    if (at !== into.length) throw new Error('the text is not ASCII');
    if (ahead.hashes) rememberText({ bytes: into, starts, hashes: ahead.hashes, block: deflated });
    Atomics.store(state, 1, at);
    Atomics.store(state, 0, 1);
  } catch {
    Atomics.store(state, 0, 2);
  }
  Atomics.notify(state, 0);
}

const onMessage = (message: WriteJob | { ahead: TextAhead }): void => {
  if ('ahead' in message) return inflateAhead(message.ahead);
  parentPort!.off('message', onMessage);
  write(message);
};
parentPort!.on('message', onMessage);

function write(job: WriteJob): void {
  // The remembered blocks, each as its bytes (shared memory: read by the main thread from the old cache file).
  const held = job.blocks.map((b) => Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength));
  // The cache file columns left unread are read from, here rather than on the thread that handed them over.
  const spans = new SpanFiles();
  try {
    held.forEach((bytes, i) => rememberBlocks((from, to) => bytes.subarray(from, to), job.blocks[i]!.ends, job.blocks[i]!.hashes));
    const identity = writeFrameFileAtomically(job.path, Buffer.from(job.magic), job.format, job.frames.map((f, i) => encodeColumnParts(f, job.hints[i], spans)));
    if (job.promote) renameSync(job.promote.from, job.promote.to);
    if (job.keep) writeKeptFor(job.keep.base, identity, job.keep.kept);
    if (job.prune) pruneScopes(job.prune.dir, job.prune.key);
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message.split('\n')[0] });
  } finally {
    spans.close();
    Atomics.store(job.done, 0, 1);
    Atomics.notify(job.done, 0);
    held.length = 0;
    parentPort!.close();
  }
}
