import { type Evidence, packEvidence } from './edge-list.js';
import { kindId } from './edge-kind.js';
import { IntList } from '../util/int-list.js';
import type { CalledRead, SlotReader } from './called-reads.js';

/**
 * The part of the binding record (binding-record.ts) that lets the binding patch follow member
 * slots that other phases than plain bindings write or read (patch-slot-flow.ts): every binding
 * those phases add before the copies settle, every copy the settle follows (copy-slots.ts), the
 * slots read outside the settle, and which functions the settle bound in each group of slots
 * copies connect. Slots are string ids of the record's `strings`; evidence are references: an
 * id among the edges' evidence (EdgeSnapshot.evidenceStart) when some edge shows it, else a
 * negative number unique to that evidence (a patch that needs its text resolves in full). The
 * evidence of a copy whose source holds a function once settled, into a slot something reads, is added to the edges' evidence
 * when no edge shows it (a cycle's restore copy: `sk->cb = saved`), so that such a copy is replayed with it.
 */
export interface SlotFlowRecord {
  /** Bindings added by parameter stores, macro stores, flows and copied locals before the settle, in the order the table received them. */
  addSlot: Int32Array;
  addTarget: Int32Array;
  addKind: Uint8Array;
  /** Per add, its evidence references: addChain[addStart[i], addStart[i + 1]). */
  addStart: Int32Array;
  addChain: Int32Array;
  /**
   * Per add, the call site whose argument a parameter store bound (bindStored: a function passed by
   * name into a parameter stored into a member), as caller node and call site; -1 for an add made
   * otherwise (a macro store by name, a flow, a copied local). Those adds stand together, sorted by
   * caller, site, target and evidence text (bindStored). Absent from records written before they were kept.
   */
  addCaller?: Int32Array;
  addSite?: Int32Array;
  /** The index of the first add of a parameter store (the adds before it and after the block are made otherwise). */
  storedAt?: number;
  /**
   * The parameter stores the stores' walk starts from (propagateParams' seeds, in their order, which
   * is the walk's): node, parameter, slot (string id) and the store's line in the node's file.
   * Absent from records written before they were kept.
   */
  seedNode?: Int32Array;
  seedParam?: Int32Array;
  seedSlot?: Int32Array;
  seedLine?: Int32Array;
  /** The copies of SlotCopies in their order (those of groups where a copy carries a function): source and destination slots, and the copy's own evidence chain (copyChain[copyStart[i], copyStart[i + 1])). */
  copySource: Int32Array;
  copyDest: Int32Array;
  copyStart: Int32Array;
  copyChain: Int32Array;
  /**
   * Slots read outside the settle that a patch does not follow, as slotHash of their keys,
   * ascending: a member passed where it is called at a site CalledReads do not describe (several
   * ways to get its edges), or, in records written before calledNode was kept, at any site.
   */
  readSlots: Uint32Array;
  /**
   * The call sites passing one member's functions where they are called, and nothing else
   * (called-reads.ts CalledRead): caller node, call site, slot (string id), and the evidence before
   * each binding's (calledChain[calledStart[i], calledStart[i + 1]), references as the adds'). By
   * node and call site. Absent from records written before they were kept.
   */
  calledNode?: Int32Array;
  calledSite?: Int32Array;
  calledSlot?: Int32Array;
  calledStart?: Int32Array;
  calledChain?: Int32Array;
  /** Functions the settle bound, per group of slots copies connect: [target node, group] pairs, the group named by its least slot id. */
  settled: Int32Array;
  /** Functions whose address is taken by a way other than the binding table (an argument, a pointer variable, a registration...), ascending. */
  takenExtra: Int32Array;
  /**
   * Calls through pointer variables that load a member (resolvePointerVariables): caller node, call
   * site, 1 when bound (else the signature fallback took it), and their stores in order
   * (loadStart[i], loadStart[i + 1]) into the store columns: a member loaded (storeSlot, storeTarget
   * -1) or a function stored (storeSlot -1), its kind and evidence references (storeChain[storeStart[k], storeStart[k + 1])).
   */
  loadNode: Int32Array;
  loadSite: Int32Array;
  loadBound: Uint8Array;
  loadStart: Int32Array;
  storeSlot: Int32Array;
  storeTarget: Int32Array;
  storeKind: Uint8Array;
  storeStart: Int32Array;
  storeChain: Int32Array;
  /** Roots of the copies' and stores' destinations: [root JSON string id, struct it evaluates to] pairs, for placing a plain binding of the same root (patch-bindings-record.ts); a type that evaluates to its own name is in typeRoots instead. */
  roots: Int32Array;
  /** Type names (string ids) of destination roots (`{ k: 'type', name }`) that evaluate to that same name. */
  typeRoots: Int32Array;
}

