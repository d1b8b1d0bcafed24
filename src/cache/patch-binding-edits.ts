import type { CodeIndex } from '../index/code-index.js';
import { lineMovesOf } from '../resolve/remap-evidence.js';
import { anonMover, isPlainBinding, joinRecordStrings, recordStrings } from '../resolve/binding-record.js';
import { FALLBACK_STRIDE, fallbackSites, fromDeltas } from '../resolve/fallback-record.js';
import { NodeFlag } from '../index/code-index.js';
import type { BindingRecordSnapshot } from '../resolve/binding-record.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import { patchBindings } from '../resolve/patch-bindings.js';
import { calledReadKeys } from '../resolve/patch-called-reads.js';
import { directTargets } from '../resolve/bind-direct.js';
import type { CallFact, FileFacts, FunctionFact } from '../types/facts.js';
import type { BodyDiff } from '../index/facts-diff.js';
import { goneSitesOf, isPlainMemberCall, pairedByArguments, withMemberPairs } from '../resolve/member-call-edits.js';
import { addMemberSites, type AddedMemberSite, type SiteRunRow, takenOutRuns } from '../resolve/add-member-sites.js';
import type { EditedFile } from './patch-definitions.js';
import { closeRooms } from '../util/shared-arrays.js';

/**
 * Per old node of the edited files' kept definitions: old call site -> new call site (`sites`),
 * and the old call sites of the calls through a member the body lost, or all of them for a function
 * removed (`gone`: member-call-edits.ts), from the plans' body diffs.
 */
function siteMaps(before: CodeIndex, edited: EditedFile[]): { sites: Map<number, Map<number, number>>; gone: Map<number, Set<number>>; paired: Map<number, Set<number>>; added: AddedMemberSite[] } {
  const byFile = new Map(edited.map((t) => [t.at, t]));
  const maps = new Map<number, Map<number, number>>();
  const gone = new Map<number, Set<number>>();
  const paired = new Map<number, Set<number>>();
  const added: AddedMemberSite[] = [];
  const sitesOf = (was: CallFact[], now: CallFact[], diffed: BodyDiff, node: number): Map<number, number> => {
    const oldSite = new Map(was.map((c, i) => [c, i]));
    const newSite = new Map(now.map((c, i) => [c, i]));
    // A call through a member whose arguments alone changed keeps its site (as applyBodies pairs it); macros make no member call site.
    const pairs = before.isMacro(node) ? { body: diffed, paired: [] } : withMemberPairs(diffed, was, now);
    const body = pairs.body;
    if (pairs.paired.length) paired.set(node, new Set(pairs.paired.map(([o]) => oldSite.get(o)!)));
    const lost = goneSitesOf(was, body.removed);
    if (lost.size) gone.set(node, lost);
    // Old node ids here: the caller maps them (a macro's member calls make no call site: resolveIndirectSites).
    if (!before.isMacro(node)) for (const call of body.added) if (isPlainMemberCall(call)) added.push({ node, site: newSite.get(call)!, call });
    return new Map(body.kept.map(([o, n]) => [oldSite.get(o)!, newSite.get(n)!]));
  };
  for (let node = 0; node < before.nodeCount; node++) {
    const t = byFile.get(before.nodeFile[node]!);
    if (!t) continue;
    const item = before.nodeItem[node]!;
    if (before.isMacro(node)) {
      const body = t.plan.diff.bodies.find((b) => b.macro && b.item === item);
      if (body) maps.set(node, sitesOf(t.before.macros[item]!.calls, t.after.macros[item]!.calls, body, node));
      continue;
    }
    const k = t.plan.kept.findIndex(([o]) => o === item);
    if (k < 0 && t.plan.removed.includes(item)) {
      // A function removed: every call through a member goes with it.
      const calls = t.before.functions[item]!.calls;
      const lost = goneSitesOf(calls, calls);
      if (lost.size) gone.set(node, lost);
      continue;
    }
    const body = k >= 0 ? t.plan.diff.bodies.find((b) => !b.macro && b.item === k) : undefined;
    if (body) maps.set(node, sitesOf(t.before.functions[item]!.calls, t.after.functions[t.plan.kept[k]![1]]!.calls, body, node));
  }
  return { sites: maps, gone, paired, added };
}

