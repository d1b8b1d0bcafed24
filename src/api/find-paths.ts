import { distinctDispatchPaths } from '../graph/distinct-dispatch.js';
import { fewestCallsThroughDeferred } from '../graph/deferred-detour.js';
import { kShortestPaths } from '../graph/k-shortest-paths.js';
import { CallGraph } from '../graph/call-graph.js';
import type { GraphPath } from '../graph/path.js';
import type { CodeIndex } from '../index/code-index.js';
import { kindId } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { EdgeRef, PathsResult } from '../types/results.js';
import { UsageError } from '../util/errors.js';
import { type BuiltOnly, builtOnly, LEFT_OUT_STEP_COST, withoutLeftOutSteps } from './built-only.js';
import { callbackChains, stepsThroughCallbacks, withCallbackConstraints } from './callback-steps.js';
import type { CallTexts } from './call-texts-file.js';
import { edgeRef, nodeRef } from './describe.js';
import { costFound, pathEnterCosts } from './path-costs.js';
import { pointerCalls } from './pointer-calls.js';
import type { EdgeFilter } from './project.js';
import { notBuiltMark, unbuiltBindingCost, unbuiltBindingMark, withBuiltBindings, withEndMarks, withNotBuilt } from './unbuilt.js';

const CALLBACK_ARG = kindId('callback-arg');

/** Values of PathQuery.distinctBy. */
export const DISTINCT_BY = ['dispatch'] as const;

export interface PathQuery extends EdgeFilter {
  start: string;
  target: string;
  /** How many distinct paths (default 1). */
  k?: number;
  maxDepth?: number;
  via?: string[];
  avoid?: string[];
  /** 'dispatch': the k paths differ in the target bound at their first pointer call (instead of Yen's k shortest). */
  distinctBy?: 'dispatch';
  /**
   * Let paths cross deferred edges (softirq, tasklet, workqueue, RCU, IRQ dispatch) as any other.
   * By default they are taken only when no synchronous path exists.
   */
  deferred?: boolean;
  /** Never cross a deferred edge, even when no synchronous path exists (the CLI's --no-deferred). */
  synchronousOnly?: boolean;
  /**
   * When the shortest synchronous path is a detour (LONG_SYNCHRONOUS_PATH calls or more) and one
   * through deferred hops takes at most half as many calls, give the paths through deferred hops
   * instead (PathsResult.longerSynchronous). The CLI's path query asks for it.
   */
  deferredWhenShorter?: boolean;
}

/** What a path search reads of a project (api/project.ts Project). */
export interface PathSource {
  readonly index: CodeIndex;
  readonly edges: EdgeList;
  /** Nodes a name designates; throws UsageError (with suggestions) when there are none. */
  nodes(name: string): number[];
  /** The call graph of a filter. */
  graph(filter: EdgeFilter): CallGraph;
}

/**
 * What a path query's search found, before it is described (describePaths): the paths as nodes
 * and edges of the graph searched, and what the answer says beside them.
 */
export interface FoundPaths {
  paths: GraphPath[];
  /**
   * What pointerCalls reads of the graph the paths were found in (its edges and its edge filter),
   * and whether it kept deferred edges; the graph itself when the search made it (its rows read
   * callback steps' chains: describePaths makes it again, of the same filter, otherwise).
   */
  graph: Pick<CallGraph, 'edges' | 'keep' | 'withDeferred'> | CallGraph;
  /** The extra cost of each step the searches found costing more (costFound), by edge; the other steps cost nothing extra. */
  costed: Map<number, number>;
  /** Found only once deferred hops were allowed (PathsResult.onlyDeferred). */
  fallback: boolean;
  /** The synchronous path of this many calls gave way to one through deferred hops (PathsResult.longerSynchronous); 0 when not. */
  switched: number;
  /** The fewest calls of a path through deferred hops (PathsResult.shorterDeferred), or null. */
  deferredCalls: number | null;
  /** With PathQuery.builtOnly: what the build makes (builtOnly over the source searched). */
  built: BuiltOnly | null;
}

/**
 * The search of a path query (Project.findPaths), whose answer describePaths makes: synchronous
 * paths first, through deferred hops only when there is none or when asked; code Kbuild does not
 * build costs more (api/unbuilt.ts), or is left out with PathQuery.builtOnly (api/built-only.ts).
 * Throws UsageError for a bad -k, --max-depth or --distinct-by, or an unknown name.
 */
