import { answeredIncludeDirs } from './build-answers.js';
import { CodeIndex } from '../index/code-index.js';
import type { SourceFile } from '../index/discover-files.js';
import { callsOfResults } from '../index/expand-macro-calls.js';
import { rewrittenAsInFull } from './macro-call-edit.js';
import type { FrameFile } from './frame-file.js';
import type { CacheEntry, IndexCache } from './index-cache.js';
import { emptyFacts, hashOf } from '../parse/file-parser.js';
import type { Profile } from '../profiles/profile.js';
import { handOffEditBlocked, handOffInput } from './hand-off-edit.js';
import { EdgeList } from '../resolve/edge-list.js';
import { MentionTable, mentionBuckets } from '../resolve/mention-table.js';
import type { FileFacts } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import type { BuildRecord } from './tree-build.js';
import { buildRenewed } from './build-renew.js';
import type { KeptForWrite } from './kept-beside.js';
import { macroDefsMoved } from './macro-lines-edit.js';
import { patchCallSites, patchCallSitesRenumbered } from './call-site-summary.js';
import { patchDefinitions } from './patch-definitions.js';
import { movedNote, planEdits } from './plan-file-edit.js';
import { definedOtherwiseAfter, definedOtherwiseOf, tagsGone, unreadTypeEdits } from './type-edit.js';
import { definedTagsAfter, otherDefiners, ownTagsOf } from './defined-tags.js';
import { aloneIn } from './member-queries.js';
import { patchDefiners } from './macro-edit.js';
import { keptByRecord, patchBindingEdits } from './patch-binding-edits.js';
import { startWriter, textAhead } from './write-behind.js';
import { count, type StepClock } from './phase-clock.js';
import { isDefinerRecords, reachedDefiners } from './definer-records.js';
import { type FactsOverlay, OVERLAY_MAX_CHARS, OVERLAY_MAX_FILES, overlayOf, overlayText } from './facts-overlay.js';
import { FactsLayout } from './facts-layout.js';
import { keepFactsHeld, keptFactsHeld, readOrPending, storedFactsOf, vouchFacts } from './cached-facts.js';
import { addedFilesBlocked, deletedFilesBlocked, type FileListChange, fileListChange, includeRowsOf, includedName, positionMap, renumberFiles, setIncludeRows } from './renumber-files.js';
import { MAX_FACTS_MOVES, writtenFacts } from './rewrite-facts.js';
import { globalCallsElsewhere, globalNamedNode, globalNames, globalsBlocked, keptFileVariables } from './file-globals.js';
import { patchIncludes } from './include-edit.js';
import { stringItems, withFields } from '../util/text-slices.js';
import { snapshotIndex } from './snapshot-index.js';
import { cachedFollowedParams } from './dead-stores.js';
import { type GraphPayload, keptIdentity, newGeneration, type OpenedGraph, openedGraph } from './graph-payload.js';
export { type GraphPayload, type OpenedGraph, openedGraph } from './graph-payload.js';

/** Files whose size or mtime moved since the cached graph: more than this and the graph is resolved afresh. */
const MAX_TOUCHED = 2000;
/** Of those, files whose content changed (parsed again): more than this and the graph is resolved afresh. */
const MAX_EDITED = 1000;

