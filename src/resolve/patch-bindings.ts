import type { CodeIndex } from '../index/code-index.js';
import type { FileFacts, FunctionFact } from '../types/facts.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { emitHinted } from './bind-indirect-sites.js';
import { type BindingRecordSnapshot, recordStrings, slotHash } from './binding-record.js';
import { kindId } from './edge-kind.js';
import { copyEdgeRow, type EdgeSnapshot, type Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice } from './edge-splice.js';
import { placesAmongCallers } from './caller-phases.js';
import { tagOf } from './split-tags.js';
import { hasColumn, scanColumns, storedColumn } from './stored-column.js';
import { NewRecord } from './patch-bindings-record.js';
import { MissingEvidence } from './record-contributions.js';
import { type KeyedBound, keyedEvidence, loadSiteRows, slotsNotKept, moveFlow, replayedFlow, replayFlow, settledGone, takenAfterReplay } from './patch-slot-flow.js';
import { type PassedChange, patchFallback, type TakenChange } from './patch-fallback.js';
import { patchStoredAdds } from './patch-param-stores.js';
import type { SlotFlowRecord } from './slot-flow-record.js';
import { type FieldRun, moveFieldNames, patchFieldNames } from './patch-field-names.js';
import { calledReadSplices, movedCalledReads } from './patch-called-reads.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');
const HINT = kindId('indirect-hint');

/** One edited file as the binding patch sees it. */
export interface BindingEdit {
  /** File id, the same before and after. */
  file: number;
  before: FileFacts;
  after: FileFacts;
  /** Plain bindings kept: [index in before.bindings, index in after.bindings], in order (plan-file-edit.ts). */
  pairs: [number, number][];
  /** How the file's anonymous structs' lines moved (FactsDiff.anon): the record's names are moved already. */
  anon: [number, number][];
  /** How the lines of its definitions, calls and bindings moved (remap-evidence.ts LineMoves.line): undefined where not told. */
  lines?: (old: number) => number | undefined;
}

/** What the binding patch works on: the graph already patched for bodies and definitions, with the record of the cached graph. */
export interface BindingPatchInput {
  record: BindingRecordSnapshot;
  /** The patched index (the edited files' new facts, new node ids). */
  index: CodeIndex;
  /** The patched edges; changed in place when sites are bound again. */
  edges: EdgeSnapshot;
  /** Old node -> new node (-1: gone); null when no node moved. */
  map: Int32Array | null;
  /** Per old node of an edited file's kept definitions: old call site -> new call site. */
  sites: Map<number, Map<number, number>>;
  /** Per old node of an edited file's kept definitions: the old call sites of the calls through a member its body lost (member-call-edits.ts); their rows leave the record. */
  gone: Map<number, Set<number>>;
  edits: BindingEdit[];
  /** A function of the cached graph (old node id) as its facts were, when an edited file defines it. */
  oldFunction: (node: number) => FunctionFact | undefined;
  /** Functions (new ids) that edited bodies now pass as a value and did not (`now`), or no longer pass: then taken no other way (`gone`), or not known. */
  passed: PassedChange[];
  /** Nodes (new ids) whose calls passing a function by name into a parameter stored into a member changed: their parameter stores' bindings are made again (patch-param-stores.ts). */
  storeCallers?: ReadonlySet<number>;
}

/** What the binding patch made: the record after it, whether edges changed, and how many member call sites it bound again (for -v). */
export interface BindingPatch {
  record: BindingRecordSnapshot;
  rebound: boolean;
  sites: number;
  /** The slots (string ids) whose bindings changed; absent: none. */
  changed?: ReadonlySet<number>;
}

/** A slot's key split into its struct and member (member names hold no dot; struct names may). */
const slotOf = (key: string): { holder: string; field: string } => {
  const at = key.lastIndexOf('.');
  return { holder: key.slice(0, at), field: key.slice(at + 1) };
};

/** A function bound to a slot with every binding of it, as BindingTable keeps it. */
interface Bound {
  target: number;
  kind: number;
  evidence: Evidence[];
}

