import type { CodeIndex } from '../index/code-index.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { EdgeRef, NodeRef, TreeResult } from '../types/results.js';
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
      // By runs of nodes of one file (nodes are numbered file by file): the node column is not read whole.
      const runs = index.fileRuns();
      for (let k = 0, start = 0; k < runs.length; start = runs[k + 1]!, k += 2) {
        const f = runs[k]!;
        if (f >= 0 && unbuilt[f] === 1) out.fill(UNBUILT_COST, start, runs[k + 1]!);
      }
    }
  }
  costs.set(index, out);
  return out;
}

/**
 * Per edge list (and the index it was asked with), whether each evidence set (EdgeList.proofOf)
 * is made only of bindings in files Kbuild certainly does not build.
 */
const setsUnbuilt = new WeakMap<EdgeList, { index: CodeIndex; sets: Map<number, boolean> }>();

/**
 * Whether every binding behind `edge` (its evidence) is in a file Kbuild certainly does not build
 * (DefinitionActivity.fileBuilt is Truth.No): a pointer step bound only by an arm64 interrupt
 * controller's `desc->handle_irq = handle_percpu_devid_fasteoi_nmi` in an x86 tree. False for an
 * edge without evidence (a plain call), a binding in a header or a file that is built or may be,
 * or an index without a build model. Worked out once per evidence set, when asked.
 */
export function boundOnlyUnbuilt(index: CodeIndex, edges: EdgeList, edge: number): boolean {
  const activity = index.bindingScope?.activity;
  if (!activity || !index.profile.kbuild) return false;
  const set = edges.proofOf(edge);
  if (set < 0) return false;
  let memo = setsUnbuilt.get(edges);
  if (!memo || memo.index !== index) setsUnbuilt.set(edges, (memo = { index, sets: new Map() }));
  const known = memo.sets.get(set);
  if (known !== undefined) return known;
  const ids = edges.evidenceIdsOf(edge);
  const answer = ids.length > 0 && ids.every((id) => inUnbuiltFile(index, activity, edges.evidenceAt(id).file));
  memo.sets.set(set, answer);
  return answer;
}

/**
 * `ref` without the bindings (EdgeRef.evidence) in files Kbuild certainly does not build, for
 * --built-only: `handle_fasteoi_irq`'s binding by x86's I/O APIC stays, an arm64 interrupt
 * controller's goes. Bindings in headers, and in files built or maybe built, stay; so does
 * everything without a build model. `ref` itself when nothing goes.
 */
export function withBuiltBindings(index: CodeIndex, ref: EdgeRef): EdgeRef {
  const activity = index.bindingScope?.activity;
  if (!activity || !index.profile.kbuild || !ref.evidence?.length) return ref;
  const kept = ref.evidence.filter((b) => !inUnbuiltFile(index, activity, b.file));
  return kept.length === ref.evidence.length ? ref : { ...ref, evidence: kept };
}

/**
 * Whether the indexed file at `path` is one Kbuild certainly does not build (fileBuilt is
 * Truth.No, which keeps its answer per file: resolve/scope-oracles.ts); false for a path no file
 * of the index has.
 */
function inUnbuiltFile(index: CodeIndex, activity: DefinitionActivity, path: string): boolean {
  const file = fileIdByPath(index, path);
  return file !== undefined && activity.fileBuilt(file) === Truth.No;
}

/** Per index, the ids of the paths looked up so far, and every file's id by path once one was not found by halving. */
const pathIds = new WeakMap<Pick<CodeIndex, 'fileCount' | 'filePath'>, { found: Map<string, number>; all: Map<string, number> | null }>();

/**
 * The id of the file of `index` at `path`, undefined for a path no file has. Found by halving the
 * file ids, as a listing sorts them by path (each path read alone: `filePath`); a path not found so
 * (none has it, or the files are not in that order) is looked up in a map of every path, made then
 * once. A callees query on a kernel read and mapped all 43,000 paths for a few looked up (181 ms
 * of its 1.2 s main-thread profile, load 7).
 */
export function fileIdByPath(index: Pick<CodeIndex, 'fileCount' | 'filePath'>, path: string): number | undefined {
  let ids = pathIds.get(index);
  if (!ids) pathIds.set(index, (ids = { found: new Map(), all: null }));
  if (ids.all) return ids.all.get(path);
  const known = ids.found.get(path);
  if (known !== undefined) return known;
  for (let lo = 0, hi = index.fileCount - 1; lo <= hi; ) {
    const mid = (lo + hi) >>> 1;
    const at = index.filePath(mid);
    if (at === path) {
      ids.found.set(path, mid);
      return mid;
    }
    if (at < path) lo = mid + 1;
    else hi = mid - 1;
  }
  const all = new Map<string, number>();
  for (let f = 0; f < index.fileCount; f++) all.set(index.filePath(f), f);
  ids.all = all;
  return all.get(path);
}

/**
 * The extra path cost of a step (what costFound puts in PathConstraints.edgeCost): UNBUILT_COST for a pointer
 * step into a built function whose every binding is in a file Kbuild certainly does not build
 * (boundOnlyUnbuilt), as for entering a function defined in such a file; 0 otherwise, and for a
 * callee that is itself not built (its entering cost says it already: a driver's function bound
 * by its own initializer pays once). Null when the index has no build model.
 */
