import { tagOf } from './split-tags.js';
import { anonNamePattern } from '../index/facts-diff.js';
import type { BindingFact, TypeExpr } from '../types/facts.js';
import { kindId } from './edge-kind.js';
import type { Evidence } from './edge-list.js';
import { encodeQuery } from './fallback-query.js';
import type { FallbackFilter } from './narrow-fallback.js';
import type { PointerSignature } from './type-model.js';
import { type FallbackRecord, packFallback } from './fallback-record.js';
import { type FlowCopy, type LoadStore, type SlotFlowRecord, SlotFlowRecorder, type StoreSeed, type StoreSite } from './slot-flow-record.js';
import type { CalledRead, SlotReader } from './called-reads.js';
import { type FieldNameRecord, FieldNameRecorder, type FieldPairs } from './field-name-record.js';

/**
 * What a full resolution read and wrote of the binding table (binding-table.ts), kept with the
 * cached graph so that an edit of initializers and member assignments re-binds only the call
 * sites it can affect (patch-bindings.ts). Flat arrays over one string table (`strings`: slot
 * keys `holder.field`, evaluated roots, field names, binding keys).
 */
export interface BindingRecordSnapshot {
  /**
   * The string table, each string followed by a NUL (joinRecordStrings; read it with
   * recordStrings): one long text, which the graph file stores deflated in blocks (columns.ts
   * `chunks`), where an array of strings is stored raw. On Linux 6.1, 148,809 strings: 6.3 MB
   * raw, 1.2 MB deflated. No string of the table holds a NUL: slot keys and member names are C
   * names, roots and binding keys JSON (which writes a NUL as an escape), file paths hold none.
   */
  strings: string;
  /**
   * Per binding a plain binding fact (isPlainBinding) made, in the order the table received them
   * (file order, then binding order): its file id, the fact's index in FileFacts.bindings, the slot
   * (string id) and the struct its root evaluates to (string id), its target node, kind (EDGE_KINDS
   * index) and the id of its evidence in the edge list's evidence (EdgeSnapshot.evidenceStart), -1 when no edge shows it.
   */
  conFile: Int32Array;
  conItem: Int32Array;
  conSlot: Int32Array;
  conRoot: Int32Array;
  conTarget: Int32Array;
  conKind: Uint8Array;
  conEvidence: Int32Array;
  /**
   * Slots that something other than plain bindings and member call sites wrote or read (copies,
   * parameter and macro stores, flows, pointer variables), as slotHash of their keys, ascending: a
   * slot whose hash is here is taken for one of them (a collision only makes a patch resolve in full).
   */
  otherSlots: Uint32Array;
  /** Field names (string ids) that call sites of an unknown struct were bound by (the field-name fallback). */
  fieldReads: Int32Array;
  /** Those call sites and what other phases bound to members of their names (field-name-record.ts); absent from records written before it was kept. */
  fieldNames?: FieldNameRecord;
  /** Member call sites bound by a slot's bindings (or its signature fallback when it had none): [node, site, slot string id] triples. */
  siteReads: Int32Array;
  /** Bindings that made a binding and whose root names no variable and no call (fileIndependent): [key string id (bindingKey), slot id, root id] triples. */
  keys: Int32Array;
  /** What the signature fallback read and listed (FallbackRecord); absent from records written before it was kept. */
  fallback?: FallbackRecord;
  /**
   * The steps member call sites' receivers took to a struct, for binding a call through a member
   * an edit adds (add-member-sites.ts): [key, struct] string id pairs, for receivers that name no
   * variable and no call. A step is a root type made canonical, or a member's struct read from a
   * struct (member-call-edits.ts stepKey: keyed by the file only when its value is a split tag's),
   * so a new receiver made of steps taken anywhere evaluates without the type model. A key reached
   * differently twice is left out. Absent from records written before it was kept.
   */
  receiverSteps?: Int32Array;
  /** The slot each struct a receiver reached (`receiverSteps`) and member called lead to (TypeModel.slot, which no file changes): [`struct\u0001member`, slot] string id pairs. */
  memberSlots?: Int32Array;
  /**
   * The steps a binding's root may take to a struct holding a member some binding filled, as the
   * resolution evaluated them for every struct defined in one file (member-steps.ts
   * holderStepsText, read by readHolderSteps), so that an assignment into a member of a member
   * whose root no binding had is patched. Absent from records written before it was kept.
   */
  holderSteps?: string;
  /** The copies, stores and flows between slots (slot-flow-record.ts); absent when a binding was added after the copies settled, which it cannot follow. */
  flow?: SlotFlowRecord;
}

