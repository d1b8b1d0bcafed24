import { NodeFlag } from '../index/code-index.js';
import { isIndirect, kindId } from '../resolve/edge-kind.js';
import type { CallGraph } from './call-graph.js';

/**
 * Small call-graph questions the verifier asks about one claimed step, over the folded call
 * graph (one edge per caller and callee: synchronous before deferred, then the strongest kind).
 */

/** Most static functions a stack-trace step may skip as inlined (check's `mayInline` steps, explain's `throughInlined`). */
export const MAX_INLINED = 4;

/**
 * Edges (EdgeList ids) a question leaves out: a stack step's hand-offs (hand-off-edges.ts
 * handOffTest), whose callee runs later on another stack. Absent: every edge counts.
 */
export type SkipEdge = ((edge: number) => boolean) | undefined;

/**
 * The edge (an EdgeList id) by which any of `from` calls any of `to` in one call, or -1. Among
 * several same-named pairs, a synchronous edge beats a deferred one, then the strongest kind.
 */
export function directEdge(graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, skip?: SkipEdge): number {
  const { kind, deferred } = graph.edges;
  let best = -1;
  let bestRank = Infinity;
  for (const f of from) {
    for (let i = graph.outFirst(f); i < graph.outEnd(f); i++) {
      if (!to.has(graph.rowTo[i]!)) continue;
      const e = graph.rowEdge[i]!;
      if (skip?.(e)) continue;
      const rank = deferred.get(e) * 64 + kind.get(e);
      if (rank < bestRank) [best, bestRank] = [e, rank];
    }
  }
  return best;
}

/**
 * The shortest chain of node ids (caller first, callee last) from any of `from` to any of `to`
 * whose nodes in between are all macros (NodeFlag.Macro), at least one; null when there is none.
 * A macro is no frame of a stack trace, no entry of an ftrace excerpt and no step people write:
 * `release_sock -> __wake_up` is what the source's `wake_up(...)` in release_sock does. Unbounded
 * (each macro is visited once); breadth first, in the graph's edge order, so the answer is stable.
 */
export function macroChain(graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, skip?: SkipEdge): number[] | null {
  const index = graph.index;
  const prev = new Map<number, number>(from.map((f) => [f, -1]));
  let frontier = [...from];
  for (let depth = 0; frontier.length; depth++) {
    const next: number[] = [];
    for (const node of frontier) {
      for (let i = graph.outFirst(node); i < graph.outEnd(node); i++) {
        const t = graph.rowTo[i]!;
        if (skip?.(graph.rowEdge[i]!)) continue;
        if (to.has(t) && depth > 0) return unwind(prev, node).concat(t);
        if (prev.has(t) || !index.isMacro(t)) continue;
        prev.set(t, node);
        next.push(t);
      }
    }
    frontier = next;
  }
  return null;
}

/**
 * Whether `node` makes all its calls on one line: a wrapper (`return __ip_queue_xmit(sk, skb, fl,
 * inet_sk(sk)->tos);`), whose last call a compiler turns into a jump (a tail call), so that its
 * frame is gone from a stack taken below it. (A function whose every call is a tail call, on any
 * lines, has NodeFlag.TailCalls; this also takes the one-line wrappers whose arguments call.)
 * Its calls are read from its edges, and from its facts for a call through a pointer bound to
 * nothing (CallGraph.unboundSitesOf: no edge shows it; unknown lines count as other lines when
 * the facts cannot be read). A use of a macro whose expansion calls nothing in this configuration (a macro node with no edge
 * out) is no call: Linux 6.1's irq_exit_rcu (kernel/softirq.c) ends `__irq_exit_rcu();
 * lockdep_hardirq_exit();`, and without CONFIG_TRACE_IRQFLAGS the second is `do { } while (0)`
 * (include/linux/irqflags.h), so interrupt stacks read `__irq_exit_rcu <- sysvec_apic_timer_interrupt`.
 */
