import { FIELD_LATER_STRIDE, FIELD_SITE_STRIDE, type FieldNameRecord } from './field-name-record.js';
import { type KeyedContribution, refKey, settleCopies } from './patch-slot-flow.js';
import type { SlotFlowRecord } from './slot-flow-record.js';
import { type Evidence, unpackEvidence } from './edge-list.js';

/** One row of FieldNameRecord.later with its evidence: slot (string id), function, 1 when another phase made the pair, its evidence ids (-1: no edge shows it). */
interface LaterRow {
  slot: number;
  target: number;
  made: number;
  chain: number[];
}

/** What laterRowsAfter reads: the record before and after the patch moved it, the adds of the flow record before and after, the plain bindings. */
export interface LaterRowsInput {
  /** The cached graph's field-name record (old node ids). */
  old: FieldNameRecord;
  /** The same moved to the patched ids (moveFieldNames: a removed function is -2 - its old id). */
  moved: FieldNameRecord;
  /** The cached graph's flow record (old node ids) and the patched one (patch-param-stores.ts patchStoredAdds: the parameter stores' adds made again). */
  flowBefore: SlotFlowRecord;
  flowAfter: SlotFlowRecord;
  /** The slots (string ids) of each member name to make the rows of again: every slot of that name the table may hold. */
  slots: ReadonlyMap<string, ReadonlySet<number>>;
  /** The binding record's strings (recordStrings): slot keys and the member names FieldNameRecord.sites holds. */
  strings: readonly string[];
  /** The plain bindings' contributions to these slots in table order, before the edits (`now` false: `was` holds the old node; `stored`: keyed by their stored evidence ids) or after (NewRecord.keyedIn). */
  keyedIn(slots: ReadonlySet<number>, now: boolean, stored?: boolean): KeyedContribution[];
  /** The id among the edges' evidence of an evidence an edited file's binding gives (EvidenceAppender.id: appended when none holds it yet). */
  evidenceId(e: Evidence): number;
}

/**
 * FieldNameRecord.later made again for the member names of `slots` after a patch changed the
 * bindings of slots of those names (plain bindings, the bindings parameter stores make, or what
 * copies carry into them). A resolution's rows of a name (FieldNameRecorder.site) are the binding
 * table's pairs of its slots, in the order each pair was first added, that have evidence beyond
 * the plain bindings': the table takes the plain bindings first (collectBindings), then the flow
 * record's adds in their order (SlotFlowRecord.add*), then the settle of copies (SlotCopies.settle,
 * whose run over the groups of slots copies connect replayFlow replays). So the rows are made here
 * from those three, followed through every slot copies carry functions from into the name's slots; to be sure
 * nothing else added to them, the same is done with the cached graph's bindings, adds and copies,
 * and must give the rows the cached graph's record holds for those names (Linux 6.1's struct
 * irqaction.handler holds what request_threaded_irq stores and what drivers pass from members of
 * their own). Rows of other names stay as they are. The rows of one name stand together, the
 * blocks in the order call sites first read their names (FieldNameRecord.sites), so a name's new
 * rows go before the block of the first name read after it; a name no call site reads now gets
 * none. Returns the record (new node ids), or why not: the rows before do not follow.
 */
export function laterRowsAfter(input: LaterRowsInput): FieldNameRecord | string {
  const { old, moved, strings } = input;
  const made = new Map<string, LaterRow[]>();
  // One replay of the table for every name (a driver's file binds `.read`, `.write` and `.release` at once): each name's rows are its slots' in the table's order.
  const all = new Set([...input.slots.values()].flatMap((slots) => [...slots]));
  const through = upstreamOf(all, input.flowBefore);
  const before = tableRows(input.keyedIn(through.slots, false, true), input.flowBefore, through, all, true, idOfKey);
  const now = upstreamOf(all, input.flowAfter);
  // An edited file's binding is keyed by its text (`=`): the id the edges give that text, as a resolution's record has it.
  const idAfter = (key: string): number => (key.startsWith('=') ? input.evidenceId(unpackEvidence(key.slice(1))) : idOfKey(key));
  const after = tableRows(input.keyedIn(now.slots, true), input.flowAfter, now, all, false, idAfter);
  for (const [name, slots] of input.slots) {
    if (!sameRows(before.filter((r) => slots.has(r.slot)), rowsOf(old, slots))) return `the bindings of members named ${name} that call sites read by that name alone do not follow from the initializers, the stores and the copies the binding record keeps`;
    made.set(name, after.filter((r) => slots.has(r.slot)));
  }
  // Each name's rows stand together, the blocks in the order of the names' first call sites.
  const firstRead = new Map<string, number>();
  for (let i = 0; i < moved.sites.length; i += FIELD_SITE_STRIDE) {
    const name = strings[moved.sites[i + 2]!]!;
    if (!firstRead.has(name)) firstRead.set(name, i);
  }
  const nameOf = (slot: number): string => strings[slot]!.slice(strings[slot]!.lastIndexOf('.') + 1);
  // The new blocks in the order they are read; a name no call site reads now keeps none, as a resolution records none.
  const pending = [...made.keys()].filter((name) => firstRead.has(name)).sort((a, b) => firstRead.get(a)! - firstRead.get(b)!);
  const out: LaterRow[] = [];
  let last = '';
  for (const row of rowsOf(moved, null)) {
    const name = nameOf(row.slot);
    if (made.has(name)) continue;
    const at = firstRead.get(name);
    if (name !== last && at !== undefined) while (pending.length && firstRead.get(pending[0]!)! < at) out.push(...made.get(pending.shift()!)!);
    last = name;
    out.push(row);
  }
  for (const name of pending) out.push(...made.get(name)!);
  return packed(moved, out);
}

