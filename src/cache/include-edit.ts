/**
 * Edits of a file's #include lines, patched: the file's row of the build record's include graph
 * (BuildRecord.includes) is resolved again, and the lookups by name whose answer the new include
 * closure changes are found, so that only the calls making them are bound again.
 *
 * What a full resolution reads of the include graph (every reader goes through the BindingScope
 * of tree-build.ts): bindByName (resolve/definition-scope.ts) asks whether a candidate's file is
 * in the caller file's closure (visibility), whether a prototype's file is in the closure of the
 * caller and of each tied global's file (byPrototype), and the activity oracle asks, through
 * CodeMacroTruth (resolve/code-macros.ts), which `#define`s of the macros conditions test are in
 * the closure of the translation unit: the definition's own file for a .c file, else the
 * caller's. Every lookup by name is made from the file whose facts name it (calls, bindings,
 * arguments, registrations, macro stores: resolve/bind-*.ts call directTargets with that file).
 * The type model reads the include graph only to tell apart the definitions of a struct tag that
 * several files define (resolve/split-tags.ts): an edit moving one of those files (a type read
 * `S path`) into or out of a closure is resolved in full.
 *
 * So an edit of file X's #include lines changes the closure of X and of every file that
 * includes X. For each such file whose closure changed, the names its facts hold are bound
 * under the old and the new closure (bindByName under both scopes) and those whose targets or
 * flags differ are bound again; it is refused (a full resolution, with the reason) when such a
 * name is named in X other than by a call (a binding, an argument: the phases that read it are
 * not patched), when a call of it passes something on into followed parameters, when a
 * prototype that ties globals defined in X moved in or out of its closure, or when a definition
 * of X changes activity under the macros its closure defines.
 */
import { CodeIndex, NodeFlag } from '../index/code-index.js';
import { IncludeGraph, type IncludeGraphSnapshot } from '../index/include-graph.js';
import { IncludedSources } from '../index/included-sources.js';
import type { Profile } from '../profiles/profile.js';
import { bindByName } from '../resolve/definition-scope.js';
import { MentionTable, mentionBuckets } from '../resolve/mention-table.js';
import { callsAny } from '../resolve/kept-bodies.js';
import { GraphPatch } from '../resolve/patch-graph.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import type { CallFact, FileFacts, IncludeFact } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { snapshotIndex } from './snapshot-index.js';
import type { GraphPayload } from './patch-cached-graph.js';
import { includedName, includeRowsOf, setIncludeRows } from './renumber-files.js';
import type { BuildRecord } from './tree-build.js';
import { answeredIncludeDirs } from './build-answers.js';
import { typeReadHash, wasRead } from '../resolve/type-reads.js';
import { unpackHashes } from '../util/packed-hashes.js';

/** One file whose #include lines changed: its id, and its facts before and after. */
export interface IncludeEdited {
  at: number;
  before: FileFacts;
  after: FileFacts;
}

/** A directive's identity, its line aside: what it opens depends on nothing else (the file list being the same). */
const directiveKey = (inc: IncludeFact): string => `${inc.system ? '<' : '"'}${inc.path}\u0001${inc.cond ?? ''}`;

/**
 * The new include rows (file id -> the ids its directives open, -1 for none, in directive order)
 * of files whose #include lines changed, among `paths` (the tree's files, unchanged), with their
 * conditions decided as the build record decided them: a directive under a condition is decided
 * as the same directive under the same condition was before. Else why not: a directive under a
 * new condition (the build model, which decides it, is not made by a patch), a forced include
 * edited (every file sees it), or a record whose rows are not those of the facts.
 */
