import { MinHeap } from '../util/heap.js';
import { EDGE_WEIGHTS, isIndirect, kindId } from '../resolve/edge-kind.js';
import { ArrayStates, stateTable, type StateTable } from './state-table.js';
import type { CallGraph } from './call-graph.js';
import type { GraphPath, PathConstraints } from './path.js';

/** Where a search starts: a node, how many `via` steps are already done, and the path so far. */
export interface SearchStart {
  node: number;
  stage: number;
  depth: number;
  cost: number;
}

/** Extra exclusions used by k-shortest-path search. */
export interface Exclusions {
  nodes: Set<number>;
  /** Transitions that may not be taken: state key -> the nodes it may not step to. */
  steps: Map<number, Set<number>>;
}

const NO_EXCLUSIONS: Exclusions = { nodes: new Set(), steps: new Map() };

const CALLBACK_ARG = kindId('callback-arg');

/**
 * A rule on the first pointer call of a path (its first edge of an indirect kind), used to
 * find paths that differ there: that call may not bind a target in `banned`, and with
 * `required` the path must make a pointer call at all.
 */
export interface DispatchRule {
  banned: Set<number>;
  required: boolean;
}

/**
 * Cheapest path from the starts to any target, honouring `via` (in order), `avoid` and
 * `maxDepth`. The search runs over states (node, via stage, depth), so every constraint is exact;
 * with a DispatchRule, states also record whether a pointer call has been made yet (the phase).
 */
export class PathSearch {
  private readonly stages: number;
  private readonly depths: number;
  private readonly phases: number;
  /** The state table, kept from one run to the next (k-shortest paths runs many searches). */
  private states: StateTable | null = null;
  /** Per node, 1 when a run may not enter it (constraints.avoid and the run's excluded nodes). */
  private blocked: Uint8Array | null = null;
  /** Per node, 1 for a target (read once per state settled instead of a Set lookup). */
  private goal: Uint8Array | null = null;
  /** Per (node, via stage, phase), the least depth settled in the current run (with maxDepth only): kept from one run to the next, refilled each. */
  private shallowest: Int32Array | null = null;
  /** Whether the last run gave up at its bound (states costing more were left), as opposed to finding a path or running out of states. */
  stoppedAtBound = false;

  constructor(
    readonly graph: CallGraph,
    readonly targets: Set<number>,
    readonly constraints: PathConstraints,
    readonly dispatch?: DispatchRule,
  ) {
    this.stages = constraints.via.length + 1;
    this.depths = constraints.maxDepth === undefined ? 1 : constraints.maxDepth + 1;
    this.phases = dispatch ? 2 : 1;
  }

  /**
   * The via stage after entering `node` at `stage`, through `edge` (an EdgeList id; -1 for a
   * start): the functions a callback-arg step passes through (PathConstraints.passedThrough) count
   * before `node`.
   */
  advance(node: number, stage: number, edge = -1): number {
    const via = this.constraints.via;
    if (edge >= 0 && this.constraints.passedThrough && this.graph.edges.kindOf(edge) === CALLBACK_ARG) {
      for (const p of this.constraints.passedThrough(edge)) if (stage < via.length && via[stage]!.includes(p)) stage++;
    }
    return stage < via.length && via[stage]!.includes(node) ? stage + 1 : stage;
  }

  /**
   * How many calls the step through `edge` from `from` counts against maxDepth: one, or for a
   * callback-arg step whose caller is `from`, one more per function it passes through
   * (PathConstraints.passedThrough), as the path shows them.
   */
  stepDepth(edge: number, from: number): number {
    const through = this.constraints.passedThrough;
    const { edges } = this.graph;
    return through && edges.kindOf(edge) === CALLBACK_ARG && edges.callerOf(edge) === from ? 1 + through(edge).length : 1;
  }