/** The bindings of one slot from its contributions in table order, as BindingTable.add folds them (strongest kind, each evidence once). */
function fold(list: { target: number; kind: number; evidence: Evidence }[]): Bound[] {
  const byTarget = new Map<number, Bound>();
  for (const c of list) {
    const known = byTarget.get(c.target);
    if (!known) byTarget.set(c.target, { target: c.target, kind: c.kind, evidence: [c.evidence] });
    else {
      if (!known.evidence.some((e) => e.file === c.evidence.file && e.line === c.evidence.line && e.text === c.evidence.text)) known.evidence.push(c.evidence);
      known.kind = Math.min(known.kind, c.kind);
    }
  }
  return [...byTarget.values()];
}

/**
 * Brings a patched graph's bindings up to date with edits of plain bindings (initializers and
 * member assignments naming a function: isPlainBinding), re-binding only the member call sites
 * that read a slot whose bindings changed, as resolveIndirectSites binds them, in place in the
 * edge list; and brings the record up to date with every edit (new node ids and call sites). Returns
 * the reason when that cannot be exact: a changed slot that copies, stores or flows read or write,
 * whose field name a site of an unknown struct binds by, that goes from bound to unbound (or back)
 * for a site that then takes the signature fallback; a new binding whose member the record cannot
 * place; or what patchFallback cannot follow when the functions whose address is taken change
 * (joined, left, reordered: its call sites are listed again there).
 */
export function patchBindings(input: BindingPatchInput): BindingPatch | string {
  try {
    return patchOrWhy(input);
  } catch (e) {
    if (e instanceof MissingEvidence) return e.message;
    throw e;
  }
}

