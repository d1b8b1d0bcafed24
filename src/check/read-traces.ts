/**
 * Entry points for machine-written call records in text: leaf-first stacks (read-stack.ts) and
 * ftrace function_graph output (read-function-graph.ts). The Markdown and rST readers call
 * readTraceBlock on each code block; .txt and .log files go whole through readTraceFile.
 */
import type { Claim } from '../types/claims.js';
import { readFunctionGraphBlock } from './read-function-graph.js';
import { readStackBlock } from './read-stack.js';
import { splitLines, type TextBlock } from './trace-symbol.js';

export type { TextBlock } from './trace-symbol.js';

/** Document order of a claim: the line and column of its callee's name, then of its caller's. */
function order(a: Claim, b: Claim): number {
  return a.to.line - b.to.line || a.to.column - b.to.column || a.from.line - b.from.line || a.from.column - b.from.column;
}

/**
 * Claims of every stack (ftrace, oops Call Trace, bpftrace kstack, perf script, stack tracer) and
 * every function_graph excerpt in a block of lines, sorted by the callee's position. Any other
 * line yields nothing. Never throws: text that is no trace is simply not read.
 */
export function readTraceBlock(doc: string, block: TextBlock): Claim[] {
  return [...readStackBlock(doc, block), ...readFunctionGraphBlock(doc, block)].sort(order);
}

/** Claims of a whole plain-text or log file (`.txt`, `.log`): readTraceBlock over all its lines, line 1 first. */
export function readTraceFile(doc: string, text: string): Claim[] {
  return readTraceBlock(doc, { lines: splitLines(text), line: 1 });
}
