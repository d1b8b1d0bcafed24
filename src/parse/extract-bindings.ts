import type { BindingFact, TypeExpr, VarFact } from '../types/facts.js';
import { baseType, declaratorInfo } from './c-types.js';
import { passedName, typeOf } from './expressions.js';
import type { SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';
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
 * Variables declared by a declaration, with the bindings of their initializers.
 * Used for file-scope variables and for locals alike.
 */
export function declaredVariables(decl: SyntaxNode, out: BindingFact[]): VarFact[] {
  const type = decl.childForFieldName('type');
  const base = baseType(type);
  const vars: VarFact[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    const info = declaratorInfo(d);
    if (!info || info.isFunction) continue;
    vars.push(info.fnptr ? { name: info.name, type: base, fnptr: true } : { name: info.name, type: base });
    const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    if (value?.type === 'initializer_list' && base) {
      walkInitializer(value, { k: 'type', name: base }, [], info.isArray, info.name, out);
    }
  }
  return vars;
}

/** `x->f = fn` and `x.y.f = fn`: a function (or a parameter) stored into a member. */
export function assignmentBinding(assign: SyntaxNode, scope: Scope, rules: CallRules, inFunction: string): BindingFact | null {
  if (assign.childForFieldName('operator')?.text !== '=') return null;
  const left = assign.childForFieldName('left');
  const right = assign.childForFieldName('right');
  if (!left || !right || left.type !== 'field_expression') return null;
  const fn = passedName(right);
  if (!fn) return null;
  const obj = left.childForFieldName('argument');
  const field = left.childForFieldName('field');
  const root = obj ? typeOf(obj, scope, rules) : null;
  if (!root || !field) return null;
  const text = assign.text.replace(/\s+/g, ' ');
  const binding: BindingFact = { root, path: [field.text], fn, line: assign.startPosition.row + 1, how: 'assign', inFunction, text };
  const p = scope.param(fn);
  if (p >= 0) binding.param = p;
  else if (scope.get(fn)) return null;
  return binding;
}
