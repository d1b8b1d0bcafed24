import { anonNamePattern } from '../index/facts-diff.js';
import type { BindingFact, TypeExpr } from '../types/facts.js';
import { kindId } from './edge-kind.js';
import type { Evidence } from './edge-list.js';

/**
 * What a full resolution read and wrote of the binding table (binding-table.ts), kept with the
 * cached graph so that an edit of initializers and member assignments re-binds only the call
 * sites it can affect (patch-bindings.ts). Flat arrays over one string table (`strings`: slot
 * keys `holder.field`, evaluated roots, field names, binding keys).
 */
export interface BindingRecordSnapshot {
  strings: string[];
  /** Per file id, where its rows start in rowSlot and rowRoot (one more entry than files). */
  fileStart: Int32Array;
  /**
   * One row per binding fact of each file, in file order then FileFacts.bindings order: the string
   * id of the slot a plain binding (isPlainBinding) lands in, -1 when its root or member path is
   * unknown, -2 for a binding of another kind (copies, parameter stores, pointer stores, flows).
   */
  rowSlot: Int32Array;
  /** Per row, the string id of the struct its root evaluates to (when rowSlot is a slot), else -1. */
  rowRoot: Int32Array;
  /** Per binding made by a plain binding, in the order the table received them: its row, its target node, its kind (EDGE_KINDS index). */
  conRow: Int32Array;
  conTarget: Int32Array;
  conKind: Uint8Array;
  /** Per binding made, the id of its evidence in the edge list's evidence (EdgeSnapshot.evidenceStart), -1 when no edge shows it. */
  conEvidence: Int32Array;
  /** Slots (string ids) that something other than plain bindings and member call sites wrote or read: copies, parameter and macro stores, flows, pointer variables. */
  otherSlots: Int32Array;
  /** Field names (string ids) that call sites of an unknown struct were bound by (the field-name fallback). */
  fieldReads: Int32Array;
  /** Member call sites bound by a slot's bindings (or its signature fallback when it had none): [node, site, slot string id] triples. */
  siteReads: Int32Array;
  /** Bindings whose root names no variable and no call (see fileIndependent): [key string id, slot id or -1, root id or -1] triples, by key. */
  keys: Int32Array;
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

/** Reads of the binding table by other phases than member call sites, and their writes. */
export interface TableWatch {
  touched(slotKey: string): void;
}

/** Collects a BindingRecordSnapshot during resolveEdges (see there for where each hook is called). */
export class BindingRecorder implements TableWatch {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly fileStart: number[] = [0];
  private readonly rowSlot: number[] = [];
  private readonly rowRoot: number[] = [];
  private readonly conRow: number[] = [];
  private readonly conTarget: number[] = [];
  private readonly conKind: number[] = [];
  private readonly conEvidence: Evidence[] = [];
  private readonly other = new Set<number>();
  private readonly fields = new Set<number>();
  private readonly sites: number[] = [];
  private readonly keys = new Map<number, [number, number]>();

  private id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** A binding fact of the current file: -2 for one not plain, else where it lands (null: nowhere). */
  row(b: BindingFact, slotKey: string | null, root: string | null): void {
    const plain = isPlainBinding(b);
    const slot = !plain ? -2 : slotKey === null ? -1 : this.id(slotKey);
    const rootId = slot >= 0 && root !== null ? this.id(root) : -1;
    this.rowSlot.push(slot);
    this.rowRoot.push(rootId);
    if (plain && fileIndependent(b.root)) {
      const key = this.id(bindingKey(b));
      if (!this.keys.has(key)) this.keys.set(key, [slot, rootId]);
    }
  }

  /** The binding the last row made: `target` bound as `kind`. */
  made(target: number, kind: 'ops-initializer' | 'ops-assignment', evidence: Evidence): void {
    this.conRow.push(this.rowSlot.length - 1);
    this.conTarget.push(target);
    this.conKind.push(kindId(kind));
    this.conEvidence.push(evidence);
  }

  /** Every binding of a file has a row: the next rows are the next file's. */
  endFile(): void {
    this.fileStart.push(this.rowSlot.length);
  }

  touched(slotKey: string): void {
    this.other.add(this.id(slotKey));
  }

  /** A member call site bound through `slotKey` (its bindings, or the signature fallback when it has none). */
  siteRead(node: number, site: number, slotKey: string): void {
    this.sites.push(node, site, this.id(slotKey));
  }

  /** A member call site bound by the member's name alone. */
  fieldRead(field: string): void {
    this.fields.add(this.id(field));
  }

  /** The record, each binding's evidence as its id among the edges' (`evidenceId`, -1 for none). */
  snapshot(evidenceId: (e: Evidence) => number): BindingRecordSnapshot {
    const keys = [...this.keys].sort((a, b) => (this.strings[a[0]]! < this.strings[b[0]]! ? -1 : 1));
    return {
      strings: this.strings,
      fileStart: Int32Array.from(this.fileStart),
      rowSlot: Int32Array.from(this.rowSlot),
      rowRoot: Int32Array.from(this.rowRoot),
      conRow: Int32Array.from(this.conRow),
      conTarget: Int32Array.from(this.conTarget),
      conKind: Uint8Array.from(this.conKind),
      conEvidence: Int32Array.from(this.conEvidence, evidenceId),
      otherSlots: Int32Array.from([...this.other].sort((a, b) => a - b)),
      fieldReads: Int32Array.from([...this.fields].sort((a, b) => a - b)),
      siteReads: Int32Array.from(this.sites),
      keys: Int32Array.from(keys.flatMap(([k, [slot, root]]) => [k, slot, root])),
    };
  }
}
