import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createHash } from 'node:crypto';
import { cacheDirFor, ensureCacheDir } from './cache-dir.js';
import { collectFacts } from './collect-facts.js';
import { framesAsStored, saveFacts } from './save-facts.js';
import { SetAsideFacts } from './set-aside-facts.js';
import { besideFacts, FactsWriter } from './facts-behind.js';
import { type PackedItems, type SpooledItems, spoolItems } from '../util/packed-items.js';
import { ByteSpool } from '../util/byte-spool.js';
import { CodeIndex } from '../index/code-index.js';
import { expandDefiners } from '../index/expand-definers.js';
import { type DeferredFrame, ENCODER_THREADS, expandFrames } from './expand-frames.js';
import { type DiscoverOptions, discoverFiles, type SourceFile, treePathLimit } from '../index/discover-files.js';
import { type FoundListing, listWithFind } from '../index/discover-find.js';
import { dropEarlyListing } from '../index/early-listing.js';
import { discoverFilesInWorker, listingsWritten } from '../index/discover-in-worker.js';
import { recentlyChanged } from '../index/discover-recent.js';
import { CACHE_FORMAT, type CacheEntry, FACTS_PER_FRAME, IndexCache, manifestOf, reusableFacts, sameManifest } from './index-cache.js';
import { FrameEncoder } from './frame-encoder.js';
import { parseFiles } from '../index/parse-files.js';
import { FactSharer } from '../index/share-facts.js';
import { parseAhead, withParsedAhead } from '../index/parse-ahead.js';
import { textExtractor } from '../parse/file-parser.js';
import { detectProfile } from '../profiles/index.js';
import { resolveEdges } from '../resolve/resolve.js';
import { BindingRecorder } from '../resolve/binding-record.js';
import { ObjectHandOffRecorder } from '../resolve/object-hand-off-record.js';
import { MentionTable } from '../resolve/mention-table.js';
import { packMemberQueries, TypeReadRecorder } from '../resolve/type-reads.js';
import { otherNames } from './type-edit.js';
import { definedTagCounts, definedTags } from './defined-tags.js';
import { packHashes } from '../util/packed-hashes.js';
import type { FileFacts, UnreadableFile } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { readFailure } from '../util/fs-failure.js';
import { ResolvedElsewhere, UsageError } from '../util/errors.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { count, PhaseClock, StepClock } from './phase-clock.js';
import { type GraphPayload, type OpenedGraph, openedGraph } from './patch-cached-graph.js';
import { keptIdentity, newGeneration } from './graph-payload.js';
import { definerRecords } from './definer-records.js';
import { summariseCallSites } from './call-site-summary.js';
import { type EarlyGraph, earlyGraph, fromGraphCache, type KeptBeside, type OpenReport, overlaid } from './graph-from-cache.js';
import { type BuildRecord, TreeBuild } from './tree-build.js';
import { type KeptListing, listingToKeep, readKeptListing, recentEntries, unwatchedOf, writeKeptListing } from './kept-listing.js';
export type { KeptBeside, OpenReport } from './graph-from-cache.js';
import type { OpenOptions } from './open-options.js';
export type { OpenOptions } from './open-options.js';

/**
 * Size of a graph cache's manifest frame (about 55 bytes a file) from which the tree is listed in
 * a worker thread by default: below it (some 5,000 files) the thread takes longer to start than the listing.
 */
export const WORKER_MANIFEST_BYTES = 256 << 10;

/** What moved in the build of a graph's record (TreeBuild.moved; null: it holds), worked out early for that record (see buildMovedIn in openIndex). */
type HeldBuild = { record: BuildRecord | undefined; moved: string | null } | null;

/** Files skipped when parsing, from their facts. */
export const unreadableOf = (facts: FileFacts[]): UnreadableFile[] => facts.filter((f) => f.unreadable !== undefined).map((f) => ({ path: f.path, reason: f.unreadable! }));