/** The calls through a member of the functions the edits added (their ids in the patched index `index`), as added sites. */
function memberCallsOfAdded(index: CodeIndex, edited: EditedFile[]): AddedMemberSite[] {
  const addedOf = new Map(edited.filter((t) => t.plan.added.length).map((t) => [t.at, { t, items: new Set(t.plan.added) }]));
  const out: AddedMemberSite[] = [];
  if (addedOf.size === 0) return out;
  for (let node = 0; node < index.nodeCount; node++) {
    const of = addedOf.get(index.nodeFile[node]!);
    if (!of || index.isMacro(node) || !of.items.has(index.nodeItem[node]!)) continue;
    of.t.after.functions[index.nodeItem[node]!]!.calls.forEach((call, site) => {
      if (isPlainMemberCall(call)) out.push({ node, site, call });
    });
  }
  return out;
}

/**
 * Names a file takes as values otherwise than by plain bindings, as addressTakenFunctions reads
 * them: those its bodies pass as arguments that are not the passing function's parameters, those
 * it registers (`module_init(fn)`: FileFacts.registrations), and those it stores into pointer variables.
 */
function passedNames(facts: FileFacts): Set<string> {
  const names = new Set<string>((facts.registrations ?? []).map((r) => r.fn));
  // A function stored by name into a pointer variable or array (BindingFact.pointer): changed, such a store is an initializer the plan left out
  // with its variable (file-globals.ts initializesVariable); the diff refuses any other.
  for (const b of facts.bindings) if (b.pointer && !b.from && !b.call && b.param === undefined) names.add(b.fn);
  for (const f of facts.functions) for (const call of f.calls) for (const a of call.args) if (a !== null && !f.params.some((p) => p.name === a)) names.add(a);
  for (const m of facts.macros) for (const call of m.calls) for (const a of call.args) if (a !== null) names.add(a);
  return names;
}

/**
 * The functions an edited file now passes or registers as values and did not, or no longer does (passedNames): each
 * such name, the functions it binds to from the file, and whether the file now passes it
 * (`now`); for one no longer passed, whether other ways still take it is known (`gone`: a static
 * function of the file that nothing else of the file names) or not. A name passed both before and
 * after whose functions the edit added or removed (FilePlan.names: a call passing `h` kept while `h`
 * is defined, renamed to it, or taken away) binds other functions now: those it binds now and did
 * not are passed now, those it bound (`before`, its nodes moved by `map`) and binds no longer are
 * passed no more, their other ways not known.
 */
function passedChanged(index: CodeIndex, edited: EditedFile[], before?: { index: CodeIndex; map: Int32Array | null }): { path: string; name: string; targets: number[]; now: boolean; gone: boolean }[] {
  const out: { path: string; name: string; targets: number[]; now: boolean; gone: boolean }[] = [];
  const functionsOf = (x: CodeIndex, at: number, name: string): number[] => directTargets(x, at, name).filter((n) => !x.isMacro(n));
  for (const t of edited) {
    const was = passedNames(t.before);
    const now = passedNames(t.after);
    const namedOtherwise = (name: string): boolean => t.after.bindings.some((b) => b.fn === name && !isPlainBinding(b)) || !!t.after.registrations?.some((r) => r.fn === name);
    for (const name of [...now].filter((n) => !was.has(n)).concat([...was].filter((n) => !now.has(n)))) {
      if (index.nodesNamed(name).length === 0) continue;
      const targets = functionsOf(index, t.at, name);
      const passed = now.has(name);
      const own = targets.every((n) => index.nodeFile[n] === t.at && index.nodeFlags[n]! & NodeFlag.Static);
      if (targets.length) out.push({ path: t.after.path, name, targets, now: passed, gone: !passed && own && !namedOtherwise(name) });
    }
    for (const name of t.plan.names) {
      if (!was.has(name) || !now.has(name)) continue;
      const targets = functionsOf(index, t.at, name);
      const bound = before ? functionsOf(before.index, t.at, name).map((n) => (before.map ? before.map[n]! : n)).filter((n) => n >= 0) : [];
      const joined = targets.filter((n) => !bound.includes(n));
      const left = bound.filter((n) => !targets.includes(n));
      if (joined.length) out.push({ path: t.after.path, name, targets: joined, now: true, gone: false });
      if (left.length) out.push({ path: t.after.path, name, targets: left, now: false, gone: false });
    }
  }
  return out;
}

