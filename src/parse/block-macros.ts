/**
 * Loop-like macros used as statements, `list_for_each_entry(pos, head, member) { ... }` or
 * with a single statement and no braces: C grammar sees a call followed by a block, gives up,
 * and the rest of the function is lost. Renaming the macro to `while` (padded to the same length)
 * makes it a loop over a comma expression, with every offset kept.
 */

import { IDENT_RE, isIdentStartUnit } from '../util/c-identifier.js';

/** `else` as a whole word just before a statement. */
const ELSE_BEFORE = new RegExp(`${IDENT_RE.BEFORE}else\\s*$`);

const KEYWORDS = new Set(['while', 'switch', 'return', 'sizeof', 'typeof', 'defined', '__attribute__', '_Static_assert', 'static_assert']);

/** Offset just past the parenthesis that closes the one at `open`, or -1. */
export function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** The last meaningful character before offset, skipping blanks, line comments and block comments. */
function previousSignificant(text: string, offset: number): string {
  let i = offset - 1;
  while (i >= 0) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i--;
    } else if (c === '/' && text[i - 1] === '*') {
      const start = text.lastIndexOf('/*', i - 2);
      if (start < 0) return c;
      i = start - 1;
    } else {
      const lineStart = text.lastIndexOf('\n', i) + 1;
      const comment = text.indexOf('//', lineStart);
      if (comment >= 0 && comment <= i) {
        i = comment - 1;
        continue;
      }
      return c;
    }
  }
  return '';
}

/** Offsets (and lengths) of macro names used as loop statements. */
export function loopMacroNames(text: string): [offset: number, length: number][] {
  const found: [number, number][] = [];
  const pattern = new RegExp(`^[ \\t]+(${IDENT_RE.START}${IDENT_RE.PART}{4,})[ \\t]*\\(`, 'gm');
  for (const m of text.matchAll(pattern)) {
    const name = m[1]!;
    if (KEYWORDS.has(name)) continue;
    const at = m.index! + m[0].indexOf(name);
    const open = m.index! + m[0].length - 1;
    const end = closeParen(text, open);
    if (end < 0) continue;
    let j = end;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j++;
    const next = text[j] ?? '';
    if (next !== '{' && next !== '\\' && !isIdentStartUnit(next.charCodeAt(0))) continue;
    const before = previousSignificant(text, at);
    if (!';{})'.includes(before) && before !== ':' && !ELSE_BEFORE.test(text.slice(Math.max(0, at - 64), at))) continue;
    found.push([at, name.length]);
  }
  return found;
}
