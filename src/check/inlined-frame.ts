import type { CallGraph } from '../graph/call-graph.js';
import { inlinedChain, MAX_INLINED, sameFileCallee, sameFileCallees, type SkipEdge } from '../graph/graph-steps.js';
import { unbuiltNode } from '../api/unbuilt.js';
import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import type { Claim } from '../types/claims.js';
import type { Finding } from '../types/findings.js';
import { finding } from './verify-parts.js';

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
 * For a stack step from `from` to `to` with no edge: the functions a compiler may have inlined
 * between them, caller's side first: a function of at most INLINE_LINES that a caller's own file
 * calls by name and that calls the callee (graph-steps.ts sameFileCallee), or that reaches it
 * through functions a stack trace folds (graph-steps.ts inlinedChain, at most MAX_INLINED - 1 of
 * them: Linux 6.1 __ip_queue_xmit -> ip_local_out, 10 lines, -> the static inline dst_output ->
 * ip_output); null when none. The first in edge order. No edge `skip` names is taken (a hand-off).
 */
export function inlinedFrame(index: CodeIndex, graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, skip?: SkipEdge): number[] | null {
  // A noinline function keeps its frame however short it is.
  const short = (n: number): boolean => (index.nodeFlags[n]! & NodeFlag.NoInline) === 0 && linesOf(index, n) <= INLINE_LINES;
  const one = sameFileCallee(graph, from, to, short, skip);
  if (one >= 0) return [one];
  for (const f of from) {
    for (const t of sameFileCallees(graph, f)) {
      if (to.has(t) || !short(t)) continue;
      const chain = inlinedChain(graph, [t], to, MAX_INLINED - 1, unbuiltNode(index), skip);
      if (chain) return chain.slice(0, -1);
    }
  }
  return null;
}

/**
 * The skipped-calls note of a stack step (claim) from `from` to `to` with no edge when inlinedFrame
 * finds the functions between: `queue_xmit -> ip_out skips local_out (net/ipv4/ip_output.c), then
 * dst_out, which a compiler may inline into queue_xmit: ...`, now.skipped naming them; null otherwise.
 */
export function inlinedFrameNote(claim: Claim, index: CodeIndex, graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, skip?: SkipEdge): Finding | null {
  const inlined = inlinedFrame(index, graph, from, to, skip);
  if (!inlined) return null;
  const [name, ...folded] = inlined.map((n) => index.name(n)) as [string, ...string[]];
  const then = folded.length ? `, then ${folded.join(', ')}` : '';
  const why = `a function of the same file called by name${folded.length ? ', then functions a stack trace folds' : ''}`;
  const { from: caller, to: callee } = claim;
  return finding(claim, callee, 'note', 'skipped-calls', `${caller.name} -> ${callee.name} skips ${name} (${index.file(inlined[0]!)})${then}, which a compiler may inline into ${caller.name}: ${why}`, {
    path: [caller.name, name, ...folded, callee.name],
    skipped: [name, ...folded],
  });
}