export function unbuiltBindingCost(index: CodeIndex, edges: EdgeList): ((edge: number, callee: number) => number) | null {
  if (!index.bindingScope?.activity || !index.profile.kbuild) return null;
  const enter = unbuiltEnterCosts(index);
  return (edge, callee) => (!enter?.[callee] && boundOnlyUnbuilt(index, edges, edge) ? UNBUILT_COST : 0);
}

/**
 * The mark of a pointer step into a built function whose every binding is in a file Kbuild
 * certainly does not build, one unbuiltBindingCost costs: `bound only in files not built with
 * arch/x86/configs/x86_64_defconfig` (the config's source), or `bound only in files not built`.
 */
export function unbuiltBindingMark(index: CodeIndex): string {
  const source = index.bindingScope?.activity?.configSource;
  return source ? `bound only in files not built with ${source}` : 'bound only in files not built';
}

/** The activity oracle and file of `node` when Kbuild certainly does not build that file; null otherwise (built, may be, external, no build model). */
function unbuiltFile(index: CodeIndex, node: number): { activity: DefinitionActivity; file: number } | null {
  const file = index.fileIdOf(node);
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

/**
 * An edge's `ref` (of `edge`, from caller `ends[0]` to callee `ends[1]`: a callees or callers
 * tree's, a call explain lists) marked as a path step is: each end defined in a file Kbuild certainly does not build with
 * NodeRef.notBuilt (notBuiltMark), and the edge with EdgeRef.unbuiltBinding when its callee is
 * built and every binding behind it is in such a file (boundOnlyUnbuilt, as unbuiltBindingCost
 * costs it). JSON trees are lists of edges, so the marks go on the edges' ends as well as on the
 * tree's items. Asks only about the files of the tree's own functions and bindings: working out
 * every node's enter cost (unbuiltEnterCosts), or reading the edge list's caller and callee
 * columns whole, cost a depth-3 `callees tcp_sendmsg` on Linux 6.1 about 0.2 s of CPU.
 */
export function markedEdge(index: CodeIndex, edges: EdgeList, edge: number, ref: EdgeRef, ends: [from: number, to: number]): EdgeRef {
  const out = withEndMarks(index, ref, ends);
  return out.to.notBuilt === undefined && boundOnlyUnbuilt(index, edges, edge) ? { ...out, unbuiltBinding: unbuiltBindingMark(index) } : out;
}

/** `ref` with the NodeRef.notBuilt marks (notBuiltMark) of its caller `ends[0]` and callee `ends[1]` on its ends, when they have any. */
export function withEndMarks(index: CodeIndex, ref: EdgeRef, ends: [from: number, to: number]): EdgeRef {
  const from = notBuiltMark(index, ends[0]);
  const to = notBuiltMark(index, ends[1]);
  return from === undefined && to === undefined ? ref : { ...ref, from: from === undefined ? ref.from : { ...ref.from, notBuilt: from }, to: to === undefined ? ref.to : { ...ref.to, notBuilt: to } };
}

/** `ref` with NodeRef.notBuilt set to `why` when there is one (notBuiltMark's answer). */
export const withNotBuilt = (ref: NodeRef, why: string | undefined): NodeRef => (why === undefined ? ref : { ...ref, notBuilt: why });

/**
 * Sets NodeRef.inactive on each tree's root (`trees[i]` rooted at `nodes[i]`, as Project.tree
 * answers a name) whose definition's own preprocessor condition is false under the configuration,
 * in a file that is built: DefinitionActivity.activity asked from the definition's own file (a
 * header's condition by the config alone, from the build answers kept with the graph), and its
 * `why` as the mark. Reads the roots' file facts (their conditions), so only when the index can
 * (CodeIndex.factsReadable); otherwise, or without a build model, leaves the trees as they are.
 */
export function markInactiveRoots(index: CodeIndex, nodes: readonly number[], trees: TreeResult[]): void {
  const activity = index.bindingScope?.activity;
  if (!activity || !index.factsReadable || nodes.length !== trees.length) return;
  trees.forEach((tree, i) => {
    const node = nodes[i]!;
    const file = index.fileIdOf(node);
    if (file < 0 || tree.function.notBuilt !== undefined || activity.activity(file, node) !== Truth.No) return;
    const why = activity.why(file, node);
    if (why !== undefined) tree.function = { ...tree.function, inactive: why };
  });
}

/**
 * Whether a node is defined in a file Kbuild certainly does not build (unbuiltEnterCosts), as the
 * `avoid` of graph-steps.ts inlinedChain: a stack trace of the tree's configuration shows no frame
 * of such a function, nor folds one. Undefined (nothing avoided) when the index has no build model.
 */
export function unbuiltNode(index: CodeIndex): ((node: number) => boolean) | undefined {
  const unbuilt = unbuiltEnterCosts(index);
  return unbuilt ? (n) => unbuilt[n]! > 0 : undefined;
}

/**
 * Whether a tree's call `edge` to (callees) or from (callers) `node` is one the configuration's
 * build makes: `node` is not marked not built (notBuiltMark) and the call is not bound only in
 * unbuilt files (boundOnlyUnbuilt). What --built-only keeps (api/built-only.ts), and what a tree
 * lists first. True for every call of an index without a build model.
 */
export function builtCall(index: CodeIndex, edges: EdgeList, node: number, edge: number): boolean {
  return notBuiltMark(index, node) === undefined && !boundOnlyUnbuilt(index, edges, edge);
}
