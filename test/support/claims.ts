import type { Claim, ClaimName } from '../../src/types/claims.js';

/** Options of a hand-built claim: where its names sit, and the claim's flags. */
export interface ClaimSpec {
  doc?: string;
  line?: number;
  gap?: true;
  mayInline?: true;
  site?: { file: string; line: number };
}

/**
 * A hand-built claim `from -> to`, as a reader would give it for `from -> to` written on `line`
 * (default 1) of `doc` (default `doc.md`): `from` at column 1, `to` after ` -> `.
 */
export function claim(from: string, to: string, spec: ClaimSpec = {}): Claim {
  const line = spec.line ?? 1;
  const fromName: ClaimName = { name: from, line, column: 1 };
  const toName: ClaimName = { name: to, line, column: from.length + 5, ...(spec.site ? { site: spec.site } : {}) };
  return { doc: spec.doc ?? 'doc.md', form: 'arrows', from: fromName, to: toName, ...(spec.gap ? { gap: true } : {}), ...(spec.mayInline ? { mayInline: true } : {}) };
}

/** The claims of one chain `a -> b -> c` written on one line: each name after the previous one and ` -> `. */
export function chain(names: string[], spec: ClaimSpec = {}): Claim[] {
  const line = spec.line ?? 1;
  const at: ClaimName[] = [];
  let column = 1;
  for (const name of names) {
    at.push({ name, line, column });
    column += name.length + 4;
  }
  return at.slice(1).map((to, i) => ({ doc: spec.doc ?? 'doc.md', form: 'arrows', from: at[i]!, to }));
}