/** The tree as discovered now, and where its cache lives. */
export interface PatchContext {
  root: string;
  profile: Profile;
  files: SourceFile[];
  manifest: CacheEntry[];
  cache: IndexCache;
  /** Parses files the way a full index would (same extractor and options). */
  parse: (files: SourceFile[]) => Promise<FileFacts[]>;
  /** The paths of files whose facts `parse` took from a parse made while the tree was listed (index/parse-ahead.ts), for --verbose. */
  parsedAhead?: () => readonly string[];
  /** Expands the definer invocations of files (index/expand-definers.ts) as a full index does, the macros defined in all of them in view. */
  expand: (facts: FileFacts[]) => FileFacts[];
  /**
   * The binding oracles for an index loaded from the graph cache, from the build record kept
   * with it: patched edges bind by the same rules as resolved ones, and explain says why.
   */
  scope: (index: CodeIndex, record: BuildRecord | undefined) => BindingScope;
  /** Why the build a cached graph was resolved under no longer holds (a build file or the config changed: TreeBuild.moved), which makes it resolved afresh; null when it holds. */
  buildMoved: (record: BuildRecord | undefined) => string | null;
  /** For a record whose build files moved: the record carried over to them, or why not ('' when buildMoved's reason says it: TreeBuild.renewed); absent: never carried over. */
  renewBuild?: (record: BuildRecord, paths: readonly string[], patched?: ReadonlySet<number>) => BuildRecord | string;
  /** Records why the cached graph cannot be used or patched (for --verbose) and returns null. */
  miss: (why: string) => null;
  /** Times the patch's steps (parse, patch, save) for --verbose. */
  steps?: StepClock;
  /** Write the patched graph in a worker thread (IndexCache.saveBehind; OpenOptions.writeBehind). */
  writeBehind?: boolean;
  /**
   * Set when the tree's listing is known to be the graph file's own list of files (its digest is
   * the one kept for that file: kept-listing.ts): how many files it lists. `files` and `manifest`
   * are then read from the graph file when first asked for, and the graph is used as stored.
   */
  listedAsGraph?: number;
  /**
   * The tree's listing (find's: its digest) to keep beside the patched graph once written, its files
   * being `manifest` (kept-listing.ts listingToKeep), with the paths of the graph's build `record`
   * it does not vouch for; absent when the tree was listed otherwise.
   */
  keepListing?: (record: BuildRecord | undefined) => KeptForWrite;
}

/** One file that changed since the cached graph, with its facts then and now. */
interface Touched {
  /** Position in the manifest (the same before and after) and file id in the index. */
  at: number;
  before: FileFacts;
  after: FileFacts;
}

/** Positions of the files whose size or mtime moved, or null when the file lists differ. */
function touchedFiles(cached: CacheEntry[], now: CacheEntry[]): number[] | null {
  if (cached.length !== now.length) return null;
  const touched: number[] = [];
  for (let i = 0; i < now.length; i++) {
    const [x, y] = [cached[i]!, now[i]!];
    if (x.path !== y.path) return null;
    if (x.size !== y.size || x.mtimeMs !== y.mtimeMs) touched.push(i);
  }
  return touched;
}

/** A value decoded from cache frames, or null when they do not decode (the full path then reads the caches again and rebuilds them). */
export function decoded<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/**
 * The edited files' facts fresh from the parser, with their definer invocations expanded as a
 * full index expands them: with the macros that may define of every file their invocations reach
 * (GraphPayload.definers, read record by record: definer-records.ts; the edited files' own from
 * their new facts). Without that table, as parsed.
 */
function expandedAsInFull(ctx: PatchContext, payload: GraphPayload, edited: Touched[], parsed: FileFacts[]): FileFacts[] {
  // Only invocations are expanded: a file with none before or after is as parsed.
  if (!isDefinerRecords(payload.definers) || edited.every((t, i) => !t.before.invocations?.length && !parsed[i]!.invocations?.length)) return parsed;
  const at = new Set(edited.map((t) => t.at));
  const reached = reachedDefiners(payload.definers, parsed.flatMap((f) => f.invocations ?? []), at);
  const carriers = [...reached].map(([file, macros]) => ({ file, facts: { ...emptyFacts(stringItems(payload.index, 'files').at(file)), macros } }));
  const parsedAt = edited.map((t, i) => ({ file: t.at, facts: parsed[i]! }));
  const all = [...carriers, ...parsedAt].sort((a, b) => a.file - b.file).map((c) => c.facts);
  const expanded = ctx.expand(all);
  const out: FileFacts[] = [];
  all.forEach((f, k) => {
    const i = parsed.indexOf(f);
    if (i >= 0) out[i] = expanded[k]!;
  });
  return out;
}

/**
 * An edited file's facts as the graph's index hands them out under the configuration (calls inside
 * `#if` blocks it leaves out made neutral, and every call of a function defined under a condition it
 * leaves out: CodeIndex.configured), by file id; the facts themselves when no edited file has a
 * call under a condition of its own or a function or macro with calls under one.
 */
