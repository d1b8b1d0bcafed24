import type { CodeIndex } from '../index/code-index.js';
import type { Explanation } from '../types/results.js';

/**
 * The calls of `callee` by name in the bodies of `callers` (node ids) that the configuration
 * leaves out (neutral calls: index/inactive-calls.ts), each with its file, line, condition and
 * why the condition fails (DefinitionActivity.whyCall: `CONFIG_SCHED_STACK_END_CHECK is not
 * set`), in caller then call-site order (Explanation.leftOut). Reads the callers' facts; none
 * without them.
 */
export function leftOutCalls(index: CodeIndex, callers: readonly number[], callee: string): NonNullable<Explanation['leftOut']> {
  const activity = index.bindingScope?.activity;
  // An index opened without its facts (check on a cached graph) cannot tell.
  if (!index.factsReadable) return [];
  return callers.flatMap((node) => {
    if (index.isExternal(node)) return [];
    const file = index.nodeFile[node]!;
    return index.calls(node).flatMap((call) => (call.inactive === callee && call.cond !== undefined ? [{ file: index.file(node), line: call.line, cond: call.cond, why: activity?.whyCall?.(file, call.cond, call.line) ?? 'the configuration leaves it out' }] : []));
  });
}

/** leftOutCalls in words for a broken step of `check`: ` (its call at f.c:29 is under defined(CONFIG_X): CONFIG_X is not set)`, or '' when there is none. */
export function leftOutText(index: CodeIndex, callers: readonly number[], callee: string): string {
  const first = leftOutCalls(index, callers, callee)[0];
  return first ? ` (its call at ${first.file}:${first.line} is under ${first.cond}: ${first.why})` : '';
}
