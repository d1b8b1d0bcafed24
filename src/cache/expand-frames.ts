import { definerExpansion, definerTable } from '../index/expand-definers.js';
import { expandMacroCallsWith, macroBodyTable } from '../index/expand-macro-calls.js';
import { textExtractor } from '../parse/file-parser.js';
import type { Extractor } from '../parse/file-parser.js';
import type { Profile } from '../profiles/profile.js';
import type { MentionTable } from '../resolve/mention-table.js';
import type { FileFacts } from '../types/facts.js';
import { type SpooledItems, unspoolItems } from '../util/packed-items.js';
import type { ByteSpool, SpooledBytes } from '../util/byte-spool.js';
import { FrameEncoder } from './frame-encoder.js';
import { factsDelta } from './facts-delta.js';
import { FACTS_PER_FRAME } from './index-cache.js';

/**
 * Frames handed to each encoder's worker thread and not yet encoded, at most: the expansion
 * waits for the oldest beyond it. A frame's message is its changed files' deltas
 * (facts-delta.ts; before them, their whole JSON: a kernel's 218 frames, some 2 MB each) and its packed bytes; unbounded, a kernel's expansion ran ahead
 * of the encoder with 474 MB of JSON and 142 MB of packed frames queued, and glibc kept that
 * memory once freed.
 */
export const FRAMES_IN_FLIGHT = 3;

/**
 * Encoder threads a cold index runs while it expands, at most (and no more than its parser
 * threads, `--jobs`): the frames cost some 35 s of Brotli on a kernel, which one thread made the
 * expansion wait for; two take about half as long beside it on two cores.
 */
export const ENCODER_THREADS = 2;

/**
 * A frame to encode elsewhere once expanded (expandFrames with `later`): the parser's packed frame
 * and what expansion changed in each file it changed (facts-delta.ts), both in the spool, for facts-behind.ts.
 */
export interface DeferredFrame {
  /** The packed frame's bytes (util/packed-items.ts PackedItems.bytes) and its items' UTF-8 lengths. */
  packed: SpooledBytes;
  sizes: number[];
  /** Positions in the frame (ascending) of the files expansion changed. */
  changed: number[];
  /** Their deltas (factsDelta of each file parsed and expanded), joined, in UTF-8, and each one's length in bytes. */
  texts: SpooledBytes;
  textSizes: number[];
}

/** What expandFrames gives: the expanded facts, and for each frame it encoded its bytes and mention table (pending). */
export interface ExpandedFrames {
  facts: FileFacts[];
  /**
   * Encoded facts frames by frame number (FACTS_PER_FRAME files each), written to the spool the
   * packed frames came from (util/byte-spool.ts) until the facts file is written: held in memory
   * (a kernel's 85 MB), as the encoders' buffers they stayed resident in glibc's arena through the
   * resolution, and parked in V8's heap they raised the expansion's peak instead.
   */
  encoded: Map<number, Promise<SpooledBytes>>;
  /** Every frame's mention table, in frame order (empty when frames were not encoded here). */
  mentions: Promise<MentionTable>[];
  /** How many frames were handed to `later` (every frame, or none: then they were encoded here). */
  deferred: number;
}

/**
 * Expands parsed facts (definer macros, then calls of macro results: index/expand-definers.ts,
 * expand-macro-calls.ts; the tables are made from `parsed` and dropped on return), a frame of
 * FACTS_PER_FRAME files at a time (each file's expansion depends on the tables alone). When
 * `packed` holds a frame the parser packed (its facts before expansion, in `spool`: SpooledItems), what expansion
 * changed in each file (facts-delta.ts) is handed to an encoder's worker thread, which expands
 * those files' JSON by it, compresses the frame and reads its mentions while this thread expands
 * on (the changed values turned into JSON here cost less than the worker expanding the files
 * again); at most FRAMES_IN_FLIGHT frames wait for each encoder. With `encoders` > 1 (default 1),
 * that many encoder threads take the frames in turn: a frame's bytes and mentions do not depend
 * on which encoded it; each encoded frame is put in `spool`. `packed` is emptied. Rejects with the encoder's error when a frame
 * it waited for failed.
 *
 * With `later` (and every frame packed), no frame is encoded here: the changed files' deltas are put
 * in `spool` beside the packed frame and each frame is handed to `later` as a DeferredFrame, in
 * order, once expanded (facts-behind.ts encodes and writes them in a worker thread meanwhile, and
 * on while the graph resolves on this one); `encoded` and `mentions` are then empty.
 */
