import type { FileFacts } from '../types/facts.js';
import { normaliseIdentifier } from '../util/c-identifier.js';

/**
 * A file's facts with every universal character name (`\u00e9`, `\U000000e9`) replaced by the
 * character it denotes, so that `caf\u00e9` and `café` are one name, as GCC reads them (C11
 * 6.4.3; see util/c-identifier.ts). Both extractors end with it: the facts are walked only when
 * the source holds a `\u` or `\U` at all. Every string is rewritten (names, types, and the
 * signature and statement texts shown to users), except the file's path and hash.
 */
export function normaliseUcnNames(facts: FileFacts, source: string): FileFacts {
  if (source.indexOf('\\u') < 0 && source.indexOf('\\U') < 0) return facts;
  const { path, hash, ...rest } = facts;
  return { path, hash, ...(normalised(rest) as Omit<FileFacts, 'path' | 'hash'>) };
}

function normalised(value: unknown): unknown {
  if (typeof value === 'string') return normaliseIdentifier(value);
  if (Array.isArray(value)) return value.map(normalised);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalised(v);
    return out;
  }
  return value;
}
