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