export function editedIncludeRows(profile: Profile, paths: readonly string[], includes: IncludeGraphSnapshot, edits: readonly IncludeEdited[], includeDirs?: (path: string) => readonly string[] | undefined): Map<number, Int32Array> | string {
  const resolved = includeRowsOf(profile, paths, edits.map((t) => t.after), includeDirs);
  const forced = new Set(includes.forced);
  const rows = new Map<number, Int32Array>();
  for (const [i, t] of edits.entries()) {
    const path = t.after.path;
    if (forced.has(t.at)) return `${path}: its #include lines changed, and every file includes it first`;
    const old = includes.targets.subarray(includes.offsets[t.at]!, includes.offsets[t.at + 1]!);
    if (old.length !== t.before.includes.length) return `${path}: the build record's include rows are not those of its facts`;
    const row = resolved[i]!;
    const used = new Set<number>();
    for (const [k, inc] of t.after.includes.entries()) {
      if (inc.cond === undefined) continue;
      const key = directiveKey(inc);
      const j = t.before.includes.findIndex((b, j) => !used.has(j) && directiveKey(b) === key);
      if (j < 0) return `${path}: an #include under a condition the cached build did not decide was added (${inc.path} under ${inc.cond})`;
      used.add(j);
      row[k] = old[j]!;
    }
    rows.set(t.at, row);
  }
  return rows;
}

/** The files whose include closure contains one of `changed` (they included): reached backwards over the rows of `graph`. */
function includers(graph: IncludeGraphSnapshot, changed: readonly number[]): number[] {
  const files = graph.offsets.length - 1;
  const seen = new Uint8Array(files);
  const queue = [...changed];
  for (const f of changed) seen[f] = 1;
  // Reverse rows: one pass over the directives per step would be quadratic; built once.
  const count = new Int32Array(files + 1);
  for (let e = 0; e < graph.targets.length; e++) if (graph.targets[e]! >= 0) count[graph.targets[e]! + 1]!++;
  for (let f = 0; f < files; f++) count[f + 1]! += count[f]!;
  const from = new Int32Array(count[files]!);
  const fill = count.slice(0, files);
  for (let f = 0; f < files; f++) for (let e = graph.offsets[f]!; e < graph.offsets[f + 1]!; e++) if (graph.targets[e]! >= 0) from[fill[graph.targets[e]!]!++] = f;
  for (let head = 0; head < queue.length; head++) {
    const at = queue[head]!;
    for (let k = count[at]!; k < count[at + 1]!; k++) {
      const f = from[k]!;
      if (!seen[f]) {
        seen[f] = 1;
        queue.push(f);
      }
    }
  }
  return queue;
}

/** The files in one of two ascending id lists and not the other. */
function symmetricDifference(a: Int32Array, b: Int32Array): Set<number> {
  const out = new Set<number>();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.add(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.add(b[j++]!);
    else {
      i++;
      j++;
    }
  }
  return out;
}

/** Every identifier of a file's facts (any string of them, scanned for words): a superset of the names looked up from the file. */
function identifiersOf(facts: FileFacts, into: Set<string>): void {
  for (const word of JSON.stringify(facts).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) into.add(word[0]);
}

/**
 * For each name of `called` that names a macro: every name its definitions' bodies call, and
 * those of the macros they call in turn (read from their files' facts). Only names with a macro
 * definition are keys.
 */
function macroBodyCalls(index: CodeIndex, called: ReadonlySet<string>): Map<string, Set<string>> {
  const direct = new Map<string, string[]>();
  const calledBy = (name: string): string[] => {
    let out = direct.get(name);
    if (out) return out;
    out = [];
    for (const n of index.nodesNamed(name)) {
      if (!index.isMacro(n) || index.isExternal(n)) continue;
      for (const call of index.fileFacts(index.nodeFile[n]!).macros[index.nodeItem[n]!]?.calls ?? []) out.push(...(call.expandsTo ?? (call.name !== undefined ? [call.name] : [])));
    }
    direct.set(name, out);
    return out;
  };
  const out = new Map<string, Set<string>>();
  for (const word of called) {
    if (!index.nodesNamed(word).some((n) => index.isMacro(n))) continue;
    const seen = new Set<string>();
    const todo = [...calledBy(word)];
    while (todo.length) {
      const w = todo.pop()!;
      if (seen.has(w)) continue;
      seen.add(w);
      todo.push(...calledBy(w));
    }
    out.set(word, seen);
  }
  return out;
}

