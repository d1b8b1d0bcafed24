import type { CodeIndex } from '../index/code-index.js';
import type { BindingFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import type { EdgeKind } from './edge-kind.js';
import type { Evidence } from './edge-list.js';
import { type Slot, slotKey, type TypeModel } from './type-model.js';

/** A function bound to a member slot, and how we know. */
export interface Binding {
  target: number;
  kind: EdgeKind;
  evidence: Evidence;
}

/** Member slot -> functions stored in it, from initializers, assignments and registrations. */
export class BindingTable {
  private readonly bySlot = new Map<string, Binding[]>();
  private readonly byField = new Map<string, Binding[]>();
  /** Functions whose address is taken (stored or passed as a value). */
  readonly addressTaken = new Set<number>();

  add(slot: Slot, b: Binding): void {
    const key = slotKey(slot);
    const list = this.bySlot.get(key);
    if (list?.some((x) => x.target === b.target)) return;
    if (list) list.push(b);
    else this.bySlot.set(key, [b]);
    const byField = this.byField.get(slot.field);
    if (byField) byField.push(b);
    else this.byField.set(slot.field, [b]);
    this.addressTaken.add(b.target);
  }

  forSlot(slot: Slot): Binding[] {
    return this.bySlot.get(slotKey(slot)) ?? [];
  }

  /** Every binding of a field of this name, whatever the struct (the weak fallback). */
  forFieldName(field: string): Binding[] {
    return this.byField.get(field) ?? [];
  }
}

/** What a binding fact says, in words: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
function describe(b: BindingFact, slot: Slot, root: string): string {
  if (b.how === 'assign') return `${b.text ?? `${slot.field} = ${b.fn}`} in ${b.inFunction} (${slot.holder})`;
  const positional = b.path.some((p) => p.startsWith('#'));
  const path = positional ? slot.field : b.path.join('.');
  const how = positional ? ' (positional)' : '';
  return `.${path} = ${b.fn}${how} in ${root} ${b.variable}${slot.holder !== root ? ` (${slot.holder}.${slot.field})` : ''}`;
}

/** A stored parameter found while reading bindings: function `fn` stores its parameter `param` in `slot`. */
export interface ParamStore {
  file: number;
  fn: string;
  param: number;
  slot: Slot;
  line: number;
}

/** Reads every initializer and assignment of the tree into a BindingTable. */
export function collectBindings(index: CodeIndex, types: TypeModel): { table: BindingTable; stores: ParamStore[] } {
  const table = new BindingTable();
  const stores: ParamStore[] = [];
  index.files.forEach((file, fileId) => {
    for (const b of file.bindings) {
      const root = types.evaluate(b.root);
      if (!root) continue;
      const slot = types.walk(root, b.path);
      if (!slot) continue;
      if (b.param !== undefined && b.inFunction) {
        stores.push({ file: fileId, fn: b.inFunction, param: b.param, slot, line: b.line });
        continue;
      }
      const evidence = { file: file.path, line: b.line, text: describe(b, slot, root) };
      for (const target of directTargets(index, fileId, b.fn)) {
        if (index.isMacro(target)) continue;
        table.add(slot, { target, kind: b.how === 'init' ? 'ops-initializer' : 'ops-assignment', evidence });
      }
    }
  });
  return { table, stores };
}
