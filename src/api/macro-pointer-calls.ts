import type { CodeIndex } from '../index/code-index.js';
import { kindId } from '../resolve/edge-kind.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { MacroPointerCall } from '../types/results.js';

const MACRO = kindId('macro');
/** How deep macros expanded in macros are followed (as bind-expansion.ts follows them). */
const MAX_NESTING = 8;

/**
 * The pointer calls written in the bodies of the macros `callers` expand (MacroFact.memberCalls),
 * macros expanded inside them followed up to MAX_NESTING deep, in macro node order: nothing binds
 * them, so a step from one of `callers` may be one of them (the LSM's `call_int_hook` calls
 * `P->hook.FUNC(...)`). Reads the facts of the macros' files; empty when the index has none to read
 * (an index export).
 */
export function macroPointerCalls(index: CodeIndex, edges: EdgeList, callers: Iterable<number>): MacroPointerCall[] {
  const from = new Set(callers);
  const macros = new Set<number>();
  for (let depth = 0, frontier = from; depth < MAX_NESTING && frontier.size; depth++) {
    const next = new Set<number>();
    for (let e = 0; e < edges.length; e++) {
      if (edges.kind.get(e) !== MACRO || !frontier.has(edges.from.get(e))) continue;
      const to = edges.to.get(e);
      if (index.isMacro(to) && !macros.has(to)) (macros.add(to), next.add(to));
    }
    frontier = next;
  }
  const out: MacroPointerCall[] = [];
  for (const m of [...macros].sort((a, b) => a - b)) {
    let calls: string[] | undefined;
    try {
      calls = index.fileFacts(index.nodeFile[m]!).macros[index.nodeItem[m]!]?.memberCalls;
    } catch {
      return []; // no facts to read
    }
    if (calls?.length) out.push({ macro: index.name(m), file: index.file(m), line: index.nodeLine[m]!, calls });
  }
  return out;
}
