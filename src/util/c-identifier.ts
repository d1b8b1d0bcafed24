/**
 * What a C identifier is made of, in one place for the tokenizer, the neutraliser and every
 * regular expression that picks names out of source text.
 *
 * Besides `[A-Za-z0-9_]` (and `$`, which GCC accepts by default), an identifier may hold:
 * - extended characters written as they are: GCC reads UTF-8 in identifiers since GCC 10 (GCC
 *   manual, "Character sets" and "Implementation-defined behavior: Identifiers"), as C23 allows
 *   (XID_Start / XID_Continue). Source text reaches us decoded, so these are UTF-16 code units
 *   >= 0x80; we accept every one that is not white space (no-break space, byte order mark, the
 *   U+2000 spaces ...), which is wider than the standard's ranges but never splits a name GCC reads
 *   as one;
 * - universal character names `\uXXXX` and `\UXXXXXXXX` (C11 6.4.3, C11 6.4.2.1 and Annex D):
 *   the character with that code point. GCC treats `caf\u00e9` and `café` as the same identifier,
 *   and so do we: {@link normaliseIdentifier} turns every UCN into its character, so either
 *   spelling names one function. Names are not Unicode-normalised otherwise (GCC only warns,
 *   with -Wnormalized, when precomposed and decomposed spellings could be confused).
 */

/** True for a code unit >= 0x80 that may be part of an identifier: anything but Unicode white space. */
export function isExtendedIdentUnit(c: number): boolean {
  if (!(c >= 0x80)) return false; // NaN too: charCodeAt past either end
  if (c < 0x2000) return c !== 0x85 && c !== 0xa0 && c !== 0x1680;
  return !(c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff);
}

/** For each ASCII code: 1 when it may start an identifier (letters, `_`, `$`), 2 when it may only continue one (digits), else 0. */
export const ASCII_IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_IDENT[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 ? 1 : c >= 48 && c <= 57 ? 2 : 0;

/** True for a code unit that may start an identifier: a letter, `_`, `$` or an extended character. */
export function isIdentStartUnit(c: number): boolean {
  return c < 128 ? ASCII_IDENT[c] === 1 : isExtendedIdentUnit(c);
}

/** True for a code unit that may continue an identifier: an identifier start or a digit (false for NaN, past the end of a string). */
export function isIdentPartUnit(c: number): boolean {
  return c < 128 ? ASCII_IDENT[c] !== 0 : isExtendedIdentUnit(c);
}

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** Length of the universal character name at text[i] (`\uXXXX` 6, `\UXXXXXXXX` 10), or 0 when there is none. */
export function ucnLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 92) return 0;
  const u = text.charCodeAt(i + 1);
  const digits = u === 117 ? 4 : u === 85 ? 8 : 0;
  if (digits === 0) return 0;
  for (let k = i + 2; k < i + 2 + digits; k++) if (!isHex(text.charCodeAt(k))) return 0;
  return digits + 2;
}

/** End of the identifier starting at text[i], UCNs included (i itself when none starts there). */
export function identifierEnd(text: string, i: number, end = text.length): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isIdentPartUnit(c)) i++;
    else if (c === 92) {
      const u = ucnLength(text, i);
      if (u === 0) break;
      i += u;
    } else break;
  }
  return Math.min(i, end);
}

/** Regexp source (no `u` flag needed) for one character of an identifier that may not start it: letters, digits, `_`, extended characters. */
const PART = String.raw`(?:\w|[^\x00-\x7f\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})`;
/** Regexp source for an identifier's first character. */
const START = String.raw`(?:[A-Za-z_]|[^\x00-\x7f\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})`;

/**
 * Regexp sources for identifiers, for use in place of `\w+` and `\b` in patterns over C text:
 * `NAME` one identifier; `START` its first character, `PART` any other; `BEFORE` / `AFTER` assert that no
 * identifier character touches the match on that side (an identifier-aware `\b`).
 */
export const IDENT_RE = {
  NAME: `${START}${PART}*`,
  START,
  PART,
  BEFORE: String.raw`(?<!\w|[^\x00-\x7f\s])`,
  AFTER: String.raw`(?!\w|[^\x00-\x7f\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})`,
} as const;

/**
 * True when a word matched with `\b` at text[from, to) is in fact part of a longer identifier:
 * `\b` sees ASCII word characters only, not an extended character before or after the word,
 * nor a universal character name after it. Checking the few matches this way keeps `\b`
 * patterns as fast as they are; a lookbehind in the pattern is tried at every position.
 */
export function gluedToIdentifier(text: string, from: number, to: number): boolean {
  return isExtendedIdentUnit(text.charCodeAt(from - 1)) || isExtendedIdentUnit(text.charCodeAt(to)) || ucnLength(text, to) > 0;
}

/** `^NAME$`: the whole string is one identifier. */
export const WHOLE_IDENTIFIER = new RegExp(`^${IDENT_RE.NAME}$`);

/**
 * An identifier with its universal character names replaced by the characters they denote
 * (`caf\u00e9` -> `café`), as GCC identifies them (C11 6.4.3). A UCN that names no character
 * (a surrogate, or past U+10FFFF) is kept as written. Strings without a backslash come back as they are.
 */
export function normaliseIdentifier(name: string): string {
  if (name.indexOf('\\') < 0) return name;
  return name.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})/g, (written, four?: string, eight?: string) => {
    const cp = parseInt(four ?? eight!, 16);
    return cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? written : String.fromCodePoint(cp);
  });
}

/**
 * The keywords of C11 (ISO/IEC 9899:2011, 6.4.1) and the GNU spellings of a few of them. None
 * is ever the name of a function, a macro or a callee: a fact named so is a misreading (a
 * statement such as `if (x) {` taken for a definition). C23's new keywords (`bool`, `true`,
 * `static_assert`, ...) are left out: older code, the kernel included, defines them as macros.
 */
export const C_KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while',
  '_Alignas', '_Alignof', '_Atomic', '_Bool', '_Complex', '_Generic', '_Imaginary', '_Noreturn', '_Static_assert', '_Thread_local',
  '__typeof__', '__attribute__', '__asm__', '__volatile__', '__inline__', '__restrict__', '__const__', '__signed__',
]);
