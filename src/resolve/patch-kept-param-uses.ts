import type { CodeIndex } from '../index/code-index.js';
import type { CallFact, FunctionFact } from '../types/facts.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot } from './edge-list.js';
import type { GraphPatch } from './patch-graph.js';
import { type KeptNode, paramNames } from './kept-bodies.js';
import type { AddedParamUse } from './patch-param-uses.js';
import { MAX_PASS_DEPTH, packParamUse, type ParamUseKind } from './propagate-params.js';
import { forEachDirectEdge } from './resolve.js';
import { paramHoldsNoFunction } from './function-holders.js';
import { withFields } from '../util/text-slices.js';
import { sharedFrom } from '../util/shared-arrays.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** The pairs of EdgeList.paramUses a body edit adds and takes out (each with the kind and depth it had or gets). */
export interface ParamUseChange {
  added: AddedParamUse[];
  removed: AddedParamUse[];
}

/** Where a call passes the caller's own parameter (by name: no member's address, no member read) into a parameter followed for some kind: one per (target, argument, kind). */
interface OwnPass {
  param: number;
  target: number;
  arg: number;
  kind: ParamUseKind;
  depth: number;
}

/** The own parameters (`params`, by name) that `call` of `node` passes into parameters followed ('stored' or 'called', below MAX_PASS_DEPTH), as propagateParams follows them. */
function ownPasses(patch: GraphPatch, index: CodeIndex, node: number, call: CallFact, params: string[]): OwnPass[] {
  const passes: OwnPass[] = [];
  // A call of the parameter itself: the use a resolution follows from (depth 0), as a pass one level below it.
  if (call.param !== undefined && call.param < params.length) passes.push({ param: call.param, target: node, arg: call.param, kind: 'called', depth: -1 });
  const members = new Set(call.argMembers?.map((m) => m.arg));
  forEachDirectEdge(index, node, call, (target) => {
    call.args.forEach((a, arg) => {
      const param = a === null || call.refs?.[arg] || members.has(arg) ? -1 : params.indexOf(a);
      // A parameter no function fits passes nothing on (propagateParams).
      if (param < 0 || paramHoldsNoFunction(index, node, param)) return;
      for (const [kind, depth] of patch.useOf(target, arg) ?? []) if (kind !== 'out' && depth < MAX_PASS_DEPTH) passes.push({ param, target, arg, kind, depth });
    });
  });
  return passes;
}

/**
 * What `call` (of `caller`) passes as argument `arg`, as propagateParams follows it: null for nothing
 * (no argument, or one that is no name, member's address or member read, or the caller's parameter
 * no function fits: paramHoldsNoFunction), the caller's parameter's
 * position for its own parameter by name, -1 for anything else (a function, a local, a member).
 */
function passedInto(index: CodeIndex, caller: number, call: CallFact, arg: number): number | null {
  const a = call.args[arg];
  const member = !!call.refs?.[arg] || !!call.argMembers?.some((m) => m.arg === arg);
  if (a === undefined || (a === null && !member)) return null;
  if (a === null || member) return -1;
  const own = paramNames(index, caller).indexOf(a);
  // The caller's parameter no function fits passes nothing (propagateParams).
  return own >= 0 && paramHoldsNoFunction(index, caller, own) ? null : own;
}

/**
 * The callers of `nodes` (nodes of the patched index) and the calls by which they call them: from the
 * cached direct and macro edges for callers in files not edited (`edited` says which are), and from
 * the edited files' new facts (every call of theirs bound by name) for theirs.
 */
function callersOf(index: CodeIndex, edges: EdgeSnapshot, nodes: ReadonlySet<number>, edited: ReadonlySet<number>): { caller: number; callee: number; call: CallFact }[] | string {
  const { from, to, kind, site } = edges;
  if (!site) return 'the cached graph has no call sites';
  const found: { caller: number; callee: number; call: CallFact }[] = [];
  for (let e = 0; e < from.length; e++) {
    if (!nodes.has(to[e]!) || (kind[e] !== DIRECT && kind[e] !== MACRO) || edited.has(index.nodeFile[from[e]!]!)) continue;
    const call = index.calls(from[e]!)[site[e]!];
    if (!call) return `the cached graph's call sites are not those of ${index.name(from[e]!)}'s facts`;
    found.push({ caller: from[e]!, callee: to[e]!, call });
  }
  for (let n = 0; n < index.nodeCount; n++) {
    if (!edited.has(index.nodeFile[n]!)) continue;
    for (const call of index.calls(n)) forEachDirectEdge(index, n, call, (target) => nodes.has(target) && found.push({ caller: n, callee: target, call }));
  }
  return found;
}