/** Throws a UsageError unless `root` is a directory: `no such directory: X`, `not a directory: X` (a file), or why it cannot be read. */
function checkRoot(root: string): void {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such directory: ${root}` : code === 'ENOTDIR' ? `not a directory: ${root}` : `cannot read ${root}: ${readFailure(err)}`);
  }
  if (!isDir) throw new UsageError(`not a directory: ${root}`);
}

/**
 * Indexes a tree (or the given paths of it) and resolves its call graph, with a report of how it was had. Files and folders that cannot be read (or
 * are not text) are skipped and listed in `report.unreadable` and `opened.unreadable`; the
 * rest is indexed. Throws UsageError for a root that is not a folder or a path limit that does not exist.
 */
export async function openIndex(options: OpenOptions = {}): Promise<{ opened: OpenedGraph; report: OpenReport }> {
  const unlisted: UnreadableFile[] = [];
  const { opened, report } = await openListed(options, unlisted);
  // The discovery thread writes its listings after answering; only a command line, which
  // outlives it anyway, returns before that (a caller removing the cache folder would race it).
  if (!options.writeBehind) await listingsWritten();
  if (unlisted.length === 0) return { opened, report };
  // Folders and files discovery could not read, with those parsing could not: one list by path.
  const unreadable = [...unlisted, ...report.unreadable].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { opened: { ...opened, unreadable }, report: { ...report, unreadable } };
}

/** openIndex, but what discovery could not read goes to `unlisted` alone. */
async function openListed(options: OpenOptions, unlisted: UnreadableFile[]): Promise<{ opened: OpenedGraph; report: OpenReport }> {
  const clock = new PhaseClock(options.onTrace);
  const root = resolvePath(options.root ?? '.');
  checkRoot(root);
  const profile = detectProfile(root);
  // Path limits as the tree's own paths, so that `net`, `net/` and `./net` share one cache scope.
  const paths = options.paths ? [...new Set(options.paths.map((p) => treePathLimit(root, p)))].sort() : undefined;
  const note = options.onNote ?? (() => {});
  // Only a profile with an arch/ folder chooses an architecture: elsewhere --arch changes nothing, and says so.
  if (options.arch !== undefined && !profile.archDir) note(`note: --arch ${options.arch} is ignored: ${root} is no Linux tree (no arch/ folder of architectures)`);
  const extractor = options.extractor ?? 'scan';
  const scope = JSON.stringify({ profile: profile.name, arch: options.arch ?? profile.defaultArch ?? '', paths: paths ?? [], extractor });
  const key = createHash('sha1').update(scope).digest('hex').slice(0, 12);
  const cache = options.cache ? new IndexCache(cacheDirFor(root, typeof options.cache === 'string' ? options.cache : undefined), key, note) : null;
  const wantsGraph = !!cache && options.facts !== true && !options.refresh && options.inFull === undefined;
  // Opened before the tree is listed: a large graph is decoded (and prepared for the query) while a worker thread lists the tree.
  const graphFile = wantsGraph ? cache!.open('graph') : null;
  const discoverOptions: DiscoverOptions = { ...(paths ? { paths } : {}), ...(options.arch ? { arch: options.arch } : {}), onUnreadable: (f) => unlisted.push(f) };
  // The build (config, Kbuild, includes) binding by name follows; a scope given by the caller replaces it, and is not checked against the cache.
  const build = new TreeBuild(root, profile, options.arch ?? '', options.config);
  let buildMoved = false;
  // Whether the build files of the cached graph's record are unchanged: stat() of each (some 5,000 on a kernel, 60-110 ms), but of those find's listing does not vouch for when it listed the tree (kept-listing.ts unwatchedOf).
  let heldEarly: HeldBuild = null;
  const buildMovedIn = (record: BuildRecord | undefined): string | null => {
    const held = heldEarly as HeldBuild;
    const moved = options.bindingScope ? null : held && held.record === record ? held.moved : build.moved(record, unwatchedOf(foundListing, record, foundListing && listedFiles ? listedFiles : []));
    buildMoved ||= moved !== null;
    return moved;
  };
  const cachedScope = (index: CodeIndex, record: BuildRecord | undefined): BindingScope => (options.bindingScope ? options.bindingScope(index) : record ? build.scopeFromRecord(index, record) : {});
  let early: EarlyGraph | null = null;
  /** Whether the query was answered ahead on the cached graph while the tree was listed (OpenOptions.ahead). */
  let answeredAhead = false;
  /** Why the query was not answered ahead although it could have been (for --verbose), or ''. */
  let notAhead = '';
  let listedFiles: SourceFile[] | null = null;
  /** The listing's digest (find's: FoundListing), and the listing kept for the graph file when it has that digest (kept-listing.ts): the graph's own files are then the tree's. */
  let digest: string | undefined;
  /** find's listing when it is not the one kept for the graph (its build records make the next kept listing's `unwatched`). */
  let foundListing: FoundListing | null = null;
  let listedAsGraph: KeptListing | null = null;
  /** The facts of a recently edited file parsed while the tree was listed, for the first parse after (once). */
  let parsedAhead: FileFacts | null = null;
  try {
    if (graphFile && (options.discoverInWorker ?? graphFile.frameBytes(0) >= WORKER_MANIFEST_BYTES)) {
      // find in a child process lists a whole tree for a fraction of a thread's CPU; where it does not answer surely, a thread lists it.
      const listing: Promise<FoundListing | SourceFile[]> = listWithFind(root, profile, discoverOptions, 'find', cache!.dir).then<FoundListing | SourceFile[]>((found) => found ?? discoverFilesInWorker(root, profile, discoverOptions, cache!.besidePath('dirs')));
      // A rejected listing is awaited below; this keeps it from being reported as unhandled meanwhile.
      listing.catch(() => {});
      early = earlyGraph(graphFile, root, profile);
      // The early index binds and marks (a path's functions Kbuild does not build) as the one returned will: the same record's scope, set once.
      if (early) early.index.bindingScope = cachedScope(early.index, early.payload.build);
      const keptListing = early ? readKeptListing({ base: cache!.besidePath(''), identity: graphFile.identity }) : null;
      if (early) options.prepare?.(early.index, early.edges, { base: cache!.besidePath(''), identity: keptIdentity(early.payload, graphFile.identity) }, early.payload.callSites);
      // The build files are looked at once the listing is in: those the kept listing (the same one) or find's (another) does not vouch for; every one without either (buildMovedIn).
      // A recently modified file changed since the graph was cached: the listing will likely differ, and an answer made ahead be dropped.
      const changedRecently = early && options.ahead ? recentlyChanged(root, keptListing ? recentEntries(keptListing) : (early.manifest ?? [])) : undefined;
      if (changedRecently !== undefined) notAhead = `, not answered ahead: ${changedRecently} changed`;
      const keptHolds = (): HeldBuild => (early && keptListing?.unwatched && !options.bindingScope ? { record: early.payload.build, moved: build.moved(early.payload.build, keptListing.unwatched) } : null);
      let heldAhead: HeldBuild = null;
      if (early && options.ahead && changedRecently === undefined) {
        let listed = false;
        listing.then(
          () => (listed = true),
          () => (listed = true),
        );
        // A listing posted meanwhile is taken in before this turn of the event loop ends (its message comes before setImmediate's callbacks).
        await new Promise((resolve) => setImmediate(resolve));
        if (!listed) {
          options.ahead();
          answeredAhead = true;
          // Worked out while find still lists (the listing is most likely the kept one): kept only when it is.
          heldAhead = keptHolds();
        }
      }
      // Not answered ahead for a recently edited file changed: while find lists the tree, that file is parsed for the patch (index/parse-ahead.ts).
      if (changedRecently !== undefined && !answeredAhead) parsedAhead = parseAhead(root, profile, extractor, changedRecently);
      const found = await listing;
      if (Array.isArray(found)) listedFiles = found;
      else if (keptListing && found.digest === keptListing.digest) {
        listedAsGraph = keptListing;
        // The same bytes: the build files find prints are as they were when the listing was kept, the graph holding then.
        heldEarly = heldAhead ?? keptHolds();
      } else {
        digest = found.digest;
        foundListing = found;
        const parsed = found.files();
        listedFiles = parsed ?? (await discoverFilesInWorker(root, profile, discoverOptions, cache!.besidePath('dirs')));
      }
    } else {
      dropEarlyListing(); // listed here: find's early run is not wanted
      listedFiles = discoverFiles(root, profile, discoverOptions);
    }
  } catch (err) {
    graphFile?.close();
    throw err;
  }
  // Listed as the graph's own files: those are read from the graph file only when asked for (never by a query on an unchanged tree).
  // (A graph file whose file list no longer decodes, its identity unchanged, is listed again.)
  const graphFiles = (): SourceFile[] => (listedFiles ??= early!.manifest ?? discoverFiles(root, profile, discoverOptions));
  let listedManifest: CacheEntry[] | null = listedAsGraph ? null : manifestOf(listedFiles!);
  const theManifest = (): CacheEntry[] => (listedManifest ??= manifestOf(graphFiles()));
  clock.done('discover', `${count(listedAsGraph ? listedAsGraph.files : listedFiles!.length)} files${listedAsGraph ? ' (as the graph cache lists them: the listing is the one kept for it)' : ''}${early ? `, the graph cache decoded${answeredAhead ? ' and the query answered' : ''} meanwhile${notAhead}` : ''}`);
  // When every file is parsed, each batch of FACTS_PER_FRAME files is one facts frame, its JSON packed by the worker and held in a spool file in the cache's folder (util/byte-spool.ts) until encoded.
  const spool = cache ? new ByteSpool(cache.dir, ensureCacheDir) : null;
  const packedFrames = new Map<number, SpooledItems>();
  const frames = { size: FACTS_PER_FRAME, onBatch: (first: number, packed: PackedItems) => packedFrames.set(first / FACTS_PER_FRAME, spoolItems(spool!, packed)) };
  if (options.config !== undefined) void build.built; // a --config file that cannot be read is a usage error at once
  // Definer macros are expanded the same way on the patched path (patch-cached-graph.ts); the profile's registration macros never (they register as written).
  const keep = new Set(profile.registrations.flatMap((r) => r.macros));
  const expand = (all: FileFacts[]): FileFacts[] => expandDefiners(all, textExtractor(profile, extractor), keep);
  const takenAhead: string[] = [];
  const parse = (todo: SourceFile[]): Promise<FileFacts[]> => {
    const ahead = parsedAhead;
    parsedAhead = null;
    return withParsedAhead(root, todo, ahead, takenAhead, (rest) => parseFiles(root, profile, rest, { jobs: options.jobs ?? 1, extractor, ...(cache && rest.length === graphFiles().length ? { frames } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) }));
  };

  let why = !cache ? 'no cache (--no-cache)' : options.refresh ? 'every file is parsed again (refresh)' : options.facts === true ? 'every file\'s facts are wanted' : options.inFull !== undefined ? `${options.inFull} (found by the first process, which handed the command over)` : '';
  // find's listing, kept beside a graph written for exactly its files (a patched one, or one resolved in full here): the next query need not parse it.
  const keepListing = digest !== undefined ? (record: BuildRecord | undefined) => listingToKeep(digest!, theManifest(), unwatchedOf(foundListing, record, theManifest())) : undefined;
  if (wantsGraph) {
    const miss = (reason: string): null => {
      why ||= reason;
      return null;
    };
    const steps = new StepClock();
    const ctx = {
      root, profile, cache, parse, parsedAhead: () => takenAhead, expand, scope: cachedScope, buildMoved: buildMovedIn, renewBuild: options.bindingScope ? undefined : (record: BuildRecord, paths: readonly string[], patched?: ReadonlySet<number>) => build.renewed(record, paths, patched), miss, steps, ...(options.writeBehind ? { writeBehind: true } : {}),
      get files() {
        return graphFiles();
      },
      get manifest() {
        return theManifest();
      },
      ...(listedAsGraph ? { listedAsGraph: listedAsGraph.files } : {}),
      ...(keepListing ? { keepListing } : {}),
    };
    const cached = await fromGraphCache(ctx, options.facts === 'lazy', graphFile, early, options.needsFacts?.() === false);
    if (cached) {
      const { report } = cached;
      // A listing found equal to the graph file's files, as stored: its digest is kept for the next open.
      if (digest !== undefined && report.fromGraphCache && !report.touched && !report.renewed && graphFile) writeKeptListing({ base: cache.besidePath(''), identity: graphFile.identity }, digest, theManifest(), unwatchedOf(foundListing, early?.payload.build, theManifest()));
      const files = (n: number): string => `${count(n)} file${n === 1 ? '' : 's'}`;
      clock.done('graph', report.incremental ? `patched for ${patchedFiles(report)} (incremental)` : report.touched ? `loaded from the cache: ${files(report.touched)} touched, none changed` : report.renewed ? `loaded from the cache: no source file changed; ${report.renewed}, and the build model answers as before (its record written again)` : 'loaded from the cache: no file changed');
      // The patch's own steps, timed within the graph line's time.
      if (report.incremental) for (const line of steps.lines) clock.say(line);
      return cached;
    }
    if (options.resolveElsewhere) {
      // Nothing of this open is needed by the process the command is handed to: what was decoded early becomes garbage
      // (the files listed are had first: this process resolves them itself when the command cannot be handed over).
      graphFiles();
      early = null;
      await listingsWritten();
      clock.done('graph', `not patched: ${why}; the command runs again in a process made for resolving in full`);
      const code = await options.resolveElsewhere(why);
      if (code !== null) throw new ResolvedElsewhere(code);
    }
    clock.done('graph', `resolved in full: ${why}`);
  } else clock.say(`graph: resolved in full: ${why}`);

  const files = graphFiles();
  const manifest = theManifest();
  const stored = cache && !options.refresh ? loadFacts(cache) : null;
  const old = stored ? overlaid(cache!, { manifest: stored.manifest, payload: stored.pieces.flat() }) : null;
  const fresh = reusableFacts(files, old);
  const stale = new Map<string, FileFacts>();
  old?.manifest.forEach((e, i) => {
    if (!fresh.has(e.path)) stale.set(e.path, old.payload[i]!);
  });
  clock.done('facts cache', old ? `${count(old.manifest.length)} ${old.manifest.length === 1 ? "file's" : "files'"} facts read` : 'none');
  const spooled = <T>(done: Promise<T>): Promise<T> => done.catch((err: unknown) => (spool?.close(), Promise.reject(err))); // closed on an error too
  const collected = await spooled(collectFacts(root, files, fresh, stale, parse));
  const parsed = collected.parsed;
  clock.done('parse', `${count(parsed)} file${parsed === 1 ? '' : 's'} parsed, ${count(files.length - parsed)} from the cache`);
  // Definitions made by macros join the facts of the files that invoke them (index/expand-definers.ts); calls of a macro invocation's result become calls by the name its expansion ends with (index/expand-macro-calls.ts).
  // With every frame packed, the frames' mention table is made from their JSON by the encoder (resolve/mention-json.ts); in a spool file, a worker thread encodes and writes them as they are expanded, and on while the graph resolves (facts-behind.ts). An unchanged tree opened for its facts (stats, explain) rewrites nothing.
  // A tree with no C file at all (a wrong -C, a folder of something else) leaves no cache folder behind: there is nothing to reuse.
  const changed = files.length > 0 && (parsed > 0 || !old || !sameManifest(old.manifest, manifest));
  const writer = cache && changed && spool && packedFrames.size > 0 && spool.descriptor >= 0 ? new FactsWriter(cache, manifest, spool) : null;
  const expanded = spooled(expandFrames(collected.facts, profile, extractor, keep, spool && packedFrames.size ? { packed: packedFrames, spool, ...(writer ? { later: (f: DeferredFrame) => writer.add(f) } : {}) } : null, Math.min(options.jobs ?? 1, ENCODER_THREADS)));
  const { facts, encoded, mentions: frameMentions, deferred } = await expanded.catch((err: unknown) => (writer?.abandon(), Promise.reject(err)));
  collected.facts = []; // the parsed facts of the files expansion changed are garbage (resolve keeps the expanded ones)
  clock.done('expand', 'definer macros and calls of macro results');
  const factsBehind = writer && deferred > 0 ? writer.done() : (writer?.abandon(), null);
  /** The mention table of the facts file written here, made in a worker thread while the graph resolves (frame-encoder.ts mentionsOf), when no frame's was made as it was encoded. */
  let mentionsAhead: Promise<MentionTable | null> | null = null;
  if (cache && changed && !factsBehind) {
    // Frames whose facts the cached file holds as they are now are copied from it (save-facts.ts storedCopy).
    const was = stored ? cache.open('facts') : null;
    // Frames told unchanged without being compared, when the facts file is still the one loaded.
    const asStored = was && was.identity === stored!.identity ? framesAsStored(stored!, manifest, facts) : undefined;
    try {
      const identity = await spooled(saveFacts(cache, manifest, facts, encoded, was, asStored));
      // A tree of a few frames makes it here at the save in less time than a worker takes to start.
      if (identity && frameMentions.length === 0 && facts.length > 2 * FACTS_PER_FRAME) {
        const reader = new FrameEncoder(null);
        mentionsAhead = reader.mentionsOf({ path: cache.path('facts'), identity, format: CACHE_FORMAT }).finally(() => reader.close());
      }
    } finally {
      was?.close();
    }
  }
  encoded.clear();
  if (!factsBehind) spool?.close();
  // Merged now, so that the resolution holds one table of the tree's names, not one of each frame's (a kernel's 218: 24 MB).
  const framesTable = frameMentions.length > 0 && frameMentions.length === Math.ceil(facts.length / FACTS_PER_FRAME) ? MentionTable.merge(await Promise.all(frameMentions.splice(0))) : null;
  clock.done('save facts', !cache ? 'no cache' : cache.unwritable ? 'not written (the cache cannot be written)' : factsBehind ? 'written by a worker thread as the frames are expanded and while the graph resolves' : changed ? 'written' : 'nothing to write');
  const index = new CodeIndex(root, profile, facts);
  let [record, typeReads, aside] = [cache ? new BindingRecorder() : undefined, cache ? new TypeReadRecorder() : undefined, null as SetAsideFacts | null];
  const handOffs = cache ? new ObjectHandOffRecorder() : undefined;
  const edges = await besideFacts(factsBehind, () => {
    index.bindingScope = options.bindingScope ? options.bindingScope(index) : build.scopeFor(index);
    clock.done('build', 'configuration, Kbuild and include graph');
    aside = options.bindingScope ? null : new SetAsideFacts([facts, index.files]); // what resolve never reads, put back after it or after the save (set-aside-facts.ts)
    const resolved = resolveEdges(index, record, typeReads, handOffs ? { handOffs } : {});
    aside?.resolved();
    collectGarbage(); // resolve's working tables (type model, binding table) are garbage now, before the snapshots are made
    return resolved;
  });
  clock.done('resolve', `${count(index.nodeCount)} nodes, ${count(edges.length)} edges`);
  const behindTable = factsBehind ? await factsBehind.finally(() => spool!.close()) : null;
  if (factsBehind) clock.done('facts written', behindTable ? 'by the writer thread' : 'not written');
  const writesGraph = !!cache && files.length > 0 && (changed || cache.needsWrite('graph') || buildMoved || options.inFull !== undefined);
  const callSites = writesGraph ? summariseCallSites(index) : undefined; // summarised once: the graph cache keeps it, and stats on this open uses it too
  let written: KeptBeside | undefined;
  if (cache && callSites) {
    const mentions = framesTable ?? behindTable ?? (await mentionsAhead) ?? (aside?.restore(), MentionTable.of(facts));
    // Before the edges' snapshot: the record adds the evidence of its slot flows that no edge shows.
    const bindings = record?.snapshot((e) => edges.knownEvidence(e), (e) => edges.internEvidence(e));
    const graphPayload: GraphPayload = { generation: newGeneration(), index: index.snapshot(), edges: edges.snapshot({ shared: true }), unreadable: unreadableOf(facts), callSites, mentions: mentions.saved, definers: definerRecords(facts), ...(bindings ? { bindings } : {}), ...(typeReads ? { typeReads: packHashes(typeReads.snapshot()), memberQueries: packMemberQueries(typeReads.memberQueries) } : {}), ...(handOffs ? { objectHandOffs: handOffs.done() } : {}), definedOtherwise: packHashes(otherNames(facts)), ...tagTable(facts), ...(options.bindingScope ? {} : { build: build.record(index) }), ...(!changed && old?.placement ? old.placement : {}) };
    [record, typeReads] = [undefined, undefined]; // garbage once snapshotted (the closure above would keep them), before the payload is encoded
    cache.save('graph', manifest, [graphPayload], false, keepListing?.(graphPayload.build));
    written = { base: cache.besidePath(''), identity: keptIdentity(graphPayload, '') };
  }
  aside?.restore();
  clock.done('save', !cache ? 'no cache' : cache.unwritable ? 'not written (the cache cannot be written)' : writesGraph ? 'graph written' : 'nothing to write');
  const unreadable = unreadableOf(facts);
  return { opened: openedGraph(index, edges, unreadable, callSites), report: { parsed, reused: files.length - parsed, fromGraphCache: false, incremental: false, unreadable, ...(written ? { keptWritten: written } : {}) } };
}

/**
 * The facts file's manifest and facts, their repeated values shared as parsed ones are
 * (index/share-facts.ts: a kernel's facts hold millions of equal argument lists, types and
 * parameters), each frame's as it is read so that its copies die young; the pools die with this call. `identity`: the facts file's.
 */
function loadFacts(cache: IndexCache): { manifest: CacheEntry[]; pieces: FileFacts[][]; identity: string } | null {
  const sharer = new FactSharer();
  return cache.load<FileFacts[]>('facts', (frame) => Array.isArray(frame) && frame.forEach((f) => sharer.file(f)));
}

/** `1 edited file`, `1 file added`, `2 edited files, 1 file deleted`: what a patch was made for (OpenReport). */
function patchedFiles(report: { parsed: number; added?: number; deleted?: number }): string {
  const [added, deleted] = [report.added ?? 0, report.deleted ?? 0];
  const edited = report.parsed - added - deleted;
  const files = (n: number): string => `${count(n)} file${n === 1 ? '' : 's'}`;
  return [edited ? `${count(edited)} edited file${edited === 1 ? '' : 's'}` : '', added ? `${files(added)} added` : '', deleted ? `${files(deleted)} deleted` : ''].filter(Boolean).join(', ');
}

/** GraphPayload.definedTags and .definedTagCounts of a full resolution's facts. */
function tagTable(facts: readonly FileFacts[]): { definedTags: Uint8Array; definedTagCounts: Uint8Array } {
  const packed = packHashes(definedTags(facts));
  return { definedTags: packed, definedTagCounts: definedTagCounts(facts, packed) };
}
