import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { callbackEvidenceText } from './callback-evidence.js';
import { kindId } from './edge-kind.js';
import { bindingsBlock, edgeBlock } from './caller-phases.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice, edgeRowsWriter, type WrittenEdge } from './edge-splice.js';
import { paramNames } from './kept-bodies.js';
import { MAX_PASS_DEPTH, PARAM_SPAN, unpackParamUse } from './propagate-params.js';
import { ParamUseTable } from './param-use-table.js';
import { forEachDirectEdge } from './resolve.js';
import { hasColumn, scanCallersEdges, storedColumn } from './stored-column.js';

const CALLBACK = kindId('callback-arg');
const ASSIGNMENT = kindId('ops-assignment');

/** A [node, parameter] pair, as node * PARAM_SPAN + parameter. */
type Pair = number;

/** A call site into a pair's function: the caller and its site (ascending, as the callers' index of a resolution lists them). */
interface CallerSite {
  caller: number;
  site: number;
}

/** One way a parameter is followed (propagateParams' ParamUse, for the callbacks' evidence): the pair reached, the function that calls it and where, the wrappers between. */
interface Use {
  node: number;
  param: number;
  user: string;
  where: string;
  via?: string[];
}

/** A callback-arg edge as bindThroughParams makes it: caller, call site and line, the function passed, and one evidence per way it is called. */
interface CallbackEdge {
  caller: number;
  site: number;
  line: number;
  target: number;
  evidence: Evidence[];
}

/**
 * Whether a call may bind to one of `nodes` (forEachDirectEdge's targets are among the nodes named
 * as it calls: its name, the names its macro expansion ends with, or a macro named as the local it
 * calls through): a call that cannot is not bound by name (bindByName), which a caller's every call
 * would otherwise be, for every caller of a much-used callback API.
 */
function mayCall(index: CodeIndex, call: CallFact, nodes: ReadonlySet<number>): boolean {
  const names = call.var !== undefined ? [call.var] : (call.expandsTo ?? (call.name !== undefined ? [call.name] : []));
  return names.some((name) => index.nodesNamed(name).some((n) => nodes.has(n)));
}

/**
 * Makes again, as a full resolution would (bindThroughParams' callbacks: propagateParams from every
 * call of a parameter, onPassed), the callback-arg edges of `callers` (nodes of the patched index
 * `index` whose calls passing a function where it is called changed: GraphPatch.callbackCallers):
 * an edge from the caller to each function a call passes into a parameter that is called, below
 * any wrappers passing it on, with one evidence per call of the parameter that reaches it.
 *
 * Only the pairs below the ones the callers pass into are walked (a walk from a call of a parameter
 * goes up through callers passing their own parameter on; one that never reaches those pairs makes
 * no edge of these callers), each walk in the order a resolution takes it: the calls of parameters
 * in node and call order, taken from the last, each walk depth first, callers by node and site.
 * The callers' old callback-arg edges are dropped and the new ones placed before the first of
 * their other edges that a resolution adds after the calls by name, so each caller's edges stand
 * in a resolution's order. `edges` change in place (edge-splice.ts applySplices).
 *
 * Returns why not when a caller passes something else where a function is called (a member read,
 * a local pointer: what it holds is not kept), or the graph has no call sites; null when done.
 */
