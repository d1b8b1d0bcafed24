import type { BindingFact, VarFact } from '../types/facts.js';
import { memberLoad, passedName, typeOf } from './expressions.js';
import type { SyntaxNode } from './parser.js';
import { mayHoldFunction, pointerStore } from './pointer-stores.js';
import type { CallRules } from './rules.js';
import type { Scope } from './scope.js';

/**
 * The values a conditional may yield: both arms of `c ? a : b`, and of `a ?: b` the condition
 * and the alternative, at any depth; any other expression is its own one value.
 */
export function arms(value: SyntaxNode): SyntaxNode[] {
  if (value.type !== 'conditional_expression') return [value];
  const first = value.childForFieldName('consequence') ?? value.childForFieldName('condition');
  const alternative = value.childForFieldName('alternative');
  return [...(first ? arms(first) : []), ...(alternative ? arms(alternative) : [])];
}

/**
 * The member assignments assignmentBinding (./extract-bindings.ts) leaves: a copy of another
 * member (`w->current_func = work->func`, BindingFact.from), a pointer variable of the function
 * (`x->f = fp`, BindingFact.fromLocal), and each arm of a conditional (`x->f = y->g ?: fn`: a copy
 * and a store of `fn`). A value cast to a struct or union pointer is left out. Every fact's text is
 * the whole assignment. Like scan/member-copies.ts memberCopies.
 */
export function memberCopies(assign: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact[] {
  if (assign.childForFieldName('operator')?.text !== '=') return [];
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (left?.type !== 'field_expression' || !right) return [];
  const obj = left.childForFieldName('argument');
  const field = left.childForFieldName('field');
  const root = obj ? typeOf(obj, scope, rules) : null;
  if (!root || !field) return [];
  const text = assign.text.replace(/\s+/g, ' ');
  const line = assign.startPosition.row + 1;
  const out: BindingFact[] = [];
  const values = arms(right);
  for (const value of values) {
    // A value cast to a struct or union pointer is data, never a function.
    if (value.type === 'cast_expression' && /^(struct|union)\b/.test(value.childForFieldName('type')?.text ?? '')) continue;
    const base: BindingFact = { root, path: [field.text], fn: '', line, how: 'assign', inFunction, text };
    const fn = passedName(value);
    if (fn) {
      const p = scope.param(fn);
      const v = scope.get(fn);
      if (p >= 0) {
        if (values.length > 1) out.push({ ...base, fn, param: p });
      } else if (v) {
        if (mayHoldFunction(v)) out.push({ ...base, fn, fromLocal: true });
      } else if (values.length > 1) out.push({ ...base, fn });
      continue;
    }
    const load = memberLoad(value, scope, rules);
    if (load) out.push({ ...base, fn: load.field, from: { root: load.root, path: [load.field] } });
  }
  return out;
}

/**
 * The functions a conditional stores into a pointer variable or an array element (`fp = c ? f :
 * g;`, `fp = f ?: g;`): one pointer store per arm naming a function, with the statement as text.
 * `target` is the variable's name, `v` its declaration in the function (undefined for a file-scope
 * one). Empty when the value is no conditional, or an arm names a local or a parameter. Like
 * scan/member-copies.ts pointerArms.
 */
export function pointerArms(target: string, value: SyntaxNode, v: VarFact | undefined, scope: Scope | undefined, line: number, how: 'init' | 'assign', text: string, inFunction: string | undefined, local: boolean): BindingFact[] {
  if (value.type !== 'conditional_expression' || !mayHoldFunction(v)) return [];
  const out: BindingFact[] = [];
  for (const arm of arms(value)) {
    const fn = passedName(arm);
    if (fn && !scope?.get(fn) && (scope?.param(fn) ?? -1) < 0) out.push(pointerStore(target, fn, line, how, text, inFunction, local));
  }
  return out;
}

/** `fp = c ? f : g;` in a body: pointerArms for an assignment to a variable (not a parameter) of the function or of file scope. */
export function variableArms(assign: SyntaxNode, scope: Scope, inFunction: string): BindingFact[] {
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (assign.childForFieldName('operator')?.text !== '=' || left?.type !== 'identifier' || !right || !scope.assignable(left.text)) return [];
  const v = scope.get(left.text);
  return pointerArms(left.text, right, v, scope, assign.startPosition.row + 1, 'assign', assign.text.replace(/\s+/g, ' '), inFunction, v !== undefined);
}