function configuredFacts(ctx: PatchContext, payload: GraphPayload, edited: { before: FileFacts; after: FileFacts }[], macroDefs: BuildRecord['macroDefs'] | null): { before: (facts: FileFacts, at: number) => FileFacts; after: (facts: FileFacts, at: number) => FileFacts } {
  const conditional = (f: FileFacts): boolean => f.functions.some((fn) => fn.calls.length > 0 && (fn.cond !== undefined || fn.calls.some((c) => c.cond !== undefined))) || f.macros.some((m) => m.cond !== undefined && m.calls.length > 0) || !!f.registrations?.some((r) => r.cond !== undefined);
  if (!edited.some((t) => conditional(t.before) || conditional(t.after))) return { before: (facts) => facts, after: (facts) => facts };
  const under = (record: BuildRecord | undefined): ((facts: FileFacts, at: number) => FileFacts) => {
    const index = snapshotIndex(ctx.root, ctx.profile, payload.index);
    index.bindingScope = ctx.scope(index, record);
    return (facts, at) => index.configured(facts, at);
  };
  // The facts after the edit are read with the edited files' code macros at their lines now (macro-lines-edit.ts).
  const before = under(payload.build);
  return { before, after: macroDefs && payload.build ? under(withFields(payload.build, { macroDefs })) : before };
}

/**
 * Brings a cached graph up to date with a few edited files without resolving the tree again:
 * the edited files are parsed, and when their facts changed in calls, lines, which functions
 * they define and plain bindings (planFileEdit), the graph is patched (patchDefinitions, then
 * patchBindingEdits for the member call sites the bindings reach) and both cache files
 * rewritten, unchanged facts frames copied as they are stored. A file added or deleted is an
 * edit from or to an empty file (renumber-files.ts). Null when this does not apply
 * (ctx.miss says why): the caller indexes the usual way.
 */
