import type { BindingFact, CallFact, TypeExpr, VarFact } from '../types/facts.js';

/** Type words that name no typedef: a variable of such a base type holds no function (unless it is a function pointer). */
const PLAIN_TYPES = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', 'bool']);

/**
 * Whether a store into variable `v` may be a function address worth recording: a function
 * pointer, or a variable of a typedef type (`work_func_t fn`), or a name not declared in the
 * function (`undefined`: a file-scope variable). Variables of struct, union, enum or plain types
 * are left out, so ordinary `n = count` assignments make no fact. Shared by both extractors.
 */
export function mayHoldFunction(v: VarFact | undefined): boolean {
  if (!v) return true;
  if (v.fnptr) return true;
  return /^[A-Za-z_]\w*$/.test(v.type) && !PLAIN_TYPES.has(v.type);
}

/**
 * A store of function name `fn` into pointer variable `variable` (BindingFact.pointer), local to
 * `inFunction` when `local`. `text` is the store as the evidence shows it (`fp = f`, `tbl[IDX] = f`).
 */
export function pointerStore(variable: string, fn: string, line: number, how: 'init' | 'assign', text: string, inFunction: string | undefined, local: boolean): BindingFact {
  const b: BindingFact = { root: { k: 'global', name: variable }, path: [], fn, line, how, variable, text, pointer: local ? 'local' : 'global' };
  if (inFunction !== undefined) b.inFunction = inFunction;
  return b;
}

/**
 * A load of member `field` of the object whose type `root` describes into pointer variable
 * `variable` (`fp = x->f`, `void (*fp)(void) = x->f`): a pointer store with BindingFact.from set.
 * `text` is the load as the evidence shows it (`fp = x->f`).
 */
export function pointerLoad(variable: string, root: TypeExpr, field: string, line: number, how: 'init' | 'assign', text: string, inFunction: string | undefined, local: boolean): BindingFact {
  const b = pointerStore(variable, field, line, how, text, inFunction, local);
  b.from = { root, path: [field] };
  return b;
}

/** Marks `call` as made through local `v` named `name` (CallFact.var), with its declared type (CallFact.ptrType) when it is a function pointer. */
export function declaredPointer(call: CallFact, name: string, v: VarFact): void {
  call.var = name;
  if (v.fnptr) call.ptrType = { returns: v.type, params: v.params ?? [] };
}
