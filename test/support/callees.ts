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

/** Evidence texts of the edges from `caller` to `callee` (every function of those names), as `file:line text`, sorted. */
export function edgeEvidence(project: Project, caller: string, callee: string): string[] {
  const { index, edges } = project;
  const from = new Set(project.nodes(caller));
  const to = new Set(project.nodes(callee));
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    if (!from.has(edges.from.get(e)) || !to.has(edges.to.get(e))) continue;
    for (const ev of edges.evidenceOf(e, index.file(edges.to.get(e)))) out.push(`${ev.file}:${ev.line} ${ev.text}`);
  }
  return out.sort();
}

/** The whole graph's edges as sorted text: `caller@file:line -> callee@file:line kind at line [file:line evidence]...`. */
export function edgeRows(project: Project): string[] {
  const { index, edges } = project;
  const node = (n: number): string => `${index.name(n)}@${index.file(n)}:${index.nodeLine[n]}`;
  const rows: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    const ev = edges.evidenceOf(e, index.file(edges.to.get(e)));
    rows.push(`${node(edges.from.get(e))} -> ${node(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]} at ${edges.line.get(e)}${ev.map((b) => ` [${b.file}:${b.line} ${b.text}]`).join('')}`);
  }
  return rows.sort();
}
