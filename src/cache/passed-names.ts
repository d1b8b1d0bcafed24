import type { BodyDiff } from '../index/facts-diff.js';
import type { CallFact } from '../types/facts.js';
import type { EditedFile } from './definition-patch.js';

/**
 * The plans with every kept call of a function's body that passes, as an argument, a name the
 * edits define or remove (FilePlan.names) taken as removed and added again. Such a call binds its
 * argument otherwise now (`INIT_WORK(&a->w, fn)` or `list_sort(priv, head, cmp)` written before
 * `fn` or `cmp` was defined, or left naming a function the edit removes): as a call added, the patch
 * follows what it passes where functions are stored or called and what it registers, and the count
 * of value mentions (value-mentions.ts) leaves its arguments out only then. Calls in macro bodies are
 * kept as they are (their arguments count as mentions). `plans` are changed in place and returned.
 */
export function withPassedNamesAnew(plans: EditedFile[]): EditedFile[] {
  const names = new Set(plans.flatMap((t) => [...t.plan.names]));
  if (names.size === 0) return plans;
  const passes = (c: CallFact): boolean => c.args.some((a) => a !== null && names.has(a));
  for (const { plan, before, after } of plans) {
    for (const body of plan.diff.bodies) {
      if (body.macro || !body.kept.some(([, c]) => passes(c))) continue;
      anew(body, passes, before.functions[body.item]!.calls, after.functions[body.item]!.calls);
      plan.diff.unchanged = false;
    }
  }
  return plans;
}

/** Moves the kept calls of `body` that `passes` says to its removed and added calls, each list in the order of its body's calls (`was`, `now`). */
function anew(body: BodyDiff, passes: (c: CallFact) => boolean, was: readonly CallFact[], now: readonly CallFact[]): void {
  const kept: [CallFact, CallFact][] = [];
  for (const [o, c] of body.kept) {
    if (!passes(c)) kept.push([o, c]);
    else {
      body.removed.push(o);
      body.added.push(c);
    }
  }
  body.kept = kept;
  const inOrder = (list: CallFact[], calls: readonly CallFact[]): CallFact[] => ((at) => list.sort((a, b) => at.get(a)! - at.get(b)!))(new Map(calls.map((c, i) => [c, i])));
  inOrder(body.removed, was);
  inOrder(body.added, now);
}
