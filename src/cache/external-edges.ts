/**
 * External nodes in a patched graph (names called and defined nowhere): the names it needs, and
 * the edges of new calls of such names placed where a full resolution puts them (resolve.ts).
 */
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { kindId } from '../resolve/edge-kind.js';
import { copyEdgeRow, EDGE_ROW_COLUMNS, type EdgeSnapshot, emptyEdgeRows } from '../resolve/edge-list.js';
import type { UnboundCall } from '../resolve/kept-bodies.js';
import { withFields } from '../util/text-slices.js';
import { type Callees, calledExternals } from './edited-nodes.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/**
 * The names the external nodes of `index` (a patched graph's) must have once its edges are
 * `to`'s: one per name a call by name binds to nothing, that is a name an edge still calls
 * among the external nodes or one of `unbound` (the patch's new calls of names defined nowhere),
 * sorted (resolve.ts's addExternalEdges); null when those are the external nodes `index` has.
 * That is told by string ids, no name read: the string table of a snapshot from the cache stays
 * unread (reading a kernel's 50,000 external names inflated most of its blocks, some 50 ms of
 * every patch that adds or removes a function).
 */
export function externalsNeeded(index: CodeIndex, to: Callees, unbound: readonly string[]): string[] | null {
  const called = calledExternals(index, to);
  const ids = new Set<number>(called.map((n) => index.nodeName[n]!));
  let same = unbound.every((name) => {
    const id = index.strings.find(name);
    return id >= 0 && ids.add(id);
  });
  if (same) {
    // The external nodes follow every defined node: the same names when each is needed and as many are.
    let count = 0;
    for (let n = index.nodeCount - 1; same && n >= 0 && index.nodeFlags[n]! & NodeFlag.External; n--, count++) same = ids.has(index.nodeName[n]!);
    if (same && count === ids.size) return null;
  }
  const names = new Set(unbound);
  for (const n of called) names.add(index.name(n));
  return [...names].sort();
}

/**
 * Adds the edges of calls by names defined nowhere, to their external nodes, where resolve.ts puts
 * them: in the last block of the edge list, the calls by name to external nodes, ordered by caller
 * and call site (addExternalEdges), and at one call site by the order of the names it is a call of
 * (nameRank). Merged into that block, not appended after it: a caller that already calls a name
 * defined nowhere further down keeps its calls in call order.
 */
export function withExternalEdges(edges: EdgeSnapshot, index: CodeIndex, unbound: UnboundCall[]): EdgeSnapshot {
  if (unbound.length === 0) return edges;
  const n = edges.from.length;
  // The external block: the longest tail of calls by name (direct or macro) to external nodes.
  let tail = n;
  while (tail > 0 && (edges.kind[tail - 1] === DIRECT || edges.kind[tail - 1] === MACRO) && index.isExternal(edges.to[tail - 1]!)) tail--;
  // A call's place in the block: its caller, then its call site (its line when the graph keeps no sites).
  const placeOf = (node: number, site: number, line: number): [number, number] => [node, edges.site ? site : line];
  const fresh = [...unbound].sort((a, b) => a.node - b.node || (edges.site ? a.site - b.site : a.line - b.line));
  const size = n + fresh.length;
  // Its other columns (the evidence text among them) carried over undecoded: a spread would read every one (some 0.1 s for the evidence text).
  const out: EdgeSnapshot = withFields(edges, emptyEdgeRows(edges, size));
  const copy = (e: number, k: number): void => copyEdgeRow(edges, e, out, k);
  // Rows [e, end) to rows from k on, column by column (the rows before the block are most of a kernel's 4 million: row by row took some 0.3 s).
  const copyRun = (e: number, end: number, k: number): void => {
    for (const c of EDGE_ROW_COLUMNS) {
      const to = out[c];
      if (to) to.set(edges[c]!.subarray(e, end), k);
    }
  };
  const put = (u: UnboundCall, k: number): void => {
    out.from[k] = u.node;
    out.to[k] = index.externalNamed(u.name);
    out.kind[k] = index.isMacro(u.node) ? MACRO : DIRECT;
    out.line[k] = u.line;
    out.proof[k] = -1;
    if (out.site) out.site[k] = u.site;
  };
  copyRun(0, tail, 0);
  let k = tail;
  let e = tail;
  for (const u of fresh) {
    const [node, at] = placeOf(u.node, u.site, u.line);
    // Kept edges of the block that come first: an earlier caller, or an earlier call site, or at the same call site a name
    // before u's among those the call is of (a call of a macro's result, CallFact.expandsTo: resolveDirect adds its names in that order).
    while (e < n) {
      const [from, place] = placeOf(edges.from[e]!, edges.site?.[e] ?? -1, edges.line[e]!);
      if (from > node || (from === node && place > at)) break;
      if (from === node && place === at && edges.site && nameRank(index, node, at, index.name(edges.to[e]!)) > nameRank(index, node, at, u.name)) break;
      copy(e++, k++);
    }
    put(u, k++);
  }
  copyRun(e, n, k);
  return out;
}

/**
 * Where `name` stands among the names call site `site` of `node` is a call of: its expansion's
 * (CallFact.expandsTo, a call of a macro's result), in the order forEachDirectEdge binds them, or
 * its own name; -1 when the site or the name is not there.
 */
function nameRank(index: CodeIndex, node: number, site: number, name: string): number {
  const call = index.calls(node)[site];
  if (!call) return -1;
  return (call.expandsTo ?? [call.name]).indexOf(name);
}
