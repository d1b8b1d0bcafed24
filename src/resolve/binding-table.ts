import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import type { BindingFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { type EdgeKind, kindId } from './edge-kind.js';
import type { Evidence } from './edge-list.js';
import type { BindingRecorder, TableWatch } from './binding-record.js';
import type { SlotReader } from './called-reads.js';
import type { FieldPairs } from './field-name-record.js';
import type { StoreSite } from './slot-flow-record.js';
import { type Slot, slotKey, type TypeModel } from './type-model.js';
import { flat } from '../util/flat-text.js';

/** A function bound to a member slot, and every place that binds it there. */
export interface Binding {
  target: number;
  /** The strongest kind among its bindings. */
  kind: EdgeKind;
  /** Each binding once (same file, line and text); at least one. */
  evidence: Evidence[];
}

const sameEvidence = (a: Evidence, b: Evidence): boolean => a.file === b.file && a.line === b.line && a.text === b.text;

/** Member slot -> functions stored in it, from initializers, assignments and registrations. */
export class BindingTable {
  private readonly bySlot = new Map<string, Map<number, Binding>>();
  private readonly byField = new Map<string, Binding[]>();
  /** Functions whose address is taken (stored or passed as a value). */
  readonly addressTaken = new Set<number>();
  /** When set, every function bound from then on (resolveEdges sets it once the plain bindings are in: binding-record.ts keeps which functions other ways take). */
  takenLater: Set<number> | null = null;
  /** Told of every slot added to or read from while set (resolveEdges sets it between the plain bindings and the member call sites). */
  watch: TableWatch | null = null;

  /**
   * Records that `target` is bound to `slot` (as `kind`, where `evidence` says: one binding, or a
   * chain of them, such as a copy then the binding of the member copied); a target bound again
   * gains the evidence. `at`: the call site whose argument a parameter store bound (for the record).
   */
  add(slot: Slot, target: number, kind: EdgeKind, evidence: Evidence | readonly Evidence[], at?: StoreSite): void {
    const key = slotKey(slot);
    this.watch?.touched(key);
    this.takenLater?.add(target);
    const list = Array.isArray(evidence) ? (evidence as readonly Evidence[]) : [evidence as Evidence];
    this.watch?.added?.(key, target, kind, list, at);
    let targets = this.bySlot.get(key);
    if (!targets) this.bySlot.set(key, (targets = new Map()));
    const known = targets.get(target);
    if (known) {
      for (const e of list) if (!known.evidence.some((k) => sameEvidence(k, e))) known.evidence.push(e);
      if (kindId(kind) < kindId(known.kind)) known.kind = kind;
      return;
    }
    const b: Binding = { target, kind, evidence: [...list] };
    targets.set(target, b);
    const byField = this.byField.get(slot.field);
    if (byField) byField.push(b);
    else this.byField.set(slot.field, [b]);
    this.addressTaken.add(target);
  }

  /** The structs (as slots name them) holding a member something was bound to. */
  slotHolders(): Set<string> {
    const out = new Set<string>();
    for (const key of this.bySlot.keys()) out.add(key.slice(0, key.lastIndexOf('.')));
    return out;
  }

  /** True when `target` is bound to `slot`. */
  has(slot: Slot, target: number): boolean {
    const key = slotKey(slot);
    this.watch?.touched(key);
    return this.bySlot.get(key)?.has(target) ?? false;
  }

  /** Each function bound to the slot, once, with all its bindings; `reader` says who reads it (for the binding record: a load into a pointer variable, a callback argument). */
  forSlot(slot: Slot, reader?: SlotReader): Binding[] {
    const key = slotKey(slot);
    this.watch?.touched(key);
    this.watch?.read?.(key, reader);
    const targets = this.bySlot.get(key);
    return targets ? [...targets.values()] : [];
  }

  /** Slot keys by member name, listed by the first fieldPairs. */
  private slotsByField: Map<string, string[]> | null = null;

  /**
   * The pairs of a slot and a function of the members named `field`, in the order forFieldName
   * reads them, each with its slot's key (for the binding record: field-name-record.ts). The slots
   * by name are listed at the first call: the table takes no binding after it.
   */
  fieldPairs(field: string): FieldPairs {
    if (!this.slotsByField) {
      this.slotsByField = new Map();
      for (const key of this.bySlot.keys()) {
        const name = key.slice(key.lastIndexOf('.') + 1);
        const list = this.slotsByField.get(name);
        if (list) list.push(key);
        else this.slotsByField.set(name, [key]);
      }
    }
    const slotOf = new Map<Binding, string>();
    for (const key of this.slotsByField.get(field) ?? []) for (const b of this.bySlot.get(key)!.values()) slotOf.set(b, key);
    return (this.byField.get(field) ?? []).map((binding) => ({ slot: slotOf.get(binding)!, binding }));
  }

  /** Every function bound to a field of this name, whatever the struct (the weak fallback): once each, with the bindings of every such slot. */
  forFieldName(field: string): Binding[] {
    const merged = new Map<number, Binding>();
    for (const b of this.byField.get(field) ?? []) {
      const known = merged.get(b.target);
      if (known) known.evidence = [...known.evidence, ...b.evidence.filter((e) => !known.evidence.some((k) => sameEvidence(k, e)))];
      else merged.set(b.target, { ...b });
    }
    return [...merged.values()];
  }
}

/** What a binding fact says, in words: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
export function describe(b: BindingFact, slot: Slot, root: string): string {
  // A tag several files define is named as written (`struct nic_hw`), not by its definition's file (split-tags.ts).
  const holder = tagOf(slot.holder);
  if (b.how === 'assign') return flat`${b.text ?? `${slot.field} = ${b.fn}`} in ${b.inFunction} (${holder})`;
  const positional = b.path.some((p) => p.startsWith('#'));
  const path = positional ? slot.field : b.path.join('.');
  const how = positional ? ' (positional)' : '';
  return flat`.${path} = ${b.fn}${how} in ${tagOf(root)} ${b.variable}${slot.holder !== root ? ` (${holder}.${slot.field})` : ''}`;
}

/** A stored parameter found while reading bindings: function `fn` stores its parameter `param` in `slot`. */
export interface ParamStore {
  file: number;
  fn: string;
  param: number;
  slot: Slot;
  line: number;
}

/** A member assignment that copies another member or a local (BindingFact.from, fromLocal), and its file id. */
export interface MemberCopy {
  file: number;
  b: BindingFact;
}

/**
 * Reads every initializer and assignment of the tree into a BindingTable; the parameter stores
 * and the member copies are returned apart, for what is passed and copied to be added later.
 */
export function collectBindings(index: CodeIndex, types: TypeModel, record?: BindingRecorder): { table: BindingTable; stores: ParamStore[]; copies: MemberCopy[] } {
  const table = new BindingTable();
  const stores: ParamStore[] = [];
  const copies: MemberCopy[] = [];
  index.files.forEach((file, fileId) => {
    for (const b of file.bindings) {
      if (b.pointer || b.call || b.out !== undefined || b.returned) {
        // Stores into pointer variables: resolvePointerVariables; out-parameters, returns and stored results: resolveFlows.
        record?.row(b, null, null);
        continue;
      }
      if (b.from || b.fromLocal) {
        copies.push({ file: fileId, b });
        record?.row(b, null, null);
        continue;
      }
      const root = types.evaluate(b.root, fileId);
      const slot = root ? types.walk(root, b.path) : null;
      record?.row(b, slot ? slotKey(slot) : null, root);
      if (!root || !slot) continue;
      if (b.param !== undefined && b.inFunction) {
        stores.push({ file: fileId, fn: b.inFunction, param: b.param, slot, line: b.line });
        continue;
      }
      const evidence = { file: file.path, line: b.line, text: describe(b, slot, root) };
      const kind = b.how === 'init' ? 'ops-initializer' : 'ops-assignment';
      for (const target of directTargets(index, fileId, b.fn)) {
        if (index.isMacro(target)) continue;
        table.add(slot, target, kind, evidence);
        record?.made(target, kind, evidence);
      }
    }
    record?.endFile();
  });
  return { table, stores, copies };
}
