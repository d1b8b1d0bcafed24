import type { BindingFact, CallFact, TypeExpr, VarFact } from '../types/facts.js';
import type { Scope } from './scope.js';

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
 * Whether an entry of an array whose element type is a typedef name (`static rx_fn_t tbl[] = { f, g }`)
 * may name a function: an identifier with a lower-case letter. A typedef of a function pointer
 * cannot be told from one of an integer in one file, and integer tables are written with
 * upper-case constants (`{ REG_A, REG_B }`), which are left out. Shared by both extractors.
 */
export const mayNameFunction = (name: string): boolean => /[a-z]/.test(name);

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

/**
 * Whether function `name` (its signature text as written, its base return type) may return a
 * function: it returns a function pointer (`void (*pick(void))(void)`) or a typedef that may hold
 * one (mayHoldFunction: `irq_flow_handler_t`). Only such functions' returns are recorded
 * (BindingFact.returned). Shared by both extractors.
 */
export function returnsFunction(name: string, signature: string, returns: string): boolean {
  if (mayHoldFunction({ name, type: returns })) return true;
  return declaresPointerReturn(signature, name);
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;
const WORD = /\w/;
const SPACE = /\s/;

/**
 * Whether `signature` has `( *... name (` (a `(`, blanks, a `*`, no parenthesis up to `name` as a
 * whole word, then blanks and `(`): the declarator of a function returning a function pointer.
 * A scan over the occurrences of `name` (indexOf), with no regular expression built per function.
 */
function declaresPointerReturn(signature: string, name: string): boolean {
  if (!IDENTIFIER.test(name)) return new RegExp(`\\(\\s*\\*[^()]*\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\(`).test(signature);
  for (let at = signature.indexOf(name); at >= 0; at = signature.indexOf(name, at + 1)) {
    if (at === 0 || WORD.test(signature[at - 1]!)) continue;
    let after = at + name.length;
    while (after < signature.length && SPACE.test(signature[after]!)) after++;
    if (signature[after] !== '(') continue;
    let open = at - 1;
    while (open >= 0 && signature[open] !== '(' && signature[open] !== ')') open--;
    if (open < 0 || signature[open] !== '(') continue;
    let star = open + 1;
    while (star < at && SPACE.test(signature[star]!)) star++;
    if (star < at && signature[star] === '*') return true;
  }
  return false;
}

/**
 * A store of `fn` through pointer parameter `slot` (index `out`) of `inFunction`: `*slot = fn`
 * (BindingFact.out). `param` is set when `fn` is `inFunction`'s parameter at that index.
 */
export function outStore(slot: string, out: number, fn: string, param: number, line: number, text: string, inFunction: string): BindingFact {
  const b: BindingFact = { root: { k: 'global', name: slot }, path: [], fn, line, how: 'assign', inFunction, text, out };
  if (param >= 0) b.param = param;
  return b;
}

/**
 * `return fn;` in `inFunction` (BindingFact.returned): `how` is 'local' when `fn` is a local
 * variable of it; `param` is set when `fn` is its parameter at that index.
 */
export function returnStore(fn: string, how: 'value' | 'local', param: number, line: number, inFunction: string): BindingFact {
  const b: BindingFact = { root: { k: 'ret', fn: inFunction }, path: [], fn, line, how: 'assign', inFunction, text: `return ${fn}`, returned: how };
  if (param >= 0) b.param = param;
  return b;
}

/**
 * What a `return` names, as a returned fact of `inFunction` (see returnStore), or null when
 * the name cannot hold a function: a parameter or local of a type that cannot
 * (mayHoldFunction). `scope` holds the function's parameters and locals.
 */
export function returnedName(fn: string, scope: Scope, line: number, inFunction: string): BindingFact | null {
  const p = scope.param(fn);
  const v = scope.get(fn);
  if (v && !mayHoldFunction(v)) return null;
  if (p >= 0) return returnStore(fn, 'value', p, line, inFunction);
  return returnStore(fn, v ? 'local' : 'value', -1, line, inFunction);
}

/** Drops the returned facts (BindingFact.returned) of `bindings` from index `from` on: for a function that cannot return a function (returnsFunction). */
export function dropReturns(bindings: BindingFact[], from: number): void {
  let to = from;
  for (let i = from; i < bindings.length; i++) if (!bindings[i]!.returned) bindings[to++] = bindings[i]!;
  bindings.length = to;
}

/**
 * Turns the member initializers a local declaration made (`bindings` from index `from` on:
 * `struct smp_call_on_cpu_struct sscs = { .func = func, ... }`) whose value is a parameter of the
 * function `inFunction` into parameter stores (BindingFact.param), as `sscs.func = func` would be:
 * what callers pass as that parameter is bound to the member. Shared by both extractors.
 */
export function markParameterInits(bindings: BindingFact[], from: number, scope: Scope, inFunction: string): void {
  for (let i = from; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.how !== 'init' || b.pointer || b.param !== undefined) continue;
    const p = scope.param(b.fn);
    if (p < 0) continue;
    b.inFunction = inFunction;
    b.param = p;
  }
}
