/**
 * Registration macros used at file scope (`module_init(igb_init_module);`), found lexically on
 * the source text, the same for both extractors: a line that starts with one of the profile's
 * registration macros (Profile.registrations) and its parenthesised arguments up to `)` and `;`.
 */
import type { RegistrationRule } from '../profiles/profile.js';
import type { RegistrationFact } from '../types/facts.js';
import { splitTopLevel } from './neutralise.js';

/** A rule set's macros, the argument each registers, and the pattern of a registration line. */
interface Reader {
  argumentOf: Map<string, number>;
  pattern: RegExp;
}

/** Readers by rule set: a worker reads every file with the same rules, so the pattern is made once. */
const readers = new WeakMap<readonly RegistrationRule[], Reader | null>();

function readerOf(rules: readonly RegistrationRule[]): Reader | null {
  let reader = readers.get(rules);
  if (reader !== undefined) return reader;
  const argumentOf = new Map<string, number>();
  for (const rule of rules) for (const m of rule.macros) argumentOf.set(m, rule.argument);
  const names = [...argumentOf.keys()].sort((a, b) => b.length - a.length);
  reader = argumentOf.size ? { argumentOf, pattern: new RegExp(`^[ \\t]*(${names.join('|')})[ \\t]*\\(([^;{}]*)\\)[ \\t]*;`, 'gm') } : null;
  readers.set(rules, reader);
  return reader;
}

/** The registrations of `source` by `rules`: the function each names, in source order. Arguments that are not one identifier (optionally `&name`) are left out. */
export function readRegistrations(source: string, rules: readonly RegistrationRule[]): RegistrationFact[] {
  const reader = readerOf(rules);
  if (!reader) return [];
  const { argumentOf, pattern } = reader;
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
