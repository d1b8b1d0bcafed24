import type { CodeIndex } from '../index/code-index.js';
import { EvidenceAppender } from './append-evidence.js';
import { directTargets } from './bind-direct.js';
import { callbackEvidenceText } from './callback-evidence.js';
import { kindId } from './edge-kind.js';
import { bindingsBlock, edgeBlock } from './caller-phases.js';
import type { EdgeSnapshot, Evidence } from './edge-list.js';
import { applySplices, type EdgeSplice, edgeRowsWriter, type WrittenEdge } from './edge-splice.js';
import { paramNames } from './kept-bodies.js';
import { PARAM_SPAN, unpackParamUse } from './propagate-params.js';
import { mayCall, pairsBelow, type WalkUse, walkUp } from './param-walk.js';
import { ParamUseTable } from './param-use-table.js';
import { forEachDirectEdge } from './resolve.js';
import { hasColumn, scanCallersEdges, storedColumn } from './stored-column.js';

const CALLBACK = kindId('callback-arg');
const ASSIGNMENT = kindId('ops-assignment');

/** A callback-arg edge as bindThroughParams makes it: caller, call site and line, the function passed, and one evidence per way it is called. */
interface CallbackEdge {
  caller: number;
  site: number;
  line: number;
  target: number;
  evidence: Evidence[];
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
  const below = pairsBelow(index, roots, callers, called);
  // The calls of parameters below the roots, in node and call order: the seeds of a resolution's walk, in its order.
  const seeds: WalkUse[] = [];
  for (const node of [...below.nodes].sort((a, b) => a - b)) {
    for (const call of index.calls(node)) {
      if (call.param !== undefined && below.relevant.has(node * PARAM_SPAN + call.param)) seeds.push({ node, param: call.param, where: `${index.file(node)}:${call.line}`, user: index.name(node), seed: seeds.length });
    }
  }
  const made = new Map<string, CallbackEdge>();
  let why: string | null = null;
  walkUp(index, seeds, below, (use, caller, site, call, arg) => {
    if (!callers.has(caller)) return false;
    if (!arg) {
      if (arg === null && call.argMembers?.some((m) => m.arg === use.param)) why = `${index.name(caller)} passes a member where ${index.name(use.node)} calls it (what it holds is not kept)`;
      return why !== null;
    }
    const targets = directTargets(index, index.nodeFile[caller]!, arg);
    if (!targets.length) why = `${index.name(caller)} passes ${arg}, which names no function, where ${index.name(use.node)} calls it (a local pointer's functions are not kept)`;
    for (const target of targets) {
      if (index.isMacro(target)) continue;
      const key = `${caller}:${site}:${target}`;
      const edge = made.get(key) ?? made.set(key, { caller, site, line: call.line, target, evidence: [] }).get(key)!;
      edge.evidence.push({ file: index.file(caller), line: call.line, text: callbackEvidenceText(index.name(target), index.name(use.node), use.user, use.via, use.where) });
    }
    return why !== null;
  });
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
