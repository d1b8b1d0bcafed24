import type { VarFact } from '../../types/facts.js';
import { C_KEYWORDS } from '../../util/c-identifier.js';
import { type Cursor, NOT_CALLEES } from './cursor.js';
import type { DeclarationReader, Declarator } from './declarations.js';
import { COMMA, EQUALS, LBRACE, LPAREN, RBRACE, RPAREN, SEMI, STAR } from './chars.js';

/** An old-style (K&R) function definition found at file scope. */
export interface OldStyleDefinition {
  d: Declarator;
  /** Return type and storage of the specifiers before the name ('' when none: implicit int). */
  spec: { base: string; isStatic: boolean };
  /** Parameters in identifier-list order; one without a declaration is `int` (C90 6.7.1). */
  params: VarFact[];
  /** The `{` of the body. */
  brace: number;
}

/**
 * An old-style definition starting at token i: `[specifiers] name(id, ...) declaration... {`,
 * with at least one declaration, each declaring only names of the identifier list (the rule of
 * ISO C 6.9.1, which keeps macro invocations followed by a declaration from passing for one).
 * Null otherwise; nothing is recorded then.
 */
export function oldStyleDefinition(c: Cursor, decls: DeclarationReader, i: number, n: number): OldStyleDefinition | null {
  let k = i;
  while (k < n && (c.isIdent(k) || c.is(k, STAR))) k++;
  const name = k - 1;
  if (name < i || !c.is(k, LPAREN) || !c.isIdent(name)) return null;
  const word = c.word(name);
  if (C_KEYWORDS.has(word) || NOT_CALLEES.has(word)) return null;
  const close = c.matchOf(k, -1);
  if (close < 0) return null;
  const ids: string[] = [];
  for (let t = k + 1; t < close; t += 2) {
    if (!c.isIdent(t) || C_KEYWORDS.has(c.word(t)) || !(t + 1 === close || c.is(t + 1, COMMA))) return null;
    ids.push(c.word(t));
  }
  if (ids.length === 0 || !c.isIdent(close + 1)) return null;
  const declared = new Map<string, VarFact>();
  let s = close + 1;
  while (s < n && !c.is(s, LBRACE)) {
    let semi = s;
    while (semi < n && !c.is(semi, SEMI)) {
      if (c.is(semi, LBRACE) || c.is(semi, RBRACE) || c.is(semi, EQUALS) || c.is(semi, RPAREN)) return null;
      semi = c.skip(semi, n);
    }
    if (semi >= n) return null;
    const spec = decls.specifiers(s, semi);
    if (!spec.typed || spec.isTypedef) return null;
    const ds = decls.declarators(spec.next, semi);
    if (ds.length === 0) return null;
    for (const d of ds) {
      if (!ids.includes(d.name) || declared.has(d.name)) return null;
      declared.set(d.name, { name: d.name, type: spec.base, ...(d.fnptr || d.isFunction ? { fnptr: true } : {}) });
    }
    s = semi + 1;
  }
  if (!c.is(s, LBRACE)) return null;
  const head = decls.specifiers(i, name);
  const params = ids.map((id) => declared.get(id) ?? { name: id, type: 'int' });
  return {
    d: { name: word, nameTok: name, fnptr: false, isFunction: true, isArray: false, params: [k, close], next: close + 1 },
    spec: { base: head.base, isStatic: head.isStatic },
    params,
    brace: s,
  };
}
