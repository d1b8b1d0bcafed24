/**
 * Stores that function-like macros make into a member of one of their parameters
 * (MacroStoreFact: `(_work)->func = (_func)` in an INIT_WORK-like macro). The macro does not
 * write the holder's type, so it is inferred, by these rules in this order (the first that
 * gives an answer decides):
 * 1. a cast of the parameter in the body (`((struct s *)(p))->cb = fn`): the author's own words;
 * 2. the typed parameters of the functions the macro passes the same parameter to, as is
 *    (`__init_work((_work), _onstack)` with `void __init_work(struct work_struct *work, int)`),
 *    also through macros it passes it to (at most MAX_TYPE_DEPTH deep): the compiler checks
 *    that type at every use, so it is the holder's. Two different struct types here are an
 *    ambiguity: nothing is recorded (no rule below is tried);
 * 3. the members the body uses on the parameter (`data`, `func` and the stored one): taken
 *    when exactly one struct or union of the tree has all of them; members alone are weak
 *    evidence, so several fitting structs (or none) record nothing rather than a wide guess.
 * A parameter stored (`= (_func)`) is followed to what the macro's callers pass, like a
 * function's param-to-field store; a name stored (`= default_fn`) binds as an assignment.
 */
import { tagOf } from './split-tags.js';
import type { CodeIndex } from '../index/code-index.js';
import type { MacroFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import type { BindingTable } from './binding-table.js';
import type { ParamUse } from './propagate-params.js';
import { holdsNoFunction } from './function-holders.js';
import type { TypeModel } from './type-model.js';
import { flat } from '../util/flat-text.js';

/** How many macros deep rule 2 follows a parameter passed on. */
const MAX_TYPE_DEPTH = 4;

const macroOf = (index: CodeIndex, node: number): MacroFact => index.files[index.nodeFile[node]!]!.macros[index.nodeItem[node]!]!;

/**
 * The struct types the functions a macro passes its parameter `param` to give it (rule 2),
 * following macros it is passed to up to MAX_TYPE_DEPTH deep.
 */
function passedTypes(index: CodeIndex, types: TypeModel, node: number, param: number, depth: number, into: Set<string>): void {
  const macro = macroOf(index, node);
  const name = macro.params[param];
  const file = index.nodeFile[node]!;
  for (const call of macro.calls) {
    if (call.name === undefined) continue;
    call.args.forEach((arg, i) => {
      if (arg !== name) return;
      for (const target of directTargets(index, file, call.name!)) {
        if (index.isMacro(target)) {
          if (depth < MAX_TYPE_DEPTH && target !== node) passedTypes(index, types, target, i, depth + 1, into);
          continue;
        }
        const f = index.files[index.nodeFile[target]!]!.functions[index.nodeItem[target]!]!;
        const type = f.params[i] ? types.canonical(f.params[i]!.type, index.nodeFile[target]!) : null;
        if (type && types.isStruct(type)) into.add(type);
      }
    });
  }
}

/** The struct a macro's parameter `param` points to (or is), by the rules of the module comment; null when unknown or ambiguous. */
export function macroHolderType(index: CodeIndex, types: TypeModel, node: number, param: number): string | null {
  const holder = macroOf(index, node).holders?.find((h) => h.param === param);
  const file = index.nodeFile[node]!;
  if (holder?.cast) {
    const cast = types.canonical(holder.cast, file);
    if (types.isStruct(cast)) return cast;
  }
  const passed = new Set<string>();
  passedTypes(index, types, node, param, 0, passed);
  if (passed.size) return passed.size === 1 ? [...passed][0]! : null;
  const fitting = types.structsWithFields(holder?.members ?? []);
  return fitting.length === 1 ? types.canonical(fitting[0]!, file) : null;
}

/**
 * Reads every macro store of the tree: names stored bind in `table` as assignments (evidence
 * at the store); stored parameters come back as ParamUses to follow to the macros' callers.
 */
export function macroStoreUses(index: CodeIndex, types: TypeModel, table: BindingTable): ParamUse[] {
  const uses: ParamUse[] = [];
  const narrow = new Set(index.profile.narrowTypes ?? []);
  for (let node = 0; node < index.nodeCount; node++) {
    if (!index.isMacro(node)) continue;
    const macro = macroOf(index, node);
    if (!macro.stores) continue;
    const fileId = index.nodeFile[node]!;
    const path = index.files[fileId]!.path;
    const holderOf = new Map<number, string | null>();
    for (const store of macro.stores) {
      if (!holderOf.has(store.holder)) holderOf.set(store.holder, macroHolderType(index, types, node, store.holder));
      const holder = holderOf.get(store.holder);
      const slot = holder ? types.walk(holder, store.path) : null;
      if (!slot) continue;
      if (store.param !== undefined) {
        // Only into a member a function can flow into (function-holders.ts): a macro's parameters have no type.
        const member = types.memberType(slot);
        if (member && holdsNoFunction(member.type, member.fnptr, narrow)) continue;
        uses.push({ node, param: store.param, where: `${path}:${store.line}`, slot, user: macro.name });
        continue;
      }
      const evidence = { file: path, line: store.line, text: flat`${store.text} in ${macro.name} (${tagOf(slot.holder)})` };
      for (const target of directTargets(index, fileId, store.fn!)) {
        if (!index.isMacro(target)) table.add(slot, target, 'ops-assignment', evidence);
      }
    }
  }
  return uses;
}
