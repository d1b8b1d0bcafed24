import { EDGE_WEIGHTS, isIndirect, kindId } from '../resolve/edge-kind.js';
import type { CallGraph } from './call-graph.js';
import type { GraphPath, PathConstraints } from './path.js';
import { remainingCost } from './remaining-cost.js';
import { PathSearch, type SearchStart } from './shortest-path.js';

const CALLBACK_ARG = kindId('callback-arg');

/**
 * The k cheapest loopless paths from any source to any target (Yen's algorithm), over the same
 * (node, via stage, depth) states as the single shortest path: after each path found, one spur
 * search from each state along it, barred from the root path's nodes and from the steps that
 * paths found with the same root took there; the next path is the least candidate (by cost,
 * then number of calls, then node list).
 *
 * The paths listed are exactly those of running every spur search to its end (plain Yen, as in
 * test/support/yen-reference.ts), but spur searches run lazily (see SpurQueue): a spur search is
 * run only once a lower bound on its answer (its root cost plus remainingCost from its state)
 * does not exceed the least candidate, and then only up to that candidate's cost, so that the
 * spur searches whose answers cost far more than the k paths (a search over most of the graph
 * on a kernel) stop early or never run. A search is deterministic and one bounded by a cost
 * gives the unbounded one's path whenever that path costs no more, so the candidates compared at
 * each pick are the same. A spur search with the same root and excluded steps as one made before
 * is not made again: its path, if any, is a candidate or a path found already.
 */
export function kShortestPaths(graph: CallGraph, sources: number[], targets: number[], constraints: PathConstraints, k: number): GraphPath[] {
  const search = new PathSearch(graph, new Set(targets), constraints);
  const starts: SearchStart[] = sources.filter((s) => !constraints.avoid.has(s)).map((node) => ({ node, stage: search.advance(node, 0), depth: 0, cost: 0 }));
  const first = search.run(starts);
  if (!first) return [];
  const found: GraphPath[] = [first];
  // One path wanted: no spur search, so no lower bounds (a backward search over the whole graph).
  if (k <= 1) return found;
  const candidates: GraphPath[] = [];
  const seen = new Set<string>([pathKey(first)]);
  const queue = new SpurQueue(search, remainingCost(graph, targets, constraints), constraints.via.length + 1);
  while (found.length < k) {
    queue.addSpurs(found, graph);
    let best = least(candidates);
    for (let spur = queue.next(best); spur; spur = queue.next(best)) {
      // Up to the wanted-th candidate's cost when there are that many (an answer costing more is never listed, so one run settles it), else the least one's.
      const wanted = bound(candidates, k - found.length);
      const path = queue.run(spur, best ? (wanted < Infinity ? wanted : best.cost) : undefined);
      if (path && !seen.has(pathKey(path))) {
        seen.add(pathKey(path));
        candidates.push(path);
        best = least(candidates);
      }
    }
    if (!best) break;
    candidates.splice(candidates.indexOf(best), 1);
    found.push(best);
  }
  return found;
}

/** A spur search to make: from index i of `path`, with the steps barred there when it was planned. */
interface Spur {
  path: GraphPath;
  i: number;
  stage: number;
  /** The root path's calls against maxDepth (PathSearch.stepDepth of each step). */
  depth: number;
  /** The root path's cost. */
  cost: number;
  steps: Set<number>;
  /** Its answer costs at least this (more than this when `above`). */
  atLeast: number;
  above: boolean;
  /** How far past `atLeast` its next search looks when no candidate bounds it: STEP, doubled each time it stops there. */
  ahead: number;
  /** Order of planning, to run spur searches of equal bounds in a fixed order. */
  seq: number;
}

/** Slack on a lower bound summed in another order than a path's cost (float rounding; distinct path costs differ by far more). */
const TOLERANCE = 1e-7;
/**
 * How far past its lower bound a spur search looks when no candidate bounds it yet (one direct
 * call), the first time: each time it stops there, it looks twice as far the next, so that a spur
 * search with no answer (fewer paths exist than asked for: it must run out of states) runs a few
 * times, not once per unit of cost its states reach (hundreds on a kernel, 9 s for -k 3).
 */
const STEP = 1;

/** The spur searches planned and not yet run to an answer, with a lower bound on each one's answer. */
class SpurQueue {
  private readonly pending: Spur[] = [];
  private readonly planned = new Set<string>();
  private seq = 0;

  constructor(
    private readonly search: PathSearch,
    private readonly rest: Float64Array,
    private readonly stages: number,
  ) {}

  /** Plans the spur searches from each state along the last path found (Yen's step), barring the steps the paths found with the same root took. */
  addSpurs(found: GraphPath[], graph: CallGraph): void {
    const { search } = this;
    const last = found[found.length - 1]!;
    let stage = search.advance(last.nodes[0]!, 0);
    let cost = 0;
    let depth = 0;
    for (let i = 0; i < last.nodes.length - 1; i++) {
      const steps = new Set<number>();
      for (const p of found) if (p.nodes.length > i + 1 && samePrefix(p, last, i)) steps.add(p.nodes[i + 1]!);
      const key = `${last.nodes.slice(0, i + 1).join(',')}|${[...steps].sort((a, b) => a - b).join(',')}`;
      const atLeast = cost + this.firstStepBound(graph, last, i, stage, steps) - TOLERANCE;
      if (!this.planned.has(key) && atLeast < Infinity) this.pending.push({ path: last, i, stage, depth, cost, steps, atLeast, above: false, ahead: STEP, seq: this.seq++ });
      this.planned.add(key);
      cost += graph.weight(last.edges[i]!) + (search.constraints.enterCost?.[last.nodes[i + 1]!] ?? 0) + stepCost(search.constraints, graph, last.edges[i]!);
      stage = search.advance(last.nodes[i + 1]!, stage, last.edges[i]!);
      depth += search.stepDepth(last.edges[i]!, last.nodes[i]!);
    }
  }