/**
 * True for a binding fact that only binds a function by name to a member (an initializer's member
 * or `x->f = fn`): the kind the binding patch re-binds. Copies, parameter stores, pointer
 * variables, out-parameters, returns and stored results are followed by other phases of
 * resolveEdges and are not.
 */
export function isPlainBinding(b: BindingFact): boolean {
  return !b.pointer && !b.call && b.out === undefined && !b.returned && !b.from && !b.fromLocal && !(b.param !== undefined && b.inFunction);
}

/** True when a type expression evaluates the same in every file: it names no variable and no call (their lookups start in the file). */
export function fileIndependent(e: TypeExpr): boolean {
  return e.k === 'type' || (e.k === 'field' && fileIndependent(e.of));
}

/**
 * True when a binding's root lands in the same struct from any file: it is file-independent and
 * evaluated to (`root`) no tag that several files define (split-tags.ts), which each file names
 * by the definition it sees.
 */
const placesAlike = (e: TypeExpr, root: string): boolean => fileIndependent(e) && tagOf(root) === root;

/** The root and member path of a binding as one string: bindings with equal keys land in the same slot from the same file. */
export const bindingKey = (b: BindingFact): string => `${JSON.stringify(b.root)}\u0001${b.path.join('\u0001')}`;

/**
 * Renames the anonymous structs of file `path` in a text (`struct <anon net/x.c:907>`) from
 * their old lines to their new ones, as an edit moved them (`anon`: [old, new] lines, one to one,
 * FactsDiff.anon); names of lines not in `anon` stay.
 */
export function anonMover(path: string, anon: readonly [number, number][]): (text: string) => string {
  const to = new Map(anon.filter(([o, n]) => o !== n));
  if (to.size === 0) return (text) => text;
  const pattern = anonNamePattern(path);
  return (text) => (text.includes('<anon ') ? text.replace(pattern, (m, line: string) => (to.has(Number(line)) ? `<anon ${path}:${to.get(Number(line))}>` : m)) : text);
}

/** A record's string table as BindingRecordSnapshot.strings stores it: each string followed by a NUL. */
export const joinRecordStrings = (strings: readonly string[]): string => (strings.length ? `${strings.join('\0')}\0` : '');

/** The last two tables split by recordStrings (a record's and its fallback's), by their text: a patch reads them several times. */
const lastSplits: { text: string; strings: string[] }[] = [];

/** A record's (or its FallbackRecord's) string table by id (its `strings` split at the NULs). Treat it as read-only: it may be shared. */
export function recordStrings(record: { strings: string }): string[] {
  const text = record.strings;
  let split = lastSplits.find((s) => s.text === text);
  if (!split) {
    split = { text, strings: text ? text.slice(0, -1).split('\0') : [] };
    lastSplits.unshift(split);
    lastSplits.length = Math.min(lastSplits.length, 2);
  }
  return split.strings;
}

/** A 32-bit FNV-1a hash of a slot key (`struct proto_ops.sendmsg`), for BindingRecordSnapshot.otherSlots. */
export function slotHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Reads of the binding table by other phases than member call sites, and their writes. */
export interface TableWatch {
  touched(slotKey: string): void;
  /** A binding added (`evidence` as BindingTable.add received it; `at`, the call site a parameter store bound it from). */
  added?(slotKey: string, target: number, kind: string, evidence: readonly Evidence[], at?: StoreSite): void;
  /** The seeds of the parameter stores' walk, in its order, before the bindings it made are added (bindStored). */
  storeSeeds?(seeds: readonly StoreSeed[]): void;
  /** A slot's bindings read (BindingTable.forSlot), by a pointer variable's load (`load`) or otherwise. */
  read?(slotKey: string, reader?: SlotReader): void;
  /** A call through a pointer variable whose stores load a member (resolvePointerVariables). */
  loadSite?(node: number, site: number, stores: LoadStore[], bound: boolean): void;
  /** A member copy's destination (BindingFact.from, fromLocal) is `slotKey` of the struct `root`. */
  placed?(b: BindingFact, slotKey: string, root: string): void;
  /** The copies settle (SlotCopies.settle), and have settled. */
  settleBegin?(copies: readonly FlowCopy[]): void;
  settleEnd?(holds: (slotKey: string) => boolean): void;
}

