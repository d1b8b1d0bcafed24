import type { CodeIndex } from '../index/code-index.js';
import { Truth } from '../types/build.js';
import type { DefinitionActivity } from '../types/scope.js';

/**
 * Path cost of entering a function defined in a file Kbuild does not build under the tree's
 * configuration (PathConstraints.enterCost), on top of the edge's weight (EDGE_WEIGHTS: 1 for a
 * direct call): a path through code the build leaves out (an s390 console driver in an x86 tree)
 * is shown only when no path through built code costs less than it plus this per such function.
 */
export const UNBUILT_COST = 4;

/** Per index (a patched index is another object), the enter costs worked out. */
const costs = new WeakMap<CodeIndex, Uint8Array | null>();

/**
 * UNBUILT_COST for each node defined in a file Kbuild certainly does not build (the index's
 * binding scope: DefinitionActivity.fileBuilt is Truth.No), 0 for the others; null when none is
 * (no Kbuild rules, no binding scope, as for an index export). One answer per file, from the
 * build answers kept with the graph; made once per index.
 */
export function unbuiltEnterCosts(index: CodeIndex): Uint8Array | null {
  if (costs.has(index)) return costs.get(index)!;
  const activity = index.bindingScope?.activity;
  // No scope yet: nothing is kept, so a scope set later is read.
  if (!index.bindingScope) return null;
  let out: Uint8Array | null = null;
  if (activity && index.profile.kbuild) {
    const unbuilt = new Uint8Array(index.fileCount);
    let any = false;
    for (let f = 0; f < unbuilt.length; f++) {
      if (activity.fileBuilt(f) === Truth.No) {
        unbuilt[f] = 1;
        any = true;
      }
    }
    if (any) {
      out = new Uint8Array(index.nodeCount);
      for (let n = 0; n < out.length; n++) {
        const f = index.nodeFile[n]!;
        if (f >= 0 && unbuilt[f] === 1) out[n] = UNBUILT_COST;
      }
    }
  }
  costs.set(index, out);
  return out;
}

/** The activity oracle and file of `node` when Kbuild certainly does not build that file; null otherwise (built, may be, external, no build model). */
function unbuiltFile(index: CodeIndex, node: number): { activity: DefinitionActivity; file: number } | null {
  const file = index.nodeFile[node]!;
  const activity = index.bindingScope?.activity;
  return file >= 0 && activity && index.profile.kbuild && activity.fileBuilt(file) === Truth.No ? { activity, file } : null;
}

/**
 * The mark of a function defined in a file Kbuild certainly does not build under the tree's
 * configuration: `not built with arch/x86/configs/x86_64_defconfig` (the config's source, or `not
 * built` when it has none); undefined when it is built, may be, or the index has no build model.
 * Made from the build answers kept with the graph, so asking makes no build model (explain says why:
 * api/explain.ts).
 */
export function notBuiltMark(index: CodeIndex, node: number): string | undefined {
  const unbuilt = unbuiltFile(index, node);
  if (!unbuilt) return undefined;
  return unbuilt.activity.configSource ? `not built with ${unbuilt.activity.configSource}` : 'not built';
}

/**
 * Why Kbuild does not build the file defining `node` (`not built: folder drivers/s390/ is built for
 * another architecture only (arch/s390/Makefile:122)`), or undefined when it does, may, or the index
 * has no build model. Asking makes the build model once (reading the tree's Kconfig and Kbuild
 * files: a second or so on a kernel): for explain, not for every path printed.
 */
export function notBuiltReason(index: CodeIndex, node: number): string | undefined {
  const unbuilt = unbuiltFile(index, node);
  return unbuilt ? unbuilt.activity.whyNotBuilt(unbuilt.file) : undefined;
}
