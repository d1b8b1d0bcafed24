import type { TypeExpr } from '../types/facts.js';
import type { BindingRecordSnapshot } from './binding-record.js';
import { keptReceiver, stepKey } from './member-call-edits.js';
import { tagOf } from './split-tags.js';
import type { TypeModel } from './type-model.js';

const HOLDER = '\u0002';
const VALUE = '\u0003';

/**
 * The steps a binding's root may take to a struct holding a member something was bound to
 * (`bound`: BindingTable.slotHolders), for BindingRecordSnapshot.holderSteps: each member of
 * TypeModel.membersLeadingTo evaluated as the resolution evaluates a root (`{k:'field', of:
 * {k:'type', name: holder}}`), so that the type model notes what it read (a struct edit changing
 * one of them then resolves in full: cache/type-edit.ts). A patch places an assignment into a
 * member of a member (`adapter->service_task.func = f;`, the hrtimer idiom `t->timer.function =
 * cb`) from these steps when no binding of the tree had its root (patch-bindings-record.ts), and
 * binds a call through a member whose receiver no call site took (add-member-sites.ts).
 *
 * Only steps whose value is the same from every file are kept: a struct defined in one file (or
 * merged), named as it is; a split tag's (split-tags.ts) value depends on the file reading it.
 *
 * Returns one line per holder, in the model's order: `holder \u0002 member \u0003 struct`, then
 * more `\u0002 member \u0003 struct`, lines joined by `\n` (no name holds those characters). On
 * Linux 6.1 some 54,500 members of 20,800 structs: 2.1 MB of text, 0.43 MB deflated in the graph file.
 */
export function holderStepsText(types: TypeModel, bound: ReadonlySet<string>): string {
  const lines: string[] = [];
  let holder = '';
  let line = '';
  for (const [name, field] of types.membersLeadingTo(bound)) {
    const root: TypeExpr = { k: 'type', name };
    if (name !== holder && types.evaluate(root) !== name) continue;
    const value = types.evaluate({ k: 'field', of: root, field });
    if (value === null || tagOf(value) !== value) continue;
    if (name !== holder) {
      if (line) lines.push(line);
      line = name;
      holder = name;
    }
    line += `${HOLDER}${field}${VALUE}${value}`;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/**
 * The steps of a holderSteps text by stepKey (member-call-edits.ts): `holder\u0001member` to the
 * member's struct, and each holder's and each such struct's own name as a root type (a local
 * `struct hrtimer *t`): every one of them is a struct one file defines, named as it is, so it
 * evaluates to itself from any file (and evaluating the member read its name).
 */
export function readHolderSteps(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const parts = line.split(HOLDER);
    const holder = parts[0]!;
    if (!holder) continue;
    out.set(stepKey(holder, null), holder);
    for (let i = 1; i < parts.length; i++) {
      const at = parts[i]!.indexOf(VALUE);
      const value = parts[i]!.slice(at + 1);
      out.set(stepKey(`${holder}\u0001${parts[i]!.slice(0, at)}`, null), value);
      out.set(stepKey(value, null), value);
    }
  }
  return out;
}

/**
 * What a root or receiver evaluates to from the steps a binding record keeps, without the type
 * model: the steps member call sites' receivers took (receiverSteps, which win where both have a
 * key: the same evaluations), then those the resolution noted for members leading to members bound
 * (holderSteps). Read from the record when first asked.
 */
export class KeptSteps {
  private steps: Map<string, string> | null = null;

  /** `strings`: the record's string table (recordStrings). */
  constructor(
    private readonly record: Pick<BindingRecordSnapshot, 'receiverSteps' | 'holderSteps'>,
    private readonly strings: readonly string[],
  ) {}

  /** What `e`, written in the file at `path`, evaluates to, or its first step none of them took, in words (keptReceiver). */
  evaluate(e: TypeExpr, path: string): { value: string } | { missing: string } {
    if (!this.steps) {
      const { receiverSteps, holderSteps } = this.record;
      this.steps = holderSteps ? readHolderSteps(holderSteps) : new Map();
      for (let i = 0; receiverSteps && i < receiverSteps.length; i += 2) this.steps.set(this.strings[receiverSteps[i]!]!, this.strings[receiverSteps[i + 1]!]!);
    }
    const steps = this.steps;
    return keptReceiver(e, path, (key) => steps.get(key));
  }
}