function oneCallLine(graph: CallGraph, node: number): boolean {
  const flags = graph.index.nodeFlags;
  let line = -1;
  for (let i = graph.outFirst(node); i < graph.outEnd(node); i++) {
    const t = graph.rowTo[i]!;
    if ((flags[t]! & NodeFlag.Macro) !== 0 && graph.outFirst(t) === graph.outEnd(t)) continue;
    const at = graph.edges.lineOf(graph.rowEdge[i]!);
    if (line >= 0 && at !== line) return false;
    line = at;
  }
  if (line < 0) return false;
  // A call through a pointer bound to nothing makes no edge, but is a call all the same: on another line, the function is no such wrapper.
  const unbound = graph.unboundSitesOf?.(node);
  if (unbound?.length) {
    if (!graph.index.factsReadable) return false;
    const calls = graph.index.calls(node);
    if (unbound.some((site) => calls[site]?.line !== line)) return false;
  }
  return true;
}

/**
 * The shortest chain of node ids (caller first, callee last) from any of `from` to any of `to`
 * whose nodes in between are all static functions called by name (NodeFlag.Static: the ones a
 * compiler may inline, so that a stack trace shows neither them nor their frames; one reached
 * through a pointer read from memory keeps its frame), functions whose every call
 * is a tail call (NodeFlag.TailCalls: `return f(...);` on any lines, through a pointer too, a
 * `switch` of them; a tail call is a jump and leaves no frame, and a dispatcher's table edges, the
 * syscall table's `case nr: return __x64_sys_write(regs);`, are such calls), wrappers making all
 * their calls on one line (oneCallLine), short functions called by name from their own file
 * (NodeFlag.Short, inlined in their translation unit) or macros (never a frame), with at most `maxInlined` of
 * them, none of them one `avoid` names; and, when the index reads its facts, at most one other
 * function, left by a tail call (CallFact.tail: tailCallEdges) whatever its other calls. Null when there is none. Breadth first, in the graph's edge order, so the answer is stable.
 */
export function inlinedChain(graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, maxInlined: number, avoid?: (node: number) => boolean, skip?: SkipEdge): number[] | null {
  const flags = graph.index.nodeFlags;
  const hidden = NodeFlag.Macro | NodeFlag.TailCalls;
  // A static function is inlined where it is called by name, or passed to a wrapper calling its
  // parameter (NF_HOOK(..., okfn): the wrapper inlined, the callee is a constant); called through
  // a pointer read from memory (an ops table, a member), it runs with its frame.
  // A short function called by name from its own file (translation unit) is inlined there, global or not (NodeFlag.Short).
  const nodeFile = graph.index.nodeFile;
  // A noinline function (NodeFlag.NoInline) keeps its frame, static or short: only its tail calls fold it.
  const inlinable = (t: number): boolean => (flags[t]! & NodeFlag.NoInline) === 0;
  const frameless = (t: number, edge: number, caller: number): boolean =>
    (flags[t]! & hidden) !== 0 ||
    (inlinable(t) && (flags[t]! & NodeFlag.Static) !== 0 && !throughMemory(graph.edges.kind.get(edge))) ||
    (inlinable(t) && (flags[t]! & NodeFlag.Short) !== 0 && graph.edges.kind.get(edge) === DIRECT && nodeFile[t] === nodeFile[caller]) ||
    oneCallLine(graph, t);
  // Functions entered with their frame, which a stack still skips when they leave by a tail call (CallFact.tail);
  // at most one per chain (`spent`: the nodes past one), so that the facts read are those of the few functions a
  // chain of frameless ones reaches, not of every function within maxInlined calls.
  const framed = new Set<number>();
  const spent = new Set<number>();
  const byFacts = graph.index.factsReadable;
  const prev = new Map<number, number>(from.map((f) => [f, -1]));
  let frontier = [...from];
  for (let depth = 0; depth <= maxInlined && frontier.length; depth++) {
    const next: number[] = [];
    for (const node of frontier) {
      const tails = framed.has(node) ? tailCallEdges(graph, node) : null;
      for (let i = graph.outFirst(node); i < graph.outEnd(node); i++) {
        if ((tails && !tails.has(graph.rowEdge[i]!)) || skip?.(graph.rowEdge[i]!)) continue;
        const t = graph.rowTo[i]!;
        if (to.has(t) && depth > 0) return unwind(prev, node).concat(t);
        if (prev.has(t) || depth === maxInlined || avoid?.(t)) continue;
        if (!frameless(t, graph.rowEdge[i]!, node)) {
          if (!byFacts || spent.has(node) || (flags[t]! & NodeFlag.Macro) !== 0) continue;
          framed.add(t);
          spent.add(t);
        } else if (spent.has(node)) spent.add(t);
        prev.set(t, node);
        next.push(t);
      }
    }
    frontier = next;
  }
  return null;
}

