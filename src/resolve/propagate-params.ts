import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import { paramHoldsNoFunction } from './function-holders.js';
import type { CallersIndex } from './callers-index.js';
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

/**
 * Parameter positions below this fit an EdgeList.paramUses entry (and make node * PARAM_SPAN +
 * param keys); a function with more parameters is never followed by a patch.
 */
export const PARAM_SPAN = 1 << 10;

/** Why a [node, parameter] is in EdgeList.paramUses: functions passed to it are stored, called, or it is an out-parameter stored through. */
export type ParamUseKind = 'stored' | 'called' | 'out';
const USE_KINDS: ParamUseKind[] = ['stored', 'called', 'out'];

/** One EdgeList.paramUses entry's second number, unpacked: the parameter, why it is followed, and its pass depth (0 for the function that uses it, +1 per wrapper passing it on: the shortest chain from any use followed, passDepths). */
export interface ParamUseTag {
  param: number;
  kind: ParamUseKind;
  depth: number;
}

/** Packs a ParamUseTag into one number: the parameter in the low 10 bits (PARAM_SPAN), the depth (at most MAX_PASS_DEPTH) in the next 5, the kind above. */
export function packParamUse(tag: ParamUseTag): number {
  return tag.param + PARAM_SPAN * (tag.depth + 32 * USE_KINDS.indexOf(tag.kind));
}

/** The ParamUseTag packed by packParamUse. */
export function unpackParamUse(packed: number): ParamUseTag {
  const high = Math.floor(packed / PARAM_SPAN);
  return { param: packed % PARAM_SPAN, kind: USE_KINDS[Math.floor(high / 32)]!, depth: high % 32 };
}

/** Reached when a function is found passed into a ParamUse at a call site. */
export type OnPassed = (use: ParamUse, caller: number, site: number, target: number, line: number) => void;

/**
 * Reached when a call site passes into a ParamUse something that is neither a parameter of the
 * caller nor a function's name (a member `x->cb`, a local pointer variable): argument `arg`.
 */
export type OnValue = (use: ParamUse, caller: number, site: number, arg: number) => void;

/**
 * Follows functions passed as arguments into parameters that are stored or called,
 * also through wrappers that pass their own parameter on (`netif_napi_add` passes `poll`
 * to `netif_napi_add_weight`, which stores it), functions and function-like macros alike
 * (`INIT_DEFERRABLE_WORK(w, f)` passes `_func` to `__INIT_DELAYED_WORK`, then `INIT_WORK`...):
 * a macro's call arguments are read lexically (CallFact.args); not through a parameter no function
 * fits (paramHoldsNoFunction: an integer or struct parameter). Each [wrapper, parameter] is
 * visited once per seed (so cycles end), at most MAX_PASS_DEPTH wrappers out from the use.
 * `callersOf` indexes the direct edges in `direct`. Returns every [node, parameter, depth] within
 * MAX_PASS_DEPTH wrappers of a seed: the seeds (depth 0) and the wrappers' parameters, each with its
 * shortest chain of wrappers from any seed (ParamUseTag.depth; passDepths). Other arguments (a member
 * read, a local pointer) go to `onValue`.
 */
