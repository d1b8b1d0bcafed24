import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { CachedFacts } from './cached-facts.js';
import type { FrameFile } from './frame-file.js';
import { CodeIndex } from '../index/code-index.js';
import { type CacheEntry, type IndexCache, sameManifest } from './index-cache.js';
import { NOT_TEXT } from '../parse/file-parser.js';
import { EdgeList } from '../resolve/edge-list.js';
import type { FileFacts, UnreadableFile } from '../types/facts.js';
import { decoded, type GraphPayload, type OpenedGraph, openedGraph, type PatchContext, patchCachedGraph } from './patch-cached-graph.js';
import { keptIdentity } from './graph-payload.js';
import { type FactsOverlay, factsHold, overlayOf } from './facts-overlay.js';
import { FactsLayout } from './facts-layout.js';
import { snapshotIndex } from './snapshot-index.js';
import { buildRenewed } from './build-renew.js';

/**
 * The graph half of opening a tree (open-index.ts has the rest): the cached graph as it is
 * stored, or patched for a few edited files (patch-cached-graph.ts), with the facts the graph
 * cache holds over the facts file's.
 */

/**
 * The graph cache as decoded while the tree was listed: its payload, and the index and edges made
 * of them; its manifest (the files it was made from) is decoded when first read (null when it does
 * not decode), while the graph file is open: a tree listed as those very files never needs it.
 */
export interface EarlyGraph {
  readonly manifest: CacheEntry[] | null;
  payload: GraphPayload;
  index: CodeIndex;
  edges: EdgeList;
}

/** The graph file's manifest and payload with the index and edges over them; null when they do not decode (graphFromCache then says why). */
export function earlyGraph(graph: FrameFile, root: string, profile: PatchContext['profile']): EarlyGraph | null {
  if (graph.frames < 2) return null;
  const payload = decoded(() => graph.value<GraphPayload>(1));
  if (!payload) return null;
  const made = decoded(() => ({ payload, index: snapshotIndex(root, profile, payload.index), edges: new EdgeList(payload.edges) }));
  if (!made) return null;
  let manifest: CacheEntry[] | null | undefined;
  return {
    ...made,
    get manifest() {
      if (manifest === undefined) {
        const value = decoded(() => graph.value<CacheEntry[]>(0));
        manifest = Array.isArray(value) ? value : null;
      }
      return manifest;
    },
  };
}

/**
 * Where what is made from one graph may be kept beside its cache file (cache/kept-beside.ts): the
 * files `${base}.NAME`, each valid for the graph of this identity (keptIdentity: its
 * GraphPayload.generation, new whenever another graph is written; or, for a graph without one,
 * the file's identity: device, inode, size and mtime).
 */
export interface KeptBeside {
  base: string;
  identity: string;
}

/** How many files were parsed this time, how many came from the cache, and how the graph was had. */
export interface OpenReport {
  parsed: number;
  reused: number;
  /** The resolved graph was loaded from the cache as it was stored. */
  fromGraphCache: boolean;
  /** The cached graph was patched for a few edited files instead of being resolved afresh. */
  incremental: boolean;
  /** With the graph from the cache: files whose size or mtime moved since it was stored (their content was hashed; only edited ones were parsed). */
  touched?: number;
  /** With a patched graph: how many of the `parsed` files were added, and how many files were deleted (counted in `parsed` too). */
  added?: number;
  deleted?: number;
  /** Files and folders skipped because they could not be read or are not text, by path (also `opened.unreadable`). */
  unreadable: UnreadableFile[];
  /** With a graph used as it was stored in its cache file (not written again): where what is made from it may be kept. */
  kept?: KeptBeside;
  /**
   * With a graph patched for edits and handed to be written: where what is made from it may be
   * kept (it holds once the file is written; while it is not, it names no graph on disk and is never read).
   */
  keptWritten?: KeptBeside;
  /** With a graph used as stored whose build files changed without changing its answers (build-renew.ts): what changed (TreeBuild.moved), its build record written again. */
  renewed?: string;
}

/** True when the file opens for reading now. */
function opensNow(root: string, path: string): boolean {
  try {
    closeSync(openSync(join(root, path), 'r'));
    return true;
  } catch {
    return false;
  }
}


/**
 * The cached graph as it is stored, or patched for a few edited files; null when neither applies.
 * `lazyFacts`: with the facts read on demand; unless `spareFacts` (the query answered ahead on
 * `early` reads none: OpenOptions.needsFacts) and the graph is `early`'s, as stored.
 */