/** A binding added to the table: slot key, target, kind, evidence, and the call site whose argument a parameter store bound (-1, -1 for none). */
interface Added {
  slot: string;
  target: number;
  kind: number;
  evidence: readonly Evidence[];
  caller: number;
  site: number;
}

/** SlotFlowRecord.addCaller's value for an add whose caller a patch removed, and addSite's for a call site taken out of a kept body (moveFlow). */
export const GONE = -2;

/** A call site (caller node, call site) whose argument a parameter store bound: BindingTable.add's `at`. */
export interface StoreSite {
  caller: number;
  site: number;
}

/** A parameter store a stores' walk starts from (SlotFlowRecord.seedNode...): slot as its key. */
export interface StoreSeed {
  node: number;
  param: number;
  slot: string;
  line: number;
}

/** One store of a pointer variable called at a site that loads a member: the member loaded, or a function stored (kind an EDGE_KINDS index). */
export type LoadStore = { slot: string; evidence: readonly Evidence[] } | { target: number; kind: number; evidence: readonly Evidence[] };

/** A copy of SlotCopies as the settle reads it. */
export interface FlowCopy {
  source: string;
  dest: string;
  evidence: readonly Evidence[];
}

/** Collects a SlotFlowRecord during resolveEdges (BindingTable.watch and SlotCopies.settle call it). */
export class SlotFlowRecorder {
  private phase: 'pre' | 'settle' | 'post' = 'pre';
  private readonly adds: Added[] = [];
  private copies: readonly FlowCopy[] = [];
  /** Per copy, whether its source holds a function once settled. */
  private useful: boolean[] = [];
  private sources = new Set<string>();
  /** Root JSON of a destination -> the struct it evaluates to. */
  private readonly roots = new Map<string, string>();
  /** The bindings the settle adds, as two columns (slot key, target) rather than an object each: a kernel's settle adds many, held through the rest of a cold resolve. */
  private readonly settledSlots: string[] = [];
  private readonly settledTargets = new IntList();
  private readonly reads = new Set<string>();
  /** Set when a binding was added after the settle: nothing here can follow it. */
  lateAdd = false;
  extra: readonly number[] = [];

  /**
   * One string per slot key, from the first binding to the end of the settle (then garbage): the
   * keys the binding table and the copies hand over are made per call (`${holder}.${field}`, two
   * ConsString joins each), and the same slot comes back in thousands of adds and copies. Heap
   * snapshot of a cold index of the whole Linux 6.1 x86 tree after the bindings through functions
   * (bench/heap-owners.mjs): the record's copies held 35.5 MiB of ConsStrings, its adds 6.8 MiB.
   * With the pool (bench/cold-memory.mjs, one run, tests running beside it): live heap after a full
   * collection in the save 1,346 MiB against 1,366, in resolve 1,464 against 1,465 (its largest is
   * before the copies are kept); CPU 263.7 s against 266.6 s; graph and facts files the same bytes.
   */
  private keys: Map<string, string> | null = new Map();

  /** The pool's copy of `key` (`key` itself when it is the first, or once the pool is let go). */
  private own(key: string): string {
    const keys = this.keys;
    if (!keys) return key;
    const kept = keys.get(key);
    if (kept !== undefined) return kept;
    keys.set(key, key);
    return key;
  }

  /** The stores' walk's seeds, in its order (bindStored). */
  private seeds: readonly StoreSeed[] = [];
  private storedAt = 0;

  /** The stores' walk's seeds, in its order (bindStored), told before the bindings it made are added. */
  storeSeeds(seeds: readonly StoreSeed[]): void {
    this.seeds = seeds;
    this.storedAt = this.adds.length;
  }

  added(slot: string, target: number, kind: string, evidence: readonly Evidence[], at?: StoreSite): void {
    if (this.phase === 'pre') this.adds.push({ slot: this.own(slot), target, kind: kindId(kind as never), evidence, caller: at?.caller ?? -1, site: at?.site ?? -1 });
    else if (this.phase === 'settle') {
      this.settledSlots.push(this.own(slot));
      this.settledTargets.push(target);
    }
    else this.lateAdd = true;
  }

  read(slot: string, reader?: SlotReader): void {
    // A load of a member into a pointer variable is kept with its call site (loadSite); a callback argument's, with its call site when calledReads says so.
    if (this.phase === 'settle' || reader === 'load') return;
    (reader === 'callback' ? this.callbackReads : this.reads).add(slot);
  }

  private readonly callbackReads = new Set<string>();
  private called: readonly CalledRead[] = [];
  private impure: ReadonlySet<string> = new Set();

  /** The callback arguments' sites CalledReads describe, and the slots read at the others (bindThroughParams, called-reads.ts). */
  calledReads(reads: { pure: readonly CalledRead[]; impure: ReadonlySet<string> }): void {
    this.called = reads.pure;
    this.impure = reads.impure;
  }

