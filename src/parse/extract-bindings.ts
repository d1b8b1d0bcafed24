import type { BindingFact, TypeExpr, VarFact } from '../types/facts.js';
import { baseType, declaratorInfo, parameterTypes } from './c-types.js';
import { callResult, memberLoad, passedName, typeOf } from './expressions.js';
import { pointerArms } from './member-copies.js';
import type { SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';
import { mayHoldFunction, mayNameFunction, outStore, pointerLoad, pointerStore } from './pointer-stores.js';
import type { Scope } from './scope.js';

/**
 * Records every name stored by an initializer list, at any depth:
 * `.sendmsg = inet_sendmsg`, `.dst = { .output = ip_output }`, positional `{ a, b }` (as `#0`, `#1`).
 * `elements` is set for the list of an array variable, whose items are elements, not members;
 * `[IDX] =` designators select elements too and add nothing to the path.
 */
function walkInitializer(list: SyntaxNode, root: TypeExpr, path: string[], elements: boolean, variable: string, out: BindingFact[]): void {
  let position = 0;
  for (const item of list.namedChildren) {
    if (item.type === 'comment') continue;
    let value: SyntaxNode | null = item;
    let members: string[] = elements ? [] : [`#${position}`];
    if (item.type === 'initializer_pair') {
      value = item.childForFieldName('value');
      members = item
        .childrenForFieldName('designator')
        .filter((d) => d.type === 'field_designator' || d.type === 'field_identifier')
        .map((d) => (d.type === 'field_identifier' ? d.text : d.namedChild(0)?.text ?? ''));
    }
    position++;
    if (!value) continue;
    const subPath = members.length ? [...path, ...members] : path;
    if (value.type === 'initializer_list') {
      walkInitializer(value, root, subPath, false, variable, out);
      continue;
    }
    const name = passedName(value);
    if (name && subPath.length > 0) out.push({ root, path: subPath, fn: name, line: value.startPosition.row + 1, how: 'init', variable });
  }
}

/**
 * The entries of an array of function pointers: `[IDX] = f` as `tbl[IDX] = f`, a positional
 * `f` as `tbl[N] = f` (pointer stores, see BindingFact.pointer), as the scanner's pointerElements.
 */
function pointerElements(list: SyntaxNode, variable: string, out: BindingFact[], inFunction: string | undefined, keep: (name: string) => boolean = () => true): void {
  let position = 0;
  for (const item of list.namedChildren) {
    if (item.type === 'comment') continue;
    let value: SyntaxNode | null = item;
    let index = `[${position}]`;
    if (item.type === 'initializer_pair') {
      value = item.childForFieldName('value');
      const designators = item.childrenForFieldName('designator');
      index = designators.map((d) => d.text).join('').replace(/\s+/g, '');
    }
    position++;
    const fn = value ? passedName(value) : null;
    if (fn && value && keep(fn)) out.push(pointerStore(variable, fn, value.startPosition.row + 1, 'init', `${variable}${index} = ${fn}`, inFunction, inFunction !== undefined));
  }
}

/**
 * Variables declared by a declaration, with the bindings of their initializers.
 * Used for file-scope variables and for locals alike; `local` is set for a declaration in a
 * function body (the function, its scope so far and the call rules). A function pointer (or an array of them)
 * initialised with function names records pointer stores.
 */
export function declaredVariables(decl: SyntaxNode, out: BindingFact[], local?: { fn: string; scope: Scope; rules: CallRules }): VarFact[] {
  const type = decl.childForFieldName('type');
  const base = baseType(type);
  const isStatic = decl.children.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
  const vars: VarFact[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    const info = declaratorInfo(d);
    if (!info || info.isFunction) continue;
    const v: VarFact = info.fnptr ? { name: info.name, type: base, fnptr: true, params: parameterTypes(info.params) } : { name: info.name, type: base };
    if (!local && isStatic) v.isStatic = true;
    vars.push(v);
    const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    if (value?.type === 'initializer_list' && info.fnptr && info.isArray) {
      pointerElements(value, info.name, out, local?.fn);
    } else if (value?.type === 'initializer_list' && base) {
      // An array of a typedef type may hold functions (`static rx_fn_t tbl[] = { f, g }`).
      if (info.isArray && mayHoldFunction(v)) pointerElements(value, info.name, out, local?.fn, mayNameFunction);
      walkInitializer(value, { k: 'type', name: base }, [], info.isArray, info.name, out);
    } else if (value && !info.isArray && mayHoldFunction(v)) {
      const fn = passedName(value);
      if (fn && !local?.scope.get(fn)) out.push(pointerStore(info.name, fn, value.startPosition.row + 1, 'init', `${info.name} = ${fn}`, local?.fn, !!local));
      const load = !fn && local ? memberLoad(value, local.scope, local.rules) : null;
      if (load) out.push(pointerLoad(info.name, load.root, load.field, value.startPosition.row + 1, 'init', `${info.name} = ${value.text.replace(/\s+/g, ' ')}`, local!.fn, true));
      const result = !fn && !load && local ? callResult(value, local.rules) : null;
      if (result) out.push({ ...pointerStore(info.name, result.fn, value.startPosition.row + 1, 'init', `${info.name} = ${value.text.replace(/\s+/g, ' ')}`, local!.fn, true), call: { args: result.args } });
      if (!fn && !load && !result) out.push(...pointerArms(info.name, value, v, local?.scope, value.startPosition.row + 1, 'init', `${info.name} = ${value.text.replace(/\s+/g, ' ')}`, local?.fn, !!local));
    }
  }
  return vars;
}

/** `fp = fn` and `tbl[i] = fn`: a function stored into a pointer variable or an element of an array of them. */
function variableStore(assign: SyntaxNode, left: SyntaxNode, right: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact | null {
  const element = left.type === 'subscript_expression';
  const target = element ? left.childForFieldName('argument') : left;
  if (target?.type !== 'identifier') return null;
  const fn = passedName(right);
  if (!fn) return element ? null : variableLoad(assign, target.text, right, scope, rules, inFunction);
  const name = target.text;
  const v = scope.get(name);
  if (!scope.assignable(name) || scope.get(fn) || (!element && !mayHoldFunction(v)) || (element && v && !mayHoldFunction(v))) return null;
  return pointerStore(name, fn, assign.startPosition.row + 1, 'assign', assign.text.replace(/\s+/g, ' '), inFunction, v !== undefined);
}

/** `fp = x->f`: a member loaded into pointer variable `name` (a pointer load, see BindingFact.from). */
function variableLoad(assign: SyntaxNode, name: string, right: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact | null {
  const v = scope.get(name);
  if (!scope.assignable(name) || !mayHoldFunction(v)) return null;
  const load = memberLoad(right, scope, rules);
  if (!load) return resultStore(assign, name, right, scope, rules, inFunction);
  return pointerLoad(name, load.root, load.field, assign.startPosition.row + 1, 'assign', assign.text.replace(/\s+/g, ' '), inFunction, v !== undefined);
}

/** `fp = pick(a)`: what a call returns stored into pointer variable `name` (BindingFact.call). */
function resultStore(assign: SyntaxNode, name: string, right: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact | null {
  const result = callResult(right, rules);
  if (!result) return null;
  const b = pointerStore(name, result.fn, assign.startPosition.row + 1, 'assign', assign.text.replace(/\s+/g, ' '), inFunction, scope.get(name) !== undefined);
  b.call = { args: result.args };
  return b;
}

/** `*slot = fn` with `slot` a parameter: a store through an out-parameter (BindingFact.out). */
function outParameterStore(assign: SyntaxNode, left: SyntaxNode, right: SyntaxNode, scope: Scope, inFunction: string): BindingFact | null {
  const slot = left.childForFieldName('argument');
  if (left.child(0)?.type !== '*' || slot?.type !== 'identifier') return null;
  const out = scope.param(slot.text);
  const fn = passedName(right);
  if (out < 0 || !fn) return null;
  const param = scope.param(fn);
  if (param < 0 && scope.get(fn)) return null;
  return outStore(slot.text, out, fn, param, assign.startPosition.row + 1, assign.text.replace(/\s+/g, ' '), inFunction);
}

/** `x->f = fn` and `x.y.f = fn`: a function (or a parameter, or what a call returns) stored into a member; `*slot = fn` through an out-parameter. */
export function assignmentBinding(assign: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact | null {
  if (assign.childForFieldName('operator')?.text !== '=') return null;
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (left && right && (left.type === 'identifier' || left.type === 'subscript_expression')) return variableStore(assign, left, right, scope, rules, inFunction);
  if (left && right && left.type === 'pointer_expression') return outParameterStore(assign, left, right, scope, inFunction);
  if (!left || !right || left.type !== 'field_expression') return null;
  const fn = passedName(right);
  const result = fn ? null : callResult(right, rules);
  if (!fn && !result) return null;
  const obj = left.childForFieldName('argument');
  const field = left.childForFieldName('field');
  const root = obj ? typeOf(obj, scope, rules) : null;
  if (!root || !field) return null;
  const text = assign.text.replace(/\s+/g, ' ');
  if (result) return { root, path: [field.text], fn: result.fn, line: assign.startPosition.row + 1, how: 'assign', inFunction, text, call: { args: result.args } };
  if (!fn) return null;
  const binding: BindingFact = { root, path: [field.text], fn, line: assign.startPosition.row + 1, how: 'assign', inFunction, text };
  const p = scope.param(fn);
  if (p >= 0) binding.param = p;
  else if (scope.get(fn)) return null;
  return binding;
}