export async function fromGraphCache(ctx: PatchContext, lazyFacts: boolean, graph: FrameFile | null, early: EarlyGraph | null, spareFacts = false): Promise<{ opened: OpenedGraph; report: OpenReport } | null> {
  const had = await graphFromCache(ctx, graph, early, lazyFacts && !spareFacts);
  if (!had || !lazyFacts) return had;
  if (spareFacts && early && had.opened.index === early.index && had.report.fromGraphCache) return had;
  // Call details are matched with edges by call site: a graph without them is no use here.
  if (!had.opened.edges.hasSites) return ctx.miss('the cached graph has no call sites');
  // The facts frames must be those of the graph's files: else the facts path loads (or rebuilds) them.
  const overlay = decoded(had.overlay);
  const layout = decoded(had.layout);
  if (!overlay || !layout) return ctx.miss('the facts overlay of the graph cache is unreadable');
  // Facts that do not hold may be those a patch cut short replaced only on the way (IndexCache.savePendingFacts).
  const reader = (open: () => FrameFile | null): CachedFacts | null => CachedFacts.open(open, ctx.manifest, overlay, layout);
  const facts = reader(() => ctx.cache.open('facts')) ?? (reader(() => ctx.cache.openPendingFacts()) && ctx.cache.promotePendingFacts() ? reader(() => ctx.cache.open('facts')) : null);
  if (!facts) return ctx.miss('the facts cache is not that of the graph');
  had.opened.index.readFactsFrom((at) => facts.file(at));
  return had;
}

type HadGraph = { opened: OpenedGraph; report: OpenReport; overlay: () => FactsOverlay; layout: () => FactsLayout };

/**
 * fromGraphCache without facts: `graph` is the graph file (open, closed here; null when absent or
 * unusable), `early` what was decoded of it while the tree was listed; with the facts the graph
 * cache holds over the facts file's (facts-overlay.ts), read when asked for (a query with no facts
 * never parses them). `needsFiles`: the caller reads ctx.files or ctx.manifest afterwards.
 */
async function graphFromCache(ctx: PatchContext, graph: FrameFile | null, early: EarlyGraph | null, needsFiles: boolean): Promise<HadGraph | null> {
  if (!graph) return ctx.miss('no graph cache');
  let had: HadGraph | null = null;
  try {
    had = await storedOrPatched(ctx, graph, early);
    return had;
  } finally {
    // Listed as the graph's own files (PatchContext.listedAsGraph): those files, which the caller may yet read, are decoded before the file closes.
    if (ctx.listedAsGraph !== undefined && (needsFiles || !had)) void ctx.files;
    graph.close();
  }
}

