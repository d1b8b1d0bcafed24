import type { CallFact, TypeExpr } from '../types/facts.js';
import { baseType, baseTypeFromText } from './c-types.js';
import type { SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';
import type { Scope } from './scope.js';
import { arms } from './member-copies.js';
import { declaredPointer } from './pointer-stores.js';

/** Named, non-comment children: the arguments of an argument_list. */
export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments');
  return list ? list.namedChildren.filter((c) => c.type !== 'comment') : [];
}

/** Strips parentheses, casts, `&` and `*` around an expression. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (;;) {
    if (n.type === 'parenthesized_expression' || n.type === 'pointer_expression') {
      const inner = n.type === 'pointer_expression' ? n.childForFieldName('argument') : n.namedChildren.find((c) => c.type !== 'comment');
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'cast_expression') {
      const v = n.childForFieldName('value');
      if (!v) return n;
      n = v;
    } else return n;
  }
}

/** The identifier an argument passes (`fn`, `&fn`, `(void *)fn`), or null. */
export function passedName(arg: SyntaxNode): string | null {
  const n = unwrap(arg);
  return n.type === 'identifier' ? n.text : null;
}

/**
 * The call an expression is (`pick(a)`, through parentheses and casts, not `&` or `*`): the
 * function named and the arguments passed (as CallFact.args); null for anything else, or a call
 * of a transparent or container macro (`READ_ONCE(x)`, `container_of(...)`). Like
 * scan/token-exprs.ts callResult.
 */
export function callResult(value: SyntaxNode, rules: CallRules): { fn: string; args: (string | null)[] } | null {
  let n = value;
  for (;;) {
    const inner = n.type === 'parenthesized_expression' ? n.namedChildren.find((c) => c.type !== 'comment') : n.type === 'cast_expression' ? n.childForFieldName('value') : undefined;
    if (inner === undefined) break;
    if (!inner) return null;
    n = inner;
  }
  if (n.type !== 'call_expression') return null;
  const fn = n.childForFieldName('function');
  if (fn?.type !== 'identifier' || rules.transparent.has(fn.text) || rules.containers.has(fn.text) || rules.indirect.has(fn.text)) return null;
  return { fn: fn.text, args: argumentsOf(n).map(passedName) };
}

/**
 * True when an argument takes the address of a variable of the function (a local or a parameter,
 * `scope`): `&how`, `&x.y`, `&buf[i]`, not `&x->y` (what x points to) nor a global's. Like
 * scan/token-exprs.ts frameAddress.
 */
export function frameAddress(arg: SyntaxNode, scope: Scope): boolean {
  if (arg.type !== 'pointer_expression' || arg.child(0)?.type !== '&') return false;
  let n = arg.childForFieldName('argument');
  while (n && (n.type === 'field_expression' || n.type === 'subscript_expression')) {
    if (n.type === 'field_expression' && n.child(1)?.type === '->') return false;
    n = n.childForFieldName('argument');
  }
  return n?.type === 'identifier' && scope.get(n.text) !== undefined;
}

/**
 * The member whose address an argument passes (`&dev->cb`, `&x.y.f`): the type of its object
 * and its path; null otherwise. Like scan/token-exprs.ts memberRef.
 */
export function memberRef(arg: SyntaxNode, scope: Scope | null, rules: CallRules): { root: TypeExpr; path: string[] } | null {
  if (arg.type !== 'pointer_expression' || arg.child(0)?.type !== '&') return null;
  const inner = arg.childForFieldName('argument');
  const load = inner ? memberLoad(inner, scope, rules) : null;
  return load ? { root: load.root, path: [load.field] } : null;
}

/**
 * The member an expression reads when it is a member access (`x->f`, `x.y.f`, through
 * parentheses, casts and `*`, not `&`): the type of its object and the member's name; null
 * otherwise. Like scan/token-exprs.ts memberLoad.
 */
export function memberLoad(value: SyntaxNode, scope: Scope | null, rules: CallRules): { root: TypeExpr; field: string } | null {
  if (value.text.startsWith('&')) return null;
  const n = unwrap(value);
  if (n.type !== 'field_expression') return null;
  const obj = n.childForFieldName('argument');
  const field = n.childForFieldName('field');
  const root = obj ? typeOf(obj, scope, rules) : null;
  return root && field ? { root, field: field.text } : null;
}

/** Describes how to find the type of an expression; null when it cannot be described. */
export function typeOf(node: SyntaxNode, scope: Scope | null, rules: CallRules): TypeExpr | null {
  switch (node.type) {
    case 'identifier': {
      const v = scope?.get(node.text);
      return v ? { k: 'type', name: v.type } : { k: 'global', name: node.text };
    }
    case 'field_expression': {
      const obj = node.childForFieldName('argument');
      const field = node.childForFieldName('field');
      const of = obj ? typeOf(obj, scope, rules) : null;
      return of && field ? { k: 'field', of, field: field.text } : null;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'identifier') return null;
      const args = argumentsOf(node);
      if (rules.transparent.has(fn.text)) return args[0] ? typeOf(args[0], scope, rules) : null;
      const typeArg = rules.containers.get(fn.text);
      if (typeArg !== undefined) {
        const named = args[typeArg] ? baseTypeFromText(args[typeArg]!.text) : null;
        return named ? { k: 'type', name: named } : null;
      }
      return { k: 'ret', fn: fn.text };
    }
    case 'cast_expression':
      return { k: 'type', name: baseType(node.childForFieldName('type')) };
    case 'parenthesized_expression':
    case 'pointer_expression':
    case 'subscript_expression': {
      const inner = node.childForFieldName('argument') ?? node.namedChildren.find((c) => c.type !== 'comment');
      return inner ? typeOf(inner, scope, rules) : null;
    }
    default:
      return null;
  }
}

