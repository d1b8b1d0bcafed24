import type { EvidenceAppender } from './append-evidence.js';
import { type Evidence, unpackEvidence } from './edge-list.js';
import { MissingEvidence } from './record-contributions.js';
import { copyGroups, GONE, type SlotFlowRecord } from './slot-flow-record.js';

/**
 * A plain binding's contribution to a slot for the replay: its evidence as a key that names it
 * the same way on both sides of an edit (`#id`: among the edges' evidence; `=packed`: written out;
 * anything else: known by no edge, unique to it).
 */
export interface KeyedContribution {
  slot: number;
  target: number;
  /** The target's node in the cached graph, for an old contribution (NewRecord.keyedIn): `target` is -1 when its function was removed. */
  was?: number;
  kind: number;
  key: string;
}

/** A function bound to a slot with the keys of its evidence, as BindingTable keeps a Binding. */
export interface KeyedBound {
  target: number;
  kind: number;
  keys: string[];
}

/** What replaying the slots an edit reaches gives: each slot whose bindings changed, with its new bindings, and the settle's functions before and after. */
export interface FlowReplay {
  changed: Map<number, KeyedBound[]>;
  /** Functions the settle bound in the replayed groups, before and after. */
  settledBefore: Set<number>;
  settledAfter: Set<number>;
  /** The groups replayed (copyGroups), and the new [target, group] pairs of the settle there. */
  groups: Set<number>;
  pairs: number[];
  /** The slots of `changed` that had no binding before. */
  emptyBefore: Set<number>;
  /** Every replayed slot's bindings after the edit. */
  state: Map<number, KeyedBound[]>;
}

/**
 * The edges of each recorded call through a pointer variable that loads a member whose bindings
 * changed, as resolvePointerVariables makes them from the replayed bindings: per function (in
 * node order) the kind of its first store and the evidence of every store, each load's evidence
 * before the member's. Keyed by node * 2^20 + site; a reason when a site goes from bound to
 * unbound or back (the signature fallback takes it then).
 */
export function loadSiteRows(flow: SlotFlowRecord, replay: FlowReplay): Map<number, KeyedBound[]> | string {
  const out = new Map<number, KeyedBound[]>();
  const keys = (k: number): string[] => {
    const list: string[] = [];
    for (let c = flow.storeStart[k]!; c < flow.storeStart[k + 1]!; c++) list.push(refKey(flow.storeChain[c]!));
    return list;
  };
  for (let i = 0; i < flow.loadNode.length; i++) {
    const first = flow.loadStart[i]!;
    const end = flow.loadStart[i + 1]!;
    let touched = false;
    for (let k = first; k < end; k++) if (flow.storeSlot[k]! >= 0 && replay.changed.has(flow.storeSlot[k]!)) touched = true;
    if (!touched) continue;
    const byTarget = new Map<number, KeyedBound>();
    const entry = (target: number, kind: number): KeyedBound => {
      let e = byTarget.get(target);
      if (!e) byTarget.set(target, (e = { target, kind, keys: [] }));
      return e;
    };
    for (let k = first; k < end; k++) {
      const slot = flow.storeSlot[k]!;
      if (slot < 0) {
        entry(flow.storeTarget[k]!, flow.storeKind[k]!).keys.push(...keys(k));
        continue;
      }
      for (const b of replay.state.get(slot) ?? []) entry(b.target, b.kind).keys.push(...keys(k), ...b.keys);
    }
    if (byTarget.size > 0 !== (flow.loadBound[i] === 1)) return 'a call through a pointer variable loaded from a changed member goes from bound to unbound or back, and takes the signature fallback then';
    out.set(flow.loadNode[i]! * (1 << 20) + flow.loadSite[i]!, [...byTarget.values()].sort((a, b) => a.target - b.target));
  }
  return out;
}

/** The evidence key of a reference of SlotFlowRecord (an edge evidence id, or a negative id no edge shows). */
export const refKey = (ref: number): string => (ref >= 0 ? `#${ref}` : `m${ref}`);

/**
 * The node ids of a flow record moved (old -> new, -1 gone), and the call sites of edited bodies
 * (`sites`: per old node, old site -> new site). An add of a parameter store whose caller went, or
 * whose call site was taken out, is kept, marked GONE (patch-param-stores.ts withStoredRows drops
 * it); a function the settle bound that was removed is -1 (settledGone). A reason when a function
 * a store or a flow binds otherwise was removed, or a function storing its parameter.
 */
