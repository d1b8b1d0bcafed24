import { MinHeap } from '../../../src/util/heap.js';
import { isIndirect } from '../../../src/resolve/edge-kind.js';
import { stateTable, type StateTable } from './state-table.js';
import type { CallGraph } from '../../../src/graph/call-graph.js';
import type { GraphPath, PathConstraints } from '../../../src/graph/path.js';

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
  /** `${stateKey}>${toNode}` of state transitions that may not be taken. */
  steps: Set<string>;
}

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

  /** The via stage after entering `node` at `stage`. */
  advance(node: number, stage: number): number {
    const via = this.constraints.via;
    return stage < via.length && via[stage]!.includes(node) ? stage + 1 : stage;
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

  run(starts: SearchStart[], exclude: Exclusions = { nodes: new Set(), steps: new Set() }): GraphPath | null {
    const { graph, constraints, stages, depths, phases, dispatch } = this;
    const states = stateTable(graph.index.nodeCount * stages * depths * phases);
    const heap = new MinHeap();
    for (const s of starts) {
      const k = this.key(s.node, s.stage, s.depth);
      if (states.cost(k) <= s.cost) continue;
      states.improve(k, s.cost, -1, -1);
      heap.push(k, s.cost);
    }
    while (heap.size) {
      const k = heap.pop();
      if (!states.settle(k)) continue;
      const node = this.nodeOf(k);
      const stage = Math.floor(k / (depths * phases)) % stages;
      const depth = Math.floor(k / phases) % depths;
      const phase = k % phases;
      const cost = states.cost(k);
      if (this.isGoal(node, stage, phase)) return this.unwind(k, states, cost);
      if (constraints.maxDepth !== undefined && depth >= constraints.maxDepth) continue;
      for (let i = graph.outStart[node]!; i < graph.outStart[node + 1]!; i++) {
        const next = graph.outTo[i]!;
        if (constraints.avoid.has(next) || exclude.nodes.has(next)) continue;
        if (exclude.steps.size && exclude.steps.has(`${k}>${next}`)) continue;
        const edge = graph.outEdge[i]!;
        let nextPhase = phase;
        if (dispatch && phase === 0 && isIndirect(graph.edges.kind.get(edge))) {
          if (dispatch.banned.has(next)) continue;
          nextPhase = 1;
        }
        const nk = this.key(next, this.advance(next, stage), depth + 1, nextPhase);
        const nc = cost + graph.weight(edge);
        if (nc < states.cost(nk)) {
          states.improve(nk, nc, k, edge);
          heap.push(nk, nc);
        }
      }
    }
    return null;
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
