import type { FileFacts } from '../types/facts.js';
import type { SpooledBytes } from '../util/byte-spool.js';
import { EncodedFrame, encodeFactsFrame } from './frame-file.js';
import { FrameEncoder } from './frame-encoder.js';
import { type CacheEntry, chunk, FACTS_PER_FRAME, type IndexCache } from './index-cache.js';

/**
 * Writes the facts file of `facts` (the files of `manifest`, expanded), FACTS_PER_FRAME files a
 * frame: a frame of `encoded` (by frame number; encoded while the facts were expanded:
 * expand-frames.ts; read from its spool, which must still be open) as it is, the others turned into JSON here and compressed in an encoder's
 * worker thread meanwhile, at most two in flight so that their JSON is never all held at once
 * (a few frames, a small tree, are compressed here: a worker takes longer to start). Written
 * before the graph is resolved, so that an index interrupted while resolving resumes from them.
 * Rejects with the encoder's error.
 */
export async function saveFacts(cache: IndexCache, manifest: CacheEntry[], facts: FileFacts[], encoded: Map<number, Promise<SpooledBytes>>): Promise<void> {
  const pieces = chunk(facts, FACTS_PER_FRAME);
  const encoder = pieces.length - encoded.size > 2 ? new FrameEncoder(null) : null;
  const frames: EncodedFrame[] = [];
  const inFlight: Promise<Buffer | SpooledBytes>[] = [];
  try {
    for (let k = 0; k < pieces.length; k++) {
      const json = (): string => JSON.stringify(pieces[k]);
      inFlight.push(encoded.get(k) ?? (encoder ? encoder.encodeJson(json()) : Promise.resolve(encodeFactsFrame(json()))));
      if (inFlight.length > 2) frames.push(new EncodedFrame(await inFlight.shift()!));
    }
    for (const bytes of inFlight) frames.push(new EncodedFrame(await bytes));
  } finally {
    encoder?.close();
  }
  cache.save('facts', manifest, frames);
}