/**
 * The facts without what calls by name say of their names (`name`, `expandsTo`), nor the macros
 * of their registrations (`core_initcall(f)`: the profile reads the macro by its name, and no
 * include closure binds it; the function registered stays): what is left names a function other than by calling it.
 */
const withoutCallNames = (f: FileFacts): FileFacts => {
  const strip = (c: CallFact): CallFact => ({ ...c, expandsTo: undefined }) as CallFact;
  return { ...f, functions: f.functions.map((fn) => ({ ...fn, calls: fn.calls.map(strip) })), macros: f.macros.map((m) => ({ ...m, calls: m.calls.map(strip) })), ...(f.registrations ? { registrations: f.registrations.map((r) => ({ ...r, macro: '' })) } : {}) };
};

/** The calls of a file's functions and macros, with their definition's index among the file's nodes in `nodes` order (functions then macros). */
function callsOfFile(facts: FileFacts): CallFact[][] {
  return [...facts.functions.map((f) => f.calls), ...facts.macros.map((m) => m.calls)];
}

/** Files including an edited one whose lookups are patched; more than this and the edit is resolved in full (each one's facts are read). */
const MAX_INCLUDERS = 64;

/** The calls includeRebinds finds to bind again. */
export interface IncludeRebinds {
  /** By file whose closure changed: the names whose calls in it bind otherwise. */
  byFile: Map<number, Set<string>>;
  /** Those calls in files not edited, by node (of the cached graph) and call site. */
  sites: { node: number; site: number }[];
}

/** What includeRebinds needs: an index over the cached graph's nodes (the edited files with their facts before), the scopes under the old and the new include graph, the cached edges. */
export interface IncludeRebindInput {
  index: CodeIndex;
  scopes: { before: BindingScope; after: BindingScope };
  graphs: { before: IncludeGraphSnapshot; after: IncludeGraphSnapshot };
  edges: EdgeSnapshot;
  /** The files whose #include lines changed. */
  edits: readonly IncludeEdited[];
  /** Every edited file (those of `edits` among them), with its facts before and after: one including an edited header is bound by its new facts. */
  edited: readonly IncludeEdited[];
  /** BuildRecord.declarers: the files declaring each name several globals define. */
  declarers: readonly [string, number[]][];
  /** BuildRecord.macroDefs: the definitions of the macros conditions test (CodeMacroTruth reads which are in a unit's closure). */
  macroDefs: readonly [string, { file: number }[]][];
  /** Names already bound again in every call (definitions added or removed: FilePlan.names). */
  skip: ReadonlySet<string>;
  /** True when the resolution chose among definitions of a split tag, one of which file `path` holds (a type read `S path`). */
  splitDefiner?: (path: string) => boolean;
}

/**
 * For each edited file whose include closure changed, the names whose calls in it bind
 * otherwise now (see the module comment); an empty map when no lookup changes. Else the reason
 * the edit is resolved in full. The index's binding scope is left as `scopes.after`.
 */
