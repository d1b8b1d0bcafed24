import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import type { EdgeList } from './edge-list.js';
import type { Slot } from './type-model.js';

/** A function that does something with one of its parameters: stores it, or calls it. */
export interface ParamUse {
  node: number;
  param: number;
  /** Where the use happens, for evidence: `include/linux/netfilter.h:314`. */
  where: string;
  /** For stores: the member slot the parameter ends up in. */
  slot?: Slot;
  /** The function that uses the parameter first (before any wrapper passes it on). */
  user: string;
  /** The wrappers between `node` and `user`, outermost first (`__INIT_DELAYED_WORK`, `INIT_WORK`); absent for none. */
  via?: string[];
}

/** How many wrappers (functions or macros) a parameter is followed through, outward from its use. */
export const MAX_PASS_DEPTH = 16;

/** Reached when a function is found passed into a ParamUse at a call site. */
export type OnPassed = (use: ParamUse, caller: number, site: number, target: number, line: number) => void;

/**
 * Reached when a call site passes into a ParamUse something that is neither a parameter of the
 * caller nor a function's name (a member `x->cb`, a local pointer variable): argument `arg`.
 */
export type OnValue = (use: ParamUse, caller: number, site: number, arg: number) => void;

/** Edge ids into each node, from the direct edges: who calls a function, at which site. */
export function callersIndex(direct: EdgeList): Map<number, number[]> {
  const callersOf = new Map<number, number[]>();
  for (let e = 0; e < direct.length; e++) {
    const to = direct.to.get(e);
    const list = callersOf.get(to);
    if (list) list.push(e);
    else callersOf.set(to, [e]);
  }
  return callersOf;
}

/**
 * Follows functions passed as arguments into parameters that are stored or called,
 * also through wrappers that pass their own parameter on (`netif_napi_add` passes `poll`
 * to `netif_napi_add_weight`, which stores it), functions and function-like macros alike
 * (`INIT_DEFERRABLE_WORK(w, f)` passes `_func` to `__INIT_DELAYED_WORK`, then `INIT_WORK`...):
 * a macro's call arguments are read lexically (CallFact.args). Each [wrapper, parameter] is
 * visited once per seed (so cycles end), at most MAX_PASS_DEPTH wrappers out from the use.
 * `callersOf` indexes the direct edges in `direct`. Returns every [node, parameter] reached:
 * the seeds and the wrappers' parameters. Other arguments (a member read, a local pointer) go to `onValue`.
 */
export function propagateParams(index: CodeIndex, direct: EdgeList, callersOf: Map<number, number[]>, seeds: ParamUse[], onPassed: OnPassed, onValue?: OnValue): [number, number][] {
  // Each seed is followed on its own (keyed by its position), so that two uses reaching one
  // wrapper parameter both bind what its callers pass; `reached` collects the [node, param] pairs.
  const seen = new Set<string>();
  const reached = new Set<string>();
  const queue = seeds.map((use, origin) => ({ use, origin, depth: 0 }));
  for (const { use: s, origin } of queue) {
    seen.add(`${s.node}:${s.param}:${origin}`);
    reached.add(`${s.node}:${s.param}`);
  }
  while (queue.length) {
    const { use, origin, depth } = queue.pop()!;
    for (const e of callersOf.get(use.node) ?? []) {
      const caller = direct.from.get(e);
      const site = direct.site.get(e);
      const call = index.calls(caller)[site]!;
      const arg = call.args[use.param];
      if (!arg) {
        if (arg === null) onValue?.(use, caller, site, use.param);
        continue;
      }
      const file = index.files[index.nodeFile[caller]!]!;
      const item = index.nodeItem[caller]!;
      const p = index.isMacro(caller) ? file.macros[item]!.params.indexOf(arg) : file.functions[item]!.params.findIndex((x) => x.name === arg);
      if (p >= 0) {
        const key = `${caller}:${p}:${origin}`;
        if (!seen.has(key) && depth < MAX_PASS_DEPTH) {
          seen.add(key);
          reached.add(`${caller}:${p}`);
          const via = depth === 0 ? use.via : [index.name(use.node), ...(use.via ?? [])];
          queue.push({ use: { ...use, node: caller, param: p, ...(via?.length ? { via } : {}) }, origin, depth: depth + 1 });
        }
        continue;
      }
      const targets = directTargets(index, index.nodeFile[caller]!, arg);
      for (const target of targets) {
        if (!index.isMacro(target)) onPassed(use, caller, site, target, call.line);
      }
      if (!targets.length) onValue?.(use, caller, site, use.param);
    }
  }
  return [...reached].map((key) => key.split(':').map(Number) as [number, number]);
}