export function propagateParams(index: CodeIndex, direct: EdgeList, callersOf: CallersIndex, seeds: ParamUse[], onPassed: OnPassed, onValue?: OnValue): [number, number, number][] {
  // Each seed is followed on its own (keyed by its position), so that two uses reaching one
  // wrapper parameter both bind what its callers pass; `reached` maps each `node:param` reached to its least depth.
  const keys = pairKeys(index, seeds);
  const seen = new Set<number | string>();
  const queue = seeds.map((use, origin) => ({ use, origin, depth: 0 }));
  for (const { use: s, origin } of queue) seen.add(keys.seeded(s.node, s.param, origin));
  while (queue.length) {
    const { use, origin, depth } = queue.pop()!;
    for (const e of callersOf.of(use.node)) {
      const caller = direct.from.get(e);
      const site = direct.site.get(e);
      const call = index.calls(caller)[site]!;
      const arg = call.args[use.param];
      if (!arg) {
        if (arg === null) onValue?.(use, caller, site, use.param);
        continue;
      }
      const p = ownParam(index, caller, arg);
      if (p >= 0) {
        // A parameter no function fits (an integer, a struct): nothing passes through it.
        if (paramHoldsNoFunction(index, caller, p)) continue;
        const key = keys.seeded(caller, p, origin);
        if (!seen.has(key) && depth < MAX_PASS_DEPTH) {
          seen.add(key);
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
  return passDepths(index, direct, callersOf, seeds, keys);
}

/**
 * Numbers for [node, parameter] pairs (node * span + parameter, span above every parameter position
 * of the index and the seeds) and for such a pair reached from seed `origin` (the pair's number
 * plus origin * nodeCount * span), or texts (`node:param:origin`) when those numbers would pass
 * 2^53. Why numbers: a kernel's walks visit millions of pairs, each a string of its own in `seen`
 * (some 40 bytes) where the heap of a cold index is largest; a number above 2^31 is a 16-byte heap
 * number, and one below it none. The sets and maps keyed by them keep insertion order, so the walks
 * and what they return are the same.
 */
export function pairKeys(index: CodeIndex, seeds: readonly ParamUse[]): { pair: (node: number, param: number) => number; seeded: (node: number, param: number, origin: number) => number | string; unpair: (key: number) => [number, number] } {
  let span = 1;
  for (const f of index.files) {
    for (const fn of f.functions) if (fn.params.length >= span) span = fn.params.length + 1;
    for (const m of f.macros) if (m.params.length >= span) span = m.params.length + 1;
  }
  for (const s of seeds) if (s.param >= span) span = s.param + 1;
  const pairs = index.nodeCount * span;
  const numbered = seeds.length * pairs <= Number.MAX_SAFE_INTEGER;
  return {
    pair: (node, param) => node * span + param,
    seeded: numbered ? (node, param, origin) => origin * pairs + node * span + param : (node, param, origin) => `${node}:${param}:${origin}`,
    unpair: (key) => [Math.floor(key / span), key % span],
  };
}

/** The position of `caller`'s parameter named `arg` (a function's or a macro's), or -1. */
function ownParam(index: CodeIndex, caller: number, arg: string): number {
  const file = index.files[index.nodeFile[caller]!]!;
  const item = index.nodeItem[caller]!;
  return index.isMacro(caller) ? file.macros[item]!.params.indexOf(arg) : file.functions[item]!.params.findIndex((x) => x.name === arg);
}

/**
 * Every [node, parameter, depth] within MAX_PASS_DEPTH wrappers of a seed, breadth first from all
 * seeds at once, each pair once: its depth is the shortest chain of wrappers passing it on from any
 * seed, whatever order callers come in. So it is one more than the least depth of the pairs a
 * function passes that parameter on into (0 for a seed), which a patch can compute from the
 * function's own calls (patch-kept-param-uses.ts). The walk of each seed on its own (propagateParams)
 * never goes past these pairs: its first visit of a pair is at this depth or deeper.
 */
function passDepths(index: CodeIndex, direct: EdgeList, callersOf: CallersIndex, seeds: ParamUse[], keys: ReturnType<typeof pairKeys>): [number, number, number][] {
  const depthOf = new Map<number, number>();
  let level: [number, number][] = [];
  for (const s of seeds) {
    const key = keys.pair(s.node, s.param);
    if (depthOf.has(key)) continue;
    depthOf.set(key, 0);
    level.push([s.node, s.param]);
  }
  for (let depth = 0; depth < MAX_PASS_DEPTH && level.length; depth++) {
    const next: [number, number][] = [];
    for (const [node, param] of level) {
      for (const e of callersOf.of(node)) {
        const caller = direct.from.get(e);
        const arg = index.calls(caller)[direct.site.get(e)]!.args[param];
        const p = arg ? ownParam(index, caller, arg) : -1;
        if (p < 0 || paramHoldsNoFunction(index, caller, p)) continue;
        const key = keys.pair(caller, p);
        if (depthOf.has(key)) continue;
        depthOf.set(key, depth + 1);
        next.push([caller, p]);
      }
    }
    level = next;
  }
  return [...depthOf].map(([key, depth]) => [...keys.unpair(key), depth]);
}