function patchOrWhy(input: BindingPatchInput): BindingPatch | string {
  const { record: old, index, edges, map } = input;
  const next = new NewRecord(old);
  const moved = next.moveNodes(map, input.sites, input.gone);
  if (typeof moved === 'string') return moved;
  if (old.flow) {
    const flow = moveFlow(old.flow, map, input.sites);
    if (typeof flow === 'string') return flow;
    next.flow = flow;
  }
  if (old.fieldNames) {
    const fieldNames = moveFieldNames(old.fieldNames, map, input.sites, input.gone);
    if (typeof fieldNames === 'string') return fieldNames;
    next.fieldNames = fieldNames;
  }
  const editedFiles = new Set(input.edits.map((t) => t.file));
  if (next.flow) next.flow = movedCalledReads(next.flow, map, index, editedFiles, (slot) => next.string(slot), slotHash);
  const evidence = new EvidenceAppender(edges);
  const changedSlots = new Set<number>();
  for (const t of input.edits) {
    // A file's bindings name the same functions many times: each name bound once (bindByName depends on the file and the name alone).
    const bound = new Map<string, number[]>();
    const targetsOf = (fn: string): number[] => {
      let targets = bound.get(fn);
      if (!targets) bound.set(fn, (targets = directTargets(index, t.file, fn).filter((target) => !index.isMacro(target))));
      return targets;
    };
    const why = next.replaceFile(t, (b) => ({ targets: targetsOf(b.fn), kind: kindId(b.how === 'init' ? 'ops-initializer' : 'ops-assignment') }), changedSlots);
    if (typeof why === 'string') return why;
  }
  const dangling = next.dangling();
  if (dangling) return dangling;
  // The bindings parameter stores make from the calls that changed, made again (the adds of the flow record before and after).
  let storedBefore: SlotFlowRecord | null = null;
  if (next.flow) {
    const lines = new Map(input.edits.flatMap((t) => (t.lines ? [[t.file, t.lines] as const] : [])));
    const stores = patchStoredAdds(next.flow, index, edges.paramUses, input.storeCallers ?? new Set(), map !== null, lines, (id) => next.string(id), (e) => evidence.id(e));
    if (typeof stores === 'string') return stores;
    next.flow = stores.after;
    if (stores.changed.size) storedBefore = stores.before;
    for (const slot of stores.changed) changedSlots.add(slot);
  } else if (input.storeCallers?.size) return 'a call passing a function to be stored in a member changed, and the cached graph keeps no record of the slot flows';
  const taken: TakenChange = { index, editedFiles, map, oldFunction: input.oldFunction, passed: input.passed };
  if (changedSlots.size === 0 && input.passed.length) {
    // No slot changed, but functions passed as values did: the signature fallback may list others.
    if (next.flow) next.flow = replayedFlow(next.flow, null, input.passed);
    const gone = settledGone(next.flow);
    if (gone) return gone;
    const splices: EdgeSplice[] = [];
    const why = patchFallback(next, old, edges, evidence, taken, splices);
    if (why) return why;
    applySplices(edges, splices);
    next.setEvidence(() => -1, new Set(), changedSlots);
    evidence.finish();
    return { record: next.snapshot(), rebound: true, sites: 0 };
  }
  if (changedSlots.size === 0) {
    const gone = settledGone(next.flow);
    if (gone) return gone;
    // Every slot as it was: the edited files' contributions keep the evidence ids of the bindings they were.
    next.setEvidence(() => -1, new Set(), changedSlots);
    return { record: next.snapshot(), rebound: false, sites: 0 };
  }
  const other = new Set(old.otherSlots);
  const fields = new Set([...old.fieldReads].map((f) => recordStrings(old)[f]!));
  const flows = [...changedSlots].some((slot) => other.has(slotHash(next.string(slot))));
  const reads = new Set(next.flow?.readSlots ?? []);
  if (flows && !next.flow) return `${next.string([...changedSlots].find((slot) => other.has(slotHash(next.string(slot))))!)} is copied, stored or flowed into, and the cached graph keeps no record of how`;
  const untold = flows ? slotsNotKept(next.flow!, changedSlots, (slot) => other.has(slotHash(next.string(slot))), reads, (slot) => slotHash(next.string(slot))) : null;
  if (untold !== null) return `${next.string(untold)} is copied among members no function reaches, which the binding record does not keep`;
  // A slot other phases write or read: the groups copies connect it to are replayed (patch-slot-flow.ts).
  const replay = flows ? replayFlow(storedBefore ?? next.flow!, changedSlots, (slots, now) => next.keyedIn(slots, now), next.flow!) : null;
  const finals = replay ? replay.changed : null;
  const readers = next.readersOf(finals ? new Set(finals.keys()) : changedSlots);
  const rebind = new Map<number, Bound[]>();
  // Slots of names call sites of an unknown struct bind by alone: those sites are bound again (patch-field-names.ts).
  const byName = new Set<number>();
  const copiedInto = replay ? new Set(next.flow!.copyDest) : null;
  for (const slot of finals ? finals.keys() : changedSlots) {
    const key = next.string(slot);
    if (replay && reads.has(slotHash(key))) return `${key} is passed where it is called (a callback argument), which the binding patch does not follow`;
    if (fields.has(slotOf(key).field)) {
      if (!next.fieldNames) return `a call site of an unknown struct is bound by its name alone (${slotOf(key).field}), and ${key} changed, and the cached graph keeps no record of such sites`;
      // What other phases bind into it is kept (FieldNameRecord.later) and stays, unless a copy brings it: then it may change with the edit.
      if (replay && (!changedSlots.has(slot) || copiedInto!.has(slot))) return `${key} changed, and a copy of members binds into it, which call sites of an unknown struct read by the name ${slotOf(key).field}`;
      byName.add(slot);
    }
    if (!readers.has(slot)) continue;
    const was = finals ? null : fold(next.oldContributions(slot).map((c) => ({ ...c, evidence: c.evidence(evidence) })));
    const now = finals ? finals.get(slot)!.map((b) => ({ target: b.target, kind: b.kind, evidence: keyedEvidence(b.keys, evidence, key) })) : fold(next.newContributions(slot).map((c) => ({ ...c, evidence: c.evidence(evidence) })));
    if (was ? (was.length === 0) !== (now.length === 0) : (replay!.emptyBefore.has(slot) !== (now.length === 0))) {
      // Named by the binding that came or went (its file and line), so that -v points at the edit it is about.
      const at = (now.length ? now : (was ?? []))[0]?.evidence[0];
      return `${at ? `${at.file}:${at.line}: ` : ''}${key} went from bindings to no binding or back, and a call site through it takes the signature fallback then`;
    }
    if (now.length) rebind.set(slot, now);
  }
  const loads = replay ? loadSiteRows(next.flow!, replay) : new Map<number, KeyedBound[]>();
  if (typeof loads === 'string') return loads;
  const loadRows = new Map([...loads].map(([site, rows]) => [site, rows.map((b) => ({ target: b.target, kind: b.kind, evidence: keyedEvidence(b.keys, evidence, 'a pointer variable') }))]));
  if (replay) {
    next.flow = replayedFlow(next.flow!, replay, input.passed);
    next.takenOtherwise = takenAfterReplay(next.takenOtherwise, next.flow, replay);
  } else if (next.flow && input.passed.length) next.flow = replayedFlow(next.flow, null, input.passed);
  // A function a copy bound and a patch removed: the replay of its group made the settle's pairs again, or it still binds it.
  const gone = settledGone(next.flow);
  if (gone) return gone;
  const named = byName.size ? patchFieldNames({ old, record: next.fieldNames!, changed: byName, keyedIn: (slots, now) => next.keyedIn(slots, now), index, edges, evidence, map, editedFiles, oldFunction: input.oldFunction }) : { runs: new Map<number, FieldRun>(), overCap: null };
  if (typeof named === 'string') return named;
  if (named.overCap) edges.overCap = named.overCap;
  // Both the sites bound again and the signature fallback's change the edge list: one copy of it for both.
  const splices: EdgeSplice[] = [];
  const sites = rebindSites(index, edges, evidence, { readers, rebind, loads: loadRows, fields: named.runs, slotKey: (slot) => next.string(slot), memberSites: (nodes) => next.memberSites(nodes) }, (node) => editedFiles.has(index.nodeFile[node]!), splices);
  if (typeof sites === 'string') return sites;
  // The callback-arg edges of sites passing a changed member where it is called (patch-called-reads.ts).
  const called = finals ? calledReadSplices(index, edges, evidence, next.flow!, finals, (slot) => next.string(slot), splices) : 0;
  if (typeof called === 'string') return called;
  const listed = patchFallback(next, old, edges, evidence, taken, splices);
  if (listed) return listed;
  applySplices(edges, splices);
  next.setEvidence((e) => evidence.id(e), new Set(rebind.keys()), changedSlots, (e) => evidence.appended(e));
  evidence.finish();
  return { record: next.snapshot(), rebound: rebind.size > 0 || loadRows.size > 0 || called > 0 || named.runs.size > 0 || named.overCap !== null, sites, changed: new Set([...changedSlots, ...(finals?.keys() ?? [])]) };
}

