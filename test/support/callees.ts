import { EDGE_KINDS, type Project } from '../../src/index.js';

/** The callees of `caller` (every function of that name), each with its edge's kind: `bark ops-assignment`, sorted. */
export function calleeKinds(project: Project, caller: string): string[] {
  const { index, edges } = project;
  const from = new Set(project.nodes(caller));
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    if (from.has(edges.from.get(e))) out.push(`${index.name(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]}`);
  }
  return out.sort();
}