/**
 * Calls `each` for every call passing something into one of the pairs of `level` (callersOf):
 * the caller, the pair, what passedInto says it passes (its own parameter's position, or -1), and
 * the argument in words. Returns the first reason `each` gives, or null.
 */
function forEachPass(index: CodeIndex, edges: EdgeSnapshot, level: AddedParamUse[], edited: ReadonlySet<number>, each: (caller: number, u: AddedParamUse, p: number, what: string) => string | null): string | null {
  const callers = callersOf(index, edges, new Set(level.map((u) => u.node)), edited);
  if (typeof callers === 'string') return callers;
  for (const { caller, callee, call } of callers) {
    for (const u of level) {
      const p = u.node === callee ? passedInto(index, caller, call, u.param) : null;
      const why = p === null ? null : each(caller, u, p, call.args[u.param] ?? 'a member');
      if (why) return why;
    }
  }
  return null;
}

/**
 * What the calls that kept functions' body edits add and remove (`kept`, nodes of the patched index
 * `index`, whose cached edges `edges` are not yet patched) do to EdgeList.paramUses, as a full
 * resolution (propagateParams) would have it: a call added that passes the function's own parameter
 * p into a parameter followed for a kind at depth d (< MAX_PASS_DEPTH) makes [f, p] followed at
 * d + 1, and then each caller passing its own parameter into [f, p] has it followed one deeper, and
 * so on; a call removed that did so takes [f, p] out. Each change is made to `patch` as well (addUse,
 * dropUse), so that the calls checked after see it. `edited` holds the edited files' ids.
 *
 * Exact only where a change reaches pairs no seed reached before (for that kind), each once, and no
 * caller passes anything but its own parameter into them (a function, a local, a member: those would
 * make or lose callback edges and bindings); a pair taken out must have been followed through the
 * removed call alone (its depth one more than the target's, no other call passing it on, no caller
 * passing anything into it). Returns why not otherwise, in words for `-v`; null changes nothing.
 */
