import type { Project } from '../api/project.js';
import type { CallGraph } from '../graph/call-graph.js';
import { directEdge } from '../graph/graph-steps.js';
import type { EdgeRef, NodeRef, PathResult } from '../types/results.js';

/**
 * The first step of `path` (a path query's answer over `graph`) that is deferred and joined by no
 * edge but those `skip` names (graph/hand-off-edges.ts: a hand-off, `nic_watchdog_task ->
 * nic_watchdog` where the work item arms the timer), or undefined: what a recorded stack cannot
 * have skipped, and what a broken stack step's report names instead of a --max-gap hint.
 */
export function handedStep(project: Project, graph: CallGraph, path: PathResult, skip: (edge: number) => boolean): EdgeRef | undefined {
  const index = project.index;
  const nodes = (r: NodeRef): number[] => project.nodes(r.name).filter((n) => index.file(n) === r.file && index.nodeLine[n] === r.line);
  return path.edges.find((e) => e.deferred === true && directEdge(graph, nodes(e.from), new Set(nodes(e.to)), skip) < 0);
}
