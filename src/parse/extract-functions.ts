import type { BindingFact, CallFact, FunctionFact, VarFact } from '../types/facts.js';
import { baseType, declaratorInfo } from './c-types.js';
import { argumentsOf, describeCallee, frameAddress, isCastCallee, memberLoad, memberRef, passedName, unwrap } from './expressions.js';
import { assignmentBinding, declaredVariables } from './extract-bindings.js';
import { memberCopies, variableArms } from './member-copies.js';
import type { DefinedName } from './neutralise.js';
import { identifierList, type ImplicitIntDefinition, oldStyleParameters } from './extract-old-style.js';
import type { SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';
import { dropReturns, markParameterInits, returnedName, returnsFunction } from './pointer-stores.js';
import { localArgs, Scope } from './scope.js';
import { passesFrameAddress, returnsVoid } from './tail-calls.js';

/** The function_declarator of a definition, under any pointer declarators. */
function functionDeclarator(decl: SyntaxNode | null): SyntaxNode | null {
  let n = decl;
  while (n && n.type !== 'function_declarator') {
    if (n.type === 'pointer_declarator' || n.type === 'attributed_declarator' || n.type === 'parenthesized_declarator') {
      n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => c.type !== 'comment') ?? null;
    } else return null;
  }
  return n;
}

/** Parameters of a definition's declarator; null for an old-style list its declarations do not fit. */
function parameters(fdecl: SyntaxNode, def: SyntaxNode): VarFact[] | null {
  const list = fdecl.childForFieldName('parameters');
  if (!list) return [];
  const ids = identifierList(list);
  const oldStyle = def.namedChildren.filter((c) => c.type === 'declaration');
  if (ids && oldStyle.length) return oldStyleParameters(ids, oldStyle);
  if (oldStyle.length) return null;
  const params: VarFact[] = [];
  for (const p of list.namedChildren) {
    if (p.type !== 'parameter_declaration') continue;
    const info = declaratorInfo(p.childForFieldName('declarator'));
    const type = baseType(p.childForFieldName('type'));
    // An unnamed parameter still holds its position.
    params.push({ name: info?.name ?? '', type, ...(info?.fnptr || info?.isFunction ? { fnptr: true } : {}) });
  }
  return params.length === 1 && params[0]!.name === '' && params[0]!.type === 'void' ? [] : params;
}

/** True for a node inside an asm statement: its operands (`: CC_OUT(c) (v)`) are constraints and lvalues, no calls. */
function inAsm(node: SyntaxNode): boolean {
  for (let n = node.parent; n && n.type !== 'compound_statement'; n = n.parent) if (n.type === 'gnu_asm_expression') return true;
  return false;
}

/** One call site; null for a call that is really a wrapper's internal detail. */
function callFact(node: SyntaxNode, scope: Scope, rules: CallRules): CallFact | null {
  const callee = node.childForFieldName('function');
  if (!callee || isCastCallee(callee) || inAsm(node)) return null;
  let args = argumentsOf(node);
  const call: CallFact = { line: node.startPosition.row + 1, col: node.startPosition.column, args: [] };
  const hints = callee.type === 'identifier' ? rules.indirect.get(callee.text) : undefined;
  if (hints !== undefined && args.length > hints) {
    describeCallee(args[0]!, scope, rules, call);
    call.hints = args.slice(1, hints + 1).map((a) => passedName(a) ?? '').filter((n) => n !== '');
    args = args.slice(hints + 1);
  } else {
    describeCallee(callee, scope, rules, call);
  }
  call.args = args.map(passedName);
  if (args.some((a) => frameAddress(a, scope))) passesFrameAddress.add(call);
  const refs = args.map((a) => memberRef(a, scope, rules));
  if (refs.some((r) => r !== null)) call.refs = refs;
  const locals = rules.objectCalls.has(call.name ?? '') ? localArgs(call.args, scope) : [];
  if (locals.length) call.locals = locals;
  const members = args.flatMap((a, arg) => {
    const load = call.args[arg] === null ? memberLoad(a, scope, rules) : null;
    return load ? [{ arg, ...load }] : [];
  });
  if (members.length) call.argMembers = members;
  return call;
}

