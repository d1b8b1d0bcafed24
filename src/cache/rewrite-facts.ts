import type { FileFacts } from '../types/facts.js';
import { EncodedFrame, encodeFactsFrame, FrameCopy, type FrameFile } from './frame-file.js';
import { FactsLayout } from './facts-layout.js';
import type { FactsOverlay } from './facts-overlay.js';
import type { FileListChange } from './renumber-files.js';
import type { CacheEntry } from './index-cache.js';

/**
 * The facts frames of a facts file after files were added or deleted (renumber-files.ts): each
 * old frame keeps its files but the deleted ones, and takes the added files that sort right after
 * one of its files (an added file before every old one goes to the first frame), so that the
 * frames of untouched files are copied as they are stored and only those holding an added, a
 * deleted or a written file are encoded again. `written` holds the facts to write into the frames,
 * by position in `change.union` (every added file's, and any other file's whose frame should hold
 * its facts now); every other file keeps the facts its frame holds. `read` holds the frames
 * already decoded, by frame number.
 */
export function rewrittenFacts(file: FrameFile, layout: FactsLayout, change: FileListChange, written: FactsOverlay, read: Map<number, FileFacts[]>): { frames: (EncodedFrame | FrameCopy)[]; layout: FactsLayout; encoded: number } {
  const count = Math.max(1, file.frames - 1);
  const members: number[][] = Array.from({ length: count }, () => []);
  const dirty = new Uint8Array(count + 1);
  let current = 1;
  change.union.forEach((_, u) => {
    const old = change.oldAt[u]!;
    if (old >= 0) current = layout.frame(old);
    if (old < 0 || change.newAt[u]! < 0 || written.has(u)) dirty[current] = 1;
    if (change.newAt[u]! >= 0) members[current - 1]!.push(u);
  });
  let encoded = 0;
  const frames = members.map((us, i) => {
    const k = i + 1;
    if (!dirty[k] && k < file.frames) return new FrameCopy(file, k);
    encoded++;
    const old = k < file.frames ? (read.get(k) ?? file.value<FileFacts[]>(k)) : [];
    const facts = us.map((u) => written.get(u) ?? old[layout.slot(change.oldAt[u]!)]!);
    return new EncodedFrame(encodeFactsFrame(JSON.stringify(facts), true));
  });
  return { frames, layout: FactsLayout.fromCounts(members.map((us) => us.length)), encoded };
}

/**
 * How the facts file and the overlay stand after files were added or deleted: the added files'
 * facts go into their frames (they have no slot otherwise), and so does the whole overlay when it
 * is past its bounds (`full`); the deleted files' leave the overlay; every other overlaid file
 * stays in it (its frame is not encoded again for it), moved to its position now, and the facts
 * file's manifest lists it as its frame holds it (its entry in `factsManifest`, the old facts
 * file's, by position then), so that the facts file alone never passes off its old facts as
 * those of the file now. `manifest` is the tree's manifest now.
 */
export function overlayAfterListChange(change: FileListChange, overlay: FactsOverlay, full: boolean, manifest: CacheEntry[], factsManifest: CacheEntry[]): { written: FactsOverlay; kept: FactsOverlay; manifest: CacheEntry[] } {
  const written: FactsOverlay = new Map();
  const kept: FactsOverlay = new Map();
  const listed = [...manifest];
  for (const [u, facts] of overlay) {
    const now = change.newAt[u]!;
    if (now < 0) continue;
    const old = change.oldAt[u]!;
    if (old < 0 || full) {
      written.set(u, facts);
      continue;
    }
    kept.set(now, facts);
    listed[now] = factsManifest[old]!;
  }
  return { written, kept, manifest: listed };
}
