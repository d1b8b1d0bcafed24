import type { VarFact } from '../types/facts.js';
import { baseType, declaratorInfo } from './c-types.js';
import type { SyntaxNode } from './parser.js';

/**
 * Parameters of an old-style (K&R) identifier list, typed by the declaration list that follows
 * it: `f(a, b) char *a; int b; {`. A name without a declaration is `int` (C90 6.7.1). Null when
 * the declarations do not fit the list (ISO C 6.9.1: each declares only names of the identifier
 * list, each at most once, and there is at least one declaration): the text is then no definition.
 */
export function oldStyleParameters(ids: string[], declarations: SyntaxNode[]): VarFact[] | null {
  if (ids.length === 0 || declarations.length === 0) return null;
  const declared = new Map<string, VarFact>();
  for (const decl of declarations) {
    const type = baseType(decl.childForFieldName('type'));
    const ds = decl.childrenForFieldName('declarator');
    if (ds.length === 0) return null;
    for (const d of ds) {
      const info = declaratorInfo(d);
      if (!info || !ids.includes(info.name) || declared.has(info.name)) return null;
      declared.set(info.name, { name: info.name, type, ...(info.fnptr || info.isFunction ? { fnptr: true } : {}) });
    }
  }
  return ids.map((id) => declared.get(id) ?? { name: id, type: 'int' });
}

/** The names of a parameter list that holds identifiers only (an old-style list); null for a prototype list. */
export function identifierList(list: SyntaxNode | null): string[] | null {
  const named = list?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (named.length === 0 || named.some((c) => c.type !== 'identifier')) return null;
  return named.map((c) => c.text);
}

/**
 * A definition without a return type, which tree-sitter-c reads as a call statement missing its
 * `;` followed by declarations and a block at file scope: `pair(a, b) int a; int b; { ... }` or
 * `main() { ... }`. The parts, from top-level node k of the root; null when the nodes there are no such definition.
 */
export interface ImplicitIntDefinition {
  call: SyntaxNode;
  nameNode: SyntaxNode;
  params: VarFact[];
  declarations: SyntaxNode[];
  body: SyntaxNode;
  /** Index of the next top-level node after the body. */
  next: number;
}

export function implicitIntDefinition(top: SyntaxNode[], k: number): ImplicitIntDefinition | null {
  const stmt = top[k]!;
  if (stmt.type !== 'expression_statement' || !stmt.lastChild?.isMissing) return null;
  const call = stmt.namedChildren[0];
  const nameNode = call?.childForFieldName('function');
  if (!call || call.type !== 'call_expression' || nameNode?.type !== 'identifier') return null;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
  if (args.some((a) => a.type !== 'identifier')) return null;
  let j = k + 1;
  const declarations: SyntaxNode[] = [];
  while (j < top.length && top[j]!.type === 'declaration') declarations.push(top[j++]!);
  const body = top[j];
  if (body?.type !== 'compound_statement') return null;
  const ids = args.map((a) => a.text);
  const params = ids.length === 0 && declarations.length === 0 ? [] : oldStyleParameters(ids, declarations);
  if (!params) return null;
  return { call, nameNode, params, declarations, body, next: j + 1 };
}
