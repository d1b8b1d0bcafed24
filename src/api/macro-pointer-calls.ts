import type { CallGraph } from '../graph/call-graph.js';
import type { CodeIndex } from '../index/code-index.js';
import type { MacroPointerCall } from '../types/results.js';

/** How deep macros expanded in macros are followed (as bind-expansion.ts follows them). */
const MAX_NESTING = 8;

/**
 * The pointer calls written in the bodies of the macros `callers` expand (MacroFact.memberCalls),
 * macros expanded inside them followed up to MAX_NESTING deep, in macro node order: nothing binds
 * them, so a step from one of `callers` may be one of them (the LSM's `call_int_hook` calls
 * `P->hook.FUNC(...)`). Reads the facts of the macros' files; empty when the index has none to read
 * (an index export).
 */
export function macroPointerCalls(index: CodeIndex, graph: CallGraph, callers: Iterable<number>): MacroPointerCall[] {
  const macros = new Set<number>();
  // Along the call graph's adjacency: only the callers' rows and their macros' are read.
  let frontier = [...new Set(callers)];
  for (let depth = 0; depth < MAX_NESTING && frontier.length; depth++) {
    const next: number[] = [];
    for (const node of frontier) {
      const end = graph.outEnd(node);
      const callees = graph.rowTo;
      for (let i = graph.outFirst(node); i < end; i++) {
        const to = callees[i]!;
        if (index.isMacro(to) && !macros.has(to)) (macros.add(to), next.push(to));
      }
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
