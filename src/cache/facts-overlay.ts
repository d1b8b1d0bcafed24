import type { FileFacts } from '../types/facts.js';
import type { CacheEntry } from './index-cache.js';
import { FactsLayout } from './facts-layout.js';

/**
 * The facts of files a patch changed since the facts file was written, kept in the graph cache
 * (GraphPayload.factsOverlay) so that a patch rewrites the graph file alone and not the 90 MB of
 * facts frames: by file position in the manifest (the file id). The facts file's manifest still
 * lists these files as they were when its frames were written; everywhere else it is the graph's.
 */
export type FactsOverlay = Map<number, FileFacts>;

/** Files the overlay may hold: past this, a patch writes them into the facts frames and empties it. */
export const OVERLAY_MAX_FILES = 32;
/** Characters of JSON the overlay may hold (a few large files): past this too. */
export const OVERLAY_MAX_CHARS = 4 << 20;

/** The overlay of GraphPayload.factsOverlay (JSON of `[at, facts][]`), empty when absent; throws on text it did not make. */
export function overlayOf(text: string | undefined): FactsOverlay {
  if (text === undefined) return new Map();
  const pairs = JSON.parse(text) as [number, FileFacts][];
  if (!Array.isArray(pairs)) throw new Error('not a facts overlay');
  return new Map(pairs);
}

/** GraphPayload.factsOverlay for an overlay: by position, so that the same overlay is the same text; undefined when empty. */
export function overlayText(overlay: FactsOverlay): string | undefined {
  if (overlay.size === 0) return undefined;
  return JSON.stringify([...overlay].sort((a, b) => a[0] - b[0]));
}

/**
 * True when a facts file whose manifest is `facts` holds the facts of the files of `graph` with
 * `overlay` over it: each file of `graph` at its place in the facts file (`layout`: facts-layout.ts,
 * which skips files deleted since the facts file was written), with the same size and mtime but
 * those the overlay holds (their facts are the overlay's); a file the facts file does not hold
 * (added since) is in the overlay.
 */
export function factsHold(facts: CacheEntry[], graph: CacheEntry[], overlay: FactsOverlay, layout: FactsLayout = FactsLayout.of(undefined)): boolean {
  if (!Array.isArray(facts)) return false;
  if (facts.length !== layout.storedCount(graph.length)) return false;
  for (let i = 0; i < graph.length; i++) {
    const p = layout.position(i);
    if (p < 0) {
      if (!overlay.has(i)) return false;
      continue;
    }
    const [x, y] = [facts[p], graph[i]!];
    if (x?.path !== y.path) return false;
    if ((x.size !== y.size || x.mtimeMs !== y.mtimeMs) && !overlay.has(i)) return false;
  }
  for (const [at, f] of overlay) if (graph[at]?.path !== f.path) return false;
  return true;
}