export function includeRebinds(input: IncludeRebindInput): IncludeRebinds | string {
  const { index, scopes, edits } = input;
  const affected = includers(input.graphs.before, edits.map((t) => t.at));
  const edited = new Set(input.edited.map((t) => t.at));
  const forced = Array.from(input.graphs.before.forced).find((f) => affected.includes(f));
  if (forced !== undefined) return `${edits[0]!.after.path}: its #include lines changed, and every file includes it first (through ${index.files[forced]!.path})`;
  const unit = unitEdit(index, input.graphs, edits);
  if (unit) return unit;
  const other = affected.filter((f) => !edited.has(f)).sort((a, b) => a - b);
  if (other.length > MAX_INCLUDERS) return `${edits.map((t) => t.after.path).join(', ')}: #include lines changed, and ${other.length} other files include ${edits.length === 1 ? 'it' : 'them'} (more than ${MAX_INCLUDERS})`;
  // The files whose closure may change: the edited ones (facts before and after), and those including them (facts as they are).
  const reached = new Set(affected);
  const files: IncludeEdited[] = [...input.edited.filter((t) => reached.has(t.at)), ...other.map((at) => ({ at, before: index.fileFacts(at), after: index.fileFacts(at) }))];
  const before = IncludeGraph.fromSnapshot(input.graphs.before);
  const after = IncludeGraph.fromSnapshot(input.graphs.after);
  const out: IncludeRebinds = { byFile: new Map(), sites: [] };
  let oldPatch: GraphPatch | null = null;
  try {
    for (const t of files) {
      const x = t.at;
      const path = t.after.path;
      const moved = symmetricDifference(before.closureOf(x), after.closureOf(x));
      if (moved.size === 0) continue;
      const definer = input.splitDefiner ? [...moved].find((f) => input.splitDefiner!(index.files[f]!.path)) : undefined;
      if (definer !== undefined) return `${path}: its include closure changes which definition of a struct tag several files define it sees (${index.files[definer]!.path})`;
      // Ties among globals defined here, broken by the prototypes their file sees: the answer of every caller elsewhere may change.
      for (const [name, files] of input.declarers) {
        if (!files.some((h) => moved.has(h))) continue;
        const global = index.nodesNamed(name).some((n) => index.nodeFile[n] === x && !index.isExternal(n) && !index.isMacro(n) && !(index.nodeFlags[n]! & NodeFlag.Static));
        if (global) return `${path}: its include closure changes which prototypes of ${name} its global definition sees (ties between global definitions)`;
      }
      // Activity reads the closure only for where the macros conditions test are defined (CodeMacroTruth): unchanged unless one moved in or out.
      const macrosMoved = input.macroDefs.some(([, defs]) => defs.some((d) => moved.has(d.file)));
      // A definition of this .c file under a condition over macros its closure defines: active otherwise for every caller.
      if (macrosMoved && path.endsWith('.c')) {
        for (let n = 0; n < index.nodeCount; n++) {
          if (index.nodeFile[n] !== x || index.isExternal(n)) continue;
          const cond = index.isMacro(n) ? t.before.macros[index.nodeItem[n]!]?.cond : t.before.functions[index.nodeItem[n]!]?.cond;
          if (cond === undefined) continue;
          if (scopes.before.activity?.activity(x, n) !== scopes.after.activity?.activity(x, n)) return `${path}: its include closure changes whether ${index.name(n)} (${cond}) is active`;
        }
        // A call inside an #if block of a body over such macros: left out under one closure and not the other (index/inactive-calls.ts).
        for (const fn of t.before.functions) {
          for (const call of fn.calls) {
            if (call.cond === undefined) continue;
            if (scopes.before.activity?.callActive?.(x, call.cond, call.line) !== scopes.after.activity?.callActive?.(x, call.cond, call.line)) return `${path}: its include closure changes whether a call in ${fn.name} (${call.cond}) is compiled`;
          }
        }
      }
      // The names looked up from the file, bound under both closures.
      const words = new Set<string>();
      identifiersOf(t.before, words);
      identifiersOf(t.after, words);
      // A macro's body binds its names in each expanding file (resolve/bind-expansion.ts): the names the bodies of the macros the file calls call are looked up from here too.
      const called = new Set([...callsOfFile(t.before), ...callsOfFile(t.after)].flat().flatMap((c) => c.expandsTo ?? (c.name !== undefined ? [c.name] : [])));
      const bodies = macroBodyCalls(index, called);
      for (const callees of bodies.values()) for (const w of callees) words.add(w);
      // Without a tested macro moved, a lookup's answer changes only through a candidate's file or a tie-breaking prototype's file moved in or out.
      const declared = new Set(input.declarers.filter(([, files]) => files.some((h) => moved.has(h))).map(([name]) => name));
      const reads = (w: string): boolean => macrosMoved || declared.has(w) || index.nodesNamed(w).some((n) => !index.isExternal(n) && moved.has(index.nodeFile[n]!));
      const names = [...words].filter((w) => !input.skip.has(w) && index.nodesNamed(w).some((n) => !index.isExternal(n)) && reads(w)).sort();
      index.bindingScope = scopes.before;
      const was = names.map((w) => bindByName(index, x, w));
      index.bindingScope = scopes.after;
      const changed = new Set<string>();
      names.forEach((w, i) => {
        const now = bindByName(index, x, w);
        const old = was[i]!;
        if (now.flags !== old.flags || now.targets.length !== old.targets.length || now.targets.some((n, k) => n !== old.targets[k])) changed.add(w);
      });
      if (changed.size === 0) continue;
      const mentioned = [mentionBuckets(withoutCallNames(t.before)), mentionBuckets(withoutCallNames(t.after))];
      for (const w of changed) if (mentioned.some((b) => MentionTable.within(w, b))) return `${path}: its include closure changes what ${w} binds to, and it names ${w} other than in calls`;
      // The calls of a macro whose body (or a macro it calls) calls such a name bind again: their expansion edges are the file's.
      for (const [macro, callees] of bodies) if ([...callees].some((w) => changed.has(w))) changed.add(macro);
      // The old edges of these calls are taken out: they must be their own (nothing passed on into followed parameters).
      const rows = nodesOf(index, x, t.before.functions.length);
      for (const [k, calls] of callsOfFile(t.before).entries()) {
        const node = rows[k];
        if (node === undefined) return `${path}: its nodes are not those of its facts`;
        for (const [site, call] of calls.entries()) {
          if (!callsAny(call, changed)) continue;
          index.bindingScope = scopes.before;
          oldPatch ??= new GraphPatch(index, input.edges);
          const why = oldPatch.whyNotSimple(node, call);
          if (why) return `${path}: its include closure changes what ${call.name} binds to, and ${why}`;
          if (!edited.has(x)) out.sites.push({ node, site });
        }
      }
      out.byFile.set(x, changed);
    }
  } finally {
    index.bindingScope = scopes.after;
  }
  return out;
}