  /** The state key of (node, via stage, depth, phase); phase 1 once a pointer call was made (DispatchRule only). */
  key(node: number, stage: number, depth: number, phase = 0): number {
    return ((node * this.stages + stage) * this.depths + (this.constraints.maxDepth === undefined ? 0 : depth)) * this.phases + phase;
  }

  isGoal(node: number, stage: number, phase = 0): boolean {
    return stage === this.stages - 1 && this.targets.has(node) && !(this.dispatch?.required && phase === 0);
  }

  /** The node of a state key. */
  nodeOf(k: number): number {
    return Math.floor(k / (this.stages * this.depths * this.phases));
  }

  /**
   * The cheapest path from the starts to a goal, or null. `bound`: give up (null) once every
   * state left costs more than it, since no path costing more is wanted (k-shortest paths).
   */
  run(starts: SearchStart[], exclude: Exclusions = NO_EXCLUSIONS, bound = Infinity): GraphPath | null {
    const { graph, constraints, stages, depths, phases, dispatch } = this;
    const n = graph.index.nodeCount;
    this.states ??= stateTable(n * stages * depths * phases);
    const states = this.states;
    states.reset();
    this.stoppedAtBound = false;
    if (!this.blocked) {
      this.blocked = new Uint8Array(n);
      for (const a of constraints.avoid) if (a >= 0 && a < n) this.blocked[a] = 1;
    }
    const blocked = this.blocked;
    if (!this.goal) {
      this.goal = new Uint8Array(n);
      for (const t of this.targets) if (t >= 0 && t < n) this.goal[t] = 1;
    }
    const lifted: number[] = [];
    for (const x of exclude.nodes) {
      if (x >= 0 && x < n && blocked[x] === 0) {
        blocked[x] = 1;
        lifted.push(x);
      }
    }
    try {
      return this.search(starts, exclude, bound, states, blocked, { stages, depths, phases, dispatch });
    } finally {
      for (const x of lifted) blocked[x] = 0;
    }
  }