  /** The copies the settle follows, in order; their slot keys are replaced by the pool's copies (own), in place. */
  settleBegin(copies: readonly FlowCopy[]): void {
    for (const c of copies) [c.source, c.dest] = [this.own(c.source), this.own(c.dest)];
    this.copies = copies;
    this.phase = 'settle';
  }

  /**
   * The settle is done: `holds` tells whether a slot holds a function now. Of the copies, only those
   * of the groups of slots where some copy carries a function are kept (the record leaves the others
   * out): the rest, with their evidence, are dropped here rather than held through the rest of the
   * resolution and the save, where a cold index's memory peaks. Heap snapshot of a cold index of a
   * 16,466-file copy of Linux 6.1 when the graph payload is made: the copies held 28.7 of 596 MiB.
   * Whole x86 tree, bench/cold-memory.mjs, with the recorders let go before the payload is encoded
   * (cache/open-index.ts): live heap after a full collection 1,465 MiB in resolve and 1,364 in the
   * save, against 1,491 and 1,396 for the build before (two runs of it, load 5-9).
   */
  settleEnd(holds: (slot: string) => boolean): void {
    const useful = this.copies.map((c) => holds(c.source));
    this.sources = new Set(this.copies.map((c) => c.source));
    const local = new Map<string, number>();
    const localId = (key: string): number => {
      let n = local.get(key);
      if (n === undefined) local.set(key, (n = local.size));
      return n;
    };
    const group = copyGroups(Int32Array.from(this.copies, (c) => localId(c.source)), Int32Array.from(this.copies, (c) => localId(c.dest)));
    const live = new Set<number>();
    this.copies.forEach((c, i) => useful[i] && live.add(group.get(local.get(c.source)!)!));
    const kept = this.copies.flatMap((c, i) => (live.has(group.get(local.get(c.source)!)!) ? [i] : []));
    this.copies = kept.map((i) => this.copies[i]!);
    this.useful = kept.map((i) => useful[i]!);
    this.phase = 'post';
    this.keys = null;
  }

  private readonly loads: { node: number; site: number; bound: boolean; stores: LoadStore[] }[] = [];

  /** A call through a pointer variable whose stores (in order) load a member; `bound` when they bound it. */
  loadSite(node: number, site: number, stores: LoadStore[], bound: boolean): void {
    this.loads.push({ node, site, bound, stores });
  }

  /** A copy's or a store's destination root (TypeExpr as JSON) evaluates to the struct `root`. */
  rooted(json: string, root: string): void {
    if (!this.roots.has(json)) this.roots.set(json, root);
  }

