/**
 * A C tokenizer for the fast extractor: one pass over the (neutralised) text, producing
 * parallel typed arrays of tokens with their offsets and, for brackets, the index of the
 * matching one. Comments and whitespace vanish; preprocessor directives are consumed here
 * and handed to `onDefine`, so the parser never sees them.
 *
 * Conditional compilation: `#if 0` blocks are skipped. When the first branch of an `#if`
 * leaves brackets open or closes more than it opened (`#ifdef X \n if (a) { \n #else \n if (b) { \n #endif`),
 * the brackets of its other branches are dropped, so bracket matching follows the first branch.
 */

import { ASCII_IDENT, identifierEnd, isExtendedIdentUnit, isIdentPartUnit as isIdentPart, isIdentStartUnit as isIdentStart, ucnLength, WHOLE_IDENTIFIER } from '../../util/c-identifier.js';
import { closeParen } from '../block-macros.js';
import { LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE } from './chars.js';

/** Token kinds. */
export const IDENT = 1;
export const NUMBER = 2;
export const STRING = 3;
export const CHAR = 4;
export const PUNCT = 5;

/** Codes of multi-character punctuators; single characters use their char code. */
export const ARROW = 300;
export const ELLIPSIS = 301;
/** Any other operator of two or three characters (`==`, `+=`, `<<=`, `&&` ...). */
export const OPERATOR = 302;

/** A `#define`: its name, parameters (null for an object-like macro) and value text. */
export interface DefineDirective {
  name: string;
  params: string[] | null;
  value: string;
  /** Offset of the `#` and of the value's first character. */
  at: number;
  valueAt: number;
}

export interface TokenStream {
  text: string;
  count: number;
  kind: Uint8Array;
  /** Punctuator code (char code, ARROW, ELLIPSIS, OPERATOR); 0 for other kinds. */
  op: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  /** For ( [ {: index of the matching closer, and back; -1 when unmatched. */
  match: Int32Array;
  /** Brackets that could not be matched. */
  unbalanced: number;
}


let capacity = 0;
let kindBuf = new Uint8Array(0);
let opBuf = new Uint16Array(0);
let startBuf = new Int32Array(0);
let endBuf = new Int32Array(0);
let matchBuf = new Int32Array(0);

