/**
 * What a patch cannot decide of the calls written inside `#if` blocks of bodies (CallFact.cond,
 * index/inactive-calls.ts): a condition over macros defined in code (`#ifdef SCHED_VERBOSE`, not
 * a CONFIG_ option) that the edited file did not test before. The graph's record keeps the
 * definitions of the code macros the index's conditions tested when it was resolved
 * (BuildRecord.macroDefs); a macro no condition tested then has none there, so the patch would
 * read it as undefined where a full resolution may find it defined. Such an edit is resolved in full.
 */
import { conditionNames } from '../parse/kbuild/condition.js';
import type { FileFacts } from '../types/facts.js';

/** Every condition text a file's facts test: its definitions', its macros' and its calls'. */
function testedConditions(facts: FileFacts): Set<string> {
  const conds = new Set<string>();
  for (const fn of facts.functions) {
    if (fn.cond !== undefined) conds.add(fn.cond);
    for (const call of fn.calls) if (call.cond !== undefined) conds.add(call.cond);
  }
  for (const m of facts.macros) if (m.cond !== undefined) conds.add(m.cond);
  for (const d of facts.defines ?? []) if (d.cond !== undefined) conds.add(d.cond);
  return conds;
}

/**
 * Why the edit of one file from `before` to `after` needs a full resolution for its calls'
 * conditions (see the module comment), or undefined when it does not: `after` has a call under
 * a condition text that `before` does not test and that names a macro other than a CONFIG_ option,
 * or a function or macro with calls defined under such a condition (its calls are left out with it).
 */
export function callConditionEditBlocked(before: FileFacts, after: FileFacts): string | undefined {
  const known = testedConditions(before);
  for (const def of [...after.functions, ...after.macros]) {
    if (def.cond === undefined || def.calls.length === 0 || known.has(def.cond)) continue;
    const macro = conditionNames(def.cond).find((n) => !n.startsWith('CONFIG_'));
    if (macro !== undefined) return `${after.path}: ${def.name}, which makes calls, is now defined under a condition over the macro ${macro}, which the graph's record does not know`;
  }
  for (const fn of after.functions) {
    for (const call of fn.calls) {
      if (call.cond === undefined || known.has(call.cond)) continue;
      const macro = conditionNames(call.cond).find((n) => !n.startsWith('CONFIG_'));
      if (macro !== undefined) return `${after.path}: a call of ${fn.name} is now under a condition over the macro ${macro}, which the graph's record does not know`;
    }
  }
  return undefined;
}