export function findPathSteps(source: PathSource, q: PathQuery): FoundPaths {
  const k = q.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`-k must be a positive integer, got ${q.k}`);
  if (q.maxDepth !== undefined && (!Number.isInteger(q.maxDepth) || q.maxDepth < 1)) throw new UsageError(`--max-depth must be a positive integer, got ${q.maxDepth}`);
  const sources = source.nodes(q.start);
  const targets = source.nodes(q.target);
  const via = (q.via ?? []).map((v) => source.nodes(v));
  const avoid = new Set((q.avoid ?? []).flatMap((a) => source.nodes(a)));
  if (q.distinctBy !== undefined && !DISTINCT_BY.includes(q.distinctBy)) throw new UsageError(`--distinct-by must be one of ${DISTINCT_BY.join(', ')}, got ${q.distinctBy}`);
  // Paths through files Kbuild does not build cost more, so that one through built code comes first.
  // So do steps bound only by code it does not build (an arm64 interrupt controller's flow handler in an x86 tree).
  // And functions that print or report errors: printing reaches nearly everything through the console drivers.
  const enterCost = pathEnterCosts(source.index);
  const unbuiltCost = unbuiltBindingCost(source.index, source.edges);
  // The steps found so far that are bound only by unbuilt code, costed; the others cost nothing extra.
  const costed = new Map<number, number>();
  const edgeCost = (edge: number): number => costed.get(edge) ?? 0;
  // --built-only: the functions of unbuilt files are avoided, and a step bound only in them costs so much that it comes last, and is dropped.
  const built = q.builtOnly ? builtOnly(source.index, source.edges) : null;
  if (built) for (const n of built.unbuiltNodes()) avoid.add(n);
  const stepCost = built ? (edge: number, callee: number) => (built.stepLeftOut(edge) ? LEFT_OUT_STEP_COST : 0) + (unbuiltCost?.(edge, callee) ?? 0) : unbuiltCost;
  const constraints = { via, avoid, ...(q.maxDepth !== undefined ? { maxDepth: q.maxDepth } : {}), ...(enterCost ? { enterCost } : {}), ...(stepCost ? { edgeCost, edgeCostNone: () => costed.size === 0 } : {}) };
  // Synchronous paths first; deferred hops only when there is none (or when asked for).
  const search = (noDeferred: boolean) => {
    const graph = source.graph({ ...q, noDeferred });
    // A start calling its own parameter, and --via naming a function a callback is passed through (api/callback-steps.ts).
    const withCallbacks = withCallbackConstraints(graph, constraints);
    const once = () => (q.distinctBy === 'dispatch' ? distinctDispatchPaths(graph, sources, targets, withCallbacks, k) : kShortestPaths(graph, sources, targets, withCallbacks, k));
    const paths = stepCost ? costFound(once, stepCost, costed) : once();
    return { graph, paths: built ? withoutLeftOutSteps(paths, built) : paths };
  };
  let { graph, paths: found } = search(!q.deferred);
  const fallback = !q.deferred && !q.synchronousOnly && found.length === 0;
  if (fallback) ({ graph, paths: found } = search(false));
  // A synchronous path long enough to be a detour: how few calls one through deferred hops takes (not with --via: the note could not honour it).
  const shown = !q.deferred && !fallback && via.length === 0 && found.length ? found[0]!.edges.length : 0;
  // Half its cost, not its calls: a detour through error reporting or code not built costs more than its calls (GraphPath.cost).
  const half = Math.floor(Math.max(shown, found[0]?.cost ?? 0) / 2);
  const deferredCalls = shown >= LONG_SYNCHRONOUS_PATH ? fewestCallsThroughDeferred(graph, sources, new Set(targets), Math.min(half, q.maxDepth ?? Infinity), avoid) : null;
  // Asked for: the detour gives way to the paths through deferred hops, when the search with them, costed, still puts one
  // first: the count above pays no cost, so a deferred path through code the build leaves out may rank after the detour.
  let switched = false;
  if (q.deferredWhenShorter === true && deferredCalls !== null) {
    const withDeferred = search(false);
    switched = withDeferred.paths[0]?.edges.some((e) => withDeferred.graph.edges.isDeferred(e)) === true;
    if (switched) ({ graph, paths: found } = withDeferred);
  }
  return { paths: found, graph, costed, fallback, switched: switched ? shown : 0, deferredCalls, built };
}

