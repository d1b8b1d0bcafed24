import type { BindingFact } from '../types/facts.js';
import { anonMover, type BindingRecordSnapshot, bindingKey, recordStrings, fileIndependent, isPlainBinding } from './binding-record.js';
import { FALLBACK_STRIDE, fallbackSites, fromDeltas, packFallback } from './fallback-record.js';
import { describe } from './binding-table.js';
import { type Evidence, packEvidence } from './edge-list.js';
import type { KeyedContribution } from './patch-slot-flow.js';
import type { SlotFlowRecord } from './slot-flow-record.js';
import type { FieldNameRecord } from './field-name-record.js';
import type { BindingEdit } from './patch-bindings.js';
import { moveSiteRows } from './renumber-nodes.js';
import { withoutGoneSites } from './member-call-edits.js';
import { walkTable } from './walk-table.js';
import { KeptSteps } from './member-steps.js';
import { tagOf } from './split-tags.js';
import { sharedArray, sharedFrom } from '../util/shared-arrays.js';
import { type Contribution, type FileRows, MissingEvidence, type NewContribution } from './record-contributions.js';

const slotOf = (key: string): { holder: string; field: string } => {
  const at = key.lastIndexOf('.');
  return { holder: key.slice(0, at), field: key.slice(at + 1) };
};

/**
 * A BindingRecordSnapshot being brought up to date with a patch: node ids and call sites moved,
 * edited files' rows and contributions replaced (patch-bindings.ts). Old and new contributions
 * are read in table order (file order, then binding order) for the slots that changed.
 */
export class NewRecord {
  private readonly conTarget: Int32Array;
  private siteReads: Int32Array;
  private readonly files = new Map<number, FileRows>();
  /** Per edited file, the old contributions' evidence from its old facts. */
  private readonly oldEvidence = new Map<number, Evidence>();
  /** Per edited file's old contribution, its evidence as a replay key (patch-slot-flow.ts), at the line its binding has now when kept. */
  private readonly oldKeys = new Map<number, string>();
  /** The record's slot flows with new node ids (patch-slot-flow.ts), as the patch leaves them. */
  flow: SlotFlowRecord | undefined;
  /** The record's field-name sites with new node ids (patch-field-names.ts moveFieldNames); the old record's until set. */
  fieldNames: FieldNameRecord | undefined;
  private ids: Map<string, number> | null = null;
  private lookups = 0;

  /**
   * A string's id in the old record (the last when an anonymous struct's move made two equal).
   * The first few are searched for (a kernel's table holds some 149,000 strings: a map of them
   * took 40-80 ms, a search about 1 ms), later ones looked up in a map made then.
   */
  private idOf(s: string): number | undefined {
    if (!this.ids && ++this.lookups <= 16) {
      const at = this.strings.lastIndexOf(s);
      return at < 0 ? undefined : at;
    }
    this.ids ??= new Map(this.strings.map((x, i) => [x, i]));
    return this.ids.get(s);
  }

  /** The fallback sites of the record (fallbackSites: FALLBACK_STRIDE tuples) with new node ids and sites (empty when the record has none). */
  fallbackSites: Int32Array;
  /** FallbackRecord.takenOtherwise and .takenVariadic as node ids, new ones, removed functions left out. */
  takenOtherwise: Int32Array;
  takenVariadic: Int32Array;

  /** The old record's string table by id (recordStrings). */
  private readonly strings: string[];
  /** What roots evaluate to from the steps the record keeps. */
  private readonly steps: KeptSteps;

  constructor(private readonly old: BindingRecordSnapshot) {
    this.strings = recordStrings(old);
    this.steps = new KeptSteps(old, this.strings);
    // Copies in shared memory, moved in place: the cache writer's thread is handed them without a copy (util/shared-arrays.ts sharedFrom).
    this.conTarget = sharedFrom(Int32Array, old.conTarget);
    this.siteReads = sharedFrom(Int32Array, old.siteReads);
    this.flow = old.flow;
    this.fieldNames = old.fieldNames;
    const f = old.fallback;
    this.fallbackSites = f ? fallbackSites(f) : new Int32Array(0);
    this.takenOtherwise = f ? fromDeltas(f.takenOtherwise) : new Int32Array(0);
    this.takenVariadic = f ? fromDeltas(f.takenVariadic) : new Int32Array(0);
  }