/** The record's rows of `slots` (every row when null), in order. */
function rowsOf(record: FieldNameRecord, slots: ReadonlySet<number> | null): LaterRow[] {
  const out: LaterRow[] = [];
  const { later, chain } = record;
  for (let i = 0, from = 0; i < later.length; from = later[i + 3]!, i += FIELD_LATER_STRIDE) {
    if (slots && !slots.has(later[i]!)) continue;
    out.push({ slot: later[i]!, target: later[i + 1]!, made: later[i + 2]!, chain: Array.from(chain.subarray(from, later[i + 3]!)) });
  }
  return out;
}

/**
 * The slots the table must be followed through to make the rows of `slots`: those, every slot a
 * chain of copies carries functions from into them (the sources upstream), and every copy out of
 * those sources in its order, with its destination. Copies out of other slots never add to these,
 * nor change the order the settle takes these sources in: a source is queued first where its first
 * copy comes (each upstream source keeps all its copies, so their first is the one the whole settle
 * sees), and again only when a copy into it adds a function, which only upstream sources do. So the
 * settle over these copies adds to `slots` what the settle over every copy adds, in the same order.
 */
function upstreamOf(slots: ReadonlySet<number>, flow: SlotFlowRecord): { slots: Set<number>; copies: number[] } {
  const into = new Map<number, number[]>();
  for (let i = 0; i < flow.copyDest.length; i++) (into.get(flow.copyDest[i]!) ?? into.set(flow.copyDest[i]!, []).get(flow.copyDest[i]!)!).push(i);
  const upstream = new Set(slots);
  const queue = [...slots];
  for (let head = 0; head < queue.length; head++) {
    for (const i of into.get(queue[head]!) ?? []) {
      const source = flow.copySource[i]!;
      if (upstream.has(source)) continue;
      upstream.add(source);
      queue.push(source);
    }
  }
  const all = new Set(upstream);
  const copies: number[] = [];
  for (let i = 0; i < flow.copySource.length; i++) {
    if (!upstream.has(flow.copySource[i]!)) continue;
    copies.push(i);
    all.add(flow.copyDest[i]!);
  }
  return { slots: all, copies };
}

/**
 * The rows a resolution records for the slots of one name (`named`), followed through `through`
 * (upstreamOf): the table's plain bindings (`contributions` of every slot followed, in table order),
 * then the flow record's adds, then the settle of the groups' copies in its queue order, as
 * replayFlow (patch-slot-flow.ts) replays them; each pair keeps each evidence key once (as
 * BindingTable.add keeps each evidence once). Per pair of a named slot in the order first added,
 * those with evidence past the plain ones, each evidence as `idOf` gives it. `old`: targets as
 * the cached graph's node ids (a contribution's `was`).
 */
function tableRows(contributions: readonly KeyedContribution[], flow: SlotFlowRecord, through: { slots: ReadonlySet<number>; copies: readonly number[] }, named: ReadonlySet<number>, old: boolean, idOf: (key: string) => number): LaterRow[] {
  const state = new Map<number, Map<number, { target: number; keys: string[]; plain: number }>>();
  for (const s of through.slots) state.set(s, new Map());
  const order: { slot: number; target: number }[] = [];
  const add = (slot: number, target: number, keys: readonly string[]): void => {
    const targets = state.get(slot)!;
    let b = targets.get(target);
    if (!b) {
      targets.set(target, (b = { target, keys: [], plain: 0 }));
      if (named.has(slot)) order.push({ slot, target });
    }
    for (const k of keys) if (!b.keys.includes(k)) b.keys.push(k);
  };
  for (const c of contributions) add(c.slot, old ? c.was! : c.target, [c.key]);
  for (const targets of state.values()) for (const b of targets.values()) b.plain = b.keys.length;
  for (let i = 0; i < flow.addSlot.length; i++) {
    if (!through.slots.has(flow.addSlot[i]!)) continue;
    const keys: string[] = [];
    for (let k = flow.addStart[i]!; k < flow.addStart[i + 1]!; k++) keys.push(refKey(flow.addChain[k]!));
    add(flow.addSlot[i]!, flow.addTarget[i]!, keys);
  }
  // SlotCopies.settle over the groups' copies, as replayFlow runs it.
  settleCopies(flow, through.copies, state, (dest, b, chain) => add(dest, b.target, [...chain, ...b.keys]));
  const out: LaterRow[] = [];
  for (const { slot, target } of order) {
    const b = state.get(slot)!.get(target)!;
    if (b.keys.length > b.plain) out.push({ slot, target, made: b.plain === 0 ? 1 : 0, chain: b.keys.slice(b.plain).map(idOf) });
  }
  return out;
}

/** A key's id among the edges' evidence, -1 when no edge shows it (as FieldNameRecord.chain keeps it). */
const idOfKey = (key: string): number => (key.startsWith('#') ? Number(key.slice(1)) : -1);

const sameRows = (a: readonly LaterRow[], b: readonly LaterRow[]): boolean =>
  a.length === b.length && a.every((r, i) => r.slot === b[i]!.slot && r.target === b[i]!.target && r.made === b[i]!.made && r.chain.length === b[i]!.chain.length && r.chain.every((e, k) => e === b[i]!.chain[k]));

/** `record` with `rows` as its later rows and their evidence. */
function packed(record: FieldNameRecord, rows: readonly LaterRow[]): FieldNameRecord {
  const later = new Int32Array(rows.length * FIELD_LATER_STRIDE);
  const chain: number[] = [];
  rows.forEach((r, i) => {
    chain.push(...r.chain);
    later.set([r.slot, r.target, r.made, chain.length], i * FIELD_LATER_STRIDE);
  });
  return { ...record, later, chain: Int32Array.from(chain) };
}