export function patchCallbacks(index: CodeIndex, edges: EdgeSnapshot, callers: ReadonlySet<number>): string | null {
  if (callers.size === 0) return null;
  if (!hasColumn(edges, 'site')) return 'a call passing a function where it is called changed, and the cached graph has no call sites';
  const uses = new ParamUseTable(edges.paramUses);
  const called = (node: number, param: number): boolean => !!uses.of(node, param)?.has('called');
  // The functions with a parameter followed where it is called: only calls that may reach one are bound by name below.
  const callees = new Set<number>();
  const pairs = edges.paramUses ?? new Int32Array(0);
  for (let i = 0; i < pairs.length; i += 2) if (unpackParamUse(pairs[i + 1]!).kind === 'called') callees.add(pairs[i]!);
  // The pairs the callers pass something other than their own parameter into, where it is called.
  const roots: [number, number][] = [];
  for (const x of callers) {
    const params = paramNames(index, x);
    index.calls(x).forEach((call) => {
      if (!mayCall(index, call, callees)) return;
      forEachDirectEdge(index, x, call, (target) => {
        call.args.forEach((a, i) => {
          const member = !!call.argMembers?.some((m) => m.arg === i);
          if ((a !== null && !params.includes(a)) || member) if (called(target, i)) roots.push([target, i]);
        });
      });
    });
  }
  // Every pair below the roots: a function passing its own parameter on into a pair below passes it down (propagateParams walks it up).
  const relevant = new Set<Pair>();
  const passers = new Map<number, CallerSite[]>();
  const down: [number, number][] = [];
  for (const [node, param] of roots) {
    if (relevant.has(node * PARAM_SPAN + param)) continue;
    relevant.add(node * PARAM_SPAN + param);
    down.push([node, param]);
  }
  while (down.length) {
    const [node, param] = down.pop()!;
    const name = paramNames(index, node)[param];
    if (name === undefined) continue;
    index.calls(node).forEach((call, site) => {
      call.args.forEach((a, j) => {
        if (a !== name || j >= PARAM_SPAN) return;
        forEachDirectEdge(index, node, call, (target) => {
          const list = passers.get(target) ?? passers.set(target, []).get(target)!;
          if (!list.some((c) => c.caller === node && c.site === site)) list.push({ caller: node, site });
          const key = target * PARAM_SPAN + j;
          if (relevant.has(key)) return;
          relevant.add(key);
          down.push([target, j]);
        });
      });
    });
  }
  // The callers' sites into the relevant functions, beside the passers', by caller and site.
  const callersOf = new Map<number, CallerSite[]>(passers);
  const relevantNodes = new Set([...relevant].map((key) => Math.floor(key / PARAM_SPAN)));
  for (const x of callers) {
    index.calls(x).forEach((call, site) => {
      if (!mayCall(index, call, relevantNodes)) return;
      forEachDirectEdge(index, x, call, (target) => {
        if (!relevantNodes.has(target)) return;
        const list = callersOf.get(target) ?? callersOf.set(target, []).get(target)!;
        if (!list.some((c) => c.caller === x && c.site === site)) list.push({ caller: x, site });
      });
    });
  }
  for (const list of callersOf.values()) list.sort((a, b) => a.caller - b.caller || a.site - b.site);
  // The calls of parameters below the roots, in node and call order: the seeds of a resolution's walk, in its order.
  const seeds: Use[] = [];
  for (const node of [...relevantNodes].sort((a, b) => a - b)) {
    for (const call of index.calls(node)) {
      if (call.param !== undefined && relevant.has(node * PARAM_SPAN + call.param)) seeds.push({ node, param: call.param, where: `${index.file(node)}:${call.line}`, user: index.name(node) });
    }
  }
  const made = new Map<string, CallbackEdge>();
  let why: string | null = null;
  const queue = seeds.map((use, origin) => ({ use, origin, depth: 0 }));
  const seen = new Set<string>(queue.map(({ use, origin }) => `${use.node}:${use.param}:${origin}`));
  while (queue.length && !why) {
    const { use, origin, depth } = queue.pop()!;
    for (const { caller, site } of callersOf.get(use.node) ?? []) {
      const call = index.calls(caller)[site]!;
      const arg = call.args[use.param];
      const mine = callers.has(caller);
      if (!arg) {
        if (arg === null && mine && call.argMembers?.some((m) => m.arg === use.param)) why = `${index.name(caller)} passes a member where ${index.name(use.node)} calls it (what it holds is not kept)`;
        continue;
      }
      const p = paramNames(index, caller).indexOf(arg);
      if (p >= 0) {
        const key = `${caller}:${p}:${origin}`;
        if (relevant.has(caller * PARAM_SPAN + p) && !seen.has(key) && depth < MAX_PASS_DEPTH) {
          seen.add(key);
          const via = depth === 0 ? use.via : [index.name(use.node), ...(use.via ?? [])];
          queue.push({ use: { ...use, node: caller, param: p, ...(via?.length ? { via } : {}) }, origin, depth: depth + 1 });
        }
        continue;
      }
      if (!mine) continue;
      const targets = directTargets(index, index.nodeFile[caller]!, arg);
      if (!targets.length) why = `${index.name(caller)} passes ${arg}, which names no function, where ${index.name(use.node)} calls it (a local pointer's functions are not kept)`;
      for (const target of targets) {
        if (index.isMacro(target)) continue;
        const key = `${caller}:${site}:${target}`;
        const edge = made.get(key) ?? made.set(key, { caller, site, line: call.line, target, evidence: [] }).get(key)!;
        edge.evidence.push({ file: index.file(caller), line: call.line, text: callbackEvidenceText(index.name(target), index.name(use.node), use.user, use.via, use.where) });
      }
    }
  }
  return why ?? spliceCallbacks(index, edges, callers, [...made.values()]);
}

