import { isBuildAnswers, renumberedAnswers } from './build-answers.js';
import type { Profile } from '../profiles/profile.js';
import { includePathFor, IncludeResolver } from '../index/include-resolve.js';
import type { FileFacts, IncludeFact } from '../types/facts.js';
import { isDefinerRecords, mapDefinerFiles } from './definer-records.js';
import type { CacheEntry } from './index-cache.js';
import type { GraphPayload } from './patch-cached-graph.js';
import { withFields } from '../util/text-slices.js';
import { sharedArray, sharedFrom } from '../util/shared-arrays.js';

/**
 * Files added to or deleted from a tree since its graph was cached, patched as edits of files
 * that were there all along but empty: an added file is first inserted into the cached graph as
 * an empty file (no node, no include, no binding: only the file ids after it shift, in one pass
 * over each table holding file ids), then patched as an edit from empty to its facts; a deleted
 * file is patched as an edit to empty, then taken out the same way. File ids follow sorted path
 * order, so a renumbering is a monotone map and every table keeps its order.
 */

/** Files added and deleted at most in one patch (each is an edited file of the patch too). */
export const MAX_FILES_CHANGED = 1000;

/** How the tree's file list changed: the union of the files then and now, in path order, which the patch works in. */
export interface FileListChange {
  /**
   * Every file of the cached graph and every added one, in path order: the graph's entry of a
   * file it lists, a placeholder entry (size and mtime -1, so that it never matches the file) for an added file.
   */
  union: CacheEntry[];
  /** Union position -> position in the cached graph's manifest, -1 for an added file. */
  oldAt: Int32Array;
  /** Union position -> position in the tree's manifest now, -1 for a deleted file. */
  newAt: Int32Array;
  /** Union positions of the added files, ascending. */
  added: number[];
  /** Union positions of the deleted files, ascending. */
  deleted: number[];
}

/** Orders paths as discovery sorts them (index/discover-files.ts): by UTF-16 code units. */
const before = (a: string, b: string): boolean => a < b;

/** The change between two manifests sorted by path, or why it cannot be patched (too many files). */
export function fileListChange(cached: CacheEntry[], now: CacheEntry[]): FileListChange | string {
  const union: CacheEntry[] = [];
  const oldAt: number[] = [];
  const newAt: number[] = [];
  const added: number[] = [];
  const deleted: number[] = [];
  let i = 0;
  let j = 0;
  while (i < cached.length || j < now.length) {
    const x = cached[i];
    const y = now[j];
    if (x && y && x.path === y.path) {
      union.push(x);
      oldAt.push(i++);
      newAt.push(j++);
    } else if (x && (!y || before(x.path, y.path))) {
      deleted.push(union.length);
      union.push(x);
      oldAt.push(i++);
      newAt.push(-1);
    } else {
      added.push(union.length);
      union.push({ path: y!.path, size: -1, mtimeMs: -1 });
      oldAt.push(-1);
      newAt.push(j++);
    }
  }
  if (added.length + deleted.length > MAX_FILES_CHANGED) return `${added.length} files added and ${deleted.length} deleted (more than ${MAX_FILES_CHANGED} in all)`;
  return { union, oldAt: Int32Array.from(oldAt), newAt: Int32Array.from(newAt), added, deleted };
}

/** The map from a manifest's positions to another's that `to` makes of FileListChange.oldAt or newAt: old id -> new id, or -1. */
export function positionMap(to: Int32Array, from: number): Int32Array {
  const map = new Int32Array(from).fill(-1);
  to.forEach((at, u) => {
    if (at >= 0) map[at] = u;
  });
  return map;
}

/**
 * Renumbers the file ids of a cached graph's payload by `map` (old id -> new id, -1 for a file
 * taken out), `files` being the new list of paths (a file no old id maps to is inserted empty:
 * no node, no include directive). Every table holding file ids follows: the index's files and
 * node files, the build record's include rows (targets and forced includes), prototype
 * declarers and code macro definitions, the binding record's bindings and the definer macros.
 * Returns why it cannot when a file taken out is still referred to (a node, a binding, a macro,
 * or an include of it by another file); the payload is then partly renumbered and must be dropped.
 */