/**
 * Binds again every member call site that reads a slot of `rebind`: its run of edges (those of its
 * caller and call site that are no call by name, added together by resolveIndirectSites) is replaced by the
 * wrapper's candidates then the slot's bindings, deferred as before. A member call site left with no
 * edge (its only functions renamed or removed) gets its run where a resolution adds it among its
 * caller's edges (caller-phases.ts placesAmongCallers), deferred as the profile says (deferredFor);
 * a pointer variable's site with no edge is refused. A site's call fact is read
 * (which decodes its file's cached facts: about 1 s for the few hundred files a much-copied member
 * reaches in a kernel) only when its run has an indirect-call wrapper's candidate (the fact's
 * `hints` are needed), or `readFacts(node)` says so (an edited file); otherwise its line is that
 * of its edges, which a resolution gives the call's line, and it has no hint with a target. Nodes
 * renumbered do not change that: a hint is a mention, so a file not edited names no function
 * added, removed or renamed by a hint (patchDefinitions refuses the patch otherwise), and its
 * hints bind the functions they bound before. Returns why not, or how many sites it bound again.
 */
function rebindSites(index: CodeIndex, edges: EdgeSnapshot, evidence: EvidenceAppender, sites: SitesToBind, readFacts: (node: number) => boolean, splices: EdgeSplice[]): string | number {
  const { readers, rebind, loads, fields } = sites;
  const wanted = new Map<number, Bound[]>();
  /** The slot each member call site of `wanted` reads. */
  const slotOfSite = new Map<number, number>();
  const SPAN = 1 << 20;
  for (const [slot, bound] of rebind) {
    for (const [node, site] of readers.get(slot)!) {
      wanted.set(node * SPAN + site, bound);
      slotOfSite.set(node * SPAN + site, slot);
    }
  }
  for (const [key, rows] of loads) wanted.set(key, rows);
  for (const [key, run] of fields) wanted.set(key, run.bound);
  if (!hasColumn(edges, 'site')) return 'the cached graph has no call sites';
  const runs = new Map<number, [number, number]>();
  const hinted = new Set<number>();
  const callers = new Uint8Array(index.nodeCount);
  for (const key of wanted.keys()) callers[Math.floor(key / SPAN)] = 1;
  // One pass over every edge's caller, kind and call site read as stored, a chunk at a time (stored-column.ts scanColumns): a cached
  // graph's columns are not decoded for it, and a splice after copies them from the cache file (edge-splice.ts applySplices).
  let apart = -1;
  scanColumns(edges, ['from', 'kind', 'site'] as const, (rows, start, count) => {
    const { from, kind, site } = rows as Record<'from' | 'kind' | 'site', Int32Array>;
    for (let i = 0; i < count && apart < 0; i++) {
      const k = kind[i]!;
      if (k === DIRECT || k === MACRO || !callers[from[i]!]) continue;
      const key = from[i]! * SPAN + site[i]!;
      if (!wanted.has(key)) continue;
      const e = start + i;
      if (k === HINT) hinted.add(key);
      const run = runs.get(key);
      if (!run) runs.set(key, [e, e + 1]);
      else if (run[1] === e) run[1] = e + 1;
      else apart = from[i]!;
    }
  });
  if (apart >= 0) return `the edges of a call site of ${index.name(apart)} are not together`;
  const lineOf = storedColumn(edges, 'line')!;
  const deferredOf = storedColumn(edges, 'deferred')!;
  const out: { from: number[]; to: number[]; kind: number[]; line: number[]; proof: number[]; deferred: number[]; site: number[] } = { from: [], to: [], kind: [], line: [], proof: [], deferred: [], site: [] };
  const replaced = new Map<number, number>();
  // A member call site whose edges all went (to functions removed or renamed) gets its new run where a resolution adds it.
  const bare = [...wanted.keys()].filter((key) => !runs.has(key));
  const load = bare.find((key) => loads.has(key));
  if (load !== undefined) return `a call through a pointer variable in ${index.name(Math.floor(load / SPAN))} loads a changed member and had no edge in the cached graph (where its edges go among its caller's is not kept)`;
  const places = placesAmongCallers(index, edges, bare, sites.memberSites(new Set(bare.map((key) => Math.floor(key / SPAN)))));
  if (typeof places === 'string') return places;
  const inserted: EdgeSplice[] = [];
  for (const [key, bound] of wanted) {
    const run = runs.get(key);
    const node = Math.floor(key / SPAN);
    const site = key % SPAN;
    const load = loads.has(key);
    const call = hinted.has(key) || readFacts(node) || !run ? index.calls(node)[site] : null;
    if (call === undefined || (call && (load ? call.field !== undefined : call.field === undefined))) return `call site ${site} of ${index.name(node)} is not the ${load ? 'pointer variable' : 'member'} call the record says`;
    const line = call ? call.line : lineOf.at(run![0]);
    const deferred = run ? deferredOf.at(run[0]) : fields.has(key) ? fields.get(key)!.deferred : deferredFor(index, sites.slotKey(slotOfSite.get(key)!));
    if (typeof deferred === 'string') return deferred;
    const added = new Set<number>();
    const put = (target: number, kind: number, list: Evidence[]): void => {
      out.from.push(node);
      out.to.push(target);
      out.kind.push(kind);
      out.line.push(line);
      out.proof.push(evidence.set(list));
      out.deferred.push(deferred);
      out.site.push(site);
    };
    // A pointer variable's call: its edges as resolvePointerVariables made them (in target order).
    if (load) for (const b of bound) put(b.target, b.kind, b.evidence);
    // As resolveIndirectSites: the wrapper's candidates first, then each bound function not among them.
    else if (call) emitHinted(index, node, call, bound as never, (target, kind, ev) => {
      put(target, kind, Array.isArray(ev) ? ev : [ev]);
      added.add(target);
    });
    for (const b of load ? [] : bound) {
      if (added.has(b.target)) continue;
      added.add(b.target);
      put(b.target, b.kind, b.evidence);
    }
    if (run) replaced.set(run[0], key);
    else {
      const at = places.get(key)!;
      const rows = out.from.flatMap((from, i) => (from === node && out.site[i] === site ? [i] : []));
      inserted.push({ start: at, end: at, count: rows.length, write: (next, to) => rows.forEach((i, k) => copyEdgeRow(out, i, next, to + k)), site });
    }
  }
  spliced(runs, replaced, out, splices);
  // Two new runs of one caller placed at the same edge go in call site order (EdgeSplice.site), as a resolution adds them.
  splices.push(...inserted);
  return wanted.size;
}

