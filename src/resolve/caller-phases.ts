import type { CodeIndex } from '../index/code-index.js';
import { kindId } from './edge-kind.js';
import { EDGE_ROW_COLUMNS, type EdgeSnapshot } from './edge-list.js';
import { applySplices, type EdgeSplice } from './edge-splice.js';
import { scanColumns, storedColumn } from './stored-column.js';

const SIGNATURE = kindId('signature');
const HINT = kindId('indirect-hint');
const FIELD_NAME = kindId('field-name');
const DISPATCH = kindId('dispatch-table');
const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** Which of resolveEdges' blocks an edge of `kind` to a node (`external` or not) stands in: 0 calls by name to a definition, 1 every binding, 2 calls of an external node. */
export const edgeBlock = (kind: number, external: boolean): number => (kind !== DIRECT && kind !== MACRO ? 1 : external ? 2 : 0);

/**
 * Where resolveEdges (resolve.ts) adds an edge among its caller's edges: 0 before the indirect
 * call sites (calls by name, bindings through functions and pointer variables), 1 an indirect call
 * site's (resolveIndirectSites: the signature and field-name fallbacks, an indirect-call wrapper's
 * hints, or a member call site's bindings: `memberSite`), 2 after them (dispatch tables,
 * registrations, hand-offs, calls of names defined nowhere: `external`).
 */
export function callerPhase(kind: number, external: boolean, memberSite: boolean): 0 | 1 | 2 {
  if (kind === DISPATCH || external) return 2;
  return kind === SIGNATURE || kind === HINT || kind === FIELD_NAME || memberSite ? 1 : 0;
}

/** One edge of a caller, in edge order: its id, its callerPhase and its call site. */
export interface CallerEdge {
  e: number;
  phase: number;
  site: number;
}

/**
 * Where the new edges of indirect call site `site` go among its caller's edges (`own`, in edge
 * order) as a full resolution adds them: after those of the phases before the indirect call sites
 * and of the caller's indirect call sites before it, before the later ones; before its first edge
 * when none comes before, at `end` (the edge count) when it has none. Null when an edge of an
 * earlier phase comes after that place (the caller's edges are not in a resolution's order). The
 * place is kept within `bindings` (bindingsBlock).
 */
export function placeAmongCaller(own: readonly CallerEdge[], site: number, end: number, bindings: readonly [number, number]): number | null {
  let at = -1;
  for (const x of own) if (x.phase === 0 || (x.phase === 1 && x.site < site)) at = x.e + 1;
  if (at < 0) at = own.length ? own[0]!.e : end;
  if (own.some((x) => x.e >= at && x.phase === 0)) return null;
  // Among the bindings' edges (resolveEdges' middle block), which keep the caller's order there: after the caller's calls by name
  // to definitions (the first block), before its calls of external nodes (the last).
  return Math.min(Math.max(at, bindings[0]), bindings[1]);
}

/**
 * The edges resolveEdges adds between the calls by name to a definition (resolveDirect, first) and
 * the calls of external nodes (addExternalEdges, last): [first, end) of an edge list of `count`
 * edges that stands in that order, `block(e)` giving an edge's (0, 1 or 2: GraphPatch.edgeBlock).
 * A patch places an edge of a binding there, so that the binary searches over the first and last
 * blocks (splice-edges.ts) find them in order.
 */
export function bindingsBlock(count: number, block: (e: number) => number): [number, number] {
  const first = (b: number): number => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (block(mid) < b) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [first(1), first(2)];
}

/** Call sites fit in 20 bits: (node, site) pairs make one safe integer key. */
const SPAN = 1 << 20;

/**
 * Where the edges of indirect call sites that have none yet go (`keys`: node * 2^20 + call site),
 * each placed among its caller's edges as a full resolution adds them (placeAmongCaller), the
 * caller's member call sites (`memberSites`, by node) counting as indirect call sites. The edge
 * columns are read as stored (stored-column.ts: a cached graph's are not decoded for it): one pass
 * over the callers, the callers' own rows read one by one. Returns the edge id each key's run is
 * inserted before, or why a caller's edges do not stand in a resolution's order.
 */