  /** The member call sites of siteReads (new ids), as sets of call sites per node; with `of`, those of its nodes alone. */
  memberSites(of?: { has(node: number): boolean }): Map<number, Set<number>> {
    const out = new Map<number, Set<number>>();
    const { siteReads } = this;
    for (let i = 0; i < siteReads.length; i += 3) {
      if (of && !of.has(siteReads[i]!)) continue;
      const set = out.get(siteReads[i]!);
      if (set) set.add(siteReads[i + 1]!);
      else out.set(siteReads[i]!, new Set([siteReads[i + 1]!]));
    }
    return out;
  }

  string(id: number): string {
    return this.strings[id]!;
  }

  /** Node ids through `map` (old -> new, -1 gone) and the call sites of edited bodies through `sites` (by old node), the rows of the member call sites `gone` (by old node) left out. */
  moveNodes(map: Int32Array | null, sites: Map<number, Map<number, number>>, gone: ReadonlyMap<number, ReadonlySet<number>> = new Map()): string | null {
    if (gone.size) {
      this.siteReads = sharedFrom(Int32Array, withoutGoneSites(this.siteReads, 3, gone));
      this.fallbackSites = withoutGoneSites(this.fallbackSites, FALLBACK_STRIDE, gone);
    }
    const { conTarget, siteReads } = this;
    if (map) {
      for (let i = 0; i < conTarget.length; i++) {
        // A function removed: only its bindings in edited files may name it (replaceFile replaces them; see dangling).
        conTarget[i] = map[conTarget[i]!]!;
      }
    }
    const why =
      moveSiteRows(siteReads, 3, map, sites, 'a member call site of an edited body is gone', 'a function with a member call site was removed') ??
      moveSiteRows(this.fallbackSites, FALLBACK_STRIDE, map, sites, 'a call site of an edited body that took the signature fallback is gone', 'a function with a call site that took the signature fallback was removed');
    if (why) return why;
    if (map) {
      const move = (ids: Int32Array): Int32Array => Int32Array.from([...ids].map((n) => map[n]!).filter((n) => n >= 0)).sort();
      this.takenOtherwise = move(this.takenOtherwise);
      this.takenVariadic = move(this.takenVariadic);
    }
    return null;
  }

  /** Why not, when a binding of a file not edited names a function that was removed. */
  dangling(): string | null {
    const { conTarget } = this;
    for (let c = 0; c < conTarget.length; c++) if (conTarget[c]! < 0 && !this.files.has(this.old.conFile[c]!)) return 'a function bound to a member was removed';
    return null;
  }