/**
 * The edges out of function node `node` made by its tail calls (CallFact.tail), read from its
 * facts: an edge whose line has a call by the callee's name is one when each such call is a tail
 * call; one whose line has none (a call through a pointer or a macro's expansion, `return
 * INDIRECT_CALL_2(sk->sk_prot->sendmsg, tcp_sendmsg, udp_sendmsg, ...)` in Linux 6.1's
 * inet_sendmsg) when a call on that line is. Empty for a node with no facts (a macro, an external).
 */
function tailCallEdges(graph: CallGraph, node: number): Set<number> {
  const index = graph.index;
  const out = new Set<number>();
  const file = index.nodeFile[node]!;
  if (file < 0 || index.isMacro(node)) return out;
  const fn = index.fileFacts(file).functions[index.nodeItem[node]!];
  if (!fn) return out;
  for (let i = graph.outFirst(node); i < graph.outEnd(node); i++) {
    const edge = graph.rowEdge[i]!;
    const line = graph.edges.lineOf(edge);
    const callee = index.name(graph.rowTo[i]!);
    let named = 0;
    let namedTail = 0;
    let tailOnLine = false;
    for (const call of fn.calls) {
      if (call.line !== line) continue;
      if (call.tail) tailOnLine = true;
      if (call.name === callee) {
        named++;
        if (call.tail) namedTail++;
      }
    }
    if (named > 0 ? namedTail === named : tailOnLine) out.add(edge);
  }
  return out;
}

/**
 * A function any of `from` calls by name (a direct edge) that is defined in that caller's own file
 * (its translation unit), global or static, that calls one of `to` and that `accept` takes (a
 * length bound); -1 when none. A compiler may inline such a function there, so a stack trace may
 * lack its frame (Linux 6.1: handle_irq_event_percpu in handle_irq_event, kernel/irq/handle.c).
 * The first in edge order.
 */
export function sameFileCallee(graph: CallGraph, from: readonly number[], to: ReadonlySet<number>, accept: (node: number) => boolean, skip?: SkipEdge): number {
  const nodeFile = graph.index.nodeFile;
  for (const f of from) {
    for (let i = graph.outFirst(f); i < graph.outEnd(f); i++) {
      const t = graph.rowTo[i]!;
      if (graph.rowKind[i] !== DIRECT || nodeFile[t] !== nodeFile[f] || to.has(t)) continue;
      for (let j = graph.outFirst(t); j < graph.outEnd(t); j++) if (to.has(graph.rowTo[j]!) && !skip?.(graph.rowEdge[j]!) && accept(t)) return t;
    }
  }
  return -1;
}

/** The functions `caller` calls by name (direct edges) that are defined in its own file, in edge order, once each. */
export function sameFileCallees(graph: CallGraph, caller: number): number[] {
  const nodeFile = graph.index.nodeFile;
  const out = new Set<number>();
  for (let i = graph.outFirst(caller); i < graph.outEnd(caller); i++) {
    const t = graph.rowTo[i]!;
    if (graph.rowKind[i] === DIRECT && nodeFile[t] === nodeFile[caller]) out.add(t);
  }
  return [...out];
}

const CALLBACK_ARG = kindId('callback-arg');
const DIRECT = kindId('direct');
/** An edge kind whose call reads the function from memory at run time (every pointer kind but callback-arg). */
const throughMemory = (kind: number): boolean => isIndirect(kind) && kind !== CALLBACK_ARG;

function unwind(prev: ReadonlyMap<number, number>, node: number): number[] {
  const chain: number[] = [];
  for (let n = node; n >= 0; n = prev.get(n)!) chain.push(n);
  return chain.reverse();
}

/** Names of the functions any of `nodes` calls (`direction` callees) or is called by (callers), sorted, once each. */
export function neighbourNames(graph: CallGraph, nodes: readonly number[], direction: 'callees' | 'callers'): string[] {
  const names = new Set<string>();
  for (const n of nodes) {
    if (direction === 'callees') for (let i = graph.outFirst(n); i < graph.outEnd(n); i++) names.add(graph.index.name(graph.rowTo[i]!));
    else for (let i = graph.inStart[n]!; i < graph.inStart[n + 1]!; i++) names.add(graph.index.name(graph.inFrom[i]!));
  }
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