/** Collects a BindingRecordSnapshot during resolveEdges (see there for where each hook is called). */
export class BindingRecorder implements TableWatch {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly conFile: number[] = [];
  private readonly conItem: number[] = [];
  private readonly conSlot: number[] = [];
  private readonly conRoot: number[] = [];
  private readonly conTarget: number[] = [];
  private readonly conKind: number[] = [];
  private readonly conEvidence: Evidence[] = [];
  private readonly other = new Set<number>();
  private readonly fields = new Set<number>();
  private readonly sites: number[] = [];
  private readonly keys = new Map<number, [number, number]>();
  /** The binding fact being read: its file, index, and where it lands. */
  private file = 0;
  private item = -1;
  private current: { b: BindingFact; slot: string; root: string } | null = null;

  private id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The next binding fact of the current file, and where it lands (null: it is no plain binding, or lands nowhere). */
  row(b: BindingFact, slotKey: string | null, root: string | null): void {
    this.item++;
    this.current = isPlainBinding(b) && slotKey !== null && root !== null ? { b, slot: slotKey, root } : null;
    // A parameter store's root evaluates as a plain binding's of the same root would.
    if (slotKey !== null && root !== null && !this.current) this.placed(b, slotKey, root);
  }

  /** A binding fact (a copy's or a store's destination) lands in `slotKey` of the struct `root`: its file-independent root is kept (SlotFlowRecord.roots). */
  placed(b: BindingFact, _slotKey: string, root: string): void {
    if (placesAlike(b.root, root)) this.flow.rooted(JSON.stringify(b.root), root);
  }

  /** A binding the current binding fact made: `target` bound as `kind`. */
  made(target: number, kind: 'ops-initializer' | 'ops-assignment', evidence: Evidence): void {
    const { current } = this;
    if (!current) return;
    const slot = this.id(current.slot);
    const root = this.id(current.root);
    this.conFile.push(this.file);
    this.conItem.push(this.item);
    this.conSlot.push(slot);
    this.conRoot.push(root);
    this.conTarget.push(target);
    this.conKind.push(kindId(kind));
    this.conEvidence.push(evidence);
    if (placesAlike(current.b.root, current.root)) {
      const key = this.id(bindingKey(current.b));
      if (!this.keys.has(key)) this.keys.set(key, [slot, root]);
    }
  }

  /** Every binding fact of a file was read: the next ones are the next file's. */
  endFile(): void {
    this.file++;
    this.item = -1;
  }

  touched(slotKey: string): void {
    this.other.add(slotHash(slotKey));
  }

  private readonly flow = new SlotFlowRecorder();

  added(slotKey: string, target: number, kind: string, evidence: readonly Evidence[], at?: StoreSite): void {
    this.flow.added(slotKey, target, kind, evidence, at);
  }

  storeSeeds(seeds: readonly StoreSeed[]): void {
    this.flow.storeSeeds(seeds);
  }

  read(slotKey: string, reader?: SlotReader): void {
    this.flow.read(slotKey, reader);
  }

  /** The call sites passing one member's functions where they are called, and the slots read at other callback sites (called-reads.ts). */
  calledReads(reads: { pure: CalledRead[]; impure: ReadonlySet<string> }): void {
    this.flow.calledReads(reads);
  }

  loadSite(node: number, site: number, stores: LoadStore[], bound: boolean): void {
    this.flow.loadSite(node, site, stores, bound);
  }

  settleBegin(copies: readonly FlowCopy[]): void {
    this.flow.settleBegin(copies);
  }

  settleEnd(holds: (slotKey: string) => boolean): void {
    this.flow.settleEnd(holds);
  }

  /** A member call site bound through `slotKey` (its bindings, or the signature fallback when it has none). */
  siteRead(node: number, site: number, slotKey: string): void {
    this.sites.push(node, site, this.id(slotKey));
  }

  /** BindingRecordSnapshot.holderSteps, set by resolveEdges. */
  holderSteps = '';

  private readonly receiverHolders = new Map<number, number>();
  private readonly memberSlots = new Map<number, number>();

  /** A step of a member call site's receiver (member-call-edits.ts stepKey `key`) reached the struct `value`. */
  receiverStep(key: string, value: string): void {
    const id = this.id(key);
    const struct = this.id(value);
    const had = this.receiverHolders.get(id);
    if (had === undefined) this.receiverHolders.set(id, struct);
    else if (had !== struct) this.receiverHolders.set(id, -1);
  }

  /** A member call site's receiver evaluated to the struct `holder`, and its member `field` led to `slotKey`. */
  memberSlot(holder: string, field: string, slotKey: string): void {
    const member = this.id(`${holder}\u0001${field}`);
    if (!this.memberSlots.has(member)) this.memberSlots.set(member, this.id(slotKey));
  }

