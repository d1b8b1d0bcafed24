import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { PackedItems } from '../util/packed-items.js';
import { compressFactsJson, encodeFactsFrame, encodePackedFrame, revisedJson, splicedJson } from './frame-file.js';
import { mentionTableOfJson } from '../resolve/mention-json.js';
import { type FrameExpansion, frameReviser, type MentionsOf, mentionsOfFactsFile, noExpansion } from './frame-encoder.js';

/**
 * Worker thread: encodes facts frames (frame-file.ts encodePackedFrame) from parse workers'
 * packed batches (or, `json`, from a frame's JSON text: encodeFactsFrame; or, `changed`, with
 * the files at those positions expanded again here: revisedJson, or expanded by the deltas (`texts`) of the main thread's expansion: splicedJson; with the frame's mention table,
 * resolve/mention-json.ts), one frame per message, expanding their files' definer macros and calls of macro
 * results with the whole tree's tables (`workerData`, a FrameExpansion) as the main thread does,
 * and posts each frame's bytes back (transferred), so that the main thread resolves the graph
 * meanwhile instead of turning facts into JSON and compressing. `mentionsOf`: the mention table of
 * a facts file's every frame (mentionsOfFactsFile), posted with no bytes. An error is posted back as its message.
 */
/** The bytes in an array of their own, to be transferred (a Buffer may share a pool). */
const owned = (b: Buffer): Uint8Array => {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
};

const revise = frameReviser(workerData as FrameExpansion | null);

/**
 * This thread at the lowest scheduling priority (Linux: the nice value of a thread, named by its
 * id from /proc/thread-self; elsewhere nothing): a facts file's mention table is made while the
 * main thread resolves the graph, whose garbage collector's helper threads want the other core.
 */
function yieldToOthers(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
  } catch {
    // no per-thread priority here
  }
}
parentPort!.on('message', ({ id, packed, json, changed, texts, mentionsOf }: { id: number; packed?: PackedItems; json?: string; changed?: number[]; texts?: string[]; mentionsOf?: MentionsOf }) => {
  try {
    if (mentionsOf) {
      yieldToOthers();
      const { hashes, counts } = mentionsOfFactsFile(mentionsOf);
      parentPort!.postMessage({ id, bytes: new Uint8Array(0), mentions: { hashes, counts } }, [hashes.buffer as ArrayBuffer, counts.buffer as ArrayBuffer]);
      return;
    }
    if (packed && changed) {
      const text = texts ? splicedJson(packed, changed, texts) : revisedJson(packed, revise ?? noExpansion, changed);
      const { hashes, counts } = mentionTableOfJson(text);
      const bytes = owned(compressFactsJson(text));
      parentPort!.postMessage({ id, bytes, mentions: { hashes, counts } }, [bytes.buffer as ArrayBuffer, hashes.buffer as ArrayBuffer, counts.buffer as ArrayBuffer]);
      return;
    }
    const bytes = owned(packed ? encodePackedFrame(packed, revise) : encodeFactsFrame(json ?? ''));
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