  /** The record; `id` gives a slot key's string id, `evidenceId` an evidence's id among the edges' (-1: none), `hash` slotHash. */
  snapshot(id: (s: string) => number, evidenceId: (e: Evidence) => number, hash: (s: string) => number, intern?: (e: Evidence) => number, keyedRoots: ReadonlySet<string> = new Set(), siteSlots: ReadonlySet<string> = new Set()): SlotFlowRecord {
    const missing = new Map<string, number>();
    let interning = false;
    const ref = (e: Evidence): number => {
      const known = interning && intern ? intern(e) : evidenceId(e);
      if (known >= 0) return known;
      const packed = packEvidence(e);
      let m = missing.get(packed);
      if (m === undefined) missing.set(packed, (m = -1 - missing.size));
      return m;
    };
    const chains = (lists: readonly (readonly Evidence[])[], kept?: readonly boolean[]): { start: Int32Array; chain: Int32Array } => {
      const start = new Int32Array(lists.length + 1);
      const chain: number[] = [];
      lists.forEach((list, i) => {
        interning = !!kept?.[i];
        for (const e of list) chain.push(ref(e));
        start[i + 1] = chain.length;
      });
      return { start, chain: Int32Array.from(chain) };
    };
    const adds = chains(this.adds.map((a) => a.evidence));
    // Only the groups of slots where some copy carries a function were kept (settleEnd): a patch
    // changing a slot of another group finds it in no kept copy and resolves in full.
    const loaded = new Set(this.loads.flatMap((l) => l.stores.flatMap((st) => ('slot' in st ? [st.slot] : []))));
    const keptCopies = this.phase === 'post' ? this.copies.map((_, i) => i) : [];
    const copies = chains(
      keptCopies.map((i) => this.copies[i]!.evidence),
      // Evidence no edge shows is added only for a copy that carries functions somewhere read: into a slot a call site, a load, a callback or another copy reads.
      keptCopies.map((i) => {
        const dest = this.copies[i]!.dest;
        return this.useful[i]! && (siteSlots.has(dest) || this.reads.has(dest) || this.callbackReads.has(dest) || this.sources.has(dest) || loaded.has(dest));
      }),
    );
    const stores = this.loads.flatMap((l) => l.stores);
    const storeChains = chains(
      stores.map((st) => st.evidence),
      stores.map(() => true),
    );
    // Interned like the stores': a site the slot gave no function yet shows no edge.
    const calledChains = chains(
      this.called.map((c) => c.prefix),
      this.called.map(() => true),
    );
    const followed = new Set(this.called.map((c) => c.slot));
    const unfollowed = [...this.callbackReads].filter((slot) => !followed.has(slot) || this.impure.has(slot));
    const loadStart = new Int32Array(this.loads.length + 1);
    this.loads.forEach((l, i) => (loadStart[i + 1] = loadStart[i]! + l.stores.length));
    const copySource = Int32Array.from(keptCopies, (i) => id(this.copies[i]!.source));
    const copyDest = Int32Array.from(keptCopies, (i) => id(this.copies[i]!.dest));
    const group = copyGroups(copySource, copyDest);
    const pairs = new Set<string>();
    const settled: number[] = [];
    this.settledSlots.forEach((slot, i) => {
      const target = this.settledTargets.get(i);
      const g = group.get(id(slot))!;
      const key = `${target}:${g}`;
      if (pairs.has(key)) return;
      pairs.add(key);
      settled.push(target, g);
    });
    return {
      addSlot: Int32Array.from(this.adds, (a) => id(a.slot)),
      addTarget: Int32Array.from(this.adds, (a) => a.target),
      addKind: Uint8Array.from(this.adds, (a) => a.kind),
      addStart: adds.start,
      addChain: adds.chain,
      addCaller: Int32Array.from(this.adds, (a) => a.caller),
      addSite: Int32Array.from(this.adds, (a) => a.site),
      storedAt: this.storedAt,
      seedNode: Int32Array.from(this.seeds, (x) => x.node),
      seedParam: Int32Array.from(this.seeds, (x) => x.param),
      seedSlot: Int32Array.from(this.seeds, (x) => id(x.slot)),
      seedLine: Int32Array.from(this.seeds, (x) => x.line),
      copySource,
      copyDest,
      copyStart: copies.start,
      copyChain: copies.chain,
      readSlots: Uint32Array.from(new Set([...this.reads, ...unfollowed].map(hash))).sort(),
      calledNode: Int32Array.from(this.called, (c) => c.node),
      calledSite: Int32Array.from(this.called, (c) => c.site),
      calledSlot: Int32Array.from(this.called, (c) => id(c.slot)),
      calledStart: calledChains.start,
      calledChain: calledChains.chain,
      settled: Int32Array.from(settled),
      takenExtra: Int32Array.from(this.extra).sort(),
      loadNode: Int32Array.from(this.loads, (l) => l.node),
      loadSite: Int32Array.from(this.loads, (l) => l.site),
      loadBound: Uint8Array.from(this.loads, (l) => (l.bound ? 1 : 0)),
      loadStart,
      storeSlot: Int32Array.from(stores, (st) => ('slot' in st ? id(st.slot) : -1)),
      storeTarget: Int32Array.from(stores, (st) => ('slot' in st ? -1 : st.target)),
      storeKind: Uint8Array.from(stores, (st) => ('slot' in st ? 0 : st.kind)),
      storeStart: storeChains.start,
      storeChain: storeChains.chain,
      // Roots a plain binding's key names already are found there.
      roots: Int32Array.from([...this.roots].flatMap(([json, root]) => (keyedRoots.has(json) || json === typeJson(root) ? [] : [id(json), id(root)]))),
      typeRoots: Int32Array.from([...this.roots].flatMap(([json, root]) => (!keyedRoots.has(json) && json === typeJson(root) ? [id(root)] : []))),
    };
  }
}

/** The JSON of a type root naming `name` (TypeExpr `{ k: 'type', name }`). */
export const typeJson = (name: string): string => JSON.stringify({ k: 'type', name });

/** Each slot of the copies (string ids) -> its group: the least slot id among those copies connect it to. */
export function copyGroups(source: Int32Array, dest: Int32Array): Map<number, number> {
  // Union-find over the ids as an array (a kernel's record keeps some 150,000 copies), each root the least id of its group.
  let max = -1;
  for (let i = 0; i < source.length; i++) max = Math.max(max, source[i]!, dest[i]!);
  const parent = new Int32Array(max + 1).fill(-1);
  const seen: number[] = [];
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const up = parent[x]!;
      parent[x] = r;
      x = up;
    }
    return r;
  };
  for (let i = 0; i < source.length; i++) {
    const s = source[i]!;
    const d = dest[i]!;
    if (parent[s] === -1) seen.push((parent[s] = s));
    if (parent[d] === -1) seen.push((parent[d] = d));
    const a = find(s);
    const b = find(d);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const out = new Map<number, number>();
  for (const s of seen) out.set(s, find(s));
  return out;
}
