import type { CodeIndex } from '../index/code-index.js';
import { callbackPassers, callbackUser } from '../resolve/callback-evidence.js';
import { kindId } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';

const CALLBACK_ARG = kindId('callback-arg');

/** Per edge kind column (a column replaced is a new key), its callback-arg edges (ids ascending) and the length they were found at: `check` asks once per step that has no edge. */
const found = new WeakMap<object, { length: number; ids: Int32Array }>();

/** The ids of the callback-arg edges of `edges`, found in one pass over its kinds and kept while its kind column and length stay the same. */
function callbackArgEdges(edges: EdgeList): Int32Array {
  const kept = found.get(edges.kind);
  if (kept && kept.length === edges.length) return kept.ids;
  const kind = edges.kind.view();
  const ids: number[] = [];
  for (let e = 0; e < kind.length; e++) if (kind[e] === CALLBACK_ARG) ids.push(e);
  const entry = { length: edges.length, ids: Int32Array.from(ids) };
  found.set(edges.kind, entry);
  return entry.ids;
}

/** The file and 1-based line of a callback evidence's `file:line` (CallbackUser.where). */
function placeOf(where: string): { file: string; line: number } {
  const colon = where.lastIndexOf(':');
  return { file: where.slice(0, colon), line: Number(where.slice(colon + 1)) };
}

/**
 * A call a function makes through its own parameter, bound at one of its callers: the caller's
 * callback-arg edge to the callback, and where the function calls its parameter.
 */
export interface ParameterCall {
  /** The callback-arg edge (an EdgeList id) at the call site that passes the callback. */
  edge: number;
  /** Where the function calls its parameter (repository-relative file, 1-based line). */
  file: string;
  line: number;
}

/**
 * Where any of `users` calls any of `callees` through its own parameter: the model binds a call
 * of a function's parameter at each call site that passes a function into it (a callback-arg edge
 * from that caller: `driver_attach -> __driver_attach` for `bus_for_each_dev(drv, __driver_attach)`),
 * so `bus_for_each_dev -> __driver_attach` is no edge, but it is the call a stack trace shows.
 * `callees` null: any callee.
 * This finds those edges whose evidence names one of `users` as the function that calls the
 * callback (the last of any wrappers that pass it on). `keep` is the query's edge filter
 * (callback-arg is an indirect kind). The callback-arg edges are found once per edge list
 * (callbackArgEdges), then the evidence of those to `callees` only is read; sorted by edge id, once each.
 */
export function parameterCalls(index: CodeIndex, edges: EdgeList, users: readonly number[], callees: ReadonlySet<number> | null, keep: (kind: number) => boolean = () => true): ParameterCall[] {
  if (users.length === 0 || callees?.size === 0 || !keep(CALLBACK_ARG)) return [];
  const userFiles = new Map<string, Set<string>>();
  for (const u of users) {
    if (index.isExternal(u)) continue;
    const name = index.name(u);
    userFiles.set(name, (userFiles.get(name) ?? new Set()).add(index.file(u)));
  }
  const out: ParameterCall[] = [];
  for (const e of callbackArgEdges(edges)) {
    if (callees && !callees.has(edges.to.get(e))) continue;
    for (const b of edges.evidenceOf(e, '')) {
      const said = callbackUser(b.text);
      if (!said) continue;
      const at = placeOf(said.where);
      if (!userFiles.get(said.user)?.has(at.file)) continue;
      out.push({ edge: e, ...at });
      break;
    }
  }
  return out;
}

/** A callback one of the passers passes on, with the function that finally calls it (ParameterCall's place is that function's call). */
export interface ParameterPass extends ParameterCall {
  /** The function whose call of its own parameter calls the callback. */
  user: string;
}

/**
 * Where any of `passers` (by name) takes `callees` in through a parameter and passes it on to
 * another function that calls it (`for_each_dev_wrapped` passing `count_one` on to
 * `bus_for_each_dev`): the callback-arg edges whose evidence names one of them before the last
 * function of the chain (callbackPassers), with that function and its call. The step a stack
 * trace shows is the user's, not the passer's. Sorted by edge id, once each; `keep` as parameterCalls.
 */
export function parameterPasses(index: CodeIndex, edges: EdgeList, passers: readonly number[], callees: ReadonlySet<number>, keep: (kind: number) => boolean = () => true): ParameterPass[] {
  const names = new Set(passers.filter((n) => !index.isExternal(n)).map((n) => index.name(n)));
  if (names.size === 0 || callees.size === 0 || !keep(CALLBACK_ARG)) return [];
  const out: ParameterPass[] = [];
  for (const e of callbackArgEdges(edges)) {
    if (!callees.has(edges.to.get(e))) continue;
    for (const b of edges.evidenceOf(e, '')) {
      const said = callbackPassers(b.text);
      if (!said?.passers.some((p) => names.has(p))) continue;
      out.push({ edge: e, user: said.user, ...placeOf(said.where) });
      break;
    }
  }
  return out;
}