  /** The file's contributions in the old record: [first, end) (the record is in file order). */
  private range(file: number): [number, number] {
    const { conFile } = this.old;
    let lo = 0;
    let hi = conFile.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (conFile[mid]! < file) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < conFile.length && conFile[end] === file) end++;
    return [lo, end];
  }

  /**
   * The slot and root a plain binding of the file that binds a function lands in: that of the old
   * binding it was paired with, or of an old binding of the file with the same key that bound a
   * function, or the record's key (file-independent roots), or the steps kept (KeptSteps); else
   * why not, in words.
   */
  private place(t: BindingEdit, b: BindingFact, paired: number | undefined, [first, end]: [number, number]): [number, number] | string {
    const { old } = this;
    if (paired !== undefined) for (let c = first; c < end; c++) if (old.conItem[c] === paired) return [old.conSlot[c]!, old.conRoot[c]!];
    const key = bindingKey(b);
    const moved = anonMover(t.after.path, t.anon);
    for (let c = first; c < end; c++) if (moved(bindingKey(t.before.bindings[old.conItem[c]!]!)) === key) return [old.conSlot[c]!, old.conRoot[c]!];
    if (!fileIndependent(b.root)) return 'its root names a variable or a call, which the graph cannot evaluate without the type model';
    const id = this.idOf(key);
    const { keys } = old;
    for (let i = 0; id !== undefined && i < keys.length; i += 3) if (keys[i] === id) return [keys[i + 1]!, keys[i + 2]!];
    // A member of a struct some key reaches: the slot is that struct's member when a slot of that name is known
    // (a member of a nested anonymous struct lands in that struct's slot, which never has the outer struct's name).
    if (b.path.length !== 1) return `its member path (${b.path.join('.')}) is longer than one member`;
    const json = JSON.stringify(b.root);
    const prefix = `${json}\u0001`;
    let root = -1;
    for (let i = 0; i < keys.length && root < 0; i += 3) if (this.strings[keys[i]!]!.startsWith(prefix)) root = keys[i + 2]!;
    const roots = old.flow?.roots ?? new Int32Array(0);
    for (let i = 0; i < roots.length && root < 0; i += 2) if (this.strings[roots[i]!] === json) root = roots[i + 1]!;
    if (root < 0 && b.root.k === 'type' && old.flow) {
      const name = this.idOf(b.root.name);
      if (name !== undefined && old.flow.typeRoots.includes(name)) root = name;
    }
    let struct = root < 0 ? null : this.strings[root]!;
    if (struct === null) {
      const kept = this.steps.evaluate(b.root, t.after.path);
      if (!('value' in kept)) return `the graph keeps no step to ${kept.missing} (a struct or member no binding reached)`;
      [struct, root] = [kept.value, this.idOf(kept.value) ?? -1];
    }
    const slot = root < 0 ? undefined : this.idOf(`${struct}.${b.path[0]}`);
    // (The record keeps the members bindings reached, not every member a struct has.)
    return slot === undefined ? `no binding reached ${b.path[0]} of ${tagOf(struct)} before, and the graph keeps the members bindings reached only` : [slot, root];
  }

  /**
   * Replaces the contributions of an edited file by those of its new facts (`targetsOf` gives the
   * functions a binding fact names, with its kind), and adds to `changed` each slot whose bindings
   * from the file differ (in target, kind, text, or a binding not kept). Null, or why not.
   */
  replaceFile(t: BindingEdit, targetsOf: (b: BindingFact) => { targets: number[]; kind: number }, changed: Set<number>): string | null {
    const { old } = this;
    const range = this.range(t.file);
    const [first, last] = range;
    for (let c = first; c < last; c++) if (!t.before.bindings[old.conItem[c]!]) return `${t.after.path}: the binding record is not that of its facts`;
    const pairOf = new Map(t.pairs.map(([o, n]) => [n, o]));
    const lineOf = new Map(t.pairs.map(([o, n]) => [o, t.after.bindings[n]!.line]));
    const rows: FileRows = { file: t.file, cons: [], oldCons: range };
    for (const [j, b] of t.after.bindings.entries()) {
      if (!isPlainBinding(b)) continue;
      const { targets, kind } = targetsOf(b);
      if (targets.length === 0) continue;
      const placed = this.place(t, b, pairOf.get(j), range);
      if (typeof placed === 'string') return `${t.after.path}:${b.line}: ${b.text ?? `.${b.path.join('.')} = ${b.fn}`}: a binding into a member no binding of the file or of the same root reached, and ${placed}`;
      const evidence = { file: t.after.path, line: b.line, text: describe(b, slotOf(this.string(placed[0])), this.string(placed[1])) };
      for (const target of targets) rows.cons.push({ target, kind, evidence: () => evidence, row: j, slot: placed[0], root: placed[1], from: pairOf.get(j) ?? -1 });
    }
    // What each slot gets from the file, before and after; an old binding not kept never compares equal.
    const said = new Map<number, string[]>();
    const say = (slot: number, side: number, text: string): void => {
      const key = slot * 2 + side;
      const list = said.get(key);
      if (list) list.push(text);
      else said.set(key, [text]);
    };
    for (let c = first; c < last; c++) {
      const item = old.conItem[c]!;
      const b = t.before.bindings[item]!;
      const evidence = { file: t.before.path, line: b.line, text: describe(b, slotOf(this.string(old.conSlot[c]!)), this.string(old.conRoot[c]!)) };
      this.oldEvidence.set(c, evidence);
      this.oldKeys.set(c, `=${packEvidence({ ...evidence, file: t.after.path, line: lineOf.get(item) ?? b.line })}`);
      say(old.conSlot[c]!, 0, `${this.conTarget[c]}|${old.conKind[c]}|${evidence.text}|${lineOf.get(item) ?? 'gone'}`);
    }
    for (const c of rows.cons) say(c.slot, 1, `${c.target}|${c.kind}|${c.evidence(null as never).text}|${c.from >= 0 ? t.after.bindings[c.row]!.line : 'new'}`);
    for (const key of said.keys()) {
      const slot = Math.floor(key / 2);
      if ((said.get(slot * 2) ?? []).join('\n') !== (said.get(slot * 2 + 1) ?? []).join('\n')) changed.add(slot);
    }
    this.files.set(t.file, rows);
    return null;
  }

  /**
   * Walks the contributions in table order: `old(c)` for each old one (index in the old record)
   * kept, or of an edited file when `now` is false; `made(f, n)` for each new one of edited file f when `now`.
   * With `slots`, old ones of other slots are passed over in a tight loop (`old` is not called for them).
   */
  private walk(now: boolean, old: (c: number) => void, made: (f: FileRows, n: NewContribution) => void, slots: ReadonlySet<number> | null = null): void {
    walkTable(this.old.conSlot, [...this.files.values()], now, old, made, slots);
  }

  /** The contributions in table order, the edited files' replaced when `now`; `slot` -1 for every slot. */
  private contributions(slot: number, now: boolean): (Contribution & { slot: number })[] {
    const out: (Contribution & { slot: number })[] = [];
    this.walk(
      now,
      (c) => this.pushOld(c, slot, out),
      (_, n) => {
        if (slot < 0 || n.slot === slot) out.push(n);
      },
      slot < 0 ? null : new Set([slot]),
    );
    return out;
  }

  private pushOld(c: number, slot: number, out: (Contribution & { slot: number })[]): void {
    const { old } = this;
    const s = old.conSlot[c]!;
    if (slot >= 0 && s !== slot) return;
    const mine = this.oldEvidence.get(c);
    const id = old.conEvidence[c]!;
    out.push({
      target: this.conTarget[c]!,
      kind: old.conKind[c]!,
      slot: s,
      evidence: (appender) => {
        if (mine) return mine;
        if (id < 0) throw new MissingEvidence(`no edge shows a binding of ${this.string(s)} (file ${old.conFile[c]})`);
        return appender.at(id);
      },
    });
  }

  /** The contributions to `slots` in table order, before the edits or after (`now`), each evidence as a replay key (patch-slot-flow.ts); `stored`: an edited file's old ones keyed as stored (`#` its id), not by their text at the line it moved to. */
  keyedIn(slots: ReadonlySet<number>, now: boolean, stored = false): KeyedContribution[] {
    const { old } = this;
    const out: KeyedContribution[] = [];
    this.walk(
      now,
      (c) => {
        const slot = old.conSlot[c]!;
        if (!slots.has(slot)) return;
        const id = old.conEvidence[c]!;
        out.push({ slot, target: this.conTarget[c]!, was: old.conTarget[c]!, kind: old.conKind[c]!, key: (stored ? undefined : this.oldKeys.get(c)) ?? (id >= 0 ? `#${id}` : `p${c}`) });
      },
      (_, n) => {
        if (slots.has(n.slot)) out.push({ slot: n.slot, target: n.target, kind: n.kind, key: `=${packEvidence(n.evidence(null as never))}` });
      },
      slots,
    );
    return out;
  }

  oldContributions(slot: number): Contribution[] {
    return this.contributions(slot, false);
  }

  newContributions(slot: number): Contribution[] {
    return this.contributions(slot, true);
  }

  /**
   * Every target of the table's plain bindings in table order, before the edits (`now` false) or
   * after: the kept runs copied whole (a kernel's table holds some 200,000), the edited files' rows in their place.
   */
  targets(now: boolean): Int32Array {
    const { conTarget } = this;
    if (!now) return conTarget.slice();
    const edited = [...this.files.values()].sort((x, y) => x.oldCons[0] - y.oldCons[0] || x.file - y.file);
    const out = new Int32Array(conTarget.length + edited.reduce((n, f) => n + f.cons.length - (f.oldCons[1] - f.oldCons[0]), 0));
    let w = 0;
    let c = 0;
    for (const f of edited) {
      out.set(conTarget.subarray(c, f.oldCons[0]), w);
      w += f.oldCons[0] - c;
      for (const n of f.cons) out[w++] = n.target;
      c = f.oldCons[1];
    }
    out.set(conTarget.subarray(c), w);
    return out;
  }

  /** The member call sites (new ids) that read each of these slots. */
  readersOf(slots: Set<number>): Map<number, [number, number][]> {
    const out = new Map<number, [number, number][]>();
    const { siteReads } = this;
    for (let i = 0; i < siteReads.length; i += 3) {
      const slot = siteReads[i + 2]!;
      if (!slots.has(slot)) continue;
      const list = out.get(slot);
      if (list) list.push([siteReads[i]!, siteReads[i + 1]!]);
      else out.set(slot, [[siteReads[i]!, siteReads[i + 1]!]]);
    }
    return out;
  }

  private readonly evidenceIds = new Map<NewContribution, number>();

  /**
   * The evidence ids of the edited files' new contributions: appended ones for slots bound again,
   * the kept binding's for unchanged slots, else that of an edge the patch wrote showing it (`shown`:
   * a call through a pointer variable loaded from the slot, or from one it is copied to) or -1.
   */
  setEvidence(idOf: (e: Evidence) => number, rebound: Set<number>, changed: Set<number>, shown: (e: Evidence) => number = () => -1): void {
    const { old } = this;
    for (const f of this.files.values()) {
      for (const c of f.cons) {
        let id = -1;
        if (rebound.has(c.slot)) id = idOf(c.evidence(null as never));
        else if (!changed.has(c.slot) && c.from >= 0) {
          for (let i = f.oldCons[0]; i < f.oldCons[1]; i++) if (old.conItem[i] === c.from && this.conTarget[i] === c.target) id = old.conEvidence[i]!;
        } else id = shown(c.evidence(null as never));
        this.evidenceIds.set(c, id);
      }
    }
  }

  /** The record as it now stands. */
  snapshot(): BindingRecordSnapshot {
    const { old } = this;
    const taken = { ...(old.fallback ? { fallback: packFallback(this.fallbackSites, this.takenOtherwise, this.takenVariadic, old.fallback) } : {}), ...(this.flow ? { flow: this.flow } : {}), ...(this.fieldNames ? { fieldNames: this.fieldNames } : {}) };
    if (this.files.size === 0) return { ...old, ...taken, conTarget: this.conTarget, siteReads: this.siteReads };
    // The old rows copied a run at a time, each edited file's new rows in place of its old ones (the order walk keeps).
    const edited = [...this.files.values()].sort((x, y) => x.oldCons[0] - y.oldCons[0] || x.file - y.file);
    const count = old.conTarget.length + edited.reduce((n, f) => n + f.cons.length - (f.oldCons[1] - f.oldCons[0]), 0);
    const ints = (): Int32Array => sharedArray(Int32Array, count);
    const out = { conFile: ints(), conItem: ints(), conSlot: ints(), conRoot: ints(), conTarget: ints(), conKind: sharedArray(Uint8Array, count), conEvidence: ints() };
    const source = { conFile: old.conFile, conItem: old.conItem, conSlot: old.conSlot, conRoot: old.conRoot, conTarget: this.conTarget, conKind: old.conKind, conEvidence: old.conEvidence };
    const columns = Object.keys(out) as (keyof typeof out)[];
    let w = 0;
    let c = 0;
    const copy = (end: number): void => {
      for (const k of columns) out[k].set(source[k].subarray(c, end), w);
      w += end - c;
      c = end;
    };
    for (const f of edited) {
      copy(f.oldCons[0]);
      for (const n of f.cons) {
        out.conFile[w] = f.file;
        out.conItem[w] = n.row;
        out.conSlot[w] = n.slot;
        out.conRoot[w] = n.root;
        out.conTarget[w] = n.target;
        out.conKind[w] = n.kind;
        out.conEvidence[w++] = this.evidenceIds.get(n) ?? -1;
      }
      c = f.oldCons[1];
    }
    copy(old.conTarget.length);
    return {
      ...old,
      ...out,
      siteReads: this.siteReads,
      ...taken,
    };
  }
}