/** Token buffers are reused from file to file; they grow to the largest file seen. */
function ensure(n: number): void {
  if (n <= capacity) return;
  capacity = Math.max(n, capacity * 2, 4096);
  kindBuf = new Uint8Array(capacity);
  opBuf = new Uint16Array(capacity);
  startBuf = new Int32Array(capacity);
  endBuf = new Int32Array(capacity);
  matchBuf = new Int32Array(capacity);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Two-character operators, keyed by first char code * 256 + second. */
const TWO = new Map<number, number>();
for (const s of ['->', '++', '--', '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '##']) {
  TWO.set(s.charCodeAt(0) * 256 + s.charCodeAt(1), s === '->' ? ARROW : OPERATOR);
}

/** End of the logical line that starts at or before `i` (backslash-newlines continue it). */
function logicalLineEnd(text: string, i: number): number {
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    let k = nl - 1;
    if (text.charCodeAt(k) === 13) k--;
    if (text.charCodeAt(k) !== 92) return nl;
    i = nl + 1;
  }
}

/** One conditional-compilation level. */
interface CondFrame {
  /** Open-bracket depth when the `#if` began, and at the end of its first branch (-1 while in it). */
  depthAtIf: number;
  depthAfterFirst: number;
  /** Brackets of this branch are dropped. */
  dropping: boolean;
}

/** Annotation words the tokenizer leaves out: alone (`__user`), or with their parenthesised arguments (`__acquires(x)`). */
export interface DroppedWords {
  words: Set<string>;
  withArgs: Set<string>;
}

/** firstChars' tables by the words they were made from (a profile's neutraliser holds one DroppedWords for every text it tokenizes). */
const firstCharsOf = new WeakMap<DroppedWords, Uint8Array>();

/**
 * First characters of dropped words, so most identifiers are never sliced to be looked up; made
 * once per DroppedWords (the words of a profile do not change): made anew for each text, they cost a
 * cold index's definer expansion, which tokenizes hundreds of thousands of short snippets, over 1 s
 * of the main thread (profile of the x86 tree, 2026-12-03).
 */
function firstChars(drop: DroppedWords | undefined): Uint8Array {
  const kept = drop && firstCharsOf.get(drop);
  if (kept) return kept;
  const first = new Uint8Array(128);
  for (const w of [...(drop?.words ?? []), ...(drop?.withArgs ?? [])]) first[w.charCodeAt(0) & 127] = 1;
  if (drop) firstCharsOf.set(drop, first);
  return first;
}

/** Tokenizes `text`; the returned stream shares module-level buffers and is valid until the next call. */
export function tokenize(text: string, onDefine: (d: DefineDirective) => void, drop?: DroppedWords): TokenStream {
  const first = firstChars(drop);
  const n = text.length;
  ensure((n >> 1) + 16);
  let kind = kindBuf;
  let op = opBuf;
  let start = startBuf;
  let end = endBuf;
  let match = matchBuf;
  let count = 0;
  let unbalanced = 0;
  const stack: number[] = [];
  const conds: CondFrame[] = [];
  let dropping = 0;
  let atLineStart = true;

  const push = (k: number, o: number, s: number, e: number): void => {
    if (count >= capacity) {
      ensure(capacity * 2);
      kindBuf.set(kind);
      opBuf.set(op);
      startBuf.set(start);
      endBuf.set(end);
      matchBuf.set(match);
      kind = kindBuf;
      op = opBuf;
      start = startBuf;
      end = endBuf;
      match = matchBuf;
    }
    kind[count] = k;
    op[count] = o;
    start[count] = s;
    end[count] = e;
    match[count] = -1;
    count++;
  };

  const bracket = (c: number, at: number): void => {
    if (dropping > 0) return;
    if (c === LPAREN || c === LBRACKET || c === LBRACE) {
      stack.push(count);
      push(PUNCT, c, at, at + 1);
      return;
    }
    const opener = c === RPAREN ? LPAREN : c === RBRACKET ? LBRACKET : LBRACE;
    // Recover from a stray closer: match the nearest opener of its kind, leaving the ones above unmatched.
    let s = stack.length - 1;
    while (s >= 0 && op[stack[s]!] !== opener) s--;
    // A `}` in column 0 ends a function body (kernel style): it closes whatever the body left open,
    // unless indented code follows it (a misplaced `}` closing an inner block: the body goes on).
    if (c === RBRACE && (at === 0 || text.charCodeAt(at - 1) === 10) && s > 0 && !indentedCodeFollows(text, at + 1)) {
      const bottom = stack.findIndex((open) => op[open] === LBRACE);
      if (bottom >= 0 && bottom < s && stack[bottom]! > 0 && op[stack[bottom]! - 1] === RPAREN) s = bottom;
    }
    if (s < 0 || (opener !== LBRACE && stack.length - 1 - s > 0 && op[stack[stack.length - 1]!] === LBRACE)) {
      unbalanced++;
      return;
    }
    unbalanced += stack.length - 1 - s;
    const open = stack[s]!;
    stack.length = s;
    push(PUNCT, c, at, at + 1);
    match[open] = count - 1;
    match[count - 1] = open;
  };

  const directive = (hash: number): number => {
    const lineEnd = logicalLineEnd(text, hash);
    let i = hash + 1;
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const wordStart = i;
    while (i < lineEnd && isIdentPart(text.charCodeAt(i))) i++;
    const word = text.slice(wordStart, i);
    switch (word) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        if (word === 'if' && /^\s*0\s*(?:$|\/[*/])/.test(text.slice(i, lineEnd))) return skipFalseBlock(lineEnd);
        conds.push({ depthAtIf: stack.length, depthAfterFirst: -1, dropping: false });
        break;
      }
      case 'elif':
      case 'else': {
        const frame = conds[conds.length - 1];
        if (frame && frame.depthAfterFirst < 0) {
          frame.depthAfterFirst = stack.length;
          if (frame.depthAfterFirst !== frame.depthAtIf && !frame.dropping) {
            frame.dropping = true;
            dropping++;
          }
        }
        break;
      }
      case 'endif': {
        const frame = conds.pop();
        if (frame?.dropping) dropping--;
        break;
      }
      case 'define':
        define(hash, i, lineEnd);
        break;
      default:
        break;
    }
    return lineEnd;
  };

  /** Skips an `#if 0` block up to its `#else`/`#elif` (whose branch is then live) or `#endif`. */
  const skipFalseBlock = (from: number): number => {
    let depth = 0;
    let i = from;
    while (i < n) {
      const lineEnd = logicalLineEnd(text, i);
      const m = /^[ \t]*#[ \t]*(\w+)/.exec(text.slice(i, Math.min(lineEnd, i + 64)));
      if (m) {
        const w = m[1]!;
        if (w === 'if' || w === 'ifdef' || w === 'ifndef') depth++;
        else if (w === 'endif') {
          if (depth === 0) return lineEnd;
          depth--;
        } else if ((w === 'else' || w === 'elif') && depth === 0) {
          conds.push({ depthAtIf: stack.length, depthAfterFirst: -1, dropping: false });
          return lineEnd;
        }
      }
      i = lineEnd + 1;
    }
    return n;
  };

  const define = (hash: number, from: number, lineEnd: number): void => {
    let i = from;
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const nameStart = i;
    i = identifierEnd(text, i, lineEnd);
    if (i === nameStart) return;
    const name = text.slice(nameStart, i);
    let params: string[] | null = null;
    if (text.charCodeAt(i) === LPAREN) {
      const close = text.indexOf(')', i);
      if (close < 0 || close > lineEnd) return;
      params = text
        .slice(i + 1, close)
        .split(',')
        // GCC's named variadic parameter (`argconstr...` in x86's call_on_stack) is a parameter of that name.
        .map((p) => p.replace(/\\\r?\n/g, '').trim().replace(/\s*\.\.\.$/, ''))
        .filter((p) => WHOLE_IDENTIFIER.test(p));
      i = close + 1;
    }
    // The value starts at its first character, past blanks and line continuations.
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) i++;
      else if (c === 92 && (text.charCodeAt(i + 1) === 10 || (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10))) i += text.charCodeAt(i + 1) === 10 ? 2 : 3;
      else break;
    }
    let valueEnd = lineEnd;
    while (valueEnd > i && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
    onDefine({ name, params, value: i < valueEnd ? text.slice(i, valueEnd) : '', at: hash, valueAt: i });
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === 35 && atLineStart) {
      i = directive(i);
    } else if (isIdentStart(c) || (c === 92 && ucnLength(text, i) > 0)) {
      const s = i;
      if (c !== 92) i++;
      for (;;) {
        const d = text.charCodeAt(i); // NaN at the end, which is no identifier character
        if (d < 128 ? ASCII_IDENT[d] !== 0 : isExtendedIdentUnit(d)) i++;
        else if (d === 92 && ucnLength(text, i) > 0) i += ucnLength(text, i);
        else break;
      }
      atLineStart = false;
      if (drop && first[c] === 1 && i - s > 3) {
        const w = text.slice(s, i);
        if (drop.words.has(w)) continue;
        if (drop.withArgs.has(w)) {
          let open = i;
          while (text.charCodeAt(open) === 32 || text.charCodeAt(open) === 9) open++;
          const close = text.charCodeAt(open) === LPAREN ? closeParen(text, open) : -1;
          if (close > 0) i = close;
          continue;
        }
      }
      push(IDENT, 0, s, i);
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const s = i++;
      for (;;) {
        const d = text.charCodeAt(i);
        if (isIdentPart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1]!)) i++;
        else break;
      }
      push(NUMBER, 0, s, i);
      atLineStart = false;
    } else if (c === 34 || c === 39) {
      const s = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10) break;
        else i++;
      }
      push(c === 34 ? STRING : CHAR, 0, s, i);
      atLineStart = false;
    } else if (c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125) {
      bracket(c, i);
      i++;
      atLineStart = false;
    } else if (c === 92 || c > 126) {
      i++; // a line continuation outside a directive, or white space past ASCII
    } else {
      atLineStart = false;
      if (c === 46 && text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46) {
        push(PUNCT, ELLIPSIS, i, i + 3);
        i += 3;
        continue;
      }
      const two = TWO.get(c * 256 + text.charCodeAt(i + 1));
      if (two !== undefined) {
        const three = (c === 60 || c === 62) && text.charCodeAt(i + 2) === 61;
        push(PUNCT, two, i, i + (three ? 3 : 2));
        i += three ? 3 : 2;
      } else {
        push(PUNCT, c, i, i + 1);
        i++;
      }
    }
  }
  unbalanced += stack.length;
  return { text, count, kind, op, start, end, match, unbalanced };
}

/**
 * True when the first non-blank line after position `from` (the rest of the current line
 * included) starts with a space or tab: code indented as a function body's, not the column-0
 * start of a new declaration, directive or comment that follows the end of a function.
 */
function indentedCodeFollows(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) return false; // more on the `}` line
  for (;;) {
    while (i < text.length && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
    if (i >= text.length) return false;
    const lineStart = i;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= text.length) return false;
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) continue;
    return i > lineStart && ch !== 35 && ch !== 47 && ch !== 42; // not `#`, `//`, `/*` or ` *` comment lines
  }
}
