import type { GraphPath } from '../graph/path.js';
import type { CodeIndex } from '../index/code-index.js';
import { unbuiltEnterCosts } from './unbuilt.js';

/**
 * Path cost of entering a function of the profile's diagnostics (Profile.diagnostics: printk's
 * entry points, WARN's, panic), on top of the edge's weight (EDGE_WEIGHTS: 1 for a direct call),
 * per such function entered: printing reaches nearly everything through the console drivers (on
 * Linux 6.1, `printk -> console_unlock -> con->write` of netconsole -> netpoll -> a driver's
 * `ndo_poll_controller` -> its interrupt handler), so a path through the code comes first unless it
 * is longer by more than this per diagnostic function the other enters. A path only printing makes
 * is still found.
 */
export const DIAGNOSTIC_COST = 8;

/** Per index (a patched index is another object), the enter costs worked out. */
const costs = new WeakMap<CodeIndex, Uint8Array | null>();

/**
 * The cost of entering each node (PathConstraints.enterCost), by node id: unbuiltEnterCosts'
 * (functions of files Kbuild does not build) plus DIAGNOSTIC_COST for each node named as one of
 * the profile's diagnostics (looked up by name: no walk over the nodes). Null when every cost is 0.
 * Made once per index.
 */
export function pathEnterCosts(index: CodeIndex): Uint8Array | null {
  if (costs.has(index)) return costs.get(index)!;
  const unbuilt = unbuiltEnterCosts(index);
  const diagnostic = (index.profile.diagnostics ?? []).flatMap((name) => index.nodesNamed(name).filter((n) => !index.isExternal(n)));
  let out = unbuilt;
  if (diagnostic.length) {
    out = unbuilt ? Uint8Array.from(unbuilt) : new Uint8Array(index.nodeCount);
    for (const n of diagnostic) out[n] = Math.min(255, out[n]! + DIAGNOSTIC_COST);
  }
  // An index without a binding scope yet keeps nothing, as unbuiltEnterCosts does: a scope set later is read.
  if (index.bindingScope) costs.set(index, out);
  return out;
}

/** Searches a path search runs again at most, each time a step of its answer was found to cost more (costFound). */
const MAX_COSTED_SEARCHES = 8;

/**
 * The answer of `search` with the extra cost of each step (`stepCost`: a pointer step bound only by
 * code Kbuild does not build) paid, found lazily: working the cost out for every step the search
 * relaxes reads the evidence of tens of thousands of edges (some 0.3 s of a kernel's warm query),
 * so the search runs with `costed` (the steps known to cost more) and runs again, the steps of its
 * answer added, until its answer has no step whose cost is not in `costed`. Exact: every path found
 * then costs what it would with every step costed, and any other path costs at least what it cost
 * in the last search. At most MAX_COSTED_SEARCHES searches; the last answer stands.
 */
export function costFound(search: () => GraphPath[], stepCost: (edge: number, callee: number) => number, costed: Map<number, number>): GraphPath[] {
  for (let round = 1; ; round++) {
    const found = search();
    let more = false;
    for (const p of found) {
      p.edges.forEach((e, i) => {
        if (costed.has(e)) return;
        const c = stepCost(e, p.nodes[i + 1]!);
        costed.set(e, c);
        if (c > 0) more = true;
      });
    }
    if (!more || round === MAX_COSTED_SEARCHES) return found;
  }
}