/**
 * The record with the names of the edited files' anonymous structs (`struct <anon net/x.c:907>`,
 * in slot keys, roots and binding keys) moved to their new lines, as remapEvidence moves them in the evidence.
 */
function withAnonMoved(record: BindingRecordSnapshot, edited: EditedFile[]): BindingRecordSnapshot {
  const moving = edited.filter((t) => t.plan.diff.anon.some(([o, n]) => o !== n));
  if (moving.length === 0) return record;
  let strings = recordStrings(record);
  for (const t of moving) strings = strings.map(anonMover(t.after.path, t.plan.diff.anon));
  return { ...record, strings: joinRecordStrings(strings) };
}

/** What the binding record keeps that the definition patch lets through (DefinitionPatchInput.storesKept, .calledReads). */
export function keptByRecord(record: BindingRecordSnapshot | undefined): { storesKept: boolean; calledReads: Set<number> } {
  return { storesKept: !!record?.flow?.seedNode, calledReads: calledReadKeys(record?.flow) };
}

/**
 * Brings the binding record of a patched graph up to date, and re-binds the member call sites
 * whose slots the edits' plain bindings changed (resolve/patch-bindings.ts). `edges` may change in
 * place. Returns the new record (undefined when the graph keeps none, or when it cannot follow an
 * edit that changed no plain binding: later binding edits then resolve in full), whether
 * edges changed and how many member call sites were bound (again, or added: for -v); or the
 * reason the edits cannot be patched.
 */
