import type { CallGraph } from '../graph/call-graph.js';
import { sameFileCallee } from '../graph/graph-steps.js';
import type { CodeIndex } from '../index/code-index.js';

/**
 * The most lines (name to closing brace) of a function a stack step may skip when its caller's own
 * file calls it by name: a body of a few statements, which GCC may inline into its translation
 * unit though it is global (Linux 6.1 handle_irq_event_percpu, 11 lines, in handle_irq_event).
 */
export const INLINE_LINES = 12;

/** Lines of function `node` from its name to its closing brace, from its file's facts; Infinity when they cannot be read (an index export). */
function linesOf(index: CodeIndex, node: number): number {
  try {
    const fn = index.fileFacts(index.nodeFile[node]!).functions[index.nodeItem[node]!];
    return fn?.endLine !== undefined && fn.line === index.nodeLine[node] ? fn.endLine - fn.line + 1 : Infinity;
  } catch {
    return Infinity;
  }
}

/**
 * For a stack step from `from` to `to` with no edge: a function of at most INLINE_LINES that a
 * caller's own file calls by name and that calls the callee (graph-steps.ts sameFileCallee), whose
 * frame a compiler may have inlined away; -1 when none.
 */
export function inlinedFrame(index: CodeIndex, graph: CallGraph, from: readonly number[], to: ReadonlySet<number>): number {
  return sameFileCallee(graph, from, to, (n) => linesOf(index, n) <= INLINE_LINES);
}
