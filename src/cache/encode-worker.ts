import { parentPort, workerData } from 'node:worker_threads';
import type { PackedItems } from '../util/packed-items.js';
import { encodeFactsFrame, encodePackedFrame, encodeSplicedFrame } from './frame-file.js';
import { type FrameExpansion, frameReviser } from './frame-encoder.js';

/**
 * Worker thread: encodes facts frames (frame-file.ts encodePackedFrame) from parse workers'
 * packed batches (or, `json`, from a frame's JSON text: encodeFactsFrame; or, `replacements`, from a
 * packed batch with the files the main thread expanded replaced: encodeSplicedFrame), one frame per message, expanding their files' definer macros and calls of macro
 * results with the whole tree's tables (`workerData`, a FrameExpansion) as the main thread does,
 * and posts each frame's bytes back (transferred), so that the main thread resolves the graph
 * meanwhile instead of turning facts into JSON and compressing. An error is posted back as its message.
 */
const revise = frameReviser(workerData as FrameExpansion | null);
parentPort!.on('message', ({ id, packed, json, replacements }: { id: number; packed?: PackedItems; json?: string; replacements?: (string | null)[] }) => {
  try {
    const frame = packed && replacements ? encodeSplicedFrame(packed, replacements) : packed ? encodePackedFrame(packed, revise) : encodeFactsFrame(json ?? '');
    const bytes = new Uint8Array(frame.length);
    bytes.set(frame);
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