export function moveFlow(flow: SlotFlowRecord, map: Int32Array | null, sites: Map<number, Map<number, number>>): SlotFlowRecord | string {
  if (flow.addCaller && flow.addSite && (map || sites.size)) {
    const addCaller = Int32Array.from(flow.addCaller);
    const addSite = Int32Array.from(flow.addSite);
    for (let i = 0; i < addCaller.length; i++) {
      const old = addCaller[i]!;
      if (old < 0) continue;
      const moved = sites.get(old);
      if (moved) addSite[i] = moved.get(addSite[i]!) ?? GONE;
      if (map) addCaller[i] = map[old]! < 0 ? GONE : map[old]!;
    }
    flow = { ...flow, addCaller, addSite };
  }
  if (sites.size || map) {
    const loadNode = Int32Array.from(flow.loadNode);
    const loadSite = Int32Array.from(flow.loadSite);
    for (let i = 0; i < loadNode.length; i++) {
      const moved = sites.get(loadNode[i]!);
      if (moved) {
        const site = moved.get(loadSite[i]!);
        if (site === undefined) return 'a call through a pointer variable loaded from a member, in an edited body, is gone';
        loadSite[i] = site;
      }
      if (map && (loadNode[i] = map[loadNode[i]!]!) < 0) return 'a function with a call through a pointer variable loaded from a member was removed';
    }
    flow = { ...flow, loadNode, loadSite };
  }
  if (!map) return flow;
  const storeTarget = flow.storeTarget.map((n) => (n < 0 ? n : map[n]! < 0 ? -2 : map[n]!));
  if (storeTarget.some((n) => n === -2)) return 'a function stored into a pointer variable loaded from a member was removed';
  const addTarget = flow.addTarget.map((n) => map[n]!);
  const settled = Int32Array.from(flow.settled);
  for (let i = 0; i < settled.length; i += 2) settled[i] = map[settled[i]!]!;
  // An add whose call site went goes with it (withStoredRows): its function may go too.
  const going = (i: number): boolean => !!flow.addCaller && (flow.addCaller[i] === GONE || flow.addSite![i] === GONE);
  if (addTarget.some((n, i) => n < 0 && !going(i))) return 'a function that a store or a flow binds to a member was removed';
  // A function the settle bound that was removed stays -1 here: the replay of its group makes those pairs again (settledGone checks after it).
  const seedNode = flow.seedNode?.map((n) => map[n]!);
  if (seedNode?.some((n) => n < 0)) return 'a function or macro that stores its parameter into a member was removed';
  const takenExtra = Int32Array.from([...flow.takenExtra].map((n) => map[n]!).filter((n) => n >= 0)).sort();
  return { ...flow, addTarget, settled, takenExtra, storeTarget, ...(seedNode ? { seedNode } : {}) };
}

/**
 * Replays, for the groups of slots that copies connect to the slots in `changed` (and those slots),
 * what a full resolution does to them (resolveEdges): the plain bindings in table order, then the
 * bindings other phases added before the settle, then SlotCopies.settle in its queue order (a
 * group's copies only touch its own slots, and its queue entries keep their order among the
 * whole queue's, so the replay of a group is that of the whole). Done once with the plain
 * bindings and the adds before the edit and once after (`plain(slots, now)`; the adds of `addsAfter`,
 * patch-param-stores.ts withStoredRows); returns the slots whose bindings differ, with their bindings after.
 */
