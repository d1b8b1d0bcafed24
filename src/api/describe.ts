import type { CodeIndex } from '../index/code-index.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';
import { BindFlag } from '../resolve/definition-scope.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { expansionChain, isExpansionEdge } from '../resolve/bind-expansion.js';
import { hintEvidence, isHintEvidence } from '../resolve/bind-indirect-sites.js';
import type { BindingRef, EdgeRef, NodeRef } from '../types/results.js';

/** A node as plain data. */
export function nodeRef(index: CodeIndex, node: number): NodeRef {
  const ref: NodeRef = { name: index.name(node), file: index.file(node), line: index.lineOf(node) };
  if (index.isMacro(node)) ref.macro = true;
  if (index.isExternal(node)) ref.external = true;
  if (index.namesakes(node) > 1) ref.ambiguous = true;
  return ref;
}

/**
 * nodeRef of each node once, kept: in a tree a node is an item, its edge's callee and its callees'
 * edges' caller, three NodeRefs of six column reads each. The refs are shared, so a reader must
 * not change one (the marks copy: withNotBuilt, withEndMarks).
 */
export function nodeRefs(index: CodeIndex): (node: number) => NodeRef {
  const refs = new Map<number, NodeRef>();
  return (node) => {
    let ref = refs.get(node);
    if (!ref) refs.set(node, (ref = nodeRef(index, node)));
    return ref;
  };
}

/**
 * What a reader of many edges knows of each (a tree's): its caller (`from`: a row's node, so the
 * edge list's caller column is not read, nor its runs' ends worked out), and each node's NodeRef
 * (`ref`: the same node is an item, its edge's callee and its callees' edges' caller).
 */
export interface KnownEnds {
  from: number;
  ref: (node: number) => NodeRef;
}

/** An edge as plain data: both ends with their definitions, its call site and, for indirect kinds, every binding behind it. */
export function edgeRef(index: CodeIndex, edges: EdgeList, edge: number, known?: KnownEnds): EdgeRef {
  const from = known ? known.from : edges.callerOf(edge);
  const to = edges.calleeOf(edge);
  const ends = known ? known.ref : (node: number): NodeRef => nodeRef(index, node);
  const fromRef = ends(from);
  const toRef = ends(to);
  const ref: EdgeRef = {
    from: fromRef,
    to: toRef,
    kind: EDGE_KINDS[edges.kindOf(edge)]!,
    file: fromRef.file,
    line: edges.lineOf(edge),
  };
  const evidence = edges.evidenceOf(edge, toRef.file, toRef.name);
  // An indirect-hint edge's evidence says the wrapper named the target, at the call site, after the
  // member's bindings of it (its proof, and what a reader wants first), so the kind shows in explain.
  if (ref.kind === 'indirect-hint' && !evidence.some(isHintEvidence)) evidence.push(hintEvidence(ref.file, ref.line, ref.to.name));
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
 * saying which macro's body calls the callee, through which macros the call reaches it, and that
 * the name was bound in the caller's file. Reads the facts of the caller's and the macros' files
 * (so explain only: path steps and trees are printed without facts); none for an index export.
 */
export function expansionEvidence(index: CodeIndex, edges: EdgeList, edge: number): BindingRef[] {
  const from = edges.callerOf(edge);
  const to = edges.to.get(edge);
  if (index.root === null || !edges.hasSites || !isExpansionEdge(index, from, to, edges.kind.get(edge), edges.bindFlags(edge))) return [];
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
