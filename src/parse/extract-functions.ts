import type { BindingFact, CallFact, FunctionFact, VarFact } from '../types/facts.js';
import { baseType, declaratorInfo } from './c-types.js';
import { argumentsOf, describeCallee, passedName } from './expressions.js';
import { assignmentBinding, declaredVariables } from './extract-bindings.js';
import type { DefinedName } from './neutralise.js';
import type { SyntaxNode } from './parser.js';
import type { CallRules } from './rules.js';
import { Scope } from './scope.js';

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

function parameters(fdecl: SyntaxNode): VarFact[] {
  const list = fdecl.childForFieldName('parameters');
  if (!list) return [];
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

/** One call site; null for a call that is really a wrapper's internal detail. */
function callFact(node: SyntaxNode, scope: Scope, rules: CallRules): CallFact | null {
  const callee = node.childForFieldName('function');
  if (!callee) return null;
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
  return call;
}

/** The nodes of one function body the extractor looks at, gathered in one walk of the file. */
export interface BodyNodes {
  declarations: SyntaxNode[];
  calls: SyntaxNode[];
  assignments: SyntaxNode[];
}

/** Facts of one function definition; the bindings its body makes go to `bindings`. */
export function extractFunction(def: SyntaxNode, body: BodyNodes, rules: CallRules, defined: Map<string, DefinedName>, bindings: BindingFact[]): FunctionFact | null {
  const fdecl = functionDeclarator(def.childForFieldName('declarator'));
  const nameNode = fdecl ? declaratorInfo(fdecl.childForFieldName('declarator')) : null;
  if (!fdecl || !nameNode) return null;
  const name = nameNode.name;
  const params = parameters(fdecl);
  const scope = new Scope(params);
  for (const decl of body.declarations) {
    for (const v of declaredVariables(decl, bindings, { fn: name, scope })) scope.addLocal(v);
  }
  const calls: CallFact[] = [];
  for (const node of body.calls) {
    const call = callFact(node, scope, rules);
    if (call) calls.push(call);
  }
  for (const assign of body.assignments) {
    const b = assignmentBinding(assign, scope, rules, name);
    if (b) bindings.push(b);
  }
  const isStatic = def.children.some((c) => c.type === 'storage_class_specifier' && c.text === 'static');
  const fact: FunctionFact = {
    name,
    line: nameNode.node.startPosition.row + 1,
    endLine: def.endPosition.row + 1,
    isStatic,
    signature: signatureText(def.text),
    returns: baseType(def.childForFieldName('type')),
    params,
    calls,
  };
  const made = defined.get(name);
  if (made) {
    fact.aliases = made.aliases;
    fact.definer = made.macro;
  }
  return fact;
}

/** The definition's text before its body, whitespace collapsed. */
function signatureText(text: string): string {
  const brace = text.indexOf('{');
  return (brace >= 0 ? text.slice(0, brace) : text).replace(/\s+/g, ' ').trim();
}