/** Fills in what a call goes through: a name, a parameter, an array or a struct member (parentheses, `*` and casts stripped). */
export function describeCallee(callee: SyntaxNode, scope: Scope | null, rules: CallRules, call: CallFact): void {
  let n = callee;
  for (;;) {
    if (n.type === 'parenthesized_expression' || (n.type === 'pointer_expression' && n.child(0)?.type === '*')) {
      const inner = n.childForFieldName('argument') ?? n.namedChildren.find((c) => c.type !== 'comment');
      if (!inner) return;
      n = inner;
    } else if (n.type === 'cast_expression') {
      const value = n.childForFieldName('value');
      if (!value) return;
      n = value;
    } else if (n.type === 'call_expression' && rules.transparent.has(n.childForFieldName('function')?.text ?? '')) {
      const first = argumentsOf(n)[0];
      if (!first) return;
      n = first;
    } else break;
  }
  if (n.type === 'conditional_expression') {
    conditionalCallee(n, scope, call);
    return;
  }
  if (n.type === 'identifier') {
    const p = scope ? scope.param(n.text) : -1;
    if (p >= 0) call.param = p;
    else if (!scope?.get(n.text)) call.name = n.text;
    else declaredPointer(call, n.text, scope.get(n.text)!);
  } else if (n.type === 'call_expression') {
    // A call of what a call returns: `pick()()`.
    const inner = n.childForFieldName('function');
    if (inner?.type === 'identifier' && !scope?.get(inner.text)) call.ret = inner.text;
  } else if (n.type === 'subscript_expression') {
    const arr = n.childForFieldName('argument');
    if (arr?.type === 'identifier') call.array = arr.text;
    // An element of a member array (`c->hooks[i](v)`): a call through that member.
    else if (arr?.type === 'field_expression') describeCallee(arr, scope, rules, call);
  } else if (n.type === 'field_expression') {
    const field = n.childForFieldName('field');
    const obj = n.childForFieldName('argument');
    if (!field) return;
    call.field = field.text;
    const recv = obj ? typeOf(obj, scope, rules) : null;
    if (recv) call.recv = recv;
  }
}

/** The typeof spellings a cast may use. */
const TYPEOF_WORDS = new Set(['typeof', '__typeof__', '__typeof', 'typeof_unqual']);

/**
 * True when the callee of a call expression shows it is a cast tree-sitter cannot tell from a
 * call without knowing typedef names: a chain of parenthesised values after a lone name in
 * parentheses (`(u64)(u32)` in `(u64)(u32)(x)`: the name is a type, since calling the result of
 * a call of a parenthesised name is not written), or a typeof in parentheses (`(typeof(p))(q)`).
 * The same rule as the scanner's TokenExprs.isCastCallee; `typeof(x)` itself names a type, no callee.
 */
export function isCastCallee(callee: SyntaxNode): boolean {
  if (callee.type === 'identifier') return TYPEOF_WORDS.has(callee.text);
  const inner = (n: SyntaxNode): SyntaxNode[] => n.namedChildren.filter((c) => c.type !== 'comment');
  if (callee.type === 'parenthesized_expression') {
    const only = inner(callee);
    const call = only.length === 1 ? only[0]! : null;
    return call?.type === 'call_expression' && TYPEOF_WORDS.has(call.childForFieldName('function')?.text ?? '');
  }
  for (let n: SyntaxNode | null = callee; n?.type === 'call_expression'; n = n.childForFieldName('function')) {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'parenthesized_expression') {
      const only = inner(fn);
      return only.length === 1 && only[0]!.type === 'identifier';
    }
  }
  return false;
}

/**
 * A conditional callee whose arms all name something other than a parameter or a local
 * (`(is_in ? write_fifo : read_fifo)(ep, req)`): a call by each name (CallFact.name the first,
 * CallFact.expandsTo all, sorted). Left undescribed otherwise (a call through an expression).
 */
function conditionalCallee(n: SyntaxNode, scope: Scope | null, call: CallFact): void {
  const names: string[] = [];
  for (const arm of arms(n)) {
    const inner = unwrap(arm);
    if (inner.type !== 'identifier' || scope?.get(inner.text) || (scope?.param(inner.text) ?? -1) >= 0) return;
    names.push(inner.text);
  }
  const sorted = [...new Set(names)].sort();
  call.name = sorted[0]!;
  call.expandsTo = sorted;
}