export function keptParamUses(patch: GraphPatch, index: CodeIndex, edges: EdgeSnapshot, kept: KeptNode[], edited: ReadonlySet<number>): ParamUseChange | string {
  const added: AddedParamUse[] = [];
  const removed: AddedParamUse[] = [];
  // Pairs already followed that a call added or removed passes on into another, their depth unchanged.
  const quiet: AddedParamUse[] = [];
  const name = (u: { node: number; param: number }): string => `${index.name(u.node)}'s parameter ${u.param + 1}`;
  for (const { node, was, now, body } of kept) {
    if (index.isMacro(node) || (body.added.length === 0 && body.removed.length === 0)) continue;
    const params = paramNames(index, node);
    const wasParams = (was as FunctionFact).params.map((p) => p.name);
    const addedPasses = body.added.flatMap((c) => ownPasses(patch, index, node, c, params));
    const removedPasses = body.removed.flatMap((c) => ownPasses(patch, index, node, c, params));
    if (addedPasses.length + removedPasses.length === 0) continue;
    if (wasParams.join(',') !== params.join(',')) return `${index.name(node)} passes its parameter on into a followed one, and its parameters changed`;
    // What the body passes on after the edit: every call of it, with the pairs as they stand.
    const nowPasses = now.calls.flatMap((c) => ownPasses(patch, index, node, c, params));
    for (const p of addedPasses) {
      const key = (q: OwnPass): boolean => q.param === p.param && q.kind === p.kind;
      const had = patch.useOf(node, p.param)?.get(p.kind);
      if (had !== undefined) {
        // Already followed no deeper than this call makes it: its depth stays (passDepths), and so does every pair above it.
        if (had > p.depth + 1) return `${name({ node, param: p.param })} is passed on into ${index.name(p.target)} and was already followed (${p.kind}) deeper`;
        quiet.push({ node, param: p.param, kind: p.kind, depth: had });
        continue;
      }
      if (nowPasses.some((q) => key(q) && (q.target !== p.target || q.arg !== p.arg))) return `${index.name(node)} passes its parameter ${params[p.param]} on into two parameters that functions are followed into`;
      if (added.some((u) => u.node === node && u.param === p.param && u.kind === p.kind)) continue;
      added.push({ node, param: p.param, kind: p.kind, depth: p.depth + 1 });
    }
    for (const p of removedPasses) {
      const had = patch.useOf(node, p.param)?.get(p.kind);
      if (removed.some((u) => u.node === node && u.param === p.param && u.kind === p.kind)) continue;
      if (had === undefined) return `a call passing ${name({ node, param: p.param })} on into ${index.name(p.target)} was removed, and it was not followed (${p.kind})`;
      // Still followed at the same depth (a use of its own, or another call passing it on as shallow): nothing changes above it.
      // A stored pair at depth 0 is stored by the body itself; a called one is called by it (ownPasses lists each call of the parameter).
      const staying = had === 0 && p.kind !== 'called' ? 0 : Math.min(...nowPasses.filter((q) => q.param === p.param && q.kind === p.kind).map((q) => q.depth + 1));
      if (staying === had) {
        quiet.push({ node, param: p.param, kind: p.kind, depth: had });
        continue;
      }
      if (had !== p.depth + 1) return `a call passing ${name({ node, param: p.param })} on into ${index.name(p.target)} was removed, and it is followed (${p.kind}) otherwise too`;
      if (nowPasses.some((q) => q.param === p.param && q.kind === p.kind)) return `a call passing ${name({ node, param: p.param })} on was removed, and another call still passes it on deeper`;
      if (added.some((u) => u.node === node && u.param === p.param)) return `${name({ node, param: p.param })} is passed on by a call added and by one removed`;
      removed.push({ node, param: p.param, kind: p.kind, depth: had });
    }
  }
  if (quiet.length) {
    if (added.length + removed.length) return `${name(quiet[0]!)} stays followed while other parameters start or stop being followed`;
    // The seeds reaching the callee's pair reach these pairs (and all above them) or stop reaching them: nothing must be passed into those but own parameters.
    return quietAbove(index, edges, patch, quiet, edited) ?? { added, removed };
  }
  if (added.length + removed.length === 0) return { added, removed };
  // Pairs taken out, level by level: a caller passing its own parameter into one only (for that kind) loses it too.
  for (let level = [...removed]; level.length > 0; ) {
    const next: AddedParamUse[] = [];
    const why = forEachPass(index, edges, level, edited, (caller, u, p, what) => {
      if (p < 0) return remakeCallbacks(patch, caller, u) ? null : `a call passing ${name(u)} on was removed, and ${index.name(caller)} passes ${what} into it`;
      if (u.depth >= MAX_PASS_DEPTH || next.some((v) => v.node === caller && v.param === p && v.kind === u.kind)) return null;
      const pair = { node: caller, param: p, kind: u.kind, depth: u.depth + 1 };
      const own = paramNames(index, caller);
      const others = index.calls(caller).flatMap((c) => ownPasses(patch, index, caller, c, own)).filter((q) => q.param === p && q.kind === u.kind && (q.target !== u.node || q.arg !== u.param));
      if (patch.useOf(caller, p)?.get(u.kind) !== pair.depth || others.length > 0) return `a call passing ${name(u)} on was removed, and ${name(pair)}, which is passed into it, is followed otherwise too`;
      next.push(pair);
      return null;
    });
    if (why) return why;
    for (const u of level) patch.dropUse(u.node, u.param, u.kind);
    removed.push(...next);
    level = next;
  }
  // Pairs newly followed, level by level: each caller passing its own parameter into one is followed one deeper.
  for (let level = [...added]; level.length > 0; ) {
    for (const u of level) patch.addUse(u.node, u.param, u.kind, u.depth);
    const next: AddedParamUse[] = [];
    const why = forEachPass(index, edges, level, edited, (caller, u, p, what) => {
      if (p < 0) return remakeCallbacks(patch, caller, u) ? null : `${name(u)} becomes followed (${u.kind}), and ${index.name(caller)} passes ${what} into it`;
      if (u.depth >= MAX_PASS_DEPTH) return null;
      const pair = { node: caller, param: p, kind: u.kind, depth: u.depth + 1 };
      if (patch.useOf(caller, p)?.has(u.kind) || next.some((v) => v.node === caller && v.param === p && v.kind === u.kind)) return `${name(u)} becomes followed (${u.kind}), and ${name(pair)}, which is passed into it, is followed otherwise too`;
      next.push(pair);
      return null;
    });
    if (why) return why;
    added.push(...next);
    level = next;
  }
  return { added, removed };
}

