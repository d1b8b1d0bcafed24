import { parentPort } from 'node:worker_threads';
import type { PackedItems } from '../util/packed-items.js';
import { encodePackedFrame } from './frame-file.js';

/**
 * Worker thread: encodes facts frames (frame-file.ts encodePackedFrame) from a parse worker's
 * packed batch and the JSON texts of the items that replace some of its items, one frame per
 * message, and posts the frame's bytes back (transferred), so that the main thread resolves the
 * graph meanwhile instead of compressing. An error is posted back as its message.
 */
parentPort!.on('message', ({ id, packed, replaced }: { id: number; packed: PackedItems; replaced: Map<number, string> }) => {
  try {
    const frame = encodePackedFrame(packed, (j) => replaced.get(j));
    const bytes = new Uint8Array(frame.length);
    bytes.set(frame);
    parentPort!.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: (err as Error).message });
  }
});
