/**
 * The functions a callback-arg step passes through. The model binds a call of a function's own
 * parameter at each caller that passes a function into it (one callback-arg edge `expire_timers ->
 * igb_watchdog` at `call_timer_fn(timer, fn, baseclk)`, kernel/time/timer.c:1747), which keeps
 * the callbacks of one caller apart from another's; a stack trace shows the function called
 * between (`expire_timers -> call_timer_fn -> igb_watchdog`). This reads that chain back from the
 * edge's evidence (resolve/callback-evidence.ts) and the graph's calls between its functions, so a
 * path can name it (stepsThroughCallbacks), `--via` can name a function of it, and a path can start at
 * the function that calls its parameter (PathConstraints.passedThrough, startSteps).
 */
import type { CallGraph } from '../graph/call-graph.js';
import type { PathConstraints, StartStep } from '../graph/path.js';
import { NodeFlag } from '../index/node-flags.js';
import { callbackPassers, callbackUser } from '../resolve/callback-evidence.js';
import { kindId } from '../resolve/edge-kind.js';
import { parameterCalls } from './parameter-calls.js';
import type { EdgeRef } from '../types/results.js';

const CALLBACK_ARG = kindId('callback-arg');

/** What the rows of a call graph give to read a chain: its edges and its filter. */
export type ChainGraph = Pick<CallGraph, 'index' | 'edges' | 'keep' | 'withDeferred' | 'outFirst' | 'outEnd' | 'rowTo' | 'rowEdge'>;

/** The chain of one callback-arg edge, from its caller to its callee. */
export interface CallbackChain {
  /**
   * The functions passed through, in order (node ids): the one called at the edge's call site,
   * the wrappers passing the callback on, the one calling its parameter (the last; often the first).
   */
  nodes: number[];
  /** The calls between (EdgeList ids): calls[0] the caller's call of nodes[0] at the edge's call site, calls[i] nodes[i - 1]'s call of nodes[i]. */
  calls: number[];
  /** Where the last of `nodes` calls its parameter: repository-relative file, 1-based line. */
  file: string;
  line: number;
}

/**
 * The edge of `graph`'s rows from `caller` to a function named `name` that is not itself a
 * callback-arg step: the one at `line` when given and there is one, else the one of least line,
 * then least id (the graph keeps one edge per caller and callee, placed at its first call: a
 * callback passed at a later call of the same function, as pcie_do_recovery passes each report_*
 * callback to pci_walk_bridge, has no edge at its own line); -1 when there is none.
 */
function callTo(graph: ChainGraph, caller: number, name: string, line?: number): number {
  const { index, edges } = graph;
  const first = graph.outFirst(caller);
  const end = graph.outEnd(caller);
  const to = graph.rowTo;
  const ids = graph.rowEdge;
  let best = -1;
  let bestLine = Infinity;
  for (let i = first; i < end; i++) {
    const e = ids[i]!;
    if (index.name(to[i]!) !== name || edges.kindOf(e) === CALLBACK_ARG) continue;
    const at = edges.lineOf(e);
    if (line !== undefined && at === line) return e;
    if (at < bestLine || (at === bestLine && e < best)) {
      best = e;
      bestLine = at;
    }
  }
  return best;
}

/**
 * A reader of callback-arg edges' chains over `graph` (null for an edge whose evidence names no
 * function calling it, or whose calls between are not edges of the graph), each edge read once.
 */
export function callbackChains(graph: ChainGraph): (edge: number) => CallbackChain | null {
  const { index, edges } = graph;
  const read = new Map<number, CallbackChain | null>();
  const chainOf = (edge: number): CallbackChain | null => {
    for (const b of edges.evidenceOf(edge, '')) {
      const said = callbackUser(b.text);
      if (!said) continue;
      const names = [...(callbackPassers(b.text)?.passers ?? []), said.user];
      const colon = said.where.lastIndexOf(':');
      const file = said.where.slice(0, colon);
      const nodes: number[] = [];
      const calls: number[] = [];
      let from = edges.callerOf(edge);
      for (const [i, name] of names.entries()) {
        const call = callTo(graph, from, name, i === 0 ? edges.lineOf(edge) : undefined);
        if (call < 0) return null;
        from = edges.to.get(call);
        calls.push(call);
        nodes.push(from);
      }
      return index.file(from) === file ? { nodes, calls, file, line: Number(said.where.slice(colon + 1)) } : null;
    }
    return null;
  };
  return (edge) => {
    if (edges.kindOf(edge) !== CALLBACK_ARG) return null;
    if (!read.has(edge)) read.set(edge, chainOf(edge));
    return read.get(edge)!;
  };
}