/**
 * For a caller passing something other than its own parameter into a pair whose functions are
 * called (`u`) that becomes followed, stops being followed or is reached from more or fewer calls
 * of parameters: its callback-arg edges are made again (GraphPatch.callbackCallers,
 * patch-callbacks.ts, which says why not when it passes a member or a local). False for a pair
 * whose functions are stored or stored through: the member's bindings would change.
 */
function remakeCallbacks(patch: GraphPatch, caller: number, u: AddedParamUse): boolean {
  if (u.kind !== 'called') return false;
  patch.callbackCallers.add(caller);
  return true;
}

/**
 * Why following `pairs` (already followed, at their depth) from more or fewer seeds changes
 * bindings or callback edges: a call passing a function, a local or a member into one of them or
 * into a pair above them (reached through callers passing their own parameter on, up to
 * MAX_PASS_DEPTH), which the seeds that now reach them or stop reaching them would bind; null when
 * every such call passes own parameters only. Each pair above must be followed for the kind already
 * (so its depth, the shortest chain, stays too).
 */
function quietAbove(index: CodeIndex, edges: EdgeSnapshot, patch: GraphPatch, pairs: AddedParamUse[], edited: ReadonlySet<number>): string | null {
  const name = (u: { node: number; param: number }): string => `${index.name(u.node)}'s parameter ${u.param + 1}`;
  const seen = new Set(pairs.map((u) => `${u.node}:${u.param}:${u.kind}`));
  for (let level = pairs.filter((u) => u.depth < MAX_PASS_DEPTH); level.length > 0; ) {
    const next: AddedParamUse[] = [];
    const why = forEachPass(index, edges, level, edited, (caller, u, p, what) => {
      if (p < 0) return remakeCallbacks(patch, caller, u) ? null : `${name(u)} is followed (${u.kind}) from more or fewer uses, and ${index.name(caller)} passes ${what} into it`;
      const key = `${caller}:${p}:${u.kind}`;
      if (seen.has(key)) return null;
      seen.add(key);
      const depth = patch.useOf(caller, p)?.get(u.kind);
      if (depth === undefined) return `${name({ node: caller, param: p })} is passed into ${name(u)}, which is followed (${u.kind}), and is not followed itself`;
      if (depth < MAX_PASS_DEPTH) next.push({ node: caller, param: p, kind: u.kind, depth });
      return null;
    });
    if (why) return why;
    level = next;
  }
  return null;
}

/** `edges` with the pairs of `change` taken out of and added to its paramUses (packed: packParamUse); the same edges when none changes. */
export function withParamUseChange(edges: EdgeSnapshot, change: ParamUseChange): EdgeSnapshot {
  if ((change.added.length === 0 && change.removed.length === 0) || !edges.paramUses) return edges;
  const gone = new Set(change.removed.map((u) => `${u.node}:${packParamUse(u)}`));
  const uses: number[] = [];
  for (let i = 0; i < edges.paramUses.length; i += 2) if (!gone.has(`${edges.paramUses[i]}:${edges.paramUses[i + 1]}`)) uses.push(edges.paramUses[i]!, edges.paramUses[i + 1]!);
  for (const u of change.added) uses.push(u.node, packParamUse(u));
  // withFields, not a spread: a spread reads every column (withParamUses).
  return withFields(edges, { paramUses: sharedFrom(Int32Array, uses) });
}
