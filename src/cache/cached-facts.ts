import type { FileFacts } from '../types/facts.js';
import { UsageError } from '../util/errors.js';
import { factsItem, type FrameFile } from './frame-file.js';
import type { KeptBeside } from './graph-from-cache.js';
import { readKept, writeKept } from './kept-beside.js';
import type { CacheEntry, IndexCache } from './index-cache.js';
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
 * Says that the facts file `file`, holding `stored` files, holds for `manifest` with `overlay` and
 * `layout` (factsHold), as a patch knows without checking its 43,000 entries again (some 20-40 ms on
 * a kernel): it checked the file against the graph's manifest and overlay (patch-cached-graph.ts),
 * every file whose size or time moved since is in the overlay now, and a file added or deleted moved
 * the layout over the same file (its facts in the overlay, or its place skipped: facts-layout.ts).
 * The overlay's paths and the entry count, cheap, are checked here. CachedFacts.open (reading the
 * patched graph's facts after) then takes these very objects, the overlay's size unchanged, of a
 * file of the same identity, as holding. True when vouched.
 */
export function vouchFacts(file: FrameFile, stored: number, manifest: CacheEntry[], overlay: FactsOverlay, layout: FactsLayout): boolean {
  vouched = null;
  if (file.identity === '' || stored !== layout.storedCount(manifest.length)) return false;
  for (const [at, f] of overlay) if (manifest[at]?.path !== f.path) return false;
  vouched = { identity: file.identity, manifest, overlay, size: overlay.size, layout };
  return true;
}

/** Bumped when HeldFacts changes. */
const HELD_VERSION = 1;

/** What is kept beside a graph (`KEY.held`, kept-beside.ts) of the facts file found to hold for it: that file's identity and how many files it holds. */
interface HeldFacts {
  facts: string;
  stored: number;
}

const isHeld = (v: unknown): v is HeldFacts => typeof (v as HeldFacts | null)?.facts === 'string' && Number.isInteger((v as HeldFacts | null)?.stored);

/**
 * Keeps beside the graph `beside` (by its generation: a patched graph's, before its file is
 * written) that the facts file `file`, holding `stored` files, holds for it (vouchFacts), so that
 * the next patch of that graph takes the file as holding without decoding its manifest and
 * comparing its 43,000 entries with the graph's (70-125 ms of each one-file edit on a kernel). The
 * graph's generation fixes its manifest, overlay and layout, and the facts file's identity (device,
 * inode, size, mtime: a facts file written again is another) fixes its manifest.
 */
export function keepFactsHeld(beside: KeptBeside, file: FrameFile, stored: number): void {
  if (file.identity !== '') writeKept(beside, 'held', HELD_VERSION, { facts: file.identity, stored } satisfies HeldFacts);
}

/** How many files the facts file `file` holds, when a record kept beside the graph `beside` (keepFactsHeld) says that file holds for that graph; else null. */
export function keptFactsHeld(beside: KeptBeside, file: FrameFile): number | null {
  const held = file.identity === '' ? null : readKept(beside, 'held', HELD_VERSION, isHeld);
  return held?.facts === file.identity ? held.stored : null;
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

/**
 * The stored facts of the touched files (by position in the facts file), each parsed alone from
 * the frame that holds it (frame-file.ts factsItem: a kernel frame's JSON is some 4 MB, one file's
 * a few KB); `item(at)`, any other file's stored facts read so (the frames' JSON inflated once
 * each, each file's facts parsed once: some 20 ms a frame, where parsing it whole took 70);
 * `stored`, how many files the facts file holds. `held`: that count, when a record kept beside the graph says the facts file holds for it
 * (keptFactsHeld); else the file's manifest is decoded and checked against the graph's (factsHold).
 * Null when the facts file does not hold for the graph, or a touched file's facts are not there.
 */
export function storedFactsOf(facts: FrameFile, graphManifest: CacheEntry[], overlay: FactsOverlay, layout: FactsLayout, touched: number[], held: number | null): { old: FileFacts[]; item: (at: number) => FileFacts | undefined; stored: number } | null {
  // The facts must be those the graph was resolved from (the overlay's over the file's). Without a record saying so, the facts
  // file's manifest (43,000 entries of JSON on a kernel: some 60-100 ms) is decoded, once per file (factsManifest): only its length is needed after.
  let stored = held;
  if (stored === null) {
    const manifest = factsManifest(facts);
    if (!factsHold(manifest, graphManifest, overlay, layout)) return null;
    stored = manifest.length;
  }
  const json = new Map<number, Buffer>();
  const items = new Map<number, FileFacts | undefined>();
  const item = (at: number): FileFacts | undefined => {
    if (items.has(at)) return items.get(at);
    const k = layout.frame(at);
    if (!json.has(k)) json.set(k, facts.json(k));
    const f = factsItem<FileFacts>(json.get(k)!, layout.slot(at));
    items.set(at, f);
    return f;
  };
  const old: FileFacts[] = [];
  for (const at of touched) {
    const f = overlay.get(at) ?? item(at);
    if (f?.path !== graphManifest[at]!.path) return null;
    old.push(f);
  }
  return { old, item, stored };
}

/**
 * What `read` makes of the facts file `file`, or, when it makes null (they do not hold) and a patch
 * cut short left facts pending that it reads (IndexCache.openPendingFacts), of those, which then
 * take the facts file's name (promotePendingFacts): the file read (the caller closes it; `file` is
 * closed here when the pending one replaces it) and what `read` made of it, null when neither
 * holds (nothing renamed then).
 */
export function readOrPending<T>(cache: IndexCache, file: FrameFile, read: (f: FrameFile) => T | null): { file: FrameFile; got: T | null } {
  const got = read(file);
  if (got !== null) return { file, got };
  const pending = cache.openPendingFacts();
  const again = pending ? read(pending) : null;
  if (again === null || !cache.promotePendingFacts()) {
    pending?.close();
    return { file, got: null };
  }
  file.close();
  return { file: pending!, got: again };
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
