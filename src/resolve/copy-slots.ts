import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import type { BindingFact, TypeExpr } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import type { BindingTable, MemberCopy } from './binding-table.js';
import type { EdgeKind } from './edge-kind.js';
import type { Evidence } from './edge-list.js';
import { type Slot, slotKey, type TypeModel } from './type-model.js';
import { flat } from '../util/flat-text.js';

/**
 * What a value holds, one source at a time: a function (bound as `kind`), or whatever a member
 * slot holds. `evidence` is the chain that brings it there (a store, a load), first step first.
 */
export type Held = { target: number; kind: EdgeKind; evidence: Evidence[] } | { slot: Slot; evidence: Evidence[] };

/** A function a value holds, the strongest kind among the ways it got there, and the chain of each way. */
export interface HeldFunction {
  target: number;
  kind: EdgeKind;
  evidence: Evidence[];
}

/** `dest` holds everything `source` holds; `evidence` says why (the copy, or the call that passes it). */
interface Copy {
  dest: Slot;
  source: Slot;
  evidence: Evidence[];
}

/**
 * True for a binding fact that SlotCopies reads as a store into a local pointer variable (what
 * `local` returns, keyed by the function and the variable): BindingFact.pointer 'local', not a
 * store of a call's result (`ret = make()` puts there what `make` returns, never `make`:
 * resolveFlows follows it).
 */
export const isLocalStore = (b: BindingFact): boolean => b.pointer === 'local' && !!b.variable && !b.call;

/**
 * Member slots that hold what other slots or pointer variables hold: copies between members
 * (`worker->current_func = work->func`, BindingFact.from), members assigned a local
 * (`x->f = fp`, BindingFact.fromLocal), and members or locals passed to a function that stores
 * its parameter. `settle` fills the BindingTable with them to a fixpoint (cycles end: a function
 * joins a slot once), each copied binding of its source binding's kind, its evidence the copy
 * then the source binding's evidence.
 */
export class SlotCopies {
  /** Pointer stores into locals (BindingFact.pointer 'local') of a function or a member, not of a call's result, by `${file}:${function}:${variable}`. */
  private readonly locals = new Map<string, MemberCopy[]>();
  private readonly copies: Copy[] = [];

  constructor(
    private readonly index: CodeIndex,
    private readonly types: TypeModel,
    private readonly table: BindingTable,
  ) {
    index.files.forEach((file, fileId) => {
      for (const b of file.bindings) {
        if (!isLocalStore(b)) continue;
        const key = `${fileId}:${b.inFunction}:${b.variable}`;
        const list = this.locals.get(key);
        if (list) list.push({ file: fileId, b });
        else this.locals.set(key, [{ file: fileId, b }]);
      }
    });
  }

  /** The member `path` of the struct `root` evaluates to in file `file` (a file id); null when either is unknown. */
  slotOf(root: TypeExpr, path: string[], file: number): Slot | null {
    const holder = this.types.evaluate(root, file);
    return holder ? this.types.walk(holder, path) : null;
  }

  /** What pointer variable `name` local to function `fn` of file `file` holds: each function stored into it, each member loaded into it. */
  local(file: number, fn: string, name: string): Held[] {
    const held: Held[] = [];
    for (const { b } of this.locals.get(`${file}:${fn}:${name}`) ?? []) {
      const evidence: Evidence[] = [{ file: this.index.files[file]!.path, line: b.line, text: flat`${b.text ?? `${b.variable} = ${b.fn}`} in ${b.inFunction}` }];
      if (b.from) {
        const slot = this.slotOf(b.from.root, b.from.path, file);
        if (slot) held.push({ slot, evidence });
        continue;
      }
      for (const target of directTargets(this.index, file, b.fn)) {
        if (!this.index.isMacro(target)) held.push({ target, kind: b.how === 'init' ? 'ops-initializer' : 'ops-assignment', evidence });
      }
    }
    return held;
  }

