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
  /** The C file written before the name (`fs/open.c:do_sys_open()`): where the document says it is defined. */
  file?: string;
}

/** A C source or header path and a colon right before a name (`fs/open.c:`, `tcp.c:`), as pathfind's own `path:name` is written. */
const FILE_PREFIX = /^((?:[\w.+-]+\/)*[\w+-][\w.+-]*\.[ch]):(?=[A-Za-z_])/;

/**
 * Reads a name at `index` of `text`: a C identifier that is not a C keyword, with an optional
 * `()` (spaces allowed inside), and an optional C file before it (`fs/open.c:do_sys_open()`).
 * Returns the token (its index that of the identifier) and the index just past it, or null.
 */
export function readName(text: string, index: number): { token: NameToken; end: number } | null {
  const prefix = FILE_PREFIX.exec(text.slice(index));
  if (prefix) {
    const named = readName(text, index + prefix[0].length);
    return named && { ...named, token: { ...named.token, file: prefix[1]! } };
  }
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

/** Whether a name is written in capitals only, without `()`: a state or a constant (`TCP_SYN_SENT`), no call. */
export const namesInCapitals = (names: { name: string; parens: boolean }[]): boolean => names.some((n) => allCaps(n.name) && !n.parens);

/**
 * Whether names written outside a ```pathfind block make claims. Tables of states
 * (`TCP_SYN_SENT -> TCP_ESTABLISHED`), media pipelines (`sensor -> ipuX_csiY_mux`),
 * directory trees (`├── drivers`) and definition lists (`Queuing` over an indented
 * `dpaa2_io_service_pull_fq()`) look like chains and trees; a run of names makes claims only
 * when
 * - it carries a sign only tools and call notes write (`strong`: a comment after a name,
 *   cflow's `<signature>`, pathfind's call-site column), or
 * - no name in capitals only lacks `()`, and: `every` (trees) every name is written with
 *   `()` or contains `_`; otherwise (arrow chains) one name is written with `()` or every
 *   name contains `_`, as kernel function names mostly do.
 */
export function looksLikeCode(names: { name: string; parens: boolean }[], strong: boolean, every: boolean): boolean {
  if (strong) return true;
  if (namesInCapitals(names)) return false;
  const underscore = (n: { name: string }) => n.name.includes('_');
  if (every) return names.every((n) => n.parens || underscore(n));
  return names.some((n) => n.parens) || names.every(underscore);
}
