import { MinHeap } from '../util/heap.js';
import { stateTable, type StateTable } from './state-table.js';
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
  /** `${stateKey}>${toNode}` of state transitions that may not be taken. */
  steps: Set<string>;
}

/**
 * Cheapest path from the starts to any target, honouring `via` (in order), `avoid` and
 * `maxDepth`. The search runs over states (node, via stage, depth), so every constraint is exact.
 */
export class PathSearch {
  private readonly stages: number;
  private readonly depths: number;

  constructor(
    readonly graph: CallGraph,
    readonly targets: Set<number>,
    readonly constraints: PathConstraints,
  ) {
    this.stages = constraints.via.length + 1;
    this.depths = constraints.maxDepth === undefined ? 1 : constraints.maxDepth + 1;
  }

  /** The via stage after entering `node` at `stage`. */
  advance(node: number, stage: number): number {
    const via = this.constraints.via;
    return stage < via.length && via[stage]!.includes(node) ? stage + 1 : stage;
  }

  key(node: number, stage: number, depth: number): number {
    return (node * this.stages + stage) * this.depths + (this.constraints.maxDepth === undefined ? 0 : depth);
  }

  isGoal(node: number, stage: number): boolean {
    return stage === this.stages - 1 && this.targets.has(node);
  }

  /** The node of a state key. */
  nodeOf(k: number): number {
    return Math.floor(k / (this.stages * this.depths));
  }

  run(starts: SearchStart[], exclude: Exclusions = { nodes: new Set(), steps: new Set() }): GraphPath | null {
    const { graph, constraints, stages, depths } = this;
    const states = stateTable(graph.index.nodeCount * stages * depths);
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
      const stage = Math.floor(k / depths) % stages;
      const depth = k % depths;
      const cost = states.cost(k);
      if (this.isGoal(node, stage)) return this.unwind(k, states, cost);
      if (constraints.maxDepth !== undefined && depth >= constraints.maxDepth) continue;
      for (let i = graph.outStart[node]!; i < graph.outStart[node + 1]!; i++) {
        const next = graph.outTo[i]!;
        if (constraints.avoid.has(next) || exclude.nodes.has(next)) continue;
        if (exclude.steps.size && exclude.steps.has(`${k}>${next}`)) continue;
        const edge = graph.outEdge[i]!;
        const nk = this.key(next, this.advance(next, stage), depth + 1);
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