  private search(starts: SearchStart[], exclude: Exclusions, bound: number, states: StateTable, blocked: Uint8Array, dims: { stages: number; depths: number; phases: number; dispatch: DispatchRule | undefined }): GraphPath | null {
    const { graph, constraints } = this;
    const { stages, depths, phases, dispatch } = dims;
    const maxDepth = constraints.maxDepth;
    const hasVia = constraints.via.length > 0;
    const enterCost = constraints.enterCost;
    const edgeCost = constraints.edgeCostNone?.() ? undefined : constraints.edgeCost;
    // With a depth bound, a state whose (node, via stage, phase) was settled already at no greater
    // depth is dominated: that one cost no more (states settle in cost order) and reaches all this
    // one reaches within the bound. It is not expanded, nor entered, so that a node is expanded at
    // a few depths instead of at every one up to the bound (millions of states on a kernel). Not
    // where exclusions apply: they are per state (k shortest paths), so a shallower state there may
    // be barred from steps a deeper one may take (those (node, stage, phase) get no bound).
    const shallowest = maxDepth !== undefined ? (this.shallowest ??= new Int32Array(graph.index.nodeCount * stages * phases)).fill(depths) : null;
    if (shallowest) for (const k of exclude.steps.keys()) shallowest[(this.nodeOf(k) * stages + (Math.floor(k / (depths * phases)) % stages)) * phases + (k % phases)] = depths + 1;
    const goal = this.goal!;
    const lastStage = stages - 1;
    const required = dispatch?.required === true;
    // The excluded steps of a spur search are all from one state: a key compare per state settled instead of a Map lookup.
    const onlyKey = exclude.steps.size === 1 ? exclude.steps.keys().next().value! : -1;
    const onlySteps = onlyKey >= 0 ? exclude.steps.get(onlyKey)! : undefined;
    const heap = new MinHeap();
    for (const s of starts) {
      const k = this.key(s.node, s.stage, s.depth);
      if (states.cost(k) <= s.cost) continue;
      states.improve(k, s.cost, -1, -1);
      heap.push(k, s.cost);
    }
    if (constraints.startSteps) this.takeStartSteps(starts, exclude, states, heap, blocked);
    if (stages === 1 && depths === 1 && phases === 1 && states instanceof ArrayStates) return this.settlePlain(heap, exclude, bound, states, blocked);
    while (heap.size) {
      const k = heap.pop();
      if (!states.settle(k)) continue;
      const cost = states.cost(k);
      if (cost > bound) {
        this.stoppedAtBound = true;
        return null;
      }
      const node = this.nodeOf(k);
      const stage = Math.floor(k / (depths * phases)) % stages;
      const depth = Math.floor(k / phases) % depths;
      const phase = k % phases;
      if (stage === lastStage && goal[node] === 1 && !(required && phase === 0)) return this.unwind(k, states, cost);
      if (maxDepth !== undefined && depth >= maxDepth) continue;
      if (shallowest) {
        const at = (node * stages + stage) * phases + phase;
        const least = shallowest[at]!;
        if (least <= depths) {
          if (depth >= least) continue;
          shallowest[at] = depth;
        }
      }
      const banned = onlyKey >= 0 ? (k === onlyKey ? onlySteps : undefined) : exclude.steps.size ? exclude.steps.get(k) : undefined;
      // The row is read through outFirst: a graph made on demand makes only the rows the search reaches.
      const first = graph.outFirst(node);
      const end = graph.outEnd(node);
      const outTo = graph.rowTo;
      const outKind = graph.rowKind;
      const outEdge = graph.rowEdge;
      for (let i = first; i < end; i++) {
        const next = outTo[i]!;
        if (blocked[next] === 1) continue;
        if (banned !== undefined && banned.has(next)) continue;
        const kind = outKind[i]!;
        let nextPhase = phase;
        if (dispatch && phase === 0 && isIndirect(kind)) {
          if (dispatch.banned.has(next)) continue;
          nextPhase = 1;
        }
        const nextStage = hasVia ? this.advance(next, stage, kind === CALLBACK_ARG ? outEdge[i]! : -1) : stage;
        const nextDepth = maxDepth === undefined ? 0 : depth + (kind === CALLBACK_ARG ? this.stepDepth(outEdge[i]!, node) : 1);
        if (maxDepth !== undefined && nextDepth > maxDepth) continue;
        if (shallowest && nextDepth >= shallowest[(next * stages + nextStage) * phases + nextPhase]!) continue;
        const nk = ((next * stages + nextStage) * depths + nextDepth) * phases + nextPhase;
        const nc = cost + EDGE_WEIGHTS[kind]! + (enterCost ? enterCost[next]! : 0) + (edgeCost && isIndirect(kind) ? edgeCost(outEdge[i]!) : 0);
        if (nc < states.cost(nk)) {
          states.improve(nk, nc, k, outEdge[i]!);
          heap.push(nk, nc);
        }
      }
    }
    return null;
  }

