import type { FileFacts } from '../types/facts.js';
import { EncodedFrame, encodeFactsFrame, FrameCopy, type FrameFile } from './frame-file.js';
import { jsonItemSpans } from '../util/json-items.js';
import { FactsLayout } from './facts-layout.js';
import type { FactsOverlay } from './facts-overlay.js';

/** Files added and deleted since the facts file was written past which a patch writes it again (facts-layout.ts: each position lookup walks them). */
export const MAX_FACTS_MOVES = 32;

/**
 * The facts frames of the `count` files now, from a facts file laid out by `layout` (which
 * may skip files deleted since it was written and lack files added since: facts-layout.ts), with
 * `written` (facts by position now) written into them: every file the facts file lacks must be
 * in `written`. Each old frame keeps its files but those gone, and takes the files it lacks that
 * sort right after one of its files (one before every old file goes to the first frame), so that
 * a frame whose files all stand as they are stored is copied as stored and only the others are
 * encoded again. The new layout holds every file in its place.
 */
export function writtenFacts(file: FrameFile, layout: FactsLayout, count: number, stored: number, written: FactsOverlay): { frames: (EncodedFrame | FrameCopy)[]; layout: FactsLayout; encoded: number } {
  const frames = Math.max(1, file.frames - 1);
  const members: number[][] = Array.from({ length: frames }, () => []);
  const dirty = new Uint8Array(frames + 1);
  const kept = new Uint8Array(stored);
  let current = 1;
  for (let at = 0; at < count; at++) {
    const p = layout.position(at);
    if (p >= 0) {
      current = layout.frameOf(p);
      kept[p] = 1;
    } else if (!written.has(at)) throw new Error(`the facts of file ${at} are neither stored nor given`);
    if (p < 0 || written.has(at)) dirty[current] = 1;
    members[current - 1]!.push(at);
  }
  // A frame that held a file deleted since is encoded again without it.
  kept.forEach((k, p) => {
    if (k === 0) dirty[layout.frameOf(p)] = 1;
  });
  let encoded = 0;
  const out = members.map((ats, i) => {
    const k = i + 1;
    if (!dirty[k] && k < file.frames) return new FrameCopy(file, k);
    encoded++;
    return new EncodedFrame(encodeFactsFrame(frameJson(k < file.frames ? file.json(k) : null, ats, (at) => written.get(at), (at) => layout.slot(at)), true));
  });
  return { frames: out, layout: FactsLayout.fromCounts(members.map((ats) => ats.length)), encoded };
}

const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c));

/**
 * The JSON of a facts frame holding the files `ats` (positions now): each file `written` gives as
 * its JSON, every other as the item at its `slot` of the stored frame's JSON `stored`, copied as
 * stored rather than parsed and written again: two frames of Linux 6.1's net/ took writtenFacts
 * 626-792 ms so, 247-392 ms now (6 runs of each, alternated). The same bytes JSON.stringify makes of the
 * facts, as stored frames are its text.
 * Throws when a file is neither written nor in the stored frame.
 */
function frameJson(stored: Buffer | null, ats: number[], written: (at: number) => FileFacts | undefined, slot: (at: number) => number): Buffer {
  const spans = stored ? jsonItemSpans(stored) : [];
  if (!spans) throw new Error('a stored facts frame is no JSON array');
  const parts: Buffer[] = [OPEN];
  ats.forEach((at, i) => {
    if (i > 0) parts.push(COMMA);
    const facts = written(at);
    const span = spans[slot(at)];
    if (facts) parts.push(Buffer.from(JSON.stringify(facts), 'utf8'));
    else if (span && stored) parts.push(stored.subarray(span[0], span[1]));
    else throw new Error(`the facts of file ${at} are neither stored nor given`);
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}