export async function patchCachedGraph(ctx: PatchContext, graph: FrameFile, graphManifest: CacheEntry[], decodedPayload?: GraphPayload): Promise<{ opened: OpenedGraph; parsed: number; added: number; deleted: number; touched: number; overlay: FactsOverlay; layout: FactsLayout; generation: string | undefined } | null> {
  // Files added or deleted: the patch works on the union of the files then and now (`change.union`), an added file empty before, a deleted one empty after.
  const listed = touchedFiles(graphManifest, ctx.manifest) ? null : fileListChange(graphManifest, ctx.manifest);
  if (typeof listed === 'string') return ctx.miss(listed);
  const change: FileListChange | null = listed;
  const positions = change ? change.union : graphManifest;
  const oldOf = (at: number): number => (change ? change.oldAt[at]! : at);
  const fileAt = (at: number): SourceFile => ctx.files[change ? change.newAt[at]! : at]!;
  const touchedAt = change ? positions.flatMap((e, u) => (change.oldAt[u]! >= 0 && change.newAt[u]! >= 0 && (e.size !== ctx.manifest[change.newAt[u]!]!.size || e.mtimeMs !== ctx.manifest[change.newAt[u]!]!.mtimeMs) ? [u] : [])) : touchedFiles(graphManifest, ctx.manifest)!;
  const added = new Set(change?.added ?? []);
  const deleted = new Set(change?.deleted ?? []);
  if (touchedAt.length === 0 && !change) return ctx.miss('the cached graph has no changed file but does not hold');
  if (touchedAt.length > MAX_TOUCHED) return ctx.miss(`${touchedAt.length} files changed size or time (more than ${MAX_TOUCHED})`);
  let factsFile = ctx.cache.open('facts');
  if (!factsFile) return ctx.miss('no facts cache');
  // The worker that will write the patched graph starts now, while the patch is made.
  if (ctx.writeBehind) startWriter();
  // The patched index, whose facts reader reads factsFile.
  let reading: CodeIndex | undefined;
  try {
    // The payload decoded while the tree was listed (graph-from-cache.ts earlyGraph) is not read again.
    const payload = decodedPayload ?? decoded(() => graph.value<GraphPayload>(1));
    const oldOverlay = payload ? decoded(() => overlayOf(payload.factsOverlay)) : null;
    const layout = payload ? decoded(() => FactsLayout.of(payload.factsFrames, payload.factsAdded, payload.factsDropped)) : null;
    if (!payload || !oldOverlay || !layout) return ctx.miss('the graph cache is unreadable');
    // The patch works on a copy of the edge columns' owner (a column not read yet stays unread), never on the
    // object the cached graph's EdgeList reads: a binding patch replaces columns in place (applySplices), and a
    // call graph over the cached graph made while the tree was listed reads its columns after the patch
    // (graph/derive-rows.ts reads the old edges' columns that kept rows spared it from reading earlier).
    payload.edges = withFields(payload.edges, {});
    // The evidence texts, which a patch moving lines or adding evidence reads whole, and the binding record's strings, which patchBindingEdits
    // splits whole (5.5 MB deflated on a kernel: 70-90 ms to inflate here), are inflated by the writer's idle worker meanwhile.
    if (ctx.writeBehind) {
      textAhead(payload.edges as unknown as Record<string, unknown>, 'evidenceText');
      if (payload.bindings) textAhead(payload.bindings as unknown as Record<string, unknown>, 'strings');
    }
    // Read in the cached graph's positions: the touched files' facts, and the deleted ones' (their facts before).
    const readAt = [...touchedAt, ...(change?.deleted ?? [])];
    const beside = { base: ctx.cache.besidePath(''), identity: keptIdentity(payload, graph.identity) };
    const read = readOrPending(ctx.cache, factsFile, (f) => decoded(() => storedFactsOf(f, graphManifest, oldOverlay, layout, readAt.map(oldOf), keptFactsHeld(beside, f))));
    const loaded = read.got;
    factsFile = read.file;
    if (!loaded) return ctx.miss('the facts cache is not that of the graph');
    const oldFacts = new Map(readAt.map((at, i) => [at, loaded.old[i]!]));
    // The overlay, like everything below, by position in `positions`.
    const toUnion = change ? positionMap(change.oldAt, graphManifest.length) : null;
    const overlay: FactsOverlay = toUnion ? new Map([...oldOverlay].map(([at, f]) => [toUnion[at]!, f])) : oldOverlay;
    if (change) {
      ctx.steps?.restart();
      const blocked = deletedFilesBlocked(payload, change.deleted.map(oldOf));
      if (blocked) return ctx.miss(blocked);
      const unreadable = new Set((payload.unreadable ?? []).map((f) => f.path));
      const skipped = change.deleted.find((at) => unreadable.has(positions[at]!.path));
      if (skipped !== undefined) return ctx.miss(`${positions[skipped]!.path} was deleted, and could not be read before`);
      // Added files join the graph empty: no node, no include, no binding yet; the file ids after each shift.
      const renumbered = renumberFiles(payload, toUnion!, change.union.map((e) => e.path));
      if (renumbered) return ctx.miss(renumbered);
      ctx.steps?.done('files', `${count(added.size)} added and ${count(deleted.size)} deleted: file ids renumbered`);
    }
    const touched: Touched[] = [
      ...touchedAt.map((at) => ({ at, before: oldFacts.get(at)!, after: oldFacts.get(at)! })),
      ...[...added].map((at) => ({ at, before: emptyFacts(positions[at]!.path), after: emptyFacts(positions[at]!.path) })),
      ...[...deleted].map((at) => ({ at, before: oldFacts.get(at)!, after: emptyFacts(positions[at]!.path) })),
    ].sort((a, b) => a.at - b.at);
    const edited = touched.filter((t) => deleted.has(t.at) || hashOf(ctx.root, fileAt(t.at).path) !== t.before.hash);
    if (edited.length > MAX_EDITED) return ctx.miss(`${edited.length} files edited (more than ${MAX_EDITED})`);
    // Each path read alone: the column of paths stays unread, and the patched graph's writer copies it as stored.
    if (edited.some((t) => stringItems(payload.index, 'files').at(t.at) !== t.before.path)) return ctx.miss('the graph cache is not that of the facts');
    ctx.steps?.restart();
    const toParse = edited.filter((t) => !deleted.has(t.at));
    const expanded = expandedAsInFull(ctx, payload, toParse, await ctx.parse(toParse.map((t) => fileAt(t.at))));
    // Calls of what a macro invocation expands to become calls by name, as in a full resolution (index/expand-macro-calls.ts).
    const parsed = rewrittenAsInFull(payload.definers, toParse.map((t, i) => ({ at: t.at, facts: expanded[i]! })), (file) => stringItems(payload.index, 'files').at(file));
    if (typeof parsed === 'string') return ctx.miss(`${toParse[expanded.findIndex((f) => callsOfResults(f))]!.after.path}: ${parsed}`);
    toParse.forEach((t, i) => (t.after = parsed[i]!));
    const ahead = ctx.parsedAhead?.().length ?? 0;
    ctx.steps?.done('parse', toParse.length === 0 ? 'no file to parse (the files changed were deleted)' : `${toParse.length} edited file${toParse.length === 1 ? '' : 's'}${ahead ? ` (${ahead === toParse.length ? (ahead === 1 ? 'it was' : 'they were') : `${ahead} of them`} parsed while the tree was listed)` : ''}, definer macros expanded`);
    if (change && added.size) {
      const addedFacts = [...added].map((at) => touched.find((t) => t.at === at)!.after);
      if (addedFacts.some((f) => f.unreadable !== undefined)) return ctx.miss('an added file cannot be read or is not text');
      const paths = ctx.manifest.map((e) => e.path);
      const blocked = addedFilesBlocked(ctx.profile, payload.build?.includeNames, addedFacts, graphManifest.map((e) => e.path), paths);
      if (blocked) return ctx.miss(blocked);
      // The added files' #include directives, resolved among the files now, by position in `positions`.
      const toUnion = positionMap(change.newAt, ctx.manifest.length);
      const rows = includeRowsOf(ctx.profile, paths, addedFacts, answeredIncludeDirs(payload.build?.answers));
      setIncludeRows(payload, new Map([...added].map((at, i) => [at, Int32Array.from(rows[i]!, (id) => (id < 0 ? -1 : toUnion[id]!))])));
      if (payload.build?.includeNames) payload.build.includeNames = [...new Set([...payload.build.includeNames, ...addedFacts.flatMap((f) => f.includes.map((inc) => includedName(inc.path)))])].sort();
    }
    // An added or deleted file's file-scope variables, when nothing else names them, are left out of its plan (file-globals.ts).
    const mentions = MentionTable.restore(payload.mentions);
    const addedFacts = edited.filter((t) => added.has(t.at)).map((t) => t.after);
    const deletedFacts = edited.filter((t) => deleted.has(t.at)).map((t) => t.before);
    const unplaced = globalsBlocked(addedFacts, mentions, false) ?? globalsBlocked(deletedFacts, mentions, true);
    if (unplaced) return ctx.miss(unplaced);
    const keptVars = keptFileVariables(edited, (at) => !added.has(at) && !deleted.has(at), mentions);
    if (typeof keptVars === 'string') return ctx.miss(keptVars);
    const variables = new Set([...globalNames([...addedFacts, ...deletedFacts]), ...keptVars.added, ...keptVars.removed]);
    // The plans compare the facts as the index hands them out: calls inside #if blocks the configuration leaves out are neutral (index/inactive-calls.ts).
    // Conditions over macros the code defines are decided at the lines of those definitions: an edit moving them moves the record's (macro-lines-edit.ts).
    const macroDefs = macroDefsMoved(payload.build?.macroDefs, edited.filter((t) => !added.has(t.at) && !deleted.has(t.at)));
    if (typeof macroDefs === 'string') return ctx.miss(macroDefs);
    const macroDefsBefore = macroDefs ? payload.build!.macroDefs : null;
    const configured = configuredFacts(ctx, payload, edited, macroDefs);
    const plans = planEdits(edited, configured, added, deleted, cachedFollowedParams(payload.index, payload.edges.paramUses), new Set(ctx.profile.narrowTypes ?? []), keptVars.leftOut);
    if (typeof plans === 'string') return ctx.miss(plans);
    // A refusal after the plans names the functions moved, which it may be about.
    const miss = (why: string): null => ctx.miss(`${why}${movedNote(plans)}`);
    const handOff = handOffEditBlocked(ctx.profile, plans, payload);
    if (handOff) return miss(handOff);
    const held = buildRenewed(ctx, payload, () => positions.map((e) => e.path), new Set([...added, ...deleted]));
    if (typeof held === 'string') return miss(held);
    // From here the record's macro definitions are the edited files' at their lines now; what the graph was resolved with is read with the old ones.
    const recordBefore = macroDefsBefore ? withFields(payload.build!, { macroDefs: macroDefsBefore }) : null;
    if (macroDefs) payload.build!.macroDefs = macroDefs;
    // A file patched earlier is read by its overlaid facts: the facts file still holds it as it was.
    const frameFacts = (at: number): FileFacts => overlay.get(at) ?? loaded.item(oldOf(at))!;
    const elsewhere = globalCallsElsewhere(payload.callSites, new Set([...globalNames(deletedFacts), ...keptVars.removed]));
    if (elsewhere) return miss(elsewhere);
    // #include lines edited: the build record's include rows follow, and the calls whose answer the new closures change bind again (include-edit.ts).
    const includeEdit = plans.find((t) => t.plan.includes);
    const included = !includeEdit ? null : change ? `${includeEdit.after.path}: #include lines changed while files were added or deleted` : patchIncludes({ ...ctx, paths: ctx.manifest.map((e) => e.path), factsOf: frameFacts, ...(macroDefsBefore ? { macroDefsBefore } : {}) }, payload, plans, new Set(plans.flatMap((t) => [...t.plan.names])));
    if (typeof included === 'string') return miss(included);
    const otherwise = definedOtherwiseOf(payload.definedOtherwise, plans);
    const patched = patchDefinitions({ root: ctx.root, profile: ctx.profile, index: payload.index, edges: payload.edges, edited: plans, factsOf: frameFacts, scope: (index) => ctx.scope(index, payload.build), mentions, variables, ...(otherwise ? { definedOtherwise: otherwise } : {}), ...(included ? { rebound: included.rebound, reboundSites: included.sites, scopeBefore: included.scopeBefore } : recordBefore ? { scopeBefore: (i: CodeIndex) => ctx.scope(i, recordBefore) } : {}), ...handOffInput(payload, plans, new Set(plans.filter((t) => added.has(t.at) || deleted.has(t.at)).map((t) => t.after.path))), ...keptByRecord(payload.bindings), includeNames: payload.build?.includeNames });
    if (typeof patched === 'string') return miss(patched);
    let { index } = patched;
    reading = index;
    const named = globalNamedNode(patched.before, variables) ?? globalNamedNode(index, variables);
    if (named) return miss(named);
    // Struct, typedef and prototype edits that no resolution step read leave the graph as it is (type-edit.ts).
    const typesRead = unreadTypeEdits(plans.map((t) => ({ path: t.after.path, types: t.plan.types })), payload, index, aloneIn(plans, otherDefiners(payload.definedTags, payload.definedTagCounts, plans), ownTagsOf(payload.definedTags, plans, payload.definedTagCounts)), tagsGone(mentions, plans));
    if (typeof typesRead === 'string') return miss(typesRead);
    // Member call sites whose slots the edits' initializers and assignments changed are bound again; the record follows every patch.
    const bound = patchBindingEdits(payload.bindings, patched, plans);
    if (typeof bound === 'string') return miss(bound);
    // Parse errors are not in the diff: they change the summary alone.
    const graphChanged = !!change || bound.rebound || patched.map !== null || plans.some((t) => !t.plan.diff.unchanged || t.plan.names.size > 0 || t.plan.includes || t.before.parseErrors !== t.after.parseErrors);
    if (graphChanged) {
      // Another graph: nothing kept beside the one before holds for it (a graph left as it was keeps its generation).
      payload.generation = newGeneration();
      // Macros with a body added or removed: the definer table follows (macro-edit.ts).
      const definers = patchDefiners(payload.definers, plans);
      if (definers !== undefined) payload.definers = definers;
      if (bound.record) payload.bindings = bound.record;
      else delete payload.bindings;
      if (patched.objectHandOffs) payload.objectHandOffs = patched.objectHandOffs;
      else delete payload.objectHandOffs;
      payload.edges = patched.edges;
      if (patched.map) payload.index = patched.snapshot;
      if (payload.callSites) payload.callSites = patched.map ? patchCallSitesRenumbered(patched.before, index, patched.map, payload.callSites, plans) : patchCallSites(index, payload.callSites, plans);
    }
    // What the edited files mention and define otherwise follows their facts, the graph changed or not (a file-scope variable added alone leaves it as it was):
    // a later patch reads both (file-globals.ts, type-edit.ts definedOtherwiseOf).
    const otherwiseAfter = definedOtherwiseAfter(payload.definedOtherwise, plans);
    if (otherwiseAfter !== undefined) payload.definedOtherwise = otherwiseAfter;
    const tagsAfter = definedTagsAfter(payload.definedTags, payload.definedTagCounts, plans);
    if (tagsAfter !== undefined) Object.assign(payload, tagsAfter);
    if (typesRead.memberQueries !== undefined) payload.memberQueries = typesRead.memberQueries;
    if (mentions && plans.length) {
      for (const t of plans) {
        mentions.add(mentionBuckets(t.before), -1);
        mentions.add(mentionBuckets(t.after), 1);
      }
      payload.mentions = mentions.saved;
    }
    if (change) {
      // The deleted files, empty now, are taken out: the file ids after each shift back.
      const renumbered = renumberFiles(payload, change.newAt, ctx.manifest.map((e) => e.path));
      if (renumbered) return miss(renumbered);
      index = snapshotIndex(ctx.root, ctx.profile, payload.index);
      index.bindingScope = ctx.scope(index, payload.build);
    }

    ctx.steps?.done('patch', graphChanged ? `${included ? `${included.note}; ` : ''}${change ? `${count(added.size)} file${added.size === 1 ? '' : 's'} added and ${count(deleted.size)} deleted, ` : ''}${patched.map ? 'nodes renumbered, ' : ''}${patched.callbackCallers ? `callback edges of ${count(patched.callbackCallers)} caller${patched.callbackCallers === 1 ? '' : 's'} made again, ` : ''}${patched.queueingCalls ? `hand-off edges of ${count(patched.queueingCalls)} queueing call${patched.queueingCalls === 1 ? '' : 's'} added, ` : ''}${patched.handOffKeys ? `hand-off edges of ${count(patched.handOffKeys)} registered key${patched.handOffKeys === 1 ? '' : 's'} made again, ` : ''}${bound.sites ? `${count(bound.sites)} member call site${bound.sites === 1 ? '' : 's'} bound, ` : ''}${patched.registrationDispatchers ? `registration edges of ${count(patched.registrationDispatchers)} dispatcher${patched.registrationDispatchers === 1 ? '' : 's'} made again, ` : ''}${count(patched.edges.from.length)} edges` : 'the graph is unchanged');
    // Every touched file's facts (an edited file's new ones) go into the overlay: the facts file is left as it is
    // while the overlay is small; past OVERLAY_MAX_FILES, they are written into their facts frames and the overlay emptied.
    for (const t of touched) overlay.set(t.at, t.after);
    let wrote = 'facts left as they are, ' + `${count(overlay.size)} file${overlay.size === 1 ? '' : 's'} in the graph's overlay`;
    let factsOverlay = overlayText(overlay);
    let newLayout = layout;
    let promote = false;
    const { stored } = loaded;
    if (change) {
      // The facts file stays as it is: the layout skips the deleted files' places, and the added files' facts are in the overlay (facts-layout.ts).
      newLayout = layout.movedBy(change.oldAt, change.newAt, stored);
      const now: FactsOverlay = new Map();
      for (const [u, facts] of overlay) if (change.newAt[u]! >= 0) now.set(change.newAt[u]!, facts);
      overlay.clear();
      for (const [at, facts] of now) overlay.set(at, facts);
      factsOverlay = overlayText(overlay);
      // (Files added, then deleted again, leave no move: the layout is the facts file's own again.)
      wrote = `facts left as they are, ${count(overlay.size)} file${overlay.size === 1 ? '' : 's'} in the graph's overlay${newLayout.moves ? `, ${count(newLayout.moves)} file${newLayout.moves === 1 ? '' : 's'} added or deleted since the facts were written` : ''}`;
    }
    if (overlay.size > OVERLAY_MAX_FILES || (factsOverlay?.length ?? 0) > OVERLAY_MAX_CHARS || newLayout.moves > MAX_FACTS_MOVES) {
      // Past its bounds, the overlay is written into the facts frames (only theirs encoded again, the others copied as stored), for the files now.
      // They take the facts file's name once the graph below is written (IndexCache.savePendingFacts); unwritten (noted), the graph keeps its overlay.
      const rewritten = writtenFacts(factsFile, newLayout, ctx.manifest.length, stored, overlay);
      promote = ctx.cache.savePendingFacts(ctx.manifest, rewritten.frames);
      if (promote) {
        const past = overlay.size > OVERLAY_MAX_FILES ? `${count(overlay.size)} files in the graph's overlay, more than ${OVERLAY_MAX_FILES}` : newLayout.moves > MAX_FACTS_MOVES ? `${count(newLayout.moves)} files added or deleted since they were written, more than ${MAX_FACTS_MOVES}` : `the overlay's facts past ${OVERLAY_MAX_CHARS >> 20} MB`;
        wrote = `facts: written again (${past}), ${rewritten.encoded} of ${rewritten.frames.length} frames encoded again`;
        newLayout = rewritten.layout;
        overlay.clear();
        factsOverlay = undefined;
      }
    } else if (vouchFacts(factsFile, stored, ctx.manifest, overlay, newLayout)) keepFactsHeld({ base: beside.base, identity: keptIdentity(payload, '') }, factsFile, stored);
    if (factsOverlay === undefined) delete payload.factsOverlay;
    else payload.factsOverlay = factsOverlay;
    if (newLayout.saved) payload.factsFrames = newLayout.saved;
    else delete payload.factsFrames;
    const gaps = newLayout.gaps;
    if (gaps.added) payload.factsAdded = gaps.added;
    else delete payload.factsAdded;
    if (gaps.dropped) payload.factsDropped = gaps.dropped;
    else delete payload.factsDropped;
    // Columns of the graph the patch left unread are copied as stored, and unchanged blocks of long texts found again (columns.ts).
    // The listing the graph was patched for is kept for it: the next query need not parse its listing again.
    const keep = ctx.keepListing?.(payload.build);
    if (ctx.writeBehind) ctx.cache.saveBehind(ctx.manifest, payload, promote, keep);
    else ctx.cache.save('graph', ctx.manifest, [payload], promote, keep);
    ctx.steps?.done('save', ctx.cache.unwritable ? 'not written (the cache cannot be written)' : `${wrote}; graph ${ctx.writeBehind ? 'handed to a worker thread to write' : 'written'}`);
    // The facts of each edited file compare equal but for calls and lines, `unreadable` included: the list stands.
    const opened = { ...openedGraph(index, new EdgeList(payload.edges), payload.unreadable ?? [], payload.callSites, graphChanged ? (patched.map ?? undefined) : undefined), changedFiles: edited.map((t) => positions[t.at]!.path) };
    return { opened, parsed: toParse.length + deleted.size, added: added.size, deleted: deleted.size, touched: touched.length, overlay, layout: newLayout, generation: payload.generation };
  } finally {
    factsFile.close();
    // The patched index read its facts from that file: a lazy open gives it a reader of its own (graph-from-cache.ts).
    reading?.readFactsFrom(null);
  }
}
