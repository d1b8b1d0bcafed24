/**
 * Reads ftrace `function_graph` output into claims, rebuilding the nesting from its braces:
 *   ` 0)               |  tcp_sendmsg() {`      opens a call of tcp_sendmsg
 *   ` 0)   0.123 us    |    lock_sock_nested();` a leaf: a call made by the innermost open function
 *   ` 0)   5.000 us    |  }`                    closes the innermost open function
 * Pure: text in, claims out, no call graph.
 */
import type { Claim, ClaimName } from '../types/claims.js';
import { SYMBOL, placeLines, type PlacedLine, type TextBlock } from './trace-symbol.js';

/** The columns before a call: anything ending in the `|` before the function column (CPU, duration, task, time stamp). */
const PREFIX = String.raw`^(.*\|)\s*`;
const OPEN = new RegExp(PREFIX + SYMBOL + String.raw`\(\)\s*\{\s*$`, 'd');
const LEAF = new RegExp(PREFIX + SYMBOL + String.raw`\(\)\s*;\s*$`, 'd');
/** A closing brace, with the function name after it when the `funcgraph-tail` option is on. */
const CLOSE = new RegExp(PREFIX + String.raw`\}(?:\s*/\*\s*${SYMBOL}\s*\*/)?\s*$`);
/** A `trace_printk` or event line inside the graph, written as a C comment. */
const COMMENT = new RegExp(PREFIX + String.raw`/\*.*\*/\s*$`);
/** Entering and leaving an interrupt handler (the `funcgraph-irqs` markers). */
const IRQ_ENTER = /==========>/;
const IRQ_EXIT = /<==========/;
/** A task switch (` 0)  bash-1234  =>  sshd-5678`) and the rules around it. */
const SWITCH = /^\s*(\d+)\)\s+\S.*\s=>\s+\S+\s*$/;
const RULE = /^\s*-{10,}\s*$/;
/** What a function_graph prefix has: a `0)` CPU column, a `us` duration, or nothing but the bar. */
const GRAPH_PREFIX = /\d+\)|\bus\b|^\s*\|$/;

/** An open call on a CPU with the indentation of its name (characters after the bar), or the barrier an interrupt entry puts below the handler's calls. */
type Open = (ClaimName & { indent: number }) | 'irq';

/**
 * Claims of the function_graph output found in a block of lines, in document order: each call
 * (`f() {` or `f();`) is a call made by the innermost function still open on the same CPU.
 * Decisions (kept in step with the README):
 * - one nesting per CPU (the `N)` column; lines without it share one);
 * - between `==========>` and `<==========` the calls belong to an interrupt handler: the
 *   handler's outermost call has no caller in the trace, and the interrupted function gets none of them;
 * - a task switch line resets its CPU (the incoming task's open calls are not in the excerpt);
 * - `/* comment *\/` lines are ignored; any other line that is not function_graph output (prose,
 *   a blank line, `...`) ends the excerpt and resets all nesting, so calls are never linked across a cut;
 * - closing braces with nothing open are ignored (calls opened before the excerpt began);
 * - the indentation of names cross-checks the braces: an open call indented as deep as a later
 *   call, or deeper, lost its closing line (an edited excerpt) and calls nothing after it.
 * Every claim has `form: 'function-graph'` and `mayInline: true`: inlined and `notrace`
 * functions leave no line, so a step may skip them. Positions are 1-based line and column of the
 * bare name (compiler suffixes such as `.isra.0` stripped) in the document.
 */
export function readFunctionGraphBlock(doc: string, block: TextBlock): Claim[] {
  const claims: Claim[] = [];
  const cpus = new Map<string, Open[]>();
  const stackOf = (cpu: string): Open[] => {
    let s = cpus.get(cpu);
    if (!s) cpus.set(cpu, (s = []));
    return s;
  };
  const call = (l: PlacedLine, m: RegExpExecArray, stack: Open[]): Open => {
    const at = m.indices![2]![0];
    const indent = at - m[1]!.length;
    const to: ClaimName = { name: m[2]!, line: l.line, column: at + 1 + l.offset };
    // Opens indented as deep as this call or deeper lost their closing lines (an edited excerpt): they are no callers.
    while (stack.length && stack[stack.length - 1] !== 'irq' && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    const top = stack[stack.length - 1];
    if (top && top !== 'irq') claims.push({ doc, form: 'function-graph', from: { name: top.name, line: top.line, column: top.column }, to, mayInline: true });
    return { ...to, indent };
  };
  for (const l of placeLines(block)) {
    const t = l.text;
    const sw = SWITCH.exec(t);
    if (sw) {
      cpus.delete(sw[1]!);
      continue;
    }
    if (RULE.test(t) || /^\s*#/.test(t)) continue;
    const prefix = /^(.*\|)/.exec(t)?.[1];
    if (prefix === undefined || !GRAPH_PREFIX.test(prefix)) {
      cpus.clear();
      continue;
    }
    const stack = stackOf(/(\d+)\)/.exec(prefix)?.[1] ?? '-');
    if (IRQ_ENTER.test(t)) stack.push('irq');
    else if (IRQ_EXIT.test(t)) stack.splice(Math.max(0, stack.lastIndexOf('irq')));
    else if (COMMENT.test(t)) continue;
    else if (CLOSE.test(t)) {
      if (stack.length && stack[stack.length - 1] !== 'irq') stack.pop();
    } else {
      const open = OPEN.exec(t);
      const leaf = open ? undefined : LEAF.exec(t);
      if (open) stack.push(call(l, open, stack));
      else if (leaf) call(l, leaf, stack);
      else if (!/\|\s*$/.test(t)) cpus.clear();
    }
  }
  return claims;
}
