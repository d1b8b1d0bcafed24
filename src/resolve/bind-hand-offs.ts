import type { CodeIndex } from '../index/code-index.js';
import type { HandOffRule } from '../profiles/profile.js';
import type { CallFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';
import { surveyed } from './site-survey.js';

/**
 * Work raised by a key (Profile.handOffs): each call of a raising function in a function body
 * whose key argument names a key some registration files a handler under
 * (`raise_softirq(TIMER_SOFTIRQ)` in run_local_timers, `open_softirq(TIMER_SOFTIRQ,
 * run_timer_softirq)` in init_timers) adds a deferred 'dispatch-table' edge from the raising
 * function to each such handler, at the raising call's site, its evidence the registrations.
 * The handler is bound by name as the registering file sees it (directTargets). A key that is a
 * parameter of its function (`raise_softirq_irqoff(nr)` inside raise_softirq) names no key.
 * `callers`: the functions calling a name a rule registers or raises by (SiteSurvey.handOffCallers); every node is read without it.
 */
export function resolveHandOffs(index: CodeIndex, edges: EdgeList, callers?: Int32Array): void {
  const rules = index.profile.handOffs ?? [];
  if (rules.length === 0) return;
  const kind = kindId('dispatch-table');
  for (const rule of rules) {
    const raising = new Set(rule.raise);
    const handlers = new Map<string, Map<number, Evidence[]>>();
    const raises: { node: number; site: number; call: CallFact; key: string }[] = [];
    for (const node of surveyed(index, callers)) {
      if (index.isMacro(node) || index.isExternal(node)) continue;
      const fact = index.files[index.nodeFile[node]!]!.functions[index.nodeItem[node]!]!;
      const params = fact.params.map((p) => p.name);
      fact.calls.forEach((call, site) => {
        if (call.name === undefined || call.expandsTo) return;
        if (call.name === rule.register) {
          const key = keyOf(params, call, rule.keyArgument);
          const fn = call.args[rule.handlerArgument];
          if (!key || !fn) return;
          const file = index.nodeFile[node]!;
          const byTarget = handlers.get(key) ?? new Map<number, Evidence[]>();
          for (const target of directTargets(index, file, fn)) {
            if (index.isMacro(target)) continue;
            const list = byTarget.get(target) ?? [];
            list.push({ file: index.files[file]!.path, line: call.line, text: `${rule.register}(${key}, ${fn})` });
            byTarget.set(target, list);
          }
          handlers.set(key, byTarget);
        } else if (raising.has(call.name)) {
          const key = keyOf(params, call, rule.raiseKeyArgument);
          if (key) raises.push({ node, site, call, key });
        }
      });
    }
    for (const r of raises) {
      const byTarget = handlers.get(r.key);
      if (!byTarget) continue;
      for (const [target, evidence] of [...byTarget].sort((a, b) => a[0] - b[0])) {
        edges.add(r.node, target, kind, r.site, r.call.line, edges.evidenceSet(evidence));
        edges.markDeferred(edges.length - 1, edges.length);
      }
    }
  }
}

/** The key a call passes at argument `at`: an identifier that is no parameter of the calling function; null otherwise. */
function keyOf(params: readonly (string | undefined)[], call: CallFact, at: number): string | null {
  const key = call.args[at];
  return key && !params.includes(key) ? key : null;
}

/** Every function name a hand-off rule of `rules` registers or raises by (`open_softirq`, `raise_softirq`, ...). */
export function handOffNames(rules: readonly HandOffRule[] | undefined): Set<string> {
  return new Set((rules ?? []).flatMap((r) => [r.register, ...r.raise]));
}
