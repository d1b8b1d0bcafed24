import type { CodeIndex } from '../index/code-index.js';
import type { FileFacts, FunctionFact } from '../types/facts.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { type BindingRecordSnapshot, recordStrings, slotHash } from './binding-record.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice } from './edge-splice.js';
import { NewRecord } from './patch-bindings-record.js';
import { MissingEvidence } from './record-contributions.js';
import { type KeyedBound, keyedEvidence, loadSiteRows, slotsNotKept, moveFlow, replayedFlow, replayFlow, settledGone, takenAfterReplay } from './patch-slot-flow.js';
import { type PassedChange, patchFallback, type TakenChange } from './patch-fallback.js';
import { patchStoredAdds } from './patch-param-stores.js';
import type { SlotFlowRecord } from './slot-flow-record.js';
import { type FieldRun, moveFieldNames, patchFieldNames } from './patch-field-names.js';
import { type Bound, rebindSites, slotOf } from './rebind-sites.js';
import { laterRowsAfter } from './field-later-rows.js';
import { FIELD_LATER_STRIDE, type FieldNameRecord } from './field-name-record.js';
import { calledReadSplices, movedCalledReads } from './patch-called-reads.js';

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
  // The pairs other phases bind into members call sites read by name alone (FieldNameRecord.later): made again below for the names whose slots changed.
  const namesBefore = next.fieldNames;
  const taken: TakenChange = { index, editedFiles, map, oldFunction: input.oldFunction, passed: input.passed };
  if (changedSlots.size === 0 && namesBefore) {
    const kept = laterAfterEdits(old, next, changedSlots, evidence);
    if (typeof kept === 'string') return kept;
    next.fieldNames = kept.record;
  }
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
  const later = namesBefore ? laterAfterEdits(old, next, new Set([...changedSlots, ...(finals?.keys() ?? [])]), evidence) : null;
  if (typeof later === 'string') return later;
  if (later) next.fieldNames = later.record;
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
      if (replay && (!changedSlots.has(slot) || copiedInto!.has(slot)) && !later?.names.has(slotOf(key).field)) return `${key} changed, and a copy of members binds into it, which call sites of an unknown struct read by the name ${slotOf(key).field}`;
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
  const named = byName.size ? patchFieldNames({ old, record: next.fieldNames!, before: namesBefore!, changed: byName, keyedIn: (slots, now) => next.keyedIn(slots, now), index, edges, evidence, map, editedFiles, oldFunction: input.oldFunction }) : { runs: new Map<number, FieldRun>(), overCap: null };
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
 * The field-name record (next.fieldNames, moved to the patched ids) with the rows of the names of
 * `changed` (slots whose bindings the patch changed: plain ones, parameter stores', and those a
 * replay of copies changed) that call sites read alone, and of the names whose rows name a
 * function the patch removed, made again from the plain bindings, the flow record's adds and its
 * copies (field-later-rows.ts); with the names made again. Why not: such a name's rows before do
 * not follow from those, or the cached graph keeps no flow record while a row names a removed
 * function.
 */
function laterAfterEdits(old: BindingRecordSnapshot, next: NewRecord, changed: ReadonlySet<number>, evidence: EvidenceAppender): { record: FieldNameRecord; names: ReadonlySet<string> } | string {
  const record = next.fieldNames!;
  const strings = recordStrings(old);
  const nameOf = (slot: number): string => strings[slot]!.slice(strings[slot]!.lastIndexOf('.') + 1);
  const read = new Set([...old.fieldReads].map((f) => strings[f]!));
  const names = new Set<string>();
  for (const slot of changed) if (read.has(nameOf(slot))) names.add(nameOf(slot));
  const removed = 'a function that another phase than initializers bound to a member read by name alone was removed';
  const gone = (r: FieldNameRecord): string | null => {
    for (let i = 0; i < r.later.length; i += FIELD_LATER_STRIDE) if (r.later[i + 1]! < 0) return nameOf(r.later[i]!);
    return null;
  };
  const lost = gone(record);
  if (lost !== null) names.add(lost);
  if (names.size === 0) return { record, names };
  if (!old.flow || !old.fieldNames || !next.flow) return lost !== null ? removed : { record, names: new Set() };
  const slots = new Map<string, Set<number>>();
  const add = (slot: number): void => {
    const name = nameOf(slot);
    if (names.has(name)) (slots.get(name) ?? slots.set(name, new Set()).get(name)!).add(slot);
  };
  for (const slot of new Set(old.conSlot)) add(slot);
  for (const slot of changed) add(slot);
  for (const list of [old.flow.addSlot, next.flow.addSlot, old.flow.copyDest, next.flow.copyDest]) for (const slot of list) add(slot);
  for (let i = 0; i < record.later.length; i += FIELD_LATER_STRIDE) add(record.later[i]!);
  const after = laterRowsAfter({ old: old.fieldNames, moved: record, flowBefore: old.flow, flowAfter: next.flow, slots, strings, keyedIn: (s, now, stored) => next.keyedIn(s, now, stored), evidenceId: (e) => evidence.id(e) });
  if (typeof after === 'string') return lost !== null ? `${removed}: ${after}` : after;
  return gone(after) !== null ? removed : { record: after, names };
}
