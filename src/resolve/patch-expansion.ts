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

const DIRECT = kindId('direct');
const MACRO = kindId('macro');

/**
 * The macro nodes (marked 1, by node id of `index`) whose body calls a name of `named` (nodes
 * marked 1) that the macro's own file sees no definition of (the edge goes to an external node,
 * or was bound by name without a visible candidate: BindFlag.NoneVisible), and the macros calling
 * those, MAX_CHAIN deep; null when there is none. Read from the edges alone: one pass over them,
 * and one more per level of macros calling macros.
 */
export function macrosExpandingNames(index: CodeIndex, edges: EdgeSnapshot, named: Uint8Array): Uint8Array | null {
  const { from, to, kind, bind } = edges;
  const marked = new Uint8Array(index.nodeCount);
  let level = 0;
  for (let e = 0; e < from.length; e++) {
    const t = to[e]!;
    if (!named[t] || (kind[e] !== DIRECT && kind[e] !== MACRO) || !index.isMacro(from[e]!) || marked[from[e]!]) continue;
    if (index.isExternal(t) || bind[e]! & BindFlag.NoneVisible) (marked[from[e]!] = 1), level++;
  }
  if (level === 0) return null;
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
