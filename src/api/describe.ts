import type { CodeIndex } from '../index/code-index.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';
import { BindFlag } from '../resolve/definition-scope.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { expansionChain, isExpansionEdge } from '../resolve/bind-expansion.js';
import { memberCallingMacros, reachedCalls } from '../resolve/bind-macro-members.js';
import { kindId } from '../resolve/edge-kind.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');
const CALLBACK = kindId('callback-arg');
import type { BindingRef, EdgeRef, NodeRef } from '../types/results.js';

/** A node as plain data. */
export function nodeRef(index: CodeIndex, node: number): NodeRef {
  const ref: NodeRef = { name: index.name(node), file: index.file(node), line: index.lineOf(node) };
  if (index.isMacro(node)) ref.macro = true;
  if (index.isExternal(node)) ref.external = true;
  if (index.namesakes(node) > 1) ref.ambiguous = true;
  return ref;
}

/** An edge as plain data: both ends with their definitions, its call site and, for indirect kinds, every binding behind it. */
export function edgeRef(index: CodeIndex, edges: EdgeList, edge: number): EdgeRef {
  const from = edges.callerOf(edge);
  const to = edges.to.get(edge);
  const ref: EdgeRef = {
    from: nodeRef(index, from),
    to: nodeRef(index, to),
    kind: EDGE_KINDS[edges.kind.get(edge)]!,
    file: index.file(from),
    line: edges.lineOf(edge),
  };
  const evidence = edges.evidenceOf(edge, index.file(to));
  if (evidence.length) ref.evidence = evidence;
  if (edges.isDeferred(edge)) ref.deferred = true;
  if (edges.bindFlags(edge) & BindFlag.ConfigDependent) {
    ref.configDependent = true;
    ref.definitions = siteEdgeCount(index, edges, edge);
  }
  return ref;
}

/**
 * For an edge through a macro's body (isExpansionEdge, resolve/bind-expansion.ts): one binding
 * saying which macro's body calls the callee (for a pointer edge, memberExpansionEvidence), through which macros the call reaches it, and that
 * the name was bound in the caller's file. Reads the facts of the caller's and the macros' files
 * (so explain only: path steps and trees are printed without facts); none for an index export.
 */
export function expansionEvidence(index: CodeIndex, edges: EdgeList, edge: number): BindingRef[] {
  const from = edges.callerOf(edge);
  const to = edges.to.get(edge);
  if (index.root === null || !edges.hasSites) return [];
  const kind = edges.kind.get(edge);
  if (kind !== DIRECT && kind !== MACRO && kind !== CALLBACK) return memberExpansionEvidence(index, edges, edge);
  if (!isExpansionEdge(index, from, to, kind, edges.bindFlags(edge))) return [];
  const call = index.calls(from)[edges.site.get(edge)];
  const chain = call ? expansionChain(index, from, call, to) : null;
  if (!chain) return [];
  const at = (m: number): string => `${index.name(m)} (${index.file(m)}:${index.lineOf(m)})`;
  const inner = chain[chain.length - 1]!;
  const through = chain.slice(0, -1).reverse().map(at);
  const text = `${index.name(to)} called in the body of ${at(inner)}${through.length ? `, through ${through.join(', ')}` : ''}, expanded here: bound in ${index.file(from)}`;
  return [{ file: index.file(from), line: edges.lineOf(edge), text }];
}

/**
 * For a pointer edge made at a call of a macro whose body calls through a member
 * (resolve/bind-macro-members.ts): one binding naming the macro and the member calls in its body,
 * and the argument the receiver was typed from. None for another edge.
 */
function memberExpansionEvidence(index: CodeIndex, edges: EdgeList, edge: number): BindingRef[] {
  const from = edges.callerOf(edge);
  const call = index.calls(from)[edges.site.get(edge)];
  if (!call) return [];
  const out: BindingRef[] = [];
  const at = (m: number): string => `${index.name(m)} (${index.file(m)}:${index.nodeLine[m]})`;
  for (const m of memberCallingMacros(index, from, call)) {
    const inner = reachedCalls(index, m);
    const bodies = [...new Set(inner.map((c) => c.macro))].map((b) => `${[...new Set(inner.filter((c) => c.macro === b).map((c) => `->${c.field}(...)`))].join(', ')} called in the body of ${at(b)}`);
    const through = inner.some((c) => c.macro !== m) ? `, through ${at(m)}` : '';
    const args = [...new Set(inner.flatMap((c) => (c.recvArg !== undefined ? [call.args[c.recvArg] ?? `argument ${c.recvArg + 1}`] : [])))];
    const typed = args.length ? `: the receiver typed from ${args.join(', ')} in ${index.name(from)}` : '';
    out.push({ file: index.file(from), line: edges.line.get(edge), text: `${bodies.join('; ')}${through}, expanded here${typed}` });
  }
  return out;
}

/**
 * How many definitions this edge's call by name binds to: the edges sharing its caller, call site
 * and callee name, whatever their kind (a name both a macro and a function under different
 * #ifdef branches binds to both: a `macro` and a `direct` edge). The edges of one call by name are
 * added next to each other.
 */
function siteEdgeCount(index: CodeIndex, edges: EdgeList, edge: number): number {
  const from = edges.callerOf(edge);
  const site = edges.site.get(edge);
  const line = edges.lineOf(edge);
  const name = index.nameIdOf(edges.to.get(edge));
  const same = (e: number): boolean => e >= 0 && e < edges.length && edges.callerOf(e) === from && edges.lineOf(e) === line && index.nameIdOf(edges.to.get(e)) === name && (!edges.hasSites || edges.site.get(e) === site);
  let first = edge;
  while (same(first - 1)) first--;
  let end = edge + 1;
  while (same(end)) end++;
  return end - first;
}
