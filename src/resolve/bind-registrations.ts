import type { CodeIndex } from '../index/code-index.js';
import type { RegistrationFact } from '../types/facts.js';
import { directTargets } from './bind-direct.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';

/** The evidence a registration gives its edge: where it stands and what it reads (`module_init(igb_init_module)`). */
export const registrationEvidence = (path: string, r: RegistrationFact): Evidence => ({ file: path, line: r.line, text: `${r.macro}(${r.fn})` });

/**
 * Where dispatcher `d`'s registration edges stand: at its first call through a parameter of its
 * own (`fn()` in do_one_initcall), that call's site and line; else at no site (-1), on the line of
 * its definition.
 */
export function dispatchSite(index: CodeIndex, d: number): { site: number; line: number } {
  const calls = index.calls(d);
  const site = calls.findIndex((c) => c.param !== undefined);
  return { site, line: site >= 0 ? calls[site]!.line : index.nodeLine[d]! };
}

/** The dispatchers of a registration rule (Profile.registrations): the functions of its dispatcher's name, no macro, no external node. */
export const registrationDispatchers = (index: CodeIndex, name: string): number[] => index.nodesNamed(name).filter((n) => !index.isMacro(n) && !index.isExternal(n));

/**
 * Registration macros (Profile.registrations): the dispatcher of each rule reaches every function
 * registered with its macros (`module_init(igb_init_module)` makes do_one_initcall -> igb_init_module),
 * as a 'dispatch-table' edge whose evidence is each registration, one edge per target in
 * ascending node order. The edge sits at the dispatcher's call through its own parameter (`fn()`
 * in do_one_initcall) when it has one (dispatchSite). A patch makes them again so
 * (patch-registrations.ts).
 */
export function resolveRegistrations(index: CodeIndex, edges: EdgeList): void {
  const kind = kindId('dispatch-table');
  for (const rule of index.profile.registrations) {
    const dispatchers = registrationDispatchers(index, rule.dispatcher);
    if (dispatchers.length === 0) continue;
    const macros = new Set(rule.macros);
    const targets = new Map<number, Evidence[]>();
    index.files.forEach((f, file) => {
      for (const r of f.registrations ?? []) {
        if (!macros.has(r.macro)) continue;
        for (const target of directTargets(index, file, r.fn)) {
          if (index.isMacro(target)) continue;
          const list = targets.get(target) ?? [];
          list.push(registrationEvidence(f.path, r));
          targets.set(target, list);
        }
      }
    });
    for (const d of dispatchers) {
      const { site, line } = dispatchSite(index, d);
      for (const [target, evidence] of [...targets].sort((a, b) => a[0] - b[0])) edges.add(d, target, kind, site, line, edges.evidenceSet(evidence));
    }
  }
}