/** The nodes of one function body the extractor looks at, gathered in one walk of the file. */
export interface BodyNodes {
  declarations: SyntaxNode[];
  calls: SyntaxNode[];
  assignments: SyntaxNode[];
  returns: SyntaxNode[];
  /** The body's last statement (comments aside), for the tail call a function returning void may end in. */
  last?: SyntaxNode | null;
}

/** Facts of one function definition; the bindings its body makes go to `bindings`; `marks` what its head marks it (extract-file.ts headMarks: noinline, weak). 'invalid' for an old-style head whose declarations do not fit it. */
export function extractFunction(def: SyntaxNode, body: BodyNodes, rules: CallRules, defined: Map<string, DefinedName>, bindings: BindingFact[], marks: { noinline?: true; weak?: true } = {}): FunctionFact | null | 'invalid' {
  const fdecl = functionDeclarator(def.childForFieldName('declarator'));
  const nameNode = fdecl ? declaratorInfo(fdecl.childForFieldName('declarator')) : null;
  if (!fdecl || !nameNode) return null;
  const params = parameters(fdecl, def);
  if (!params) return 'invalid';
  const isStatic = def.children.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
  // An old-style definition's declarations before its body declare its parameters, not locals.
  const block = def.childForFieldName('body');
  const bodyStart = block?.startIndex ?? 0;
  const last = block?.namedChildren.filter((c) => c.type !== 'comment').at(-1) ?? null;
  const inBody = { ...body, declarations: body.declarations.filter((d) => d.startIndex >= bodyStart), last };
  const head: Head = { name: nameNode.name, line: nameNode.node.startPosition.row + 1, endLine: def.endPosition.row + 1, ...(isStatic ? { isStatic } : {}), ...marks, signature: signatureText(def.text), returns: baseType(def.childForFieldName('type')) };
  return functionFact(head, params, inBody, rules, defined, bindings);
}

/** Facts of a definition without a return type (see implicitIntDefinition), whose body the file walk did not gather. */
export function extractImplicitInt(d: ImplicitIntDefinition, rules: CallRules, defined: Map<string, DefinedName>, bindings: BindingFact[]): FunctionFact {
  const body: BodyNodes = { declarations: [], calls: [], assignments: [], returns: [] };
  for (const n of d.body.descendantsOfType(['declaration', 'call_expression', 'assignment_expression', 'return_statement'])) {
    if (n.type === 'declaration') body.declarations.push(n);
    else if (n.type === 'call_expression') body.calls.push(n);
    else if (n.type === 'return_statement') body.returns.push(n);
    else body.assignments.push(n);
  }
  const signature = [d.call, ...d.declarations].map((n) => n.text).join(' ').replace(/\s+/g, ' ').trim();
  const head = { name: d.nameNode.text, line: d.nameNode.startPosition.row + 1, endLine: d.body.endPosition.row + 1, signature, returns: '' };
  return functionFact(head, d.params, body, rules, defined, bindings);
}

type Head = Pick<FunctionFact, 'name' | 'line' | 'endLine' | 'isStatic' | 'noinline' | 'weak' | 'signature' | 'returns'>;