  private readonly fieldNames = new FieldNameRecorder((s) => this.id(s), (s) => this.ids.get(s), { slot: this.conSlot, target: this.conTarget, evidence: this.conEvidence });

  /** A member call site bound by the member's name alone (FieldNameRecorder.site: its arguments' tags, flags and the table's pairs of that name). */
  fieldRead(node: number, site: number, field: string, tags: readonly string[], flags: number, pairs: () => FieldPairs): void {
    this.fields.add(this.id(field));
    this.fieldNames.site(node, site, field, tags, flags, pairs);
  }

  private readonly fallback: number[] = [];
  private otherwise: Int32Array = new Int32Array(0);
  private variadic: Int32Array = new Int32Array(0);
  private tags: number[] = [];
  private readonly fallbackIds = new Map<string, number>();
  private readonly fallbackStrings: string[] = [];

  private fallbackId(text: string): number {
    let id = this.fallbackIds.get(text);
    if (id === undefined) {
      id = this.fallbackStrings.length;
      this.fallbackStrings.push(text);
      this.fallbackIds.set(text, id);
    }
    return id;
  }

  /** A call site that took the signature fallback: its query (null: none could list a function), wording and whether its edges are deferred. */
  fallbackSite(node: number, site: number, filter: FallbackFilter, declared: PointerSignature | null, args: readonly string[], how: string, deferred: boolean): void {
    const query = encodeQuery(declared ? { returns: filter.side(declared.returns), params: declared.params.map((p) => filter.side(p)) } : null, args);
    if (query !== null) this.fallback.push(node, site, this.fallbackId(query), this.fallbackId(how), deferred ? 1 : 0);
  }

  /** The functions whose address is taken, as the fallback groups them (byArity), those taken otherwise than by plain bindings, and the types the fallback read. */
  taken(byArity: ReadonlyMap<number, readonly number[]>, otherwise: ReadonlySet<number>, filter: FallbackFilter, isMacro: (node: number) => boolean, extra: ReadonlySet<number>): void {
    this.flow.extra = [...extra].filter((n) => !isMacro(n));
    this.otherwise = Int32Array.from([...otherwise].filter((n) => !isMacro(n))).sort();
    this.variadic = Int32Array.from(byArity.get(-1) ?? []).sort();
    for (const [type, tag] of filter.tagsRead()) this.tags.push(this.fallbackId(type), this.fallbackId(tag));
  }

  /** The record, each binding's evidence as its id among the edges' (`evidenceId`, -1 for none); with `intern`, the slot flows' evidence no edge shows is added to the edges' (slot-flow-record.ts). */
  snapshot(evidenceId: (e: Evidence) => number, intern?: (e: Evidence) => number): BindingRecordSnapshot {
    const flow = this.flow.lateAdd ? undefined : this.flow.snapshot((s) => this.id(s), evidenceId, slotHash, intern, new Set([...this.keys.keys()].map((k) => this.strings[k]!.slice(0, this.strings[k]!.indexOf('\u0001')))), new Set(this.sites.filter((_, i) => i % 3 === 2).map((k) => this.strings[k]!)));
    return {
      ...(flow ? { flow } : {}),
      strings: joinRecordStrings(this.strings),
      conFile: Int32Array.from(this.conFile),
      conItem: Int32Array.from(this.conItem),
      conSlot: Int32Array.from(this.conSlot),
      conRoot: Int32Array.from(this.conRoot),
      conTarget: Int32Array.from(this.conTarget),
      conKind: Uint8Array.from(this.conKind),
      conEvidence: Int32Array.from(this.conEvidence, evidenceId),
      otherSlots: Uint32Array.from([...this.other].sort((a, b) => a - b)),
      fieldReads: Int32Array.from([...this.fields].sort((a, b) => a - b)),
      fieldNames: this.fieldNames.snapshot(evidenceId),
      siteReads: Int32Array.from(this.sites),
      keys: Int32Array.from([...this.keys].flatMap(([k, [slot, root]]) => [k, slot, root])),
      fallback: packFallback(Int32Array.from(this.fallback), this.otherwise, this.variadic, { strings: joinRecordStrings(this.fallbackStrings), typeTags: Int32Array.from(this.tags) }),
      receiverSteps: Int32Array.from([...this.receiverHolders].flatMap(([key, holder]) => (holder < 0 ? [] : [key, holder]))),
      memberSlots: Int32Array.from([...this.memberSlots].flat()),
      ...(this.holderSteps ? { holderSteps: this.holderSteps } : {}),
    };
  }
}
