/**
 * External nodes in a patched graph (names called and defined nowhere): their names as a
 * snapshot holds them, and the edges of new calls of such names placed where a full resolution
 * puts them (resolve.ts).
 */
import type { CodeIndex, IndexSnapshot } from '../index/code-index.js';
import { kindId } from '../resolve/edge-kind.js';
import { copyEdgeRow, EDGE_ROW_COLUMNS, type EdgeSnapshot, emptyEdgeRows } from '../resolve/edge-list.js';
import type { UnboundCall } from '../resolve/patch-graph.js';
import { firstExternal } from '../resolve/renumber-nodes.js';
import { stringItems, withFields } from '../util/text-slices.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** Names of the external nodes of a snapshot, in id order. */
export function externalNames(s: IndexSnapshot): string[] {
  // One string at a time: the string table of a snapshot from the cache stays undecoded (and is written back as stored).
  const strings = stringItems(s, 'strings');
  const names: string[] = [];
  for (let n = firstExternal(s); n < s.nodeFlags.length; n++) names.push(strings.at(s.nodeName[n]!));
  return names;
}

/**
 * Adds the edges of calls by names defined nowhere, to their external nodes, where resolve.ts puts
 * them: in the last block of the edge list, the calls by name to external nodes, ordered by caller
 * and call site (addExternalEdges). Merged into that block, not appended after it: a caller that
 * already calls a name defined nowhere further down keeps its calls in call order.
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
    // Kept edges of the block that come first (an earlier caller, or an earlier or the same call site: a kept edge stays ahead).
    while (e < n) {
      const [from, place] = placeOf(edges.from[e]!, edges.site?.[e] ?? -1, edges.line[e]!);
      if (from > node || (from === node && place > at)) break;
      copy(e++, k++);
    }
    put(u, k++);
  }
  copyRun(e, n, k);
  return out;
}