function functionFact(head: Head, params: VarFact[], body: BodyNodes, rules: CallRules, defined: Map<string, DefinedName>, bindings: BindingFact[]): FunctionFact {
  const scope = new Scope(params);
  for (const decl of body.declarations) {
    const first = bindings.length;
    for (const v of declaredVariables(decl, bindings, { fn: head.name, scope, rules })) scope.addLocal(v);
    markParameterInits(bindings, first, scope, head.name);
  }
  const calls: CallFact[] = [];
  const tails = new Set<string>();
  for (const ret of body.returns) tailCallsOf(ret.namedChildren.find((c) => c.type !== 'comment'), tails);
  if (body.last && returnsVoid(head.returns, head.signature, head.name)) lastStatementTails(body.last, tails);
  let tailCalls = 0;
  for (const node of body.calls) {
    const call = callFact(node, scope, rules);
    if (!call) continue;
    calls.push(call);
    if (tails.has(`${node.startIndex}:${node.endIndex}`)) {
      if (!passesFrameAddress.has(call)) call.tail = true;
      tailCalls++;
    }
  }
  scope.noteCalledParameters(calls);
  for (const assign of body.assignments) {
    const b = assignmentBinding(assign, scope, rules, head.name);
    if (b) bindings.push(b);
    else bindings.push(...memberCopies(assign, scope, rules, head.name), ...variableArms(assign, scope, head.name));
  }
  const first = bindings.length;
  for (const ret of body.returns) {
    const value = ret.namedChildren.find((c) => c.type !== 'comment');
    if (value) returnedNames(value, scope, head.name, bindings);
  }
  if (!returnsFunction(head.name, head.signature, head.returns)) dropReturns(bindings, first);
  const fact: FunctionFact = { ...head, params, calls };
  if ((!head.isStatic || head.noinline) && calls.length > 0 && tailCalls === calls.length) fact.tailCalls = true;
  const made = defined.get(head.name);
  if (made) {
    fact.aliases = made.aliases;
    fact.definer = made.macro;
  }
  return fact;
}

/**
 * Adds the calls a value ends in (`start:end` of each call_expression) to `out`: the value itself,
 * parentheses and casts aside, when it is a call; each arm of `c ? f() : g()`, and the last of
 * `c ?: g()` (the value tested is no tail call). scan/tail-calls.ts reads the same over tokens.
 */
function tailCallsOf(value: SyntaxNode | null | undefined, out: Set<string>): void {
  let n = value ?? null;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) n = n.type === 'cast_expression' ? n.childForFieldName('value') : (n.namedChildren.find((c) => c.type !== 'comment') ?? null);
  if (n?.type === 'call_expression') out.add(`${n.startIndex}:${n.endIndex}`);
  else if (n?.type === 'conditional_expression') for (const arm of [n.childForFieldName('consequence'), n.childForFieldName('alternative')]) tailCallsOf(arm, out);
}

/**
 * The tail calls of a body's last statement in a function returning void (a sibling call): an
 * expression statement's value, or, for an `if` with no `else`, its branch when that is one.
 */
function lastStatementTails(last: SyntaxNode, out: Set<string>): void {
  const stmt = last.type === 'if_statement' && !last.childForFieldName('alternative') ? last.childForFieldName('consequence') : last;
  if (stmt?.type === 'expression_statement') tailCallsOf(stmt.namedChildren.find((c) => c.type !== 'comment'), out);
}

/** The names a returned expression yields (`f`, `&f`, `(t)f`, each branch of `c ? a : b`), as returned facts (BindingFact.returned). */
function returnedNames(value: SyntaxNode, scope: Scope, inFunction: string, out: BindingFact[]): void {
  const n = unwrap(value);
  if (n.type === 'conditional_expression') {
    for (const branch of [n.childForFieldName('consequence'), n.childForFieldName('alternative')]) if (branch) returnedNames(branch, scope, inFunction, out);
    return;
  }
  const fn = n.type === 'identifier' ? n.text : null;
  const b = fn ? returnedName(fn, scope, n.startPosition.row + 1, inFunction) : null;
  if (b) out.push(b);
}

/** The definition's text before its body, whitespace collapsed. */
function signatureText(text: string): string {
  const brace = text.indexOf('{');
  return (brace >= 0 ? text.slice(0, brace) : text).replace(/\s+/g, ' ').trim();
}