export function renumberFiles(payload: GraphPayload, map: Int32Array, files: string[]): string | null {
  // The map of a change that only adds files, taken from the union to the files now (or that only deletes them, into the union), moves no id: every table stands.
  // The index's list of paths is then `files` already (and stays as stored).
  if (isIdentity(map, files.length) && payload.index.files.length === files.length) return null;
  // The reason is made only when an id is refused: a template for every row would cost more than the renumbering.
  const mapped = (id: number, what: () => string): number => {
    const to = map[id]!;
    if (to < 0) throw new Gone(`${payload.index.files[id]} is gone but ${what()}`);
    return to;
  };
  try {
    const old = payload.index.nodeFile;
    // The columns made here in shared memory: the cache writer's thread is handed them without a copy (util/shared-arrays.ts sharedFrom).
    const nodeFile = sharedArray(Int32Array, old.length);
    for (let n = 0; n < old.length; n++) nodeFile[n] = old[n]! < 0 ? old[n]! : map[old[n]!]! >= 0 ? map[old[n]!]! : mapped(old[n]!, () => 'defines a node');
    const build = payload.build;
    if (build) {
      const { offsets, targets } = build.includes;
      const from = new Int32Array(files.length).fill(-1);
      map.forEach((to, id) => {
        if (to >= 0) from[to] = id;
      });
      const newOffsets = sharedArray(Int32Array, files.length + 1);
      // A file's rows are kept or dropped whole: the kept ones fit in as many rows as there were.
      const rows = new Int32Array(targets.length);
      let k = 0;
      for (let f = 0; f < files.length; f++) {
        newOffsets[f] = k;
        const o = from[f]!;
        if (o < 0) continue;
        for (let e = offsets[o]!; e < offsets[o + 1]!; e++) {
          const t = targets[e]!;
          rows[k++] = t < 0 ? -1 : map[t]! >= 0 ? map[t]! : mapped(t, () => `${payload.index.files[o]} includes it`);
        }
      }
      newOffsets[files.length] = k;
      const conds = sharedArray(Int32Array, k).fill(-1);
      // The record's include graph has its conditions decided (tree-build.ts): none is left.
      if (build.includes.conds.some((c) => c >= 0)) return 'the build record keeps undecided include conditions';
      build.includes = { ...build.includes, offsets: newOffsets, targets: sharedFrom(Int32Array, rows.subarray(0, k)), conds, forced: Int32Array.from(build.includes.forced, (f) => mapped(f, () => 'every file includes it first')) };
      // Rewritten where they stand (the payload is renumbered in place): a copy of each entry cost more than the mapping.
      for (const [name, ids] of build.declarers) for (let i = 0; i < ids.length; i++) ids[i] = map[ids[i]!]! >= 0 ? map[ids[i]!]! : mapped(ids[i]!, () => `declares ${name}`);
      for (const [name, defs] of build.macroDefs) for (const d of defs) d.file = map[d.file]! >= 0 ? map[d.file]! : mapped(d.file, () => `defines the macro ${name}`);
      // Kbuild's answers follow their files; an added file has none (the model is asked for it).
      if (isBuildAnswers(build.answers)) build.answers = renumberedAnswers(build.answers, map, files.length);
    }
    if (payload.bindings) {
      // A loop, not Int32Array.from with a function (which goes through the iterator, some 30 ms on a kernel's record).
      const old = payload.bindings.conFile;
      const conFile = sharedArray(Int32Array, old.length);
      for (let i = 0; i < old.length; i++) conFile[i] = map[old[i]!]! >= 0 ? map[old[i]!]! : mapped(old[i]!, () => 'binds a member');
      // Its other columns carried over undecoded (a spread would read every one of them).
      payload.bindings = withFields(payload.bindings, { conFile });
    }
    if (isDefinerRecords(payload.definers)) payload.definers = mapDefinerFiles(payload.definers, (file) => mapped(file, () => 'defines a definer macro'));
    // Its other columns carried over as they are: the string table, name rows and node columns stay undecoded.
    payload.index = withFields(payload.index, { files, nodeFile });
    return null;
  } catch (err) {
    if (err instanceof Gone) return err.message;
    throw err;
  }
}

class Gone extends Error {}

/** True when `map` takes each of `count` ids to itself. */
function isIdentity(map: Int32Array, count: number): boolean {
  if (map.length !== count) return false;
  for (let i = 0; i < count; i++) if (map[i] !== i) return false;
  return true;
}

