import { isIndirect } from '../resolve/edge-kind.js';
import type { EdgeRef, Explanation } from '../types/results.js';
import { edgeRef } from './describe.js';
import type { Project } from './project.js';

export function explainEdge(project: Project, caller: string, callee: string): Explanation {
  const { index, edges } = project;
  const from = new Set(project.nodes(caller));
  const to = new Set(project.nodes(callee));
  const found: EdgeRef[] = [];
  const boundSites = new Set<string>();
  for (let e = 0; e < edges.length; e++) {
    const f = edges.from.get(e);
    if (!from.has(f)) continue;
    if (isIndirect(edges.kind.get(e))) boundSites.add(`${f}:${edges.site.get(e)}`);
    if (to.has(edges.to.get(e))) found.push(edgeRef(index, edges, e));
  }
  const unresolved: Explanation['unresolved'] = [];
  for (const node of from) {
    index.calls(node).forEach((call, site) => {
      const indirect = call.name === undefined || call.hints !== undefined;
      if (!indirect || call.param !== undefined || boundSites.has(`${node}:${site}`)) return;
      const through = call.field !== undefined ? `->${call.field}(...)` : 'a function pointer';
      unresolved.push({ file: index.file(node), line: call.line, call: through });
    });
  }
  found.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  return { caller, callee, edges: found, unresolved };
}