export function patchBindingEdits(record: BindingRecordSnapshot | undefined, patched: { index: CodeIndex; before: CodeIndex; edges: EdgeSnapshot; map: Int32Array | null; storeCallers?: ReadonlySet<number>; siteRunsBefore?: ReadonlyMap<number, readonly SiteRunRow[]> }, edited: EditedFile[]): { record: BindingRecordSnapshot | undefined; rebound: boolean; sites: number } | string {
  const changed = edited.find((t) => t.plan.bindingsChanged);
  // A record of another shape (written by an earlier version) is none.
  if (record && !(record.conFile instanceof Int32Array && record.otherSlots instanceof Uint32Array && typeof record.strings === 'string')) record = undefined;
  const maps = siteMaps(patched.before, edited);
  // A call through a member whose arguments alone changed kept its edges (applyBodies): only right when its member's bindings made them.
  const pairedWhy = record ? pairedByArguments(maps.paired, record.siteReads, record.fallback && fallbackSites(record.fallback), FALLBACK_STRIDE) : maps.paired.size ? 'a call through a member passes other arguments, and the cached graph keeps no record of its bindings' : null;
  if (pairedWhy) {
    const node = maps.paired.keys().next().value!;
    return `${(edited.find((t) => t.at === patched.before.nodeFile[node]) ?? edited[0]!).after.path}: ${pairedWhy}`;
  }
  // Calls through a member added to kept bodies and in functions added (the patched graph's ids): bound from the record after the binding patch, or refused.
  const added = [...maps.added.map((a) => ({ ...a, node: patched.map ? patched.map[a.node]! : a.node })), ...memberCallsOfAdded(patched.index, edited)];
  const addedIn = (why: string): string => `${(edited.find((t) => t.at === patched.index.nodeFile[added[0]!.node]) ?? edited[0]!).after.path}: ${why}`;
  if (added.length && !record) return addedIn('a call through a member was added, and the cached graph keeps no record of its bindings');
  if (!record) {
    const loose = passedChanged(patched.index, edited, { index: patched.before, map: patched.map })[0];
    if (loose) return `${loose.path}: it now passes, registers or stores ${loose.name} as a value, or no longer does, which may change the functions whose address is taken`;
  }
  if (!record) return changed ? `${changed.after.path}: it changed initializers or assignments of function pointers, and the cached graph keeps no record of its bindings` : { record: undefined, rebound: false, sites: 0 };
  const passed = passedChanged(patched.index, edited, { index: patched.before, map: patched.map });
  // With a record of the signature fallback's sites, the binding patch lists the functions that join or leave the address-taken ones.
  const follows = record.fallback !== undefined;
  const byAt = new Map(edited.map((t) => [t.at, t]));
  const oldFunction = (node: number): FunctionFact | undefined => (patched.before.isMacro(node) ? undefined : byAt.get(patched.before.nodeFile[node]!)?.before.functions[patched.before.nodeItem[node]!]);
  const result = patchBindings({
    record: withAnonMoved(record, edited),
    index: patched.index,
    edges: patched.edges,
    map: patched.map,
    sites: maps.sites,
    gone: maps.gone,
    edits: edited.map((t) => ({ file: t.at, before: t.before, after: t.after, pairs: t.plan.bindings, anon: t.plan.diff.anon, lines: lineMovesOf(t.plan.diff, false).line })),
    oldFunction,
    passed: follows ? passed.flatMap((p) => p.targets.map((node) => ({ node, state: p.now ? ('now' as const) : p.gone ? ('gone' as const) : ('unknown' as const) }))) : [],
    ...(patched.storeCallers ? { storeCallers: patched.storeCallers } : {}),
  });
  // The edge columns the definition patch made with room (util/shared-arrays.ts) are spliced: no one grows them in place after.
  closeRooms();
  // A reason that names its file (and line) already is not prefixed again.
  // Without a binding changed, a reason matters only when functions passed as values changed, or
  // a function taken was removed (the patch must bind or list again what named them).
  const { map } = patched;
  const removedTaken = !!map && (record.conTarget.some((n) => map[n]! < 0) || !!(record.fallback && fromDeltas(record.fallback.takenOtherwise).some((n) => map[n]! < 0)));
  // Calls passing a function to be stored added or taken out, or gone with their function: their bindings must be made again.
  const stores = !!patched.storeCallers?.size || (!!map && !!record.flow?.addCaller?.some((n) => n >= 0 && map[n]! < 0));
  const who = changed ?? (follows && passed.length ? passed[0] : removedTaken || stores ? edited[0] : undefined);
  if (typeof result === 'string') {
    if (!who && added.length) return addedIn(result);
    return who ? (edited.some((t) => result.startsWith(`${t.after.path}:`)) ? result : `${'after' in who ? who.after.path : who.path}: ${result}`) : { record: undefined, rebound: false, sites: 0 };
  }
  if (added.length) {
    // A site the edits took out may lend its edges (a function renamed, a call moved): the cached graph's runs, read before the patch.
    const takenOut = patched.siteRunsBefore ? takenOutRuns(record, maps.gone, patched.siteRunsBefore, patched.map, result.changed ?? new Set()) : undefined;
    const bound = addMemberSites(patched.index, patched.edges, result.record, added, takenOut);
    if (typeof bound === 'string') return addedIn(bound);
    result.record = bound;
    result.rebound = true;
    result.sites += added.length;
  }
  // A function passed as a value that was not, or no longer is: it may join or leave the functions
  // whose address is taken (the signature fallback's candidates) unless a plain binding takes it first.
  if (follows) return result;
  const plain = new Set(result.record.conTarget);
  const loose = passed.find((p) => p.targets.some((target) => !plain.has(target)));
  if (loose) return `${loose.path}: it now passes, registers or stores ${loose.name} as a value, or no longer does, which may change the functions whose address is taken`;
  return result;
}
