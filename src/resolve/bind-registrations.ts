import type { CodeIndex } from '../index/code-index.js';
import { directTargets } from './bind-direct.js';
import { kindId } from './edge-kind.js';
import type { EdgeList, Evidence } from './edge-list.js';

/**
 * Registration macros (Profile.registrations): the dispatcher of each rule reaches every function
 * registered with its macros (`module_init(igb_init_module)` makes do_one_initcall -> igb_init_module),
 * as a 'dispatch-table' edge whose evidence is each registration. The edge sits at the
 * dispatcher's call through its own parameter (`fn()` in do_one_initcall) when it has one.
 */
export function resolveRegistrations(index: CodeIndex, edges: EdgeList): void {
  const kind = kindId('dispatch-table');
  for (const rule of index.profile.registrations) {
    const dispatchers = index.nodesNamed(rule.dispatcher).filter((n) => !index.isMacro(n) && !index.isExternal(n));
    if (dispatchers.length === 0) continue;
    const macros = new Set(rule.macros);
    const targets = new Map<number, Evidence[]>();
    index.files.forEach((f, file) => {
      for (const r of f.registrations ?? []) {
        if (!macros.has(r.macro)) continue;
        for (const target of directTargets(index, file, r.fn)) {
          if (index.isMacro(target)) continue;
          const list = targets.get(target) ?? [];
          list.push({ file: f.path, line: r.line, text: `${r.macro}(${r.fn})` });
          targets.set(target, list);
        }
      }
    });
    for (const d of dispatchers) {
      const calls = index.calls(d);
      const site = calls.findIndex((c) => c.param !== undefined);
      const line = site >= 0 ? calls[site]!.line : index.nodeLine[d]!;
      for (const [target, evidence] of [...targets].sort((a, b) => a[0] - b[0])) edges.add(d, target, kind, site, line, edges.evidenceSet(evidence));
    }
  }
}