  /**
   * A lower bound on the cost of a spur path from index i of `last` at `stage`: its cheapest
   * allowed first step (not into a root node, an avoided node or a barred step) plus the least
   * cost left from there (remainingCost); Infinity when no step is allowed.
   */
  private firstStepBound(graph: CallGraph, last: GraphPath, i: number, stage: number, steps: Set<number>): number {
    const { outStart, outTo, outKind, outEdge } = graph;
    const node = last.nodes[i]!;
    const root = new Set(last.nodes.slice(0, i + 1));
    let least = Infinity;
    const { constraints } = this.search;
    const bound = (next: number, kind: number, edge: number): void => {
      if (root.has(next) || steps.has(next) || constraints.avoid.has(next)) return;
      const c = EDGE_WEIGHTS[kind]! + (constraints.enterCost?.[next] ?? 0) + this.rest[next * this.stages + this.search.advance(next, stage, edge)]!;
      if (c < least) least = c;
    };
    for (let e = outStart[node]!; e < outStart[node + 1]!; e++) bound(outTo[e]!, outKind[e]!, outEdge[e]!);
    // The path's first node may also take the steps no row holds (PathConstraints.startSteps).
    if (i === 0) for (const step of constraints.startSteps?.(node) ?? []) bound(step.to, CALLBACK_ARG, step.edge);
    return least;
  }

  /** The pending spur search with the least bound when its answer might come before `best` (every one when there is no candidate), else null. */
  next(best: GraphPath | null): Spur | null {
    let pick: Spur | null = null;
    for (const s of this.pending) if (!pick || s.atLeast < pick.atLeast || (s.atLeast === pick.atLeast && (Number(s.above) - Number(pick.above) || s.seq - pick.seq) < 0)) pick = s;
    if (!pick || !best) return pick;
    return pick.atLeast < best.cost || (pick.atLeast === best.cost && !pick.above) ? pick : null;
  }

  /**
   * Runs a spur search up to `limit` (the least candidate's cost; without one, `ahead` past its
   * bound, which then doubles): its path when that costs no more (then it leaves the queue), else null and its bound
   * rises to the limit (or it leaves the queue when nothing was left to search).
   */
  run(spur: Spur, limit: number | undefined): GraphPath | null {
    const bound = limit ?? spur.atLeast + spur.ahead;
    const { path: last, i, stage, depth, cost, steps } = spur;
    const search = this.search;
    // The root path's nodes, the spur node among them: a spur never comes back to them (with --max-depth, states differ in depth and would allow it).
    const nodes = new Set(last.nodes.slice(0, i + 1));
    const spurPath = search.run([{ node: last.nodes[i]!, stage, depth, cost }], { nodes, steps: new Map([[search.key(last.nodes[i]!, stage, depth), steps]]) }, bound);
    if (spurPath || !search.stoppedAtBound) {
      this.pending.splice(this.pending.indexOf(spur), 1);
      return spurPath && { nodes: [...last.nodes.slice(0, i), ...spurPath.nodes], edges: [...last.edges.slice(0, i), ...spurPath.edges], cost: spurPath.cost };
    }
    spur.atLeast = bound;
    spur.above = true;
    if (limit === undefined) spur.ahead *= 2;
    return null;
  }
}

/**
 * The cost past which a new candidate can no longer be among the `wanted` paths still to find:
 * the wanted-th cheapest candidate's, when there are that many (a path costing more would be
 * listed after all of them), else Infinity. It only falls as paths are found.
 */
function bound(candidates: GraphPath[], wanted: number): number {
  if (candidates.length < wanted) return Infinity;
  const costs = candidates.map((c) => c.cost).sort((a, b) => a - b);
  return costs[wanted - 1]!;
}

/** The least candidate in the order paths are listed: by cost, then number of calls, then node list (null when there is none). */
function least(candidates: GraphPath[]): GraphPath | null {
  let best: GraphPath | null = null;
  for (const c of candidates) if (!best || (c.cost - best.cost || c.nodes.length - best.nodes.length || pathKey(c).localeCompare(pathKey(best))) < 0) best = c;
  return best;
}

function samePrefix(a: GraphPath, b: GraphPath, upTo: number): boolean {
  for (let i = 0; i <= upTo; i++) if (a.nodes[i] !== b.nodes[i]) return false;
  return true;
}

const pathKey = (p: GraphPath): string => p.nodes.join(',');

/** The extra cost of taking `edge` (PathConstraints.edgeCost), as the search pays it: for pointer steps only. */
function stepCost(constraints: PathConstraints, graph: CallGraph, edge: number): number {
  return constraints.edgeCost && isIndirect(graph.edges.kind.get(edge)) ? constraints.edgeCost(edge) : 0;
}
