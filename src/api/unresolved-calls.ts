import type { CallSiteSummary } from '../cache/call-site-summary.js';
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { EDGE_KINDS, isIndirect } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import { MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS } from '../resolve/narrow-fallback.js';
import type { CallFact } from '../types/facts.js';
import type { ParameterCallSite, UnresolvedCall } from '../types/results.js';

/** How an unresolved call reads: `->sendmsg(...)`, `fp(...)`, `tbl[...](...)`, `get_ops(...)(...)`, `hook(...)`. */
function callText(call: CallFact): string {
  if (call.field !== undefined) return `->${call.field}(...)`;
  if (call.var !== undefined) return `${call.var}(...)`;
  if (call.array !== undefined) return `${call.array}[...](...)`;
  if (call.ret !== undefined) return `${call.ret}(...)(...)`;
  return call.name !== undefined ? `${call.name}(...)` : 'a function pointer';
}

/**
 * The pointer calls of each of `callers` that bind no target: the indirect call sites `sites`
 * lists (CallSiteSummary.indirect: what `stats` counts, so the two agree) that no edge of an
 * indirect kind leaves, in call-site order. A site whose weak fallback found more candidates
 * than its cap (EdgeList.overCap) says so. One pass over the edges; reads the per-file facts of
 * the callers that have such a site only (their lines and call text). Callers with none are
 * absent from the map.
 */
export function unresolvedCalls(index: CodeIndex, edges: EdgeList, sites: CallSiteSummary, callers: Iterable<number>, unbound = unboundSites(edges, sites, callers)): Map<number, UnresolvedCall[]> {
  const out = new Map<number, UnresolvedCall[]>();
  if (unbound.size === 0) return out;
  const overCap = new Map<string, NonNullable<UnresolvedCall['overCap']>>();
  for (let i = 0; i < edges.overCap.length; i += 4) {
    const [node, site, kind, candidates] = edges.overCap.slice(i, i + 4) as [number, number, number, number];
    if (!unbound.has(node)) continue;
    const fallback = EDGE_KINDS[kind] === 'signature' ? 'signature' : 'field-name';
    overCap.set(`${node}:${site}`, { fallback, candidates, cap: fallback === 'signature' ? MAX_SIGNATURE_TARGETS : MAX_FALLBACK_TARGETS });
  }
  for (const [node, list] of unbound) {
    const calls = index.calls(node);
    out.set(
      node,
      list.map((site) => {
        const over = overCap.get(`${node}:${site}`);
        return { file: index.file(node), line: calls[site]!.line, call: callText(calls[site]!), ...(over ? { overCap: over } : {}) };
      }),
    );
  }
  return out;
}

/**
 * The indirect call sites of each of `callers` that no edge of an indirect kind leaves (see
 * unresolvedCalls), by caller, in site order; callers with none are absent. Reads no facts: an
 * empty map says that unresolvedCalls will read none either.
 */
export function unboundSites(edges: EdgeList, sites: CallSiteSummary, callers: Iterable<number>): Map<number, number[]> {
  const from = new Set(callers);
  const out = new Map<number, number[]>();
  const open = new Map<number, number[]>();
  const triples = sites.indirect;
  for (let i = 0; i < triples.length; i += 3) {
    const node = triples[i]!;
    if (!from.has(node)) continue;
    let list = open.get(node);
    if (!list) open.set(node, (list = []));
    list.push(triples[i + 1]!);
  }
  if (open.size === 0) return out;
  // The edges of these callers alone (EdgeList.edgesFrom: through the callers' runs of a loaded
  // graph), not a pass over every edge: that decoded the whole caller column, four million edges
  // on a kernel, the most of a warm callees query's main-thread time (Linux 6.1).
  let last = 0;
  for (const node of open.keys()) last = Math.max(last, node);
  const marked = new Uint8Array(last + 1);
  for (const node of open.keys()) marked[node] = 1;
  const bound = new Set<string>();
  const callerOf: number[] = [];
  edges.edgesFrom(marked, callerOf).forEach((e, i) => {
    if (isIndirect(edges.kindOf(e))) bound.add(`${callerOf[i]}:${edges.siteOf(e)}`);
  });
  for (const [node, list] of open) {
    const unbound = list.filter((site) => !bound.has(`${node}:${site}`));
    if (unbound.length > 0) out.set(node, unbound);
  }
  return out;
}

/**
 * The calls each of `callers` makes of its own parameters (CallFact.param: `fn(timer)` in
 * call_timer_fn), in call-site order. Reads the per-file facts of the callers whose node has
 * NodeFlag.CallsParameter only. Callers with none are absent from the map.
 */
export function ownParameterCalls(index: CodeIndex, callers: Iterable<number>): Map<number, ParameterCallSite[]> {
  const out = new Map<number, ParameterCallSite[]>();
  for (const node of new Set(callers)) {
    if (!(index.nodeFlags[node]! & NodeFlag.CallsParameter) || index.isMacro(node) || index.isExternal(node)) continue;
    const fn = index.fileFacts(index.nodeFile[node]!).functions[index.nodeItem[node]!]!;
    const list: ParameterCallSite[] = [];
    for (const call of fn.calls) {
      if (call.param === undefined) continue;
      const parameter = fn.params[call.param]?.name ?? call.name ?? `parameter ${call.param + 1}`;
      list.push({ file: index.file(node), line: call.line, call: `${parameter}(...)`, parameter });
    }
    if (list.length) out.set(node, list);
  }
  return out;
}

/**
 * A reader of each function's call sites through a pointer bound to nothing (unboundSites over
 * every caller of the summary), worked out on its first question from `summary`; it answers
 * undefined for every node when `summary` gives none (no summary kept, no facts to make one).
 */
export function unboundSitesReader(edges: EdgeList, summary: () => CallSiteSummary | undefined): (node: number) => readonly number[] | undefined {
  let byNode: Map<number, number[]> | null | undefined;
  return (node) => {
    if (byNode === undefined) {
      const sites = summary();
      const callers = new Set<number>();
      for (let i = 0; sites && i < sites.indirect.length; i += 3) callers.add(sites.indirect[i]!);
      byNode = sites ? unboundSites(edges, sites, callers) : null;
    }
    return byNode?.get(node);
  };
}
