import { EDGE_KINDS, isIndirect } from '../resolve/edge-kind.js';
import { MAX_FALLBACK_TARGETS, MAX_SIGNATURE_TARGETS } from '../resolve/narrow-fallback.js';
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
  const overCap = new Map<string, { fallback: 'field-name' | 'signature'; candidates: number; cap: number }>();
  for (let i = 0; i < edges.overCap.length; i += 4) {
    const [node, site, kind, candidates] = edges.overCap.slice(i, i + 4) as [number, number, number, number];
    if (!from.has(node)) continue;
    const fallback = EDGE_KINDS[kind] === 'signature' ? 'signature' : 'field-name';
    overCap.set(`${node}:${site}`, { fallback, candidates, cap: fallback === 'signature' ? MAX_SIGNATURE_TARGETS : MAX_FALLBACK_TARGETS });
  }
  const unresolved: Explanation['unresolved'] = [];
  for (const node of from) {
    index.calls(node).forEach((call, site) => {
      const indirect = call.name === undefined || call.hints !== undefined;
      if (!indirect || call.param !== undefined || boundSites.has(`${node}:${site}`)) return;
      const through = call.field !== undefined ? `->${call.field}(...)` : 'a function pointer';
      const over = overCap.get(`${node}:${site}`);
      unresolved.push({ file: index.file(node), line: call.line, call: through, ...(over ? { overCap: over } : {}) });
    });
  }
  found.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  return { caller, callee, edges: found, unresolved };
}
