import type { CodeIndex } from '../index/code-index.js';
import type { Explanation } from '../types/results.js';
import { Truth } from '../types/build.js';

/**
 * The calls in the bodies of `callers` (node ids) that the configuration leaves out (neutral calls:
 * index/inactive-calls.ts): those of `callee` by name, and with `pointers` also the calls through a
 * pointer (a member, a local, an array: any may have been the step), each with its file, line,
 * what it calls as written (`panic`, `.handler`), its condition and why the condition fails
 * (DefinitionActivity.whyCall: `CONFIG_SCHED_STACK_END_CHECK is not set`), in caller then
 * call-site order (Explanation.leftOut). Reads the callers' facts; none without them.
 */
export function leftOutCalls(index: CodeIndex, callers: readonly number[], callee: string, pointers = false): NonNullable<Explanation['leftOut']> {
  const activity = index.bindingScope?.activity;
  // An index opened without its facts (check on a cached graph) cannot tell.
  if (!index.factsReadable) return [];
  const wanted = (written: string): boolean => written === callee || (pointers && /^[.*]|\[\]$/.test(written));
  return callers.flatMap((node) => {
    if (index.isExternal(node)) return [];
    const file = index.nodeFile[node]!;
    return index.calls(node).flatMap((c) => (c.inactive !== undefined && c.cond !== undefined && wanted(c.inactive) ? [{ file: index.file(node), line: c.line, call: c.inactive, cond: c.cond, why: activity?.whyCall?.(file, c.cond, c.line) ?? 'the configuration leaves it out' }] : []));
  });
}

/** leftOutCalls in words for a broken step of `check`: ` (its call at f.c:29 is under defined(CONFIG_X): CONFIG_X is not set)`, or '' when there is none. */
export function leftOutText(index: CodeIndex, callers: readonly number[], callee: string): string {
  const first = leftOutCalls(index, callers, callee)[0];
  return first ? ` (its call at ${first.file}:${first.line} is under ${first.cond}: ${first.why})` : '';
}

/**
 * Why the configuration leaves out the whole definition of function `node`, as its calls are
 * left out with it (index/inactive-calls.ts): `under defined(CONFIG_PREEMPT_RT): CONFIG_PREEMPT_RT
 * is not set` for Linux 6.1's real-time arm of kernel/softirq.c's __local_bh_enable_ip with the
 * x86_64 defconfig. Undefined for a definition that is compiled or may be, a macro, an external
 * node, or an index without facts or configuration.
 */
export function definitionLeftOut(index: CodeIndex, node: number): string | undefined {
  const activity = index.bindingScope?.activity;
  if (!activity?.callActive || !index.factsReadable || index.isExternal(node) || index.isMacro(node)) return undefined;
  const file = index.nodeFile[node]!;
  const fn = index.fileFacts(file).functions[index.nodeItem[node]!];
  if (fn?.cond === undefined || activity.callActive(file, fn.cond, fn.line) !== Truth.No) return undefined;
  return `under ${fn.cond}: ${activity.whyCall?.(file, fn.cond, fn.line) ?? 'the configuration leaves it out'}`;
}