  /**
   * What argument `arg` of call site `site` of node `caller` passes: the member it reads
   * (CallFact.argMembers) or the local pointer variable it names, and how to call it in evidence
   * (`struct job.cb`, `fp`); null for anything else.
   */
  argument(caller: number, site: number, arg: number): { what: string; held: Held[] } | null {
    const call = this.index.calls(caller)[site]!;
    const member = call.argMembers?.find((m) => m.arg === arg);
    if (member) {
      const slot = this.slotOf(member.root, [member.field], this.index.nodeFile[caller]!);
      return slot ? { what: slotKey(slot), held: [{ slot, evidence: [] }] } : null;
    }
    const name = call.args[arg];
    if (!name) return null;
    const held = this.local(this.index.nodeFile[caller]!, this.index.name(caller), name);
    return held.length ? { what: name, held } : null;
  }

  /** Records that `dest` holds everything in `held`, `evidence` (the step that puts it there) before each source's own. */
  fill(dest: Slot, held: Held[], evidence: Evidence[]): void {
    for (const h of held) {
      if ('slot' in h) this.copies.push({ dest, source: h.slot, evidence: [...evidence, ...h.evidence] });
      else this.table.add(dest, h.target, h.kind, [...evidence, ...h.evidence]);
    }
  }

  /** Records a member copy fact (BindingFact.from or fromLocal) of file `file`. */
  copy(file: number, b: BindingFact): void {
    const holder = this.types.evaluate(b.root, file);
    const dest = holder ? this.types.walk(holder, b.path) : null;
    if (!dest || !b.inFunction) return;
    this.table.watch?.placed?.(b, slotKey(dest), holder!);
    const evidence: Evidence = { file: this.index.files[file]!.path, line: b.line, text: flat`${b.text} in ${b.inFunction} (${tagOf(dest.holder)})` };
    if (b.from) {
      const source = this.slotOf(b.from.root, b.from.path, file);
      if (source) this.fill(dest, [{ slot: source, evidence: [] }], [evidence]);
    } else this.fill(dest, this.local(file, b.inFunction, b.fn), [evidence]);
  }

  /** Copies every function of each source slot into its destinations until nothing changes. */
  settle(): void {
    const bySource = new Map<string, Copy[]>();
    for (const c of this.copies) {
      const key = slotKey(c.source);
      const list = bySource.get(key);
      if (list) list.push(c);
      else bySource.set(key, [c]);
    }
    const sources = new Map(this.copies.map((c) => [slotKey(c.source), c.source]));
    // The binding record keeps the copies and which bindings the settle makes (slot-flow-record.ts).
    const watch = this.table.watch;
    watch?.settleBegin?.(this.copies.map((c) => ({ source: slotKey(c.source), dest: slotKey(c.dest), evidence: c.evidence })));
    const queue = [...sources.keys()];
    const queued = new Set(queue);
    for (let head = 0; head < queue.length; head++) {
      const key = queue[head]!;
      queued.delete(key);
      const from = this.table.forSlot(sources.get(key)!);
      for (const c of bySource.get(key)!) {
        let grew = false;
        for (const b of from) {
          if (this.table.has(c.dest, b.target)) continue;
          this.table.add(c.dest, b.target, b.kind, [...c.evidence, ...b.evidence]);
          grew = true;
        }
        const next = slotKey(c.dest);
        if (grew && bySource.has(next) && !queued.has(next)) {
          queue.push(next);
          queued.add(next);
        }
      }
    }
    watch?.settleEnd?.((key) => sources.has(key) && this.table.forSlot(sources.get(key)!).length > 0);
  }

  /** The functions in `held` (slots expanded to what they hold once settled), each with its chain. */
  functions(held: Held[]): HeldFunction[] {
    const out: HeldFunction[] = [];
    for (const h of held) {
      if (!('slot' in h)) out.push(h);
      else for (const b of this.table.forSlot(h.slot, 'callback')) out.push({ target: b.target, kind: b.kind, evidence: [...h.evidence, ...b.evidence] });
    }
    return out;
  }
}
