import type { FileFacts } from '../types/facts.js';
import { EncodedFrame, encodeFactsFrame, FrameCopy, type FrameFile } from './frame-file.js';
import { FactsLayout } from './facts-layout.js';
import type { FactsOverlay } from './facts-overlay.js';
import type { FileListChange } from './renumber-files.js';

/**
 * The facts frames of a facts file after files were added or deleted (renumber-files.ts): each
 * old frame keeps its files but the deleted ones, and takes the added files that sort right after
 * one of its files (an added file before every old one goes to the first frame), so that the
 * frames of untouched files are copied as they are stored and only those holding an added, a
 * deleted or an overlaid file are encoded again. `overlay` holds the facts of files by position
 * in `change.union` (it is written into the frames); `read` the frames already decoded, by frame number.
 */
export function rewrittenFacts(file: FrameFile, layout: FactsLayout, change: FileListChange, overlay: FactsOverlay, read: Map<number, FileFacts[]>): { frames: (EncodedFrame | FrameCopy)[]; layout: FactsLayout; encoded: number } {
  const count = Math.max(1, file.frames - 1);
  const members: number[][] = Array.from({ length: count }, () => []);
  const dirty = new Uint8Array(count + 1);
  let current = 1;
  change.union.forEach((_, u) => {
    const old = change.oldAt[u]!;
    if (old >= 0) current = layout.frame(old);
    if (old < 0 || change.newAt[u]! < 0 || overlay.has(u)) dirty[current] = 1;
    if (change.newAt[u]! >= 0) members[current - 1]!.push(u);
  });
  let encoded = 0;
  const frames = members.map((us, i) => {
    const k = i + 1;
    if (!dirty[k] && k < file.frames) return new FrameCopy(file, k);
    encoded++;
    const old = k < file.frames ? (read.get(k) ?? file.value<FileFacts[]>(k)) : [];
    const facts = us.map((u) => overlay.get(u) ?? old[layout.slot(change.oldAt[u]!)]!);
    return new EncodedFrame(encodeFactsFrame(JSON.stringify(facts), true));
  });
  return { frames, layout: FactsLayout.fromCounts(members.map((us) => us.length)), encoded };
}