/** graphFromCache with the graph file open: the graph as stored, or patched. */
async function storedOrPatched(ctx: PatchContext, graph: FrameFile, early: EarlyGraph | null): Promise<HadGraph | null> {
  const listedAsGraph = ctx.listedAsGraph !== undefined;
  const manifest = listedAsGraph ? [] : (early?.manifest ?? decoded(() => graph.value<CacheEntry[]>(0)));
  if (!Array.isArray(manifest)) return ctx.cache.unreadable('graph');
  if (listedAsGraph || sameManifest(manifest, ctx.manifest)) {
    const payload = early?.payload ?? decoded(() => graph.value<GraphPayload>(1));
    if (!payload) return ctx.cache.unreadable('graph');
    const overlay = (): FactsOverlay => overlayOf(payload.factsOverlay);
    const layout = (): FactsLayout => FactsLayout.of(payload.factsFrames, payload.factsAdded, payload.factsDropped);
    const unreadable = payload.unreadable ?? [];
    // A file that could not be read last time and opens now is parsed: the facts path does it.
    if (unreadable.some((f) => f.reason !== NOT_TEXT && opensNow(ctx.root, f.path))) return ctx.miss('a file that could not be read opens now');
    const held = buildRenewed(ctx, payload, () => ctx.manifest.map((e) => e.path));
    if (typeof held === 'string') return ctx.miss(held);
    const renewed = held?.renewed;
    const index = early?.index ?? snapshotIndex(ctx.root, ctx.profile, payload.index);
    // The early index has the same record's scope already (open-index.ts), unless the record was carried over to new build files.
    if (index !== early?.index || index.bindingScope === null || renewed) index.bindingScope = ctx.scope(index, payload.build);
    const report: OpenReport = { parsed: 0, reused: ctx.listedAsGraph ?? ctx.files.length, fromGraphCache: true, incremental: false, unreadable, kept: { base: ctx.cache.besidePath(''), identity: keptIdentity(payload, graph.identity) } };
    if (renewed) {
      // The graph as it was, with the record of the build files now: written again, so that the next open does not make the model again.
      if (ctx.writeBehind) ctx.cache.saveBehind(ctx.manifest, payload, false, ctx.keepListing?.(payload.build));
      else ctx.cache.save('graph', ctx.manifest, [payload], false, ctx.keepListing?.(payload.build));
      Object.assign(report, { renewed, keptWritten: { base: ctx.cache.besidePath(''), identity: keptIdentity(payload, '') } });
    }
    return { opened: openedGraph(index, early?.edges ?? new EdgeList(payload.edges), unreadable, payload.callSites), report, overlay, layout };
  }
  // As for a graph reused as stored: a file that could not be read and opens now is parsed (a folder readable again adds files too).
  const stored = early?.payload ?? decoded(() => graph.value<GraphPayload>(1)) ?? undefined;
  if ((stored?.unreadable ?? []).some((f) => f.reason !== NOT_TEXT && opensNow(ctx.root, f.path))) return ctx.miss('a file that could not be read opens now');
  const patched = await patchCachedGraph(ctx, graph, manifest, stored);
  if (!patched) return null;
  // Files whose time moved but whose content did not leave the graph as it was: only the manifests are written again.
  const unchanged = patched.parsed === 0;
  return { opened: patched.opened, report: { parsed: patched.parsed, reused: ctx.files.length - patched.parsed, fromGraphCache: unchanged, incremental: !unchanged, touched: patched.touched, ...(patched.added ? { added: patched.added } : {}), ...(patched.deleted ? { deleted: patched.deleted } : {}), unreadable: patched.opened.unreadable, ...(patched.generation !== undefined ? { keptWritten: { base: ctx.cache.besidePath(''), identity: keptIdentity(patched, '') } } : {}) }, overlay: () => patched.overlay, layout: () => patched.layout };
}

/** What of a graph payload says how its facts lie over the facts file (facts-overlay.ts, facts-layout.ts). */
export type FactsPlacement = Pick<GraphPayload, 'factsOverlay' | 'factsFrames' | 'factsAdded' | 'factsDropped'>;

/**
 * The facts file's manifest and facts with the graph cache's overlay (facts-overlay.ts) put over
 * them when it belongs to them, so that files patched since the facts file was written are not
 * parsed again; then with `placement`, the graph's fields that put them so, for a graph of the same
 * files written while the facts file is left as it is (a resolution in full that parses nothing):
 * without them, that graph's files would not be the facts file's, and the next open would resolve in full again.
 */
export function overlaid(cache: IndexCache, stored: { manifest: CacheEntry[]; payload: FileFacts[] }): { manifest: CacheEntry[]; payload: FileFacts[]; placement?: FactsPlacement } {
  const graph = cache.open('graph');
  if (!graph) return stored;
  try {
    const manifest = decoded(() => graph.value<CacheEntry[]>(0));
    const payload = Array.isArray(manifest) ? decoded(() => graph.value<GraphPayload>(1)) : null;
    const overlay = payload ? decoded(() => overlayOf(payload.factsOverlay)) : null;
    const layout = payload ? decoded(() => FactsLayout.of(payload.factsFrames, payload.factsAdded, payload.factsDropped)) : null;
    if (!manifest || !overlay || !layout || (!overlay.size && !layout.moves) || !factsHold(stored.manifest, manifest, overlay, layout) || stored.payload.length !== stored.manifest.length) return stored;
    // The graph's files in order: each overlaid file's facts, the others' from their place in the facts file (files deleted since are left out).
    const placement: FactsPlacement = {};
    for (const k of ['factsOverlay', 'factsFrames', 'factsAdded', 'factsDropped'] as const) if (payload![k] !== undefined) Object.assign(placement, { [k]: payload![k] });
    const out = { manifest: [] as CacheEntry[], payload: [] as FileFacts[], placement };
    manifest.forEach((entry, at) => {
      const over = overlay.get(at);
      const p = layout.position(at);
      out.manifest.push(over ? entry : stored.manifest[p]!);
      out.payload.push(over ?? stored.payload[p]!);
    });
    return out;
  } finally {
    graph.close();
  }
}