/** What rebindSites binds again: the member call sites reading each changed slot and its bindings now, the pointer variable sites and their edges now, and how to name a slot and find a caller's member call sites. */
interface SitesToBind {
  /** Slot id -> the member call sites (new node ids, call sites) that read it. */
  readers: Map<number, [number, number][]>;
  /** Slot id -> its bindings now. */
  rebind: Map<number, Bound[]>;
  /** A pointer variable's call site (node * 2^20 + site) -> its edges now. */
  loads: Map<number, Bound[]>;
  /** A call site of the field-name fallback (node * 2^20 + site) -> its edges now (patch-field-names.ts). */
  fields: Map<number, FieldRun>;
  /** A slot id's key (`struct foo.member`). */
  slotKey(slot: number): string;
  /** The member call sites of these nodes, by node. */
  memberSites(nodes: Set<number>): Map<number, Set<number>>;
}

/**
 * Whether the edges of a member call site through slot `key` are deferred (Profile.deferredCalls),
 * for a site that had none to copy it from: a resolution asks by the struct its receiver evaluates
 * to as well as by the slot's (resolveIndirectSites), so a member the profile defers under another
 * struct's name is not told. Why not, then.
 */
function deferredFor(index: CodeIndex, key: string): number | string {
  const { holder, field } = slotOf(key);
  const tag = tagOf(holder);
  const named = index.profile.deferredCalls.filter((d) => d.field === field);
  if (named.some((d) => d.holder === tag)) return 1;
  return named.length ? `${key} had no edge in the cached graph, and the profile defers member ${field} of another struct` : 0;
}

/** Each run of `runs` (by its first edge, `replaced`) to be swapped for its new edges in `out`, in the order they were made, as splices of the edge list (edge-splice.ts). */
function spliced(runs: Map<number, [number, number]>, replaced: Map<number, number>, out: { from: number[]; to: number[]; kind: number[]; line: number[]; proof: number[]; deferred: number[]; site: number[] }, splices: EdgeSplice[]): void {
  const SPAN = 1 << 20;
  const newBySite = new Map<number, number[]>();
  for (let i = 0; i < out.from.length; i++) {
    const key = out.from[i]! * SPAN + out.site[i]!;
    const list = newBySite.get(key);
    if (list) list.push(i);
    else newBySite.set(key, [i]);
  }
  for (const [first, key] of replaced) {
    const rows = newBySite.get(key) ?? [];
    splices.push({ start: first, end: runs.get(key)![1], count: rows.length, write: (next, at) => rows.forEach((i, k) => copyEdgeRow(out, i, next, at + k)) });
  }
}