export function replayFlow(flow: SlotFlowRecord, changed: ReadonlySet<number>, plain: (slots: ReadonlySet<number>, now: boolean) => KeyedContribution[], addsAfter: SlotFlowRecord = flow): FlowReplay {
  const group = copyGroups(flow.copySource, flow.copyDest);
  const groups = new Set<number>();
  const seeds = new Set<number>(changed);
  for (const s of changed) if (group.has(s)) groups.add(group.get(s)!);
  // The other members loaded at the pointer variables' call sites that load one of these: their bindings make those sites' edges too.
  const inGroups = (s: number): boolean => seeds.has(s) || (group.has(s) && groups.has(group.get(s)!));
  for (let i = 0; i < flow.loadNode.length; i++) {
    const stores = flow.storeSlot.subarray(flow.loadStart[i]!, flow.loadStart[i + 1]!);
    if (!stores.some((s) => s >= 0 && inGroups(s))) continue;
    for (const s of stores) if (s >= 0) seeds.add(s);
  }
  for (const s of seeds) if (group.has(s)) groups.add(group.get(s)!);
  const slots = new Set<number>(seeds);
  const copies: number[] = [];
  for (let i = 0; i < flow.copySource.length; i++) {
    if (!groups.has(group.get(flow.copySource[i]!)!)) continue;
    copies.push(i);
    slots.add(flow.copySource[i]!);
    slots.add(flow.copyDest[i]!);
  }
  const run = (now: boolean): { state: Map<number, Map<number, KeyedBound>>; settled: Set<number>; pairs: number[] } => {
    const state = new Map<number, Map<number, KeyedBound>>();
    for (const s of slots) state.set(s, new Map());
    const add = (slot: number, target: number, kind: number, keys: readonly string[]): void => {
      const targets = state.get(slot)!;
      const known = targets.get(target);
      if (!known) targets.set(target, { target, kind, keys: [...keys] });
      else {
        for (const k of keys) if (!known.keys.includes(k)) known.keys.push(k);
        if (kind < known.kind) known.kind = kind;
      }
    };
    for (const c of plain(slots, now)) add(c.slot, c.target, c.kind, [c.key]);
    const adds = now ? addsAfter : flow;
    for (let i = 0; i < adds.addSlot.length; i++) {
      const slot = adds.addSlot[i]!;
      if (!slots.has(slot)) continue;
      const keys: string[] = [];
      for (let k = adds.addStart[i]!; k < adds.addStart[i + 1]!; k++) keys.push(refKey(adds.addChain[k]!));
      add(slot, adds.addTarget[i]!, adds.addKind[i]!, keys);
    }
    // SlotCopies.settle over the group's copies.
    const settled = new Set<number>();
    const pairs: number[] = [];
    const paired = new Set<string>();
    settleCopies(flow, copies, state, (dest, b, chain) => {
      add(dest, b.target, b.kind, [...chain, ...b.keys]);
      settled.add(b.target);
      const g = group.get(dest)!;
      if (!paired.has(`${b.target}:${g}`)) {
        paired.add(`${b.target}:${g}`);
        pairs.push(b.target, g);
      }
    });
    return { state, settled, pairs };
  };
  const before = run(false);
  const after = run(true);
  const said = (m: Map<number, KeyedBound>): string => [...m.values()].map((b) => `${b.target}|${b.kind}|${b.keys.join(',')}`).join('\n');
  const out = new Map<number, KeyedBound[]>();
  const emptyBefore = new Set<number>();
  for (const s of slots) {
    const now = after.state.get(s)!;
    const was = before.state.get(s)!;
    if (said(was) === said(now)) continue;
    out.set(s, [...now.values()]);
    if (was.size === 0) emptyBefore.add(s);
  }
  const state = new Map([...after.state].map(([slot, m]) => [slot, [...m.values()]]));
  return { changed: out, settledBefore: before.settled, settledAfter: after.settled, groups, pairs: after.pairs, emptyBefore, state };
}

/** A replayed binding's evidence, read from the edges' evidence or its written-out text; MissingEvidence when no edge shows it. */
export function keyedEvidence(keys: readonly string[], appender: EvidenceAppender, slot: string): Evidence[] {
  return keys.map((k) => {
    if (k.startsWith('#')) return appender.at(Number(k.slice(1)));
    if (k.startsWith('=')) return unpackEvidence(k.slice(1));
    throw new MissingEvidence(`no edge shows a binding that reaches ${slot}`);
  });
}

/**
 * The flow record after a replay: the settle's pairs of the replayed groups replaced, and the
 * functions taken otherwise than by the table moved as `passed` says (now passed: added; gone: removed).
 */
export function replayedFlow(flow: SlotFlowRecord, replay: FlowReplay | null, passed: readonly { node: number; state: string }[]): SlotFlowRecord {
  let { settled, takenExtra } = flow;
  if (replay) {
    const kept: number[] = [];
    for (let i = 0; i < settled.length; i += 2) if (!replay.groups.has(settled[i + 1]!)) kept.push(settled[i]!, settled[i + 1]!);
    settled = Int32Array.from([...kept, ...replay.pairs]);
  }
  if (passed.length) {
    const extra = new Set(takenExtra);
    for (const p of passed) {
      if (p.state === 'now') extra.add(p.node);
      else if (p.state === 'gone') extra.delete(p.node);
    }
    takenExtra = Int32Array.from(extra).sort();
  }
  return { ...flow, settled, takenExtra };
}

