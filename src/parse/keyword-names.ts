import type { FileFacts } from '../types/facts.js';
import { C_KEYWORDS } from '../util/c-identifier.js';

/**
 * A file's facts without any function, macro or call named after a C keyword (C_KEYWORDS): such
 * a fact is always a misreading (`if (*buf > 1) {` taken for the definition of a function `if`),
 * whatever extractor made it. Both extractors end with it; the facts are copied only when one is found.
 */
export function withoutKeywordNames(facts: FileFacts): FileFacts {
  const bad = (name: string | undefined): boolean => name !== undefined && C_KEYWORDS.has(name);
  const found = facts.functions.some((f) => bad(f.name) || f.calls.some((c) => bad(c.name))) || facts.macros.some((m) => bad(m.name));
  if (!found) return facts;
  return {
    ...facts,
    functions: facts.functions.filter((f) => !bad(f.name)).map((f) => (f.calls.some((c) => bad(c.name)) ? { ...f, calls: f.calls.filter((c) => !bad(c.name)) } : f)),
    macros: facts.macros.filter((m) => !bad(m.name)),
  };
}
