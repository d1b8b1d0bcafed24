import { FIELD_LATER_STRIDE, FIELD_SITE_STRIDE, type FieldNameRecord } from './field-name-record.js';
import type { KeyedContribution } from './patch-slot-flow.js';
import type { SlotFlowRecord } from './slot-flow-record.js';

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
  /** The plain bindings' contributions to these slots in table order, before the edits (`now` false: `was` holds the old node) or after (NewRecord.keyedIn). */
  keyedIn(slots: ReadonlySet<number>, now: boolean): KeyedContribution[];
}

/**
 * FieldNameRecord.later made again for the member names of `slots` after a patch changed the
 * bindings parameter stores (and the other adds of the flow record) make into slots of those
 * names. A resolution's rows of a name (FieldNameRecorder.site) are the binding table's pairs of
 * its slots, in the order each pair was first added, that have evidence beyond the plain
 * bindings': the table takes the plain bindings first (collectBindings), then the flow record's
 * adds in their order (SlotFlowRecord.add*), then the settle's copies. So the rows are made here
 * from the plain contributions and the adds alone; to be sure no copy or other phase added to
 * them, the same is done with the cached graph's contributions and adds, and must give the rows
 * the cached graph's record holds for those names. Rows of other names stay as they are. The
 * rows of one name stand together, the blocks in the order call sites first read their names
 * (FieldNameRecord.sites), so a name's new rows go before the block of the first name read after
 * it; a name no call site reads now gets none. Returns the record (new node ids), or why not: the
 * rows before do not follow from the plain bindings and the adds (the settle of copies, which
 * comes after the adds, bound pairs of that name: Linux 6.1's struct irqaction.handler, which
 * drivers pass members into).
 */
export function laterRowsAfter(input: LaterRowsInput): FieldNameRecord | string {
  const { old, moved, strings } = input;
  const made = new Map<string, LaterRow[]>();
  for (const [name, slots] of input.slots) {
    const before = tableRows(input.keyedIn(slots, false), input.flowBefore, slots, true);
    if (!sameRows(before, rowsOf(old, slots))) return `the bindings of members named ${name} that call sites read by that name alone come from other phases than initializers and parameter stores (copies), which the record of such sites does not follow`;
    made.set(name, tableRows(input.keyedIn(slots, true), input.flowAfter, slots, false));
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
 * The rows a resolution records for `slots` from the table's plain bindings (`contributions`, in
 * table order: each pair's plain evidence counted once per key) and then the flow record's adds
 * (each evidence reference once per pair, as BindingTable.add keeps each evidence once): per pair
 * in the order first added, those with evidence past the plain ones. `old`: targets as the cached
 * graph's node ids (a contribution's `was`).
 */
function tableRows(contributions: readonly KeyedContribution[], flow: SlotFlowRecord, slots: ReadonlySet<number>, old: boolean): LaterRow[] {
  const pairs = new Map<string, { slot: number; target: number; plain: Set<string>; extra: number[] }>();
  const pair = (slot: number, target: number): { slot: number; target: number; plain: Set<string>; extra: number[] } => {
    const key = `${slot}:${target}`;
    let p = pairs.get(key);
    if (!p) pairs.set(key, (p = { slot, target, plain: new Set(), extra: [] }));
    return p;
  };
  for (const c of contributions) pair(c.slot, old ? c.was! : c.target).plain.add(c.key);
  for (let i = 0; i < flow.addSlot.length; i++) {
    if (!slots.has(flow.addSlot[i]!)) continue;
    const p = pair(flow.addSlot[i]!, flow.addTarget[i]!);
    for (let k = flow.addStart[i]!; k < flow.addStart[i + 1]!; k++) {
      const ref = flow.addChain[k]!;
      if (!p.extra.includes(ref)) p.extra.push(ref);
    }
  }
  const out: LaterRow[] = [];
  for (const p of pairs.values()) if (p.extra.length) out.push({ slot: p.slot, target: p.target, made: p.plain.size === 0 ? 1 : 0, chain: p.extra.map((r) => (r < 0 ? -1 : r)) });
  return out;
}

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
