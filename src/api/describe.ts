import type { CodeIndex } from '../index/code-index.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';
import { BindFlag } from '../resolve/definition-scope.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { EdgeRef, NodeRef } from '../types/results.js';

/** A node as plain data. */
export function nodeRef(index: CodeIndex, node: number): NodeRef {
  const ref: NodeRef = { name: index.name(node), file: index.file(node), line: index.nodeLine[node]! };
  if (index.isMacro(node)) ref.macro = true;
  if (index.isExternal(node)) ref.external = true;
  if (index.nodesNamed(ref.name).length > 1) ref.ambiguous = true;
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
    line: edges.line.get(edge),
  };
  const evidence = edges.evidenceOf(edge, index.file(to));
  if (evidence.length) ref.evidence = evidence;
  if (edges.isDeferred(edge)) ref.deferred = true;
  if (edges.bindFlags(edge) & BindFlag.ConfigDependent) {
    ref.configDependent = true;
    ref.definitions = siteEdgeCount(edges, edge);
  }
  return ref;
}

/** How many edges share this edge's caller and call site: the edges of one call by name are added next to each other. */
function siteEdgeCount(edges: EdgeList, edge: number): number {
  const from = edges.callerOf(edge);
  const site = edges.site.get(edge);
  const line = edges.line.get(edge);
  const same = (e: number): boolean => e >= 0 && e < edges.length && edges.callerOf(e) === from && edges.line.get(e) === line && edges.kind.get(e) === edges.kind.get(edge) && (!edges.hasSites || edges.site.get(e) === site);
  let first = edge;
  while (same(first - 1)) first--;
  let end = edge + 1;
  while (same(end)) end++;
  return end - first;
}