/**
 * The steps a path may take first from `start` though no row holds them
 * (PathConstraints.startSteps): when `start` calls its own parameter (NodeFlag.CallsParameter),
 * each callback-arg edge of the graph whose evidence names it as the function calling the callback
 * (api/parameter-calls.ts parameterCalls), to that edge's callee; none otherwise. Reads the evidence
 * of every callback-arg edge (some 0.4 s on Linux 6.1), so only for such a start.
 */
export function parameterStartSteps(graph: ChainGraph, start: number): StartStep[] {
  const { index, edges } = graph;
  if (!(index.nodeFlags[start]! & NodeFlag.CallsParameter) || !graph.keep(CALLBACK_ARG)) return [];
  return parameterCalls(index, edges, [start], null)
    .filter((p) => graph.withDeferred || !edges.isDeferred(p.edge))
    .map((p) => ({ edge: p.edge, to: edges.to.get(p.edge) }));
}

/** One step of a path as described: its edge and the nodes it goes from and to (which are not the edge's own ends for a callback step's last part). */
export interface PathStepSource {
  edge: number;
  from: number;
  to: number;
  /** For the last part of a callback-arg step: where its function calls its parameter, and where the caller passed the callback. */
  calledAt?: { file: string; line: number };
  passedAt?: { file: string; line: number; caller: string };
  /**
   * For the first part of a callback-arg step: the line of the call passing the callback, when the
   * graph's edge of that call is placed at another call of the same function (callTo).
   */
  line?: number;
}

/**
 * The steps of `nodes`/`edges` (a GraphPath) with the functions each callback-arg step passes
 * through (callbackChains) as steps of their own: `driver_attach -> __driver_attach` becomes
 * `driver_attach -> bus_for_each_dev` (the call passing it) and `bus_for_each_dev ->
 * __driver_attach` (at its call of its parameter, passed at the first call). A step from a start
 * that calls its parameter (parameterStartSteps: its node is in the chain, not the edge's caller)
 * keeps the chain's part after that node. A step whose chain cannot be read stays as it is.
 */
export function stepsThroughCallbacks(nodes: readonly number[], edges: readonly number[], chainOf: ((edge: number) => CallbackChain | null) | null, callerOf: (edge: number) => number, placeOf: (edge: number) => { file: string; line: number; caller: string }): PathStepSource[] {
  const out: PathStepSource[] = [];
  edges.forEach((edge, i) => {
    const from = nodes[i]!;
    const to = nodes[i + 1]!;
    const chain = chainOf?.(edge) ?? null;
    const first = !chain ? -1 : callerOf(edge) === from ? 0 : chain.nodes.includes(from) ? chain.nodes.indexOf(from) + 1 : -1;
    if (!chain || first < 0) {
      out.push({ edge, from, to });
      return;
    }
    let at = from;
    const passed = placeOf(edge);
    for (let j = first; j < chain.nodes.length; j++) {
      out.push({ edge: chain.calls[j]!, from: at, to: chain.nodes[j]!, ...(j === 0 ? { line: passed.line } : {}) });
      at = chain.nodes[j]!;
    }
    out.push({ edge, from: at, to, calledAt: { file: chain.file, line: chain.line }, passedAt: passed });
  });
  return out;
}

/**
 * `constraints` with the steps through callback parameters read over `graph`: a path may start
 * with a start's call of its parameter (startSteps, worked out once per start node), and, when
 * `via` names functions or `maxDepth` bounds the calls, a callback-arg step passes its chain's
 * functions (passedThrough): a via name among them is passed, and each counts as a call.
 */
export function withCallbackConstraints(graph: ChainGraph, constraints: PathConstraints): PathConstraints {
  const chainOf = callbackChains(graph);
  const starts = new Map<number, StartStep[]>();
  const startSteps = (node: number): StartStep[] => {
    let steps = starts.get(node);
    if (!steps) starts.set(node, (steps = parameterStartSteps(graph, node)));
    return steps;
  };
  const passing = constraints.via.length > 0 || constraints.maxDepth !== undefined;
  return { ...constraints, startSteps, ...(passing ? { passedThrough: (edge: number) => chainOf(edge)?.nodes ?? [] } : {}) };
}

/**
 * `ref` (a tree's item for callback-arg edge `edge`) with EdgeRef.through: the functions of its
 * chain (callbackChains), each with where it makes the next call of the chain, the last with where
 * it calls its parameter. `ref` itself for another kind, or a chain that cannot be read.
 */
export function withThrough(graph: ChainGraph, chainOf: (edge: number) => CallbackChain | null, edge: number, ref: EdgeRef): EdgeRef {
  const chain = chainOf(edge);
  if (!chain) return ref;
  const { index, edges } = graph;
  const last = chain.nodes.length - 1;
  const through = chain.nodes.map((n, i) => (i < last ? { name: index.name(n), file: index.file(n), line: edges.lineOf(chain.calls[i + 1]!) } : { name: index.name(n), file: chain.file, line: chain.line }));
  return { ...ref, through };
}
