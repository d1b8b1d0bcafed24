/**
 * What a patch changing the definitions of some names must bind again because of calls in macro
 * bodies bound where the macro is expanded (bind-expansion.ts): every call of a macro whose body
 * calls one of the names without its own file seeing a definition of it (and every call of a
 * macro that calls such a macro), since the file expanding it may see the new definitions.
 */
import type { CodeIndex } from '../index/code-index.js';
import { MAX_CHAIN } from './bind-expansion.js';
import { BindFlag } from './definition-scope.js';
import { kindId } from './edge-kind.js';
import type { EdgeSnapshot } from './edge-list.js';
import { scanColumns } from './stored-column.js';

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/** An edge to a node of interest, as callsOfNamed finds it: its id and columns. */
export interface NamedCall {
  edge: number;
  from: number;
  to: number;
  kind: number;
  /** BindFlag bits. */
  bind: number;
  /** The call site; -1 when the edges keep none. */
  site: number;
  /** 1 for an edge to work run later (EdgeList.deferred), else 0. */
  deferred: number;
}

/**
 * The edges whose callee is marked in `named` (by node id), in edge order: one pass over the
 * callers, callees, kinds, binding flags, call sites and deferred marks read as stored, a chunk at a time
 * (stored-column.ts scanColumns), so that a patch looking for the calls of a few changed names
 * decodes none of a cached graph's columns (on a kernel, 4 million rows each).
 */
export function callsOfNamed(edges: EdgeSnapshot, named: Uint8Array): NamedCall[] {
  const calls: NamedCall[] = [];
  scanColumns(edges, ['from', 'to', 'kind', 'bind', 'site', 'deferred'] as const, (rows, start, count) => {
    const { from, to, kind, bind, site, deferred } = rows as Record<'from' | 'to' | 'kind' | 'bind' | 'deferred', Int32Array> & { site?: Int32Array };
    for (let i = 0; i < count; i++) if (named[to[i]!]) calls.push({ edge: start + i, from: from[i]!, to: to[i]!, kind: kind[i]!, bind: bind[i]!, site: site ? site[i]! : -1, deferred: deferred[i]! });
  });
  return calls;
}

/**
 * The macro nodes (marked 1, by node id of `index`) whose body calls a name of `named` (nodes
 * marked 1) that the macro's own file sees no definition of (the edge goes to an external node,
 * or was bound by name without a visible candidate: BindFlag.NoneVisible), and the macros calling
 * those, MAX_CHAIN deep; null when there is none. `calls`: the edges to `named`'s nodes
 * (callsOfNamed); the edges are read whole only when some macro is marked, once per level of
 * macros calling macros.
 */
export function macrosExpandingNames(index: CodeIndex, edges: EdgeSnapshot, named: Uint8Array, calls: readonly NamedCall[]): Uint8Array | null {
  const marked = new Uint8Array(index.nodeCount);
  let level = 0;
  for (const c of calls) {
    if (!named[c.to] || (c.kind !== DIRECT && c.kind !== MACRO) || !index.isMacro(c.from) || marked[c.from]) continue;
    if (index.isExternal(c.to) || c.bind & BindFlag.NoneVisible) (marked[c.from] = 1), level++;
  }
  if (level === 0) return null;
  const { from, to, kind } = edges;
  for (let depth = 1; depth < MAX_CHAIN && level > 0; depth++) {
    level = 0;
    for (let e = 0; e < from.length; e++) {
      const f = from[e]!;
      if (marked[to[e]!] === depth && kind[e] === MACRO && !marked[f] && index.isMacro(f)) (marked[f] = depth + 1), level++;
    }
  }
  for (let n = 0; n < marked.length; n++) if (marked[n]) marked[n] = 1;
  return marked;
}