/** The nodes of a file, its functions then its macros, in item order (as callsOfFile lists their calls). */
function nodesOf(index: CodeIndex, file: number, functionCount: number): (number | undefined)[] {
  const functions: (number | undefined)[] = new Array<number | undefined>(functionCount);
  const macros: number[] = [];
  for (let n = 0; n < index.nodeCount; n++) {
    if (index.nodeFile[n] !== file || index.isExternal(n)) continue;
    if (!index.isMacro(n) && index.nodeItem[n]! >= functionCount) return [];
    (index.isMacro(n) ? macros : functions)[index.nodeItem[n]!] = n;
  }
  return [...functions, ...macros];
}

/** What an edit of #include lines patched: the names bound again by file, and the oracles the cached graph was resolved under. */
export interface IncludePatch {
  /** By edited file, the names whose calls bind anew (DefinitionPatchInput.rebound). */
  rebound: Map<number, Set<string>>;
  /** Calls of files not edited to bind anew (DefinitionPatchInput.reboundSites). */
  sites: { node: number; site: number }[];
  scopeBefore: (index: CodeIndex) => BindingScope;
  /** For -v: the files, and how many names bind otherwise. */
  note: string;
}

/**
 * Why an edit of #include lines changes translation units made of several `.c` files
 * (index/included-sources.ts), which is resolved in full: an edited `.c` file includes a `.c` file
 * before or after (what the included file sees and whether it is built change with it), or is one
 * a `.c` file includes (its closure is seen from the other parts of the unit); undefined otherwise.
 */
