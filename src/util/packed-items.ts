import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { ByteSpool, SpooledBytes } from './byte-spool.js';

/**
 * A JSON array packed for a short stay in memory: the UTF-8 bytes of `[item,item,...]` (the
 * items' JSON texts joined, so the same bytes as JSON.stringify of the array of their values),
 * compressed fast (PACKING: about 6.5 times smaller on a kernel's facts), with each item's length
 * in UTF-8 bytes, so that single items can be replaced without turning the others into JSON again.
 * A parse worker packs the facts of its batch this way (index/parse-worker.ts); the cache stage
 * unpacks and encodes them as a facts frame once definer expansion has changed what it changes.
 */
export interface PackedItems {
  bytes: Uint8Array;
  sizes: number[];
}

/**
 * How packItems compresses: Brotli at quality 0, the fastest. Why: every parse worker packs its
 * batches while the parse keeps both cores busy, so this CPU is the cold index's wall time. On
 * every 8th facts frame of Linux 6.1 x86 (112 MB of JSON in 4 MB pieces, one thread, 2026-12-06)
 * Brotli 0 made it 6.51 times smaller in 0.15 s and read it back in 0.14 s, where gzip level 1
 * (used before) made it 6.41 times smaller in 0.35 s and read it back in 0.16 s; Brotli 1 was 7.18
 * times smaller in 0.20 s, zlib's Huffman-only and RLE strategies 1.6 times in 0.5 s.
 */
const PACKING = { params: { [constants.BROTLI_PARAM_QUALITY]: 0 } };

/**
 * Packs the items' JSON texts (see PackedItems). `joined`, when the caller has it already, is
 * their array's JSON (`[` + items joined by `,` + `]`), not made again. `bytes` owns its whole
 * ArrayBuffer, so it can be transferred to another thread.
 */
export function packItems(items: readonly string[], joined = `[${items.join(',')}]`): PackedItems {
  const sizes = items.map((t) => Buffer.byteLength(t, 'utf8'));
  const compressed = brotliCompressSync(Buffer.from(joined, 'utf8'), PACKING);
  const bytes = new Uint8Array(compressed.length);
  bytes.set(compressed);
  return { bytes, sizes };
}

/**
 * A PackedItems held in a spool file while it waits (util/byte-spool.ts), `sizes` as they were.
 * Why: a cold index holds every frame its parse workers packed (a kernel's 218 frames, some 140
 * MB) until expansion takes them in turn; held in memory, they add to the peak of both phases.
 */
export interface SpooledItems {
  bytes: SpooledBytes;
  sizes: number[];
}

/** `packed` put in `spool` (see SpooledItems): its bytes are copied, so the caller may drop them at once. */
export function spoolItems(spool: ByteSpool, packed: PackedItems): SpooledItems {
  return { bytes: spool.put(packed.bytes), sizes: packed.sizes };
}

/** The PackedItems of `spooled` again, its bytes owning their whole ArrayBuffer (as packItems makes them: transferable). Throws when the spool is closed. */
export function unspoolItems(spooled: SpooledItems): PackedItems {
  const bytes = spooled.bytes.read();
  return { bytes: new Uint8Array(bytes.buffer, 0, bytes.length), sizes: spooled.sizes };
}

/** The UTF-8 JSON of the packed array (as packItems took it). Throws zlib's error on bytes packItems did not make. */
export function unpackItems(packed: PackedItems): Buffer {
  const total = packed.sizes.reduce((a, n) => a + n + 1, 1);
  // One output chunk of the known length: no run of small chunks to gather.
  return brotliDecompressSync(packed.bytes, { chunkSize: total + 1024 });
}

/** Where each item of a packed array's UTF-8 JSON starts (`sizes`: the items' lengths in bytes), in bytes: after the `[` and the commas before it. */
export function itemStarts(sizes: readonly number[]): number[] {
  const starts: number[] = [];
  let at = 1;
  for (const size of sizes) {
    starts.push(at);
    at += size + 1;
  }
  return starts;
}

/**
 * The UTF-8 JSON of an array (`json`, its items `sizes` bytes long, as unpackItems gives it)
 * with some items replaced: `replacement(j)` is item j's new JSON text (or its UTF-8 bytes), or
 * undefined to keep its bytes as they are.
 */
export function spliceItems(json: Buffer, sizes: readonly number[], replacement: (j: number) => string | Uint8Array | undefined): Buffer {
  const parts: Uint8Array[] = [];
  let at = 1;
  let kept = 1; // start of the kept bytes not yet in `parts` (after the '[')
  sizes.forEach((size, j) => {
    const text = replacement(j);
    if (text !== undefined) {
      parts.push(json.subarray(kept, at), typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
      kept = at + size;
    }
    at += size + 1;
  });
  if (parts.length === 0) return json;
  parts.unshift(json.subarray(0, 1));
  parts.push(json.subarray(kept));
  return Buffer.concat(parts);
}
