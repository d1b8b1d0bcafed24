/**
 * Calls of an edited file bound again although their definition stayed: calls by a name whose
 * definitions changed (FilePlan.names) and calls whose answer the file's new #include lines
 * changed (include-edit.ts). Their old edges are taken out before the patch binds them again.
 */
import { kindId } from '../resolve/edge-kind.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import { callsAny } from '../resolve/kept-bodies.js';
import { renumberEdges } from '../resolve/renumber-nodes.js';
import { hasColumn } from '../resolve/stored-column.js';
import type { CallFact, FileFacts } from '../types/facts.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** The names whose calls in edited file `at` bind anew: `names` (of changed definitions), and those `rebound` holds for it (its #include lines changed). */
export function reboundIn(rebound: ReadonlyMap<number, ReadonlySet<string>> | undefined, names: ReadonlySet<string>, at: number): ReadonlySet<string> {
  const more = rebound?.get(at);
  return more?.size ? new Set([...names, ...more]) : names;
}

/**
 * The edges without those of the edited files' calls (facts before, nodes by item in `oldNodes`)
 * of a name `boundOf` gives for their file, and those of the calls `sites` of other files (by
 * node and call site): direct and macro edges, found by caller and call site; nodes keep their
 * ids. Null when the edges keep no call sites.
 */
export function withoutReboundCalls(edges: EdgeSnapshot, edited: readonly { at: number; before: FileFacts }[], nodeCount: number, oldNodes: Map<number, { functions: number[]; macros: number[] }>, boundOf: (at: number) => ReadonlySet<string>, sites: readonly { node: number; site: number }[] = []): EdgeSnapshot | null {
  // The columns are read by renumberEdges as stored, a chunk at a time: none is decoded here.
  if (!hasColumn(edges, 'site')) return null;
  const keys = new Set<string>(sites.map((r) => `${r.node}:${r.site}`));
  for (const t of edited) {
    const bound = boundOf(t.at);
    if (bound.size === 0) continue;
    const rows = oldNodes.get(t.at)!;
    const mark = (n: number | undefined, calls: CallFact[]): void => {
      if (n !== undefined) calls.forEach((c, s) => callsAny(c, bound) && keys.add(`${n}:${s}`));
    };
    t.before.functions.forEach((f, i) => mark(rows.functions[i], f.calls));
    t.before.macros.forEach((m, i) => mark(rows.macros[i], m.calls));
  }
  if (keys.size === 0) return edges;
  const callers = new Uint8Array(nodeCount);
  for (const key of keys) callers[Number(key.slice(0, key.indexOf(':')))] = 1;
  const identity = Int32Array.from({ length: nodeCount }, (_, i) => i);
  return renumberEdges(edges, identity, (_e, from, kind, site) => callers[from] === 1 && (kind === DIRECT || kind === MACRO) && keys.has(`${from}:${site}`));
}
