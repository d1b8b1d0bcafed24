import type { FileFacts } from '../types/facts.js';
import type { SpooledBytes } from '../util/byte-spool.js';
import { EncodedFrame, encodeFactsFrame, FrameCopy, type FrameFile } from './frame-file.js';
import { FrameEncoder } from './frame-encoder.js';
import { type CacheEntry, chunk, FACTS_PER_FRAME, type IndexCache } from './index-cache.js';

/**
 * Writes the facts file of `facts` (the files of `manifest`, expanded), FACTS_PER_FRAME files a
 * frame: a frame of `encoded` (by frame number; encoded while the facts were expanded:
 * expand-frames.ts; read from its spool, which must still be open) as it is, the others turned into JSON here and compressed in an encoder's
 * worker thread meanwhile, at most two in flight so that their JSON is never all held at once
 * (a few frames, a small tree, are compressed here: a worker takes longer to start). Written
 * before the graph is resolved, so that an index interrupted while resolving resumes from them.
 * With `stored` (the facts file as it was, open), a frame holding the same facts as the frame of
 * the same number there is copied from it (storedCopy); a frame of `asStored` (frame numbers from
 * 0: framesAsStored) is copied without being compared. Resolves to the identity of the file written
 * (IndexCache.save), or null when it was not; rejects with the encoder's error.
 */
export async function saveFacts(cache: IndexCache, manifest: CacheEntry[], facts: FileFacts[], encoded: Map<number, Promise<SpooledBytes>>, stored: FrameFile | null = null, asStored: ReadonlySet<number> = new Set()): Promise<string | null> {
  const pieces = chunk(facts, FACTS_PER_FRAME);
  const encoder = pieces.length - encoded.size > 2 ? new FrameEncoder(null) : null;
  const frames: (EncodedFrame | FrameCopy)[] = [];
  const inFlight: Promise<Buffer | SpooledBytes | FrameCopy>[] = [];
  const framed = (bytes: Buffer | SpooledBytes | FrameCopy): EncodedFrame | FrameCopy => (bytes instanceof FrameCopy ? bytes : new EncodedFrame(bytes));
  try {
    for (let k = 0; k < pieces.length; k++) {
      const packed = encoded.get(k);
      const held = !packed && stored && asStored.has(k) && k + 1 < stored.frames ? new FrameCopy(stored, k + 1) : null;
      const json = packed || held ? '' : JSON.stringify(pieces[k]);
      const copy = held ?? (packed ? null : storedCopy(stored, k + 1, json));
      inFlight.push(packed ?? (copy ? Promise.resolve(copy) : encoder ? encoder.encodeJson(json) : Promise.resolve(encodeFactsFrame(json))));
      if (inFlight.length > 2) frames.push(framed(await inFlight.shift()!));
    }
    for (const bytes of inFlight) frames.push(framed(await bytes));
  } finally {
    encoder?.close();
  }
  return cache.save('facts', manifest, frames);
}

/**
 * Frame `k` of `stored` (an open facts file) to be copied as it lies, when it holds exactly the JSON
 * `json`; else null. A resolution in full that parsed a few files writes the facts file again with
 * most frames as they were: comparing a frame's JSON costs a part of compressing it again (Brotli
 * took some 30 s for a kernel's 217 frames), and the copy is the stored frame whatever wrote it.
 * (The facts objects cannot tell: expansion hands out a new object for every file with a
 * file-scope macro invocation, most of a kernel's frames holding one, even when it expands the same.)
 */
function storedCopy(stored: FrameFile | null, k: number, json: string): FrameCopy | null {
  if (!stored || k >= stored.frames) return null;
  try {
    const text = stored.json(k);
    return text.length === Buffer.byteLength(json) && text.toString('utf8') === json ? new FrameCopy(stored, k) : null;
  } catch {
    return null;
  }
}

/**
 * The frames (numbers from 0, FACTS_PER_FRAME files each) of the facts file `stored` (as loaded:
 * its manifest and frames of facts) that hold the facts of `facts` (the expanded facts of the files
 * of `manifest`, in order) as they are now, told without turning them into JSON: every file of the
 * frame has the size and mtime the facts file was written for, so its facts were read from it as
 * stored, and expansion made them again the same, for no file whose facts changed since (parsed
 * again, or patched into the graph's overlay) has other macros than the facts file holds for it:
 * definer macros and calls of macro results are expanded by the macros of every file
 * (index/expand-definers.ts definerTable, index/expand-macro-calls.ts macroBodyTable), in file
 * order. Empty when the files or the frames are not those of the facts file (a file added or
 * deleted, frames of other sizes) or such a file's macros changed: every frame is then compared
 * (storedCopy). On Linux 6.1 after a one-file edit the patch refused, comparing the 217 frames
 * took 18 s of the resolution in full (their JSON made, and the stored frames inflated).
 */
export function framesAsStored(stored: { manifest: readonly CacheEntry[]; pieces: readonly (readonly FileFacts[])[] }, manifest: readonly CacheEntry[], facts: readonly FileFacts[]): Set<number> {
  const { manifest: was, pieces } = stored;
  if (was.length !== manifest.length || facts.length !== manifest.length) return new Set();
  const frames = Math.ceil(manifest.length / FACTS_PER_FRAME);
  if (pieces.length !== frames || pieces.some((p, k) => p.length !== Math.min(FACTS_PER_FRAME, manifest.length - k * FACTS_PER_FRAME))) return new Set();
  const changed = new Set<number>();
  for (let i = 0; i < manifest.length; i++) {
    const [a, b] = [was[i]!, manifest[i]!];
    if (a.path !== b.path || facts[i]!.path !== b.path) return new Set();
    if (a.size === b.size && a.mtimeMs === b.mtimeMs) continue;
    const before = pieces[Math.floor(i / FACTS_PER_FRAME)]![i % FACTS_PER_FRAME]!;
    if (before.path !== b.path || JSON.stringify(before.macros ?? []) !== JSON.stringify(facts[i]!.macros ?? [])) return new Set();
    changed.add(Math.floor(i / FACTS_PER_FRAME));
  }
  const kept = new Set<number>();
  for (let k = 0; k < frames; k++) if (!changed.has(k)) kept.add(k);
  return kept;
}