function unitEdit(index: CodeIndex, graphs: { before: IncludeGraphSnapshot; after: IncludeGraphSnapshot }, edits: readonly { at: number }[]): string | undefined {
  const paths = index.filePaths();
  const before = IncludeGraph.fromSnapshot(graphs.before);
  const after = IncludeGraph.fromSnapshot(graphs.after);
  const sources = new IncludedSources(paths, before);
  for (const { at } of edits) {
    if (!paths[at]!.endsWith('.c')) continue;
    if (sources.includersOf(at).length) return `${paths[at]}: its #include lines changed, and ${paths[sources.includersOf(at)[0]!]} #includes it (one translation unit)`;
    const opened = [...before.includesOf(at), ...after.includesOf(at)].find((t) => t >= 0 && paths[t]!.endsWith('.c'));
    if (opened !== undefined) return `${paths[at]}: its #include lines changed, and it #includes ${paths[opened]} (one translation unit)`;
  }
  return undefined;
}

/**
 * Patches the build record of `payload` for the #include lines of the edited files whose plan
 * says they changed (their include rows; the include names, which keep a name no file includes
 * any more: an added file of that name is then resolved in full, never wrongly patched) and finds
 * the calls to bind again (includeRebinds), over an index of the cached graph whose files' facts
 * `factsOf` reads (the edited ones as they were; `macroDefsBefore`, when given, the record's
 * code macro definitions the graph was resolved with, before the patch moved the edited files':
 * macro-lines-edit.ts). The reason
 * when it cannot (the record is then left half patched: the caller resolves in full).
 */
export function patchIncludes(ctx: { root: string; profile: Profile; paths: readonly string[]; scope: (index: CodeIndex, record: BuildRecord | undefined) => BindingScope; factsOf: (file: number) => FileFacts; macroDefsBefore?: BuildRecord['macroDefs'] }, payload: GraphPayload, edited: readonly (IncludeEdited & { plan: { includes: boolean } })[], skip: ReadonlySet<string>): IncludePatch | string {
  const edits = edited.filter((t) => t.plan.includes);
  const build = payload.build;
  if (!build) return 'the graph cache keeps no build record';
  const rows = editedIncludeRows(ctx.profile, ctx.paths, build.includes, edits, answeredIncludeDirs(build.answers));
  if (typeof rows === 'string') return rows;
  const old: BuildRecord = { ...build, ...(ctx.macroDefsBefore ? { macroDefs: ctx.macroDefsBefore } : {}) };
  setIncludeRows(payload, rows);
  if (build.includeNames) build.includeNames = [...new Set([...build.includeNames, ...edits.flatMap((t) => t.after.includes.map((inc) => includedName(inc.path)))])].sort();
  const beforeOf = new Map(edited.map((t) => [t.at, t.before]));
  const index = snapshotIndex(ctx.root, ctx.profile, payload.index);
  index.readFactsFrom((at) => beforeOf.get(at) ?? ctx.factsOf(at));
  const scopes = { before: ctx.scope(index, old), after: ctx.scope(index, build) };
  index.bindingScope = scopes.after;
  const reads = payload.typeReads ? unpackHashes(payload.typeReads) : null;
  const splitDefiner = reads ? (path: string): boolean => wasRead(reads, typeReadHash('S', path)) : undefined;
  const rebound = includeRebinds({ index, scopes, graphs: { before: old.includes, after: build.includes }, edges: payload.edges, edits, edited, declarers: build.declarers, macroDefs: build.macroDefs, skip, splitDefiner });
  if (typeof rebound === 'string') return rebound;
  const names = [...new Set([...rebound.byFile.values()].flatMap((s) => [...s]))].sort();
  const others = rebound.sites.length ? ` and ${rebound.sites.length} call${rebound.sites.length === 1 ? '' : 's'} of ${new Set(rebound.sites.map((r) => index.nodeFile[r.node])).size} file(s) including it` : '';
  const note = `#include lines of ${edits.map((t) => t.after.path).join(', ')} changed: ${names.length === 0 ? 'no call binds otherwise' : `calls of ${names.length} name${names.length === 1 ? '' : 's'} bound again (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})${others}`}`;
  const ids = new Set(edited.map((t) => t.at));
  return { rebound: new Map([...rebound.byFile].filter(([at]) => ids.has(at))), sites: rebound.sites, scopeBefore: (i) => ctx.scope(i, old), note };
}
