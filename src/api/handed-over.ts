import { isIndirect } from '../resolve/edge-kind.js';
import type { HandedOver } from '../types/results.js';
import { edgeRef } from './describe.js';
import type { Project } from './project.js';

/**
 * Where the functions `callers` hand a callee over to be called by another function: an edge of
 * `into` (the edges into the callees) of a pointer kind whose evidence names a place inside a caller's body (the
 * caller stores it, or passes it to a registration such as tasklet_setup or INIT_WORK), with that
 * edge as the call made later (`tasklet_action_common`, deferred). In edge order, then evidence
 * order; each place and calling edge once. Reads the callers' facts for their line ranges.
 */
export function handedOver(project: Project, callers: ReadonlySet<number>, into: readonly number[]): HandedOver[] {
  const { index, edges } = project;
  const bodies: { file: string; first: number; last: number }[] = [];
  for (const n of callers) {
    if (index.isMacro(n) || index.isExternal(n)) continue;
    const fn = index.fileFacts(index.nodeFile[n]!).functions[index.nodeItem[n]!];
    if (fn) bodies.push({ file: index.file(n), first: fn.line, last: fn.endLine });
  }
  const inside = (file: string, line: number): boolean => bodies.some((b) => b.file === file && line >= b.first && line <= b.last);
  const out: HandedOver[] = [];
  const seen = new Set<string>();
  for (const e of bodies.length ? into : []) {
    if (!isIndirect(edges.kind.get(e)) || callers.has(edges.from.get(e))) continue;
    for (const ev of edges.evidenceOf(e, index.file(edges.to.get(e)))) {
      if (!inside(ev.file, ev.line)) continue;
      const key = `${ev.file}:${ev.line}:${ev.text}:${e}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ file: ev.file, line: ev.line, text: ev.text, calledBy: edgeRef(index, edges, e) });
    }
  }
  return out;
}