/** Why deleted files (ids of the payload) cannot be taken out of the graph, or null: another file includes one, or every file does (a forced include). */
export function deletedFilesBlocked(payload: GraphPayload, deleted: number[]): string | null {
  const includes = payload.build?.includes;
  if (!includes || deleted.length === 0) return null;
  const gone = new Set(deleted);
  const { offsets, targets } = includes;
  for (let f = 0; f + 1 < offsets.length; f++) {
    if (gone.has(f)) continue;
    for (let e = offsets[f]!; e < offsets[f + 1]!; e++) if (gone.has(targets[e]!)) return `${payload.index.files[targets[e]!]} was deleted, and ${payload.index.files[f]} includes it`;
  }
  const forced = Array.from(includes.forced).find((f) => gone.has(f));
  return forced === undefined ? null : `${payload.index.files[forced]} was deleted, and every file includes it first`;
}

/** Sets the include rows of `rows`' files (file id -> the ids their directives open, -1 for none) in a build record's include graph. */
export function setIncludeRows(payload: GraphPayload, rows: Map<number, Int32Array>): void {
  const build = payload.build;
  if (!build || rows.size === 0) return;
  const { offsets, targets } = build.includes;
  const files = offsets.length - 1;
  const out: number[] = [];
  const newOffsets = sharedArray(Int32Array, files + 1);
  for (let f = 0; f < files; f++) {
    newOffsets[f] = out.length;
    const row = rows.get(f);
    if (row) out.push(...row);
    else for (let e = offsets[f]!; e < offsets[f + 1]!; e++) out.push(targets[e]!);
  }
  newOffsets[files] = out.length;
  build.includes = { ...build.includes, offsets: newOffsets, targets: sharedFrom(Int32Array, out), conds: sharedArray(Int32Array, out.length).fill(-1) };
}

/** The last path segment of an include directive's name: a file of another name can never be what it opens. */
export const includedName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** BuildRecord.includeNames of a tree: the last segment of every #include directive's name, sorted, once each. */
export function includeNamesOf(files: readonly Pick<FileFacts, 'includes'>[]): string[] {
  const names = new Set<string>();
  for (const f of files) for (const inc of f.includes) names.add(includedName(inc.path));
  return [...names].sort();
}

/** The architecture whose include path applies to a list of paths: as CodeIndex.arch decides it from its files. */
export function archOfPaths(profile: Pick<Profile, 'archDir' | 'defaultArch'>, paths: readonly string[]): string {
  const dir = profile.archDir;
  if (!dir) return '';
  const seen = new Set<string>();
  for (const p of paths) if (p.startsWith(`${dir}/`)) seen.add(p.slice(dir.length + 1).split('/')[0]!);
  return seen.size === 1 ? [...seen][0]! : (profile.defaultArch ?? '');
}

/**
 * Why files added to a tree cannot be patched in, or null: an existing #include could open one
 * (one of its name is included somewhere: BuildRecord.includeNames; absent, any could), one is a
 * forced include, the architecture of the tree changes, or one has an #include under a condition
 * (the record keeps conditions decided by the build model, which the patch does not make).
 */
export function addedFilesBlocked(profile: Profile, includeNames: string[] | undefined, added: FileFacts[], before: readonly string[], after: readonly string[]): string | null {
  if (!includeNames) return 'the graph cache keeps no include names';
  const names = new Set(includeNames);
  for (const f of added) {
    if (names.has(includedName(f.path))) return `${f.path} was added, and an #include of its name may open it`;
    if (f.includes.some((i: IncludeFact) => i.cond !== undefined)) return `${f.path} was added with an #include under a condition`;
  }
  const arch = archOfPaths(profile, after);
  if (arch !== archOfPaths(profile, before)) return 'the architecture of the tree changed';
  const forced = new Set((profile.forcedIncludes ?? []).map((p) => p.replaceAll('{arch}', arch)));
  const hit = added.find((f) => forced.has(f.path));
  return hit ? `${hit.path} was added, and every file includes it first` : null;
}

/**
 * The ids the directives of each added file open among `paths` (the tree now), as FileFacts.includes
 * orders them; `includeDirs` gives the build's `-I` folders of a file (answeredIncludeDirs), which
 * must answer for every file of `added`.
 */
export function includeRowsOf(profile: Profile, paths: readonly string[], added: FileFacts[], includeDirs?: (path: string) => readonly string[] | undefined): Int32Array[] {
  const resolver = new IncludeResolver(paths, includePathFor(profile, archOfPaths(profile, paths)), profile.includeFallbacks, profile.includeAncestors ?? false, includeDirs && ((from) => includeDirs(from) ?? []));
  return added.map((f) => Int32Array.from(f.includes, (inc) => resolver.resolve(f.path, inc.path, inc.system)));
}
