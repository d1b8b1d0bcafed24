/**
 * Compound literals in the scanner's tokens: `(struct chan_ops){ .open = f }`, `&(const struct
 * x){...}`, `(ops_t){...}`, in function bodies and file-scope initializers alike. Their members
 * bind like a named object's initializer (BindingFact with no `variable`), as the tree-sitter
 * extractor's ../compound-literals.ts finds them.
 */
import type { BindingFact } from '../../types/facts.js';
import { type Cursor, PRIMITIVES, QUALIFIERS } from './cursor.js';
import type { DeclarationReader } from './declarations.js';
import { LBRACE, LPAREN, RBRACKET, RPAREN } from './chars.js';

/** A function's body as token indexes of its braces, and its name. */
export interface BodyRange {
  open: number;
  close: number;
  name: string;
}

/**
 * The struct, union or typedef name of a compound literal whose type opens at `open` (a `(`
 * followed, after its `)`, by `{`), or null: a call's or a statement's parentheses (a name or
 * a `)` before them, but `return`), a primitive, pointer or array type.
 */
function literalType(c: Cursor, open: number): string | null {
  const close = c.matchOf(open, -1);
  if (close < open + 2 || !c.is(close + 1, LBRACE)) return null;
  const prev = open - 1;
  if (prev >= 0 && ((c.isIdent(prev) && c.word(prev) !== 'return') || c.is(prev, RPAREN) || c.is(prev, RBRACKET))) return null;
  let i = open + 1;
  while (i < close && c.isIdent(i) && QUALIFIERS.has(c.word(i))) i++;
  if (i >= close || !c.isIdent(i)) return null;
  const w = c.word(i);
  if (w === 'struct' || w === 'union') return i + 2 === close && c.isIdent(i + 1) ? `${w} ${c.word(i + 1)}` : null;
  return i + 1 === close && !PRIMITIVES.has(w) && w !== 'enum' ? w : null;
}

/**
 * Appends to `out` the bindings of every compound literal of the file, in document order: each
 * designated (or positional) member given a function name, its root the literal's type, `inFunction`
 * the body holding it (none at file scope). `bodies` are in document order.
 */
export function compoundLiteralBindings(c: Cursor, decls: DeclarationReader, bodies: readonly BodyRange[], out: BindingFact[]): void {
  let k = 0;
  for (let i = 0; i < c.count; i++) {
    if (!c.is(i, LPAREN)) continue;
    const type = literalType(c, i);
    if (!type) continue;
    while (k < bodies.length && bodies[k]!.close < i) k++;
    const body = k < bodies.length && bodies[k]!.open < i ? bodies[k]! : null;
    const found: BindingFact[] = [];
    decls.initializer(c.matchOf(i, -1) + 1, { k: 'type', name: type }, [], false, undefined, found);
    for (const b of found) out.push(body ? { ...b, inFunction: body.name } : b);
  }
}