export async function expandFrames(parsed: FileFacts[], profile: Profile, extractor: Extractor, keep: ReadonlySet<string>, frames: { packed: Map<number, SpooledItems>; spool: ByteSpool; later?: (frame: DeferredFrame) => void } | null, encoders = 1): Promise<ExpandedFrames> {
  if (frames?.later && frames.packed.size === Math.ceil(parsed.length / FACTS_PER_FRAME)) return expandForLater(parsed, profile, extractor, keep, frames, frames.later);
  const packedFrames = frames?.packed;
  const expandDefinersOf = definerExpansion(definerTable(parsed), textExtractor(profile, extractor), keep);
  const bodies = macroBodyTable(parsed);
  const encoded = new Map<number, Promise<SpooledBytes>>();
  const mentions: Promise<MentionTable>[] = [];
  // Compressing a frame costs several times expanding it: one encoder left this thread waiting on it (a kernel's expansion 33 s, of which some 8 s expanding).
  const threads = packedFrames?.size ? Array.from({ length: Math.max(1, Math.min(encoders, packedFrames.size)) }, () => new FrameEncoder(null)) : [];
  const waiting: Promise<unknown>[] = [];
  const facts: FileFacts[] = [];
  try {
    for (let first = 0; first < parsed.length; first += FACTS_PER_FRAME) {
      const parsedFrame = parsed.slice(first, first + FACTS_PER_FRAME);
      const expandedFrame = expandMacroCallsWith(bodies, expandDefinersOf(parsedFrame));
      for (const f of expandedFrame) facts.push(f);
      const packed = packedFrames?.get(first / FACTS_PER_FRAME);
      if (!threads.length || !packed) continue;
      packedFrames!.delete(first / FACTS_PER_FRAME);
      const changed = expandedFrame.flatMap((f, j) => (f === parsedFrame[j] ? [] : [j]));
      const frame = threads[(first / FACTS_PER_FRAME) % threads.length]!.encodeRevised(unspoolItems(packed), changed, changed.map((j) => factsDelta(parsedFrame[j]!, expandedFrame[j]!)));
      encoded.set(first / FACTS_PER_FRAME, frame.then((s) => frames!.spool.put(s.bytes)));
      const frameMentions = frame.then((s) => s.mentions);
      frameMentions.catch(() => {}); // awaited only when the graph is written; a failed frame fails the facts' save
      mentions.push(frameMentions);
      waiting.push(frame);
      // A failed frame is awaited by the save; here only its turn matters.
      if (waiting.length >= FRAMES_IN_FLIGHT * threads.length) await waiting.shift()!.catch(() => {});
    }
  } finally {
    for (const encoder of threads) encoder.close();
    packedFrames?.clear();
  }
  return { facts, encoded, mentions, deferred: 0 };
}

/** expandFrames with `later`: see there. */
function expandForLater(parsed: FileFacts[], profile: Profile, extractor: Extractor, keep: ReadonlySet<string>, frames: { packed: Map<number, SpooledItems>; spool: ByteSpool }, later: (frame: DeferredFrame) => void): ExpandedFrames {
  const expandDefinersOf = definerExpansion(definerTable(parsed), textExtractor(profile, extractor), keep);
  const bodies = macroBodyTable(parsed);
  const facts: FileFacts[] = [];
  let deferred = 0;
  try {
    for (let first = 0; first < parsed.length; first += FACTS_PER_FRAME) {
      const parsedFrame = parsed.slice(first, first + FACTS_PER_FRAME);
      const expandedFrame = expandMacroCallsWith(bodies, expandDefinersOf(parsedFrame));
      for (const f of expandedFrame) facts.push(f);
      const packed = frames.packed.get(first / FACTS_PER_FRAME)!;
      const changed = expandedFrame.flatMap((f, j) => (f === parsedFrame[j] ? [] : [j]));
      const texts = changed.map((j) => Buffer.from(factsDelta(parsedFrame[j]!, expandedFrame[j]!), 'utf8'));
      later({ packed: packed.bytes, sizes: packed.sizes, changed, texts: frames.spool.put(Buffer.concat(texts)), textSizes: texts.map((t) => t.length) });
      deferred++;
    }
  } finally {
    frames.packed.clear();
  }
  return { facts, encoded: new Map(), mentions: [], deferred };
}