/**
 * The functions taken otherwise than by plain bindings after a replay: those the settle binds now
 * and did not join; those it no longer binds leave unless a binding added before the settle,
 * another group's settle, or a way other than the table takes them.
 */
export function takenAfterReplay(otherwise: Int32Array, flow: SlotFlowRecord, replay: FlowReplay): Int32Array {
  // Those that leave: bound by the settle before only, and taken no other way.
  const leave = new Set<number>();
  let elsewhere: Set<number> | null = null;
  for (const t of replay.settledBefore) {
    if (replay.settledAfter.has(t)) continue;
    if (!elsewhere) {
      elsewhere = new Set([...flow.addTarget, ...flow.takenExtra]);
      for (let i = 0; i < flow.settled.length; i += 2) if (!replay.groups.has(flow.settled[i + 1]!)) elsewhere.add(flow.settled[i]!);
    }
    if (!elsewhere.has(t)) leave.add(t);
  }
  // Ascending, each once: the ids sorted as numbers (a kernel's 100,000 through no Set).
  const all = new Int32Array(otherwise.length + replay.settledAfter.size);
  all.set(otherwise);
  let w = otherwise.length;
  for (const t of replay.settledAfter) all[w++] = t;
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if ((i === 0 || all[i] !== all[i - 1]) && !leave.has(all[i]!)) all[n++] = all[i]!;
  return all.slice(0, n);
}

/**
 * The first of `changed` that other phases touched (`touched`) but the flow record does not
 * keep (in no kept copy, store, load, read or call site passing it where it is called: a slot of a group of copies no function reaches), or null.
 */
export function slotsNotKept(flow: SlotFlowRecord, changed: ReadonlySet<number>, touched: (slot: number) => boolean, reads: ReadonlySet<number>, hash: (slot: number) => number): number | null {
  const suspects = [...changed].filter((s) => touched(s) && !reads.has(hash(s)));
  if (suspects.length === 0) return null;
  const kept = new Set<number>();
  for (const list of [flow.copySource, flow.copyDest, flow.addSlot, flow.storeSlot, flow.seedSlot ?? [], flow.calledSlot ?? []]) for (const s of list) kept.add(s);
  return suspects.find((s) => !kept.has(s)) ?? null;
}

/** Why not, when the settle's pairs (after a replay made its groups again) still bind a function a patch removed (moveFlow left it -1); else null. */
export function settledGone(flow: SlotFlowRecord | undefined): string | null {
  if (!flow) return null;
  for (let i = 0; i < flow.settled.length; i += 2) if (flow.settled[i]! < 0) return 'a function that a copy of members binds to a member was removed';
  return null;
}

/**
 * SlotCopies.settle over `copies` (indexes into the flow record's copy columns, in their order): the
 * sources queued in the order their copies come, each source's functions (as `state` holds them
 * when it is taken from the queue) copied into each destination that does not hold them yet
 * (`add`, with the copy's own evidence keys), and a destination that grew queued again when it is
 * itself a source not queued. The replay of copies (replayFlow) and of a member name's pairs
 * (field-later-rows.ts) both run it.
 */
export function settleCopies<B extends { target: number; keys: readonly string[] }>(flow: SlotFlowRecord, copies: readonly number[], state: ReadonlyMap<number, ReadonlyMap<number, B>>, add: (dest: number, from: B, chain: readonly string[]) => void): void {
  const bySource = new Map<number, number[]>();
  for (const i of copies) {
    const s = flow.copySource[i]!;
    const list = bySource.get(s);
    if (list) list.push(i);
    else bySource.set(s, [i]);
  }
  const queue = [...bySource.keys()];
  const queued = new Set(queue);
  for (let head = 0; head < queue.length; head++) {
    const source = queue[head]!;
    queued.delete(source);
    const from = [...state.get(source)!.values()];
    for (const i of bySource.get(source)!) {
      const dest = flow.copyDest[i]!;
      const chain: string[] = [];
      for (let k = flow.copyStart[i]!; k < flow.copyStart[i + 1]!; k++) chain.push(refKey(flow.copyChain[k]!));
      let grew = false;
      for (const b of from) {
        if (state.get(dest)!.has(b.target)) continue;
        add(dest, b, chain);
        grew = true;
      }
      if (grew && bySource.has(dest) && !queued.has(dest)) {
        queue.push(dest);
        queued.add(dest);
      }
    }
  }
}