  /**
   * The loop of `search` when a state is a node alone (no via, depth bound nor dispatch rule) over
   * flat states: the same steps in the same order, so the same pushes and the same answer, with
   * the key arithmetic gone and the state table read and written in place (ArrayStates), a loop
   * small enough for V8 to optimize early in a search over a kernel.
   */
  private settlePlain(heap: MinHeap, exclude: Exclusions, bound: number, states: ArrayStates, blocked: Uint8Array): GraphPath | null {
    const { graph, constraints } = this;
    const enterCost = constraints.enterCost;
    const edgeCost = constraints.edgeCostNone?.() ? undefined : constraints.edgeCost;
    const goal = this.goal!;
    const { marks, costs, links } = states;
    const steps = exclude.steps;
    const onlyKey = steps.size === 1 ? steps.keys().next().value! : -1;
    const onlySteps = onlyKey >= 0 ? steps.get(onlyKey)! : undefined;
    while (heap.size) {
      const k = heap.pop();
      // A state in the heap was given a cost (marked): settle it unless it was.
      if (marks[k] === 2) continue;
      marks[k] = 2;
      const cost = costs[2 * k]!;
      if (cost > bound) {
        this.stoppedAtBound = true;
        return null;
      }
      if (goal[k] === 1) return this.unwind(k, states, cost);
      const banned = onlyKey >= 0 ? (k === onlyKey ? onlySteps : undefined) : steps.size ? steps.get(k) : undefined;
      // Rows still gathered one at a time are read at their edges (CallGraph.edgeColumns), the others as gathered.
      const byEdge = graph.edgeColumns;
      const first = byEdge ? graph.spanFirst(k) : graph.outFirst(k);
      const end = byEdge ? graph.spanEnd(k) : graph.outEnd(k);
      const outTo = byEdge ? byEdge.to : graph.rowTo;
      const outKind = byEdge ? byEdge.kind : graph.rowKind;
      const outEdge = graph.rowEdge;
      for (let i = first; i < end; i++) {
        const at = byEdge ? outEdge[i]! : i;
        const next = outTo[at]!;
        if (blocked[next] === 1) continue;
        if (banned !== undefined && banned.has(next)) continue;
        const kind = outKind[at]!;
        const nc = cost + EDGE_WEIGHTS[kind]! + (enterCost ? enterCost[next]! : 0) + (edgeCost && isIndirect(kind) ? edgeCost(outEdge[i]!) : 0);
        const mark = marks[next]!;
        if (mark === 0) {
          if (!(nc < Infinity)) continue;
          states.mark(next);
        } else if (!(nc < costs[2 * next]!)) continue;
        costs[2 * next] = nc;
        links[4 * next + 2] = k;
        links[4 * next + 3] = outEdge[i]!;
        heap.push(next, nc);
      }
    }
    return null;
  }

  /**
   * The first steps a path may take from a start (depth 0) that no row holds
   * (PathConstraints.startSteps), as the search's steps from it: barred and blocked steps left
   * out, each pointer step's phase, enter cost and extra cost paid.
   */
  private takeStartSteps(starts: SearchStart[], exclude: Exclusions, states: StateTable, heap: MinHeap, blocked: Uint8Array): void {
    const { constraints, dispatch } = this;
    if (constraints.maxDepth !== undefined && constraints.maxDepth < 1) return;
    // The start calls its parameter (the chain's last function): one call.
    const depth = 1;
    for (const s of starts) {
      if (s.depth !== 0) continue;
      const from = this.key(s.node, s.stage, 0);
      const banned = exclude.steps.get(from);
      for (const step of constraints.startSteps!(s.node)) {
        if (blocked[step.to] === 1 || banned?.has(step.to) || dispatch?.banned.has(step.to)) continue;
        const stage = this.advance(step.to, s.stage, step.edge);
        const k = this.key(step.to, stage, depth, dispatch ? 1 : 0);
        const cost = s.cost + EDGE_WEIGHTS[CALLBACK_ARG]! + (constraints.enterCost ? constraints.enterCost[step.to]! : 0) + (constraints.edgeCost ? constraints.edgeCost(step.edge) : 0);
        if (cost < states.cost(k)) {
          states.improve(k, cost, from, step.edge);
          heap.push(k, cost);
        }
      }
    }
  }

  private unwind(goal: number, states: StateTable, cost: number): GraphPath {
    const nodes: number[] = [this.nodeOf(goal)];
    const edges: number[] = [];
    for (let k = goal; states.prev(k) >= 0; k = states.prev(k)) {
      edges.push(states.edge(k));
      nodes.push(this.nodeOf(states.prev(k)));
    }
    return { nodes: nodes.reverse(), edges: edges.reverse(), cost };
  }
}