export function placesAmongCallers(index: CodeIndex, edges: EdgeSnapshot, keys: Iterable<number>, memberSites: ReadonlyMap<number, ReadonlySet<number>>): Map<number, number> | string {
  const wanted = new Map<number, number[]>();
  for (const key of keys) {
    const node = Math.floor(key / SPAN);
    const list = wanted.get(node);
    if (list) list.push(key);
    else wanted.set(node, [key]);
  }
  const out = new Map<number, number>();
  if (wanted.size === 0) return out;
  const interest = new Uint8Array(index.nodeCount);
  for (const node of wanted.keys()) interest[node] = 1;
  const byCaller = new Map<number, number[]>();
  scanColumns(edges, ['from'] as const, (rows, start, count) => {
    const from = rows.from!;
    for (let i = 0; i < count; i++) {
      if (!interest[from[i]!]) continue;
      const list = byCaller.get(from[i]!);
      if (list) list.push(start + i);
      else byCaller.set(from[i]!, [start + i]);
    }
  });
  const kind = storedColumn(edges, 'kind')!;
  const to = storedColumn(edges, 'to')!;
  const site = storedColumn(edges, 'site')!;
  const count = kind.length;
  const bindings = bindingsBlock(count, (e) => edgeBlock(kind.at(e), index.isExternal(to.at(e))));
  for (const [node, list] of wanted) {
    const member = memberSites.get(node);
    const own = (byCaller.get(node) ?? []).map((e) => ({ e, phase: callerPhase(kind.at(e), index.isExternal(to.at(e)), !!member?.has(site.at(e))), site: site.at(e) }));
    for (const key of list) {
      const at = placeAmongCaller(own, key % SPAN, count, bindings);
      if (at === null) return `the edges of ${index.name(node)} are not in the order a resolution adds them`;
      out.set(key, at);
    }
  }
  return out;
}

/**
 * Puts the calls by name (resolveEdges' first and last blocks: edgeBlock 0 and 2) back in caller
 * order after a renumbering that moved nodes within their file (a function put in another place:
 * cache/function-pairs.ts): a resolution adds those edges caller by caller, in node order, and a
 * patch finds where an added one goes by a binary search over callers (splice-edges.ts). The
 * bindings' block keeps each caller's order and needs no order across callers. Each block's
 * out-of-order region (the edges whose callers lie between the least and the greatest caller
 * met out of order) is sorted by caller, each caller's edges in their order, as one splice of
 * the same length (edge-splice.ts applySplices). Columns are read as stored; nothing is written
 * when every block is in order.
 */
export function callersInOrder(index: CodeIndex, edges: EdgeSnapshot): void {
  const from = storedColumn(edges, 'from')!;
  const kind = storedColumn(edges, 'kind')!;
  const to = storedColumn(edges, 'to')!;
  const count = from.length;
  const blockOf = (e: number): number => edgeBlock(kind.at(e), index.isExternal(to.at(e)));
  const bindings = bindingsBlock(count, blockOf);
  const splices: EdgeSplice[] = [];
  for (const [start, end] of [[0, bindings[0]], [bindings[1], count]] as const) {
    let low = Infinity;
    let high = -Infinity;
    let previous = -1;
    scanColumns(edges, ['from'] as const, (rows, at, n) => {
      const f = rows.from!;
      for (let i = 0; i < n; i++) {
        const e = at + i;
        if (e < start || e >= end) continue;
        if (e > start && f[i]! < previous) {
          low = Math.min(low, f[i]!);
          high = Math.max(high, previous);
        }
        previous = f[i]!;
      }
    });
    if (low > high) continue;
    // The region: the edges whose callers lie in [low, high], together (the rest of the block is in order), found a chunk at a time.
    let first = end;
    let last = start;
    scanColumns(edges, ['from'] as const, (rows, at, n) => {
      const f = rows.from!;
      for (let i = 0; i < n; i++) {
        const e = at + i;
        if (e < start || e >= end || f[i]! < low || f[i]! > high) continue;
        first = Math.min(first, e);
        last = e + 1;
      }
    });
    const order = Array.from({ length: last - first }, (_, k) => first + k).sort((a, b) => from.at(a) - from.at(b) || a - b);
    const columns = EDGE_ROW_COLUMNS.flatMap((c) => {
      const column = storedColumn(edges, c);
      return column ? [[c, column] as const] : [];
    });
    splices.push({ start: first, end: last, count: last - first, write: (rows, at) => order.forEach((e, k) => { for (const [c, column] of columns) (rows as unknown as Record<string, Int32Array>)[c]![at + k] = column.at(e); }) });
  }
  applySplices(edges, splices);
}
