/**
 * Registration macros used at file scope (`module_init(igb_init_module);`), found lexically on
 * the source text, the same for both extractors: a line that starts with one of the profile's
 * registration macros (Profile.registrations) and its parenthesised arguments up to `)` and `;`.
 */
import type { RegistrationRule } from '../profiles/profile.js';
import type { RegistrationFact } from '../types/facts.js';
import { splitTopLevel } from './neutralise.js';

/** The registrations of `source` by `rules`: the function each names, in source order. Arguments that are not one identifier (optionally `&name`) are left out. */
export function readRegistrations(source: string, rules: readonly RegistrationRule[]): RegistrationFact[] {
  const argumentOf = new Map<string, number>();
  for (const rule of rules) for (const m of rule.macros) argumentOf.set(m, rule.argument);
  if (argumentOf.size === 0) return [];
  const names = [...argumentOf.keys()].sort((a, b) => b.length - a.length).join('|');
  const pattern = new RegExp(`^[ \\t]*(${names})[ \\t]*\\(([^;{}]*)\\)[ \\t]*;`, 'gm');
  const out: RegistrationFact[] = [];
  let line = 1;
  let counted = 0;
  for (const m of source.matchAll(pattern)) {
    for (let nl = source.indexOf('\n', counted); nl >= 0 && nl < m.index; nl = source.indexOf('\n', nl + 1)) line++;
    counted = m.index;
    const arg = splitTopLevel(m[2]!)[argumentOf.get(m[1]!)!]?.trim();
    const fn = arg?.replace(/^&\s*/, '');
    if (fn && /^[A-Za-z_]\w*$/.test(fn)) out.push({ macro: m[1]!, fn, line });
  }
  return out;
}