/**
 * The answer of a path query (PathsResult) from what its search found (findPathSteps over `source`,
 * or found equal to it: api/ahead-after-patch.ts). `callTexts`: the texts of pointer steps kept
 * beside the graph cache, read instead of the source when they are there.
 */
export function describePaths(source: PathSource, q: PathQuery, steps: FoundPaths, callTexts: CallTexts): PathsResult {
  const { paths: found, graph, costed, fallback, deferredCalls, built } = steps;
  // With --built-only a step counts only the targets built code has (the others are left out of every answer).
  const pointer = pointerCalls(source.index, graph, found.flatMap((p) => p.edges), callTexts, built ? (e) => built.keeps(source.edges.to.get(e), e) : undefined);
  // The functions a callback-arg step passes through are steps of their own (api/callback-steps.ts), read over the rows of the graph searched.
  const callbacks = found.some((p) => p.edges.some((e) => source.edges.kindOf(e) === CALLBACK_ARG));
  const chainOf = callbacks ? callbackChains(graph instanceof CallGraph ? graph : source.graph({ ...q, noDeferred: !graph.withDeferred })) : null;
  const placeOf = (e: number) => ({ file: source.index.file(source.edges.callerOf(e)), line: source.edges.lineOf(e), caller: source.index.name(source.edges.callerOf(e)) });
  const nodeOf = (n: number) => withNotBuilt(nodeRef(source.index, n), notBuiltMark(source.index, n));
  const result: PathsResult = {
    paths: found.map((p) => {
      const steps = stepsThroughCallbacks(p.nodes, p.edges, chainOf, (e) => source.edges.callerOf(e), placeOf);
      return {
        nodes: [nodeOf(p.nodes[0]!), ...steps.map((s) => nodeOf(s.to))],
        // costFound worked out the extra cost of every step of the paths found; each step's ends carry their nodes' marks (a chain of steps shows them: explain's nearest path, check's current one).
        edges: steps.map(({ edge: e, from, to, calledAt, passedAt, line }) => {
          const described: EdgeRef = { ...edgeRef(source.index, source.edges, e), ...pointer.get(e), ...(line !== undefined ? { line } : {}) };
          const at = calledAt && passedAt ? { ...described, from: nodeRef(source.index, from), ...calledAt, passedAt } : described;
          const ref = withUnbuiltBinding(withEndMarks(source.index, at, [from, to]), costed.get(e) ? unbuiltBindingMark(source.index) : undefined);
          // --built-only: a step shows the bindings of built code only, as it counts only built targets.
          return built ? withBuiltBindings(source.index, ref) : ref;
        }),
      };
    }),
  };
  if (fallback && found.length) result.onlyDeferred = true;
  if (steps.switched) result.longerSynchronous = { calls: steps.switched };
  else if (deferredCalls !== null) result.shorterDeferred = q.deferredWhenShorter === true ? { calls: deferredCalls, ranksLower: true } : { calls: deferredCalls };
  return result;
}

/** `ref` with EdgeRef.unbuiltBinding set to `mark` when there is one. */
const withUnbuiltBinding = (ref: EdgeRef, mark: string | undefined): EdgeRef => (mark === undefined ? ref : { ...ref, unbuiltBinding: mark });

/**
 * The fewest calls of a synchronous path shown that makes a path query look for a path through
 * deferred hops at most half as long (PathsResult.shorterDeferred). The look costs: on Linux 6.1 a
 * warm `-s ksys_write -t drv_wake_tx_queue` (8 calls) took 0.50-0.60 s of user CPU with it against
 * 0.34-0.45 s without (5 runs each, interleaved, load 1-2), reading edge columns the query does not
 * otherwise read; so only paths long enough to be detours pay it (`-s napi_schedule -t igb_poll`:
 * 32 calls through notifier chains, 6 through the NET_RX softirq).
 */
const LONG_SYNCHRONOUS_PATH = 20;
