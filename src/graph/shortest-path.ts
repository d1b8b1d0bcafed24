import { MinHeap } from '../util/heap.js';
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

  run(starts: SearchStart[], exclude: Exclusions = { nodes: new Set(), steps: new Set() }): GraphPath | null {
    const { graph, constraints } = this;
    const best = new Map<number, number>();
    const back = new Map<number, [prevKey: number, edge: number, node: number]>();
    const info = new Map<number, [node: number, stage: number, depth: number]>();
    const heap = new MinHeap();
    for (const s of starts) {
      const k = this.key(s.node, s.stage, s.depth);
      if ((best.get(k) ?? Infinity) <= s.cost) continue;
      best.set(k, s.cost);
      info.set(k, [s.node, s.stage, s.depth]);
      heap.push(k, s.cost);
    }
    const done = new Set<number>();
    while (heap.size) {
      const k = heap.pop();
      if (done.has(k)) continue;
      done.add(k);
      const [node, stage, depth] = info.get(k)!;
      const cost = best.get(k)!;
      if (this.isGoal(node, stage)) return this.unwind(k, back, cost, starts);
      if (constraints.maxDepth !== undefined && depth >= constraints.maxDepth) continue;
      for (let i = graph.outStart[node]!; i < graph.outStart[node + 1]!; i++) {
        const next = graph.outTo[i]!;
        if (constraints.avoid.has(next) || exclude.nodes.has(next)) continue;
        if (exclude.steps.size && exclude.steps.has(`${k}>${next}`)) continue;
        const edge = graph.outEdge[i]!;
        const nextStage = this.advance(next, stage);
        const nk = this.key(next, nextStage, depth + 1);
        const nc = cost + graph.weight(edge);
        if (nc < (best.get(nk) ?? Infinity)) {
          best.set(nk, nc);
          back.set(nk, [k, edge, next]);
          info.set(nk, [next, nextStage, depth + 1]);
          heap.push(nk, nc);
        }
      }
    }
    return null;
  }

  private unwind(goal: number, back: Map<number, [number, number, number]>, cost: number, starts: SearchStart[]): GraphPath {
    const nodes: number[] = [];
    const edges: number[] = [];
    let k = goal;
    for (let step = back.get(k); step; step = back.get(k)) {
      nodes.push(step[2]);
      edges.push(step[1]);
      k = step[0];
    }
    const first = starts.find((s) => this.key(s.node, s.stage, s.depth) === k)!;
    nodes.push(first.node);
    return { nodes: nodes.reverse(), edges: edges.reverse(), cost };
  }
}
