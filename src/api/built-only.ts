import type { GraphPath } from '../graph/path.js';
import type { CodeIndex } from '../index/code-index.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { TreeItem, TreeResult } from '../types/results.js';
import { boundOnlyUnbuilt, builtCall, notBuiltMark, unbuiltEnterCosts } from './unbuilt.js';
import { counted, formatCount } from '../render/count.js';

/**
 * What `--built-only` (EdgeFilter.builtOnly) leaves out of an answer: the functions of files Kbuild
 * certainly does not build under the tree's configuration (unbuiltEnterCosts, notBuiltMark), and
 * the pointer calls whose every binding is in such a file (boundOnlyUnbuilt: an arm64 interrupt
 * controller's `desc->handle_irq = ...` in an x86 tree). A function Kbuild may build (an option of
 * unknown value, a folder no rule names) stays. Null parts: the index has no build model (a tree
 * without Kbuild, an index export), and nothing is left out.
 */
export interface BuiltOnly {
  /** The nodes a path must not enter (PathConstraints.avoid, added to the user's --avoid). */
  unbuiltNodes(): number[];
  /** Whether a path step or a tree's call is left out: `edge` is bound only in unbuilt files. */
  stepLeftOut(edge: number): boolean;
  /** Whether a tree keeps the call `edge` to (callees) or from (callers) `node`. */
  keeps(node: number, edge: number): boolean;
}

/** BuiltOnly for an index and its edges, or null when the index has no build model. */
export function builtOnly(index: CodeIndex, edges: EdgeList): BuiltOnly | null {
  if (!index.bindingScope?.activity || !index.profile.kbuild) return null;
  return {
    unbuiltNodes() {
      const costs = unbuiltEnterCosts(index);
      const out: number[] = [];
      if (costs) for (let n = 0; n < costs.length; n++) if (costs[n]! > 0) out.push(n);
      return out;
    },
    stepLeftOut: (edge) => boundOnlyUnbuilt(index, edges, edge),
    // Per node: a tree asks about its own functions only (unbuiltEnterCosts would work out every node's).
    keeps: (node, edge) => builtCall(index, edges, node, edge),
  };
}

/**
 * The extra cost costFound gives a pointer step --built-only leaves out: more than any path of
 * built code can cost, so that such paths come after every other, and are then dropped
 * (withoutLeftOutSteps).
 */
export const LEFT_OUT_STEP_COST = 1_000_000;

/** `paths` without those taking a step `built` leaves out (each step asked, costed or not). */
export function withoutLeftOutSteps(paths: GraphPath[], built: BuiltOnly): GraphPath[] {
  return paths.filter((p) => !p.edges.some((e) => built.stepLeftOut(e)));
}

/**
 * How many of the functions below the roots of `trees` (each occurrence once per function, the
 * roots not counted) are marked not built (NodeRef.notBuilt), and how many there are: for the note
 * that a text tree is mostly code the configuration leaves out.
 */
export function notBuiltShare(trees: readonly TreeResult[]): { notBuilt: number; functions: number } {
  const seen = new Map<string, boolean>();
  const walk = (item: TreeItem): void => {
    for (const child of item.children) {
      const key = `${child.node.file}:${child.node.line}:${child.node.name}`;
      if (!seen.has(key)) seen.set(key, child.node.notBuilt !== undefined);
      walk(child);
    }
  };
  for (const t of trees) walk(t.root);
  let notBuilt = 0;
  for (const marked of seen.values()) if (marked) notBuilt++;
  return { notBuilt, functions: seen.size };
}

/** The source of the configuration the build model read (`arch/x86/configs/x86_64_defconfig`, a `.config`), or undefined. */
export const configSourceOf = (index: CodeIndex): string | undefined => index.bindingScope?.activity?.configSource;

/**
 * Of `names` (each with its nodes, as Project.nodes gives them), those whose every definition is
 * in a file Kbuild certainly does not build: why a --built-only path query found nothing.
 */
export function unbuiltNames(index: CodeIndex, names: readonly { name: string; nodes: readonly number[] }[]): string[] {
  return names.filter((n) => n.nodes.length > 0 && n.nodes.every((node) => notBuiltMark(index, node) !== undefined)).map((n) => n.name);
}

/**
 * The stderr notes on `trees` about code the configuration does not build, without the `pathfind:
 * note: ` prefix: with --built-only, how many calls it left out (TreeResult.leftOutNotBuilt);
 * without it, for a text tree at least half made of functions marked not built (notBuiltShare),
 * that --built-only leaves them out. None when nothing was or would be left out.
 */
export function builtOnlyTreeNotes(index: CodeIndex, trees: readonly TreeResult[], asked: boolean, text: boolean): string[] {
  const config = configSourceOf(index);
  const built = config ? `built with ${config}` : 'built';
  if (asked) {
    const calls = trees.reduce((sum, t) => sum + (t.leftOutNotBuilt ?? 0), 0);
    return calls ? [`--built-only left out ${counted(calls, 'call')} of code not ${built}`] : [];
  }
  const { notBuilt, functions } = notBuiltShare(trees);
  if (!text || notBuilt === 0 || notBuilt * 2 < functions) return [];
  const name = trees[0]!.function.name;
  return [`${formatCount(notBuilt)} of the ${formatCount(functions)} functions in the tree of ${name} ${notBuilt === 1 ? 'is' : 'are'} not ${built}; --built-only leaves such code out`];
}
