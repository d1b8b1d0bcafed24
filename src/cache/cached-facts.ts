import type { FileFacts } from '../types/facts.js';
import { UsageError } from '../util/errors.js';
import type { FrameFile } from './frame-file.js';
import type { CacheEntry } from './index-cache.js';
import { type FactsOverlay, factsHold } from './facts-overlay.js';
import { FactsLayout } from './facts-layout.js';

/** Decoded facts frames kept at once: a query that walks every file in order needs one; explain needs a few. */
const FRAMES_KEPT = 4;

/** True when the file's manifest (frame 0) lists exactly these files, sizes and mtimes, but for the files the overlay holds (facts-overlay.ts factsHold). */
function holds(file: FrameFile, manifest: CacheEntry[], overlay: FactsOverlay, layout: FactsLayout): boolean {
  const v = vouched;
  if (v && file.identity !== '' && v.identity === file.identity && v.manifest === manifest && v.overlay === overlay && v.size === overlay.size && v.layout === layout) return true;
  return factsHold(factsManifest(file), manifest, overlay, layout);
}

/** What vouchFacts was last told holds: a facts file (by identity), a manifest, an overlay (and its size then) and a layout. */
let vouched: { identity: string; manifest: CacheEntry[]; overlay: FactsOverlay; size: number; layout: FactsLayout } | null = null;

/**
 * Says that the facts file `file` holds for `manifest` with `overlay` and `layout` (factsHold), as a
 * patch knows without checking its 43,000 entries again (some 20-40 ms on a kernel): it checked the
 * file against the graph's manifest and overlay (patch-cached-graph.ts), no file was added or
 * deleted, the layout stayed, and every file whose size or time moved since is in the overlay now.
 * The overlay's paths and the entry count, cheap, are checked here. CachedFacts.open (reading the
 * patched graph's facts after) then takes these very objects, the overlay's size unchanged, of a
 * file of the same identity, as holding.
 */
export function vouchFacts(file: FrameFile, manifest: CacheEntry[], overlay: FactsOverlay, layout: FactsLayout): void {
  vouched = null;
  if (file.identity === '' || factsManifest(file).length !== layout.storedCount(manifest.length)) return;
  for (const [at, f] of overlay) if (manifest[at]?.path !== f.path) return;
  vouched = { identity: file.identity, manifest, overlay, size: overlay.size, layout };
}

/** The manifest last decoded by factsManifest, with the identity of the file it was read from. */
let lastManifest: { identity: string; entries: CacheEntry[] } | null = null;

/**
 * The facts file's manifest (frame 0: one CacheEntry per file it holds), decoded once per file
 * identity (device, inode, size, mtime: a rewritten cache file is another): a patched run checks
 * it before the patch (patch-cached-graph.ts) and again when it reads facts after (CachedFacts.open),
 * and each decode of a kernel's 43,000 entries costs some 40-60 ms. Callers must not change it.
 */
export function factsManifest(file: FrameFile): CacheEntry[] {
  if (lastManifest && file.identity !== '' && lastManifest.identity === file.identity) return lastManifest.entries;
  const entries = file.value<CacheEntry[]>(0);
  lastManifest = { identity: file.identity, entries };
  return entries;
}

const changed = (): UsageError => new UsageError('the index cache changed during the query (another pathfind rewrote it); run the query again');

/**
 * The per-file facts of a cached tree, read on demand: file `at` (its position in the manifest,
 * which is its file id in the index) is read from the facts frame holding it (facts-layout.ts), and only that frame is decoded (tens of milliseconds for a kernel's
 * 200-file frame, against seconds for all of them). The cache file is opened for each frame read
 * and closed again, so nothing stays open; a file renamed over it meanwhile is used only when it
 * lists the same files, sizes and mtimes, else the read throws UsageError.
 */
export class CachedFacts {
  /** Recently decoded frames by frame number, oldest first. */
  private readonly frames = new Map<number, FileFacts[]>();

  private constructor(
    private readonly open: () => FrameFile | null,
    private readonly manifest: CacheEntry[],
    private identity: string,
    private readonly overlay: FactsOverlay,
    private readonly layout: FactsLayout,
  ) {}

  /**
   * A reader over the facts file `open` opens, or null when it is absent, unreadable, or not
   * the facts of exactly `manifest` (e.g. the graph cache is newer): the caller then loads facts the usual way.
   * The facts of the files `overlay` holds (the graph cache's GraphPayload.factsOverlay) are the overlay's;
   * `layout` says which frame holds each file (GraphPayload.factsFrames: facts-layout.ts).
   */
  static open(open: () => FrameFile | null, manifest: CacheEntry[], overlay: FactsOverlay = new Map(), layout: FactsLayout = FactsLayout.of(undefined)): CachedFacts | null {
    const file = open();
    if (!file) return null;
    try {
      return holds(file, manifest, overlay, layout) ? new CachedFacts(open, manifest, file.identity, overlay, layout) : null;
    } catch {
      return null;
    } finally {
      file.close();
    }
  }

  /** The facts of file `at`; throws UsageError when the cache no longer holds them. */
  file(at: number): FileFacts {
    const over = this.overlay.get(at);
    if (over) return over;
    const k = this.layout.frame(at);
    let frame = this.frames.get(k);
    if (frame) this.frames.delete(k);
    else frame = this.read(k);
    this.frames.set(k, frame);
    if (this.frames.size > FRAMES_KEPT) this.frames.delete(this.frames.keys().next().value!);
    const facts = frame[this.layout.slot(at)];
    if (facts?.path !== this.manifest[at]?.path) throw changed();
    return facts!;
  }

  private read(k: number): FileFacts[] {
    const file = this.open();
    if (!file) throw changed();
    try {
      if (file.identity !== this.identity) {
        if (!holds(file, this.manifest, this.overlay, this.layout)) throw changed();
        this.identity = file.identity;
      }
      const frame = file.value<FileFacts[]>(k);
      if (!Array.isArray(frame)) throw changed();
      return frame;
    } catch (err) {
      throw err instanceof UsageError ? err : changed();
    } finally {
      file.close();
    }
  }
}
