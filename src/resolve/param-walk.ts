import type { CodeIndex } from '../index/code-index.js';
import type { CallFact } from '../types/facts.js';
import { paramNames } from './kept-bodies.js';
import { MAX_PASS_DEPTH, PARAM_SPAN } from './propagate-params.js';
import { forEachDirectEdge } from './resolve.js';

/** A [node, parameter] pair, as node * PARAM_SPAN + parameter. */
export type Pair = number;

/** A call site into a pair's function: the caller and its site (ascending, as the callers' index of a resolution lists them). */
export interface CallerSite {
  caller: number;
  site: number;
}

/** One way a parameter is followed (propagateParams' ParamUse): the pair reached, the function that uses it first and where, the wrappers between; `seed`, the index of the seed it was reached from. */
export interface WalkUse {
  node: number;
  param: number;
  user: string;
  where: string;
  via?: string[];
  seed: number;
}

/**
 * Whether a call may bind to one of `nodes` (forEachDirectEdge's targets are among the nodes named
 * as it calls: its name, the names its macro expansion ends with, or a macro named as the local it
 * calls through): a call that cannot is not bound by name (bindByName), which a caller's every call
 * would otherwise be, for every caller of a much-used API.
 */
export function mayCall(index: CodeIndex, call: CallFact, nodes: ReadonlySet<number>): boolean {
  const names = call.var !== undefined ? [call.var] : (call.expandsTo ?? (call.name !== undefined ? [call.name] : []));
  return names.some((name) => index.nodesNamed(name).some((n) => nodes.has(n)));
}

/** What a walk of a resolution restricted to the pairs below some roots reads: those pairs, their nodes, and the call sites into them that the walk follows or ends at. */
export interface PairsBelow {
  relevant: Set<Pair>;
  nodes: Set<number>;
  /** Per node of `nodes`: its callers that pass their own parameter on into a pair below, and the sites of `callers` into it, by caller and site. */
  callersOf: Map<number, CallerSite[]>;
}

/**
 * The pairs at or below `roots` (a function passing its own parameter on into a pair passes it down;
 * propagateParams walks that up), those the walk follows (`followed`: every pair a walk from a seed
 * reaches is in EdgeList.paramUses for its kind), and the call sites a resolution's walk from them reads: the
 * passers', and those of `callers` into any of those pairs' functions. A walk up from a pair that
 * never reaches a root reaches no site of the callers of the roots, so a walk restricted to these
 * pairs visits the pairs it visits in the order the whole walk does.
 */
export function pairsBelow(index: CodeIndex, roots: readonly [number, number][], callers: ReadonlySet<number>, followed: (node: number, param: number) => boolean): PairsBelow {
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
          if (relevant.has(key) || !followed(target, j)) return;
          relevant.add(key);
          down.push([target, j]);
        });
      });
    });
  }
  const callersOf = new Map<number, CallerSite[]>(passers);
  const nodes = new Set([...relevant].map((key) => Math.floor(key / PARAM_SPAN)));
  for (const x of callers) {
    index.calls(x).forEach((call, site) => {
      if (!mayCall(index, call, nodes)) return;
      forEachDirectEdge(index, x, call, (target) => {
        if (!nodes.has(target)) return;
        const list = callersOf.get(target) ?? callersOf.set(target, []).get(target)!;
        if (!list.some((c) => c.caller === x && c.site === site)) list.push({ caller: x, site });
      });
    });
  }
  for (const list of callersOf.values()) list.sort((a, b) => a.caller - b.caller || a.site - b.site);
  return { relevant, nodes, callersOf };
}

/**
 * propagateParams' walk from `seeds` (in the resolution's order), restricted to `below`: each pair
 * once per seed, last seed first, depth first, callers by node and site, at most MAX_PASS_DEPTH
 * wrappers out. `reached` is told of every call site that passes something other than the caller's
 * own parameter into a pair reached (the argument, null for none), as onPassed and onValue are;
 * returning true stops the walk.
 */
export function walkUp(index: CodeIndex, seeds: readonly WalkUse[], below: PairsBelow, reached: (use: WalkUse, caller: number, site: number, call: CallFact, arg: string | null | undefined) => boolean): void {
  const queue = seeds.map((use) => ({ use, depth: 0 }));
  const seen = new Set<string>(queue.map(({ use }) => `${use.node}:${use.param}:${use.seed}`));
  while (queue.length) {
    const { use, depth } = queue.pop()!;
    for (const { caller, site } of below.callersOf.get(use.node) ?? []) {
      const call = index.calls(caller)[site]!;
      const arg = call.args[use.param];
      const p = arg ? paramNames(index, caller).indexOf(arg) : -1;
      if (p < 0) {
        if (reached(use, caller, site, call, arg)) return;
        continue;
      }
      const key = `${caller}:${p}:${use.seed}`;
      if (below.relevant.has(caller * PARAM_SPAN + p) && !seen.has(key) && depth < MAX_PASS_DEPTH) {
        seen.add(key);
        const via = depth === 0 ? use.via : [index.name(use.node), ...(use.via ?? [])];
        queue.push({ use: { ...use, node: caller, param: p, ...(via?.length ? { via } : {}) }, depth: depth + 1 });
      }
    }
  }
}