/** Drops the callback-arg edges of `callers` and puts `made` (in its order) before each caller's first later edge (see patchCallbacks). */
function spliceCallbacks(index: CodeIndex, edges: EdgeSnapshot, callers: ReadonlySet<number>, made: CallbackEdge[]): string | null {
  const at = { from: storedColumn(edges, 'from')!, to: storedColumn(edges, 'to')!, kind: storedColumn(edges, 'kind')! };
  const count = at.from.length;
  const block = (e: number): number => edgeBlock(at.kind.at(e), index.isExternal(at.to.at(e)));
  const old = new Map<number, number[]>();
  const firstLater = new Map<number, number>();
  const lastResult = new Map<number, number>();
  const site = storedColumn(edges, 'site')!;
  scanCallersEdges(edges, index.nodeCount, callers, (e, x) => {
    if (at.kind.at(e) === CALLBACK) (old.get(x) ?? old.set(x, []).get(x)!).push(e);
    // The calls of a call's result (`pick()()`) that resolveFlows binds come before the callbacks (a fallback's, after).
    else if (at.kind.at(e) === ASSIGNMENT && index.calls(x)[site.at(e)]?.ret !== undefined) lastResult.set(x, e);
    else if (block(e) === 1 && !firstLater.has(x)) firstLater.set(x, e);
  });
  for (const [x, e] of lastResult) if (e > (firstLater.get(x) ?? Infinity)) return `the edges of ${index.name(x)} are not in the order a resolution adds them`;
  // A caller with no later edge of its own: at the end of the bindings' block (before the first call of an external node).
  const [, lo] = bindingsBlock(count, block);
  const splices: EdgeSplice[] = [];
  const evidence = new EvidenceAppender(edges);
  const byCaller = new Map<number, CallbackEdge[]>();
  for (const m of made) (byCaller.get(m.caller) ?? byCaller.set(m.caller, []).get(m.caller)!).push(m);
  /** Writes `rows` from row `to` of `next`. */
  const writer = (rows: WrittenEdge[]) => edgeRowsWriter(rows, CALLBACK, 0);
  for (const caller of callers) {
    const list = byCaller.get(caller) ?? [];
    const rows = list.map((m) => ({ ...m, proof: evidence.set(m.evidence) }));
    const was = old.get(caller) ?? [];
    // The same edges in the same order (another way of calling them, new evidence): each row is written where it stands, so the splice
    // keeps the list's shape and the columns no row changes (applySplices); else the old ones go and the new ones go in their place.
    if (was.length === rows.length && was.every((e, k) => at.to.at(e) === rows[k]!.target && site.at(e) === rows[k]!.site)) {
      was.forEach((e, k) => splices.push({ start: e, end: e + 1, count: 1, write: writer([rows[k]!]) }));
      continue;
    }
    for (const e of was) splices.push({ start: e, end: e + 1, count: 0, write: () => {} });
    if (rows.length === 0) continue;
    const place = firstLater.get(caller) ?? Math.max(lo, (lastResult.get(caller) ?? -1) + 1);
    splices.push({ start: place, end: place, count: rows.length, write: writer(rows) });
  }
  applySplices(edges, splices);
  evidence.finish();
  return null;
}
