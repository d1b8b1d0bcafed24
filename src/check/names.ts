/**
 * Names as documents write them: C identifiers with an optional `()`, and the rule that
 * decides whether a run of names written outside a ```pathfind block looks like code.
 */

/** A C identifier at the start of a string (letters, digits, `_`; not starting with a digit). */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** C keywords: a word that is one of these never names a function (`else`, `return`, ...). */
const KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while').split(' '),
);

/** A name found in a document: its text, its 0-based index in the line's text, and whether `()` followed it. */
export interface NameToken {
  name: string;
  index: number;
  parens: boolean;
}

/**
 * Reads a name at `index` of `text`: a C identifier that is not a C keyword, with an optional
 * `()` (spaces allowed inside). Returns the token and the index just past it, or null.
 */
export function readName(text: string, index: number): { token: NameToken; end: number } | null {
  const m = IDENT.exec(text.slice(index));
  if (!m || KEYWORDS.has(m[0])) return null;
  let end = index + m[0].length;
  const parens = /^\(\s*\)/.exec(text.slice(end));
  if (parens) end += parens[0].length;
  return { token: { name: m[0], index, parens: !!parens }, end };
}

/** True for a name in capitals only (`TCP_SYN_SENT`, `CONFIG_NET`): a constant, state or config symbol more often than a function. */
export function allCaps(name: string): boolean {
  return /^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name);
}

/**
 * Whether names written outside a ```pathfind block make claims. Tables of states
 * (`TCP_SYN_SENT -> TCP_ESTABLISHED`) and directory trees (`├── drivers`) look like
 * chains and trees; a run of names makes claims only when
 * - it carries a strong sign of calls (`strong`: a name written with `()`, a `file:line`
 *   or comment after a name, cflow's `<signature>`, pathfind's call-site column), or
 * - no name is in capitals only, and every name (`every`) or at least one (otherwise)
 *   contains `_`, as kernel function names mostly do.
 */
export function looksLikeCode(names: string[], strong: boolean, every: boolean): boolean {
  if (strong) return true;
  if (names.some(allCaps)) return false;
  return every ? names.every((n) => n.includes('_')) : names.some((n) => n.includes('_'));
}
