/**
 * Lexical reading of a function-like macro's body beyond its callees: the arguments of the calls
 * it makes, and the stores it makes into a member of one of its parameters. Macro bodies are
 * not parsed as C (they are often not C alone), so both extractors read them from the text here.
 */
import type { MacroHolderFact, MacroStoreFact } from '../types/facts.js';
import { IDENT_RE, normaliseIdentifier, WHOLE_IDENTIFIER } from '../util/c-identifier.js';
import { splitTopLevel } from './neutralise.js';

const NAME = IDENT_RE.NAME;

/**
 * The text with string and character literals blanked and each backslash before a newline made
 * a space (same length, newlines kept): parentheses and commas inside literals (`"(x)"#_w`)
 * then never count as the body's.
 */
export function blankLiterals(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\\(?=\r?\n)/g, (m) => ' '.repeat(m.length));
}

/** Index of the `)` closing the `(` at `open`, or -1. */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return c === ')' ? i : -1;
  }
  return -1;
}

/**
 * The identifier an argument (or a stored value) passes, or null: outer parentheses, a leading
 * `&` and casts (`(type)x`, `(struct s *)(x)`) are stripped; whatever is left must be one
 * identifier (`_func`, `vmstat_update`), so `&(_work)->work` or `x + 1` give null.
 */
export function passedIdentifier(text: string): string | null {
  let t = text.trim();
  for (let i = 0; i < 16; i++) {
    if (t.startsWith('&')) {
      t = t.slice(1).trim();
      continue;
    }
    if (!t.startsWith('(')) break;
    const close = closingParen(t, 0);
    if (close < 0) return null;
    if (close === t.length - 1) t = t.slice(1, -1).trim();
    else if (/^\(\s*(?:(?:const|volatile|struct|union|enum|unsigned|signed)\s+)*[\w$]+[\s*]*\)$/.test(t.slice(0, close + 1))) t = t.slice(close + 1).trim();
    else return null;
  }
  return WHOLE_IDENTIFIER.test(t) && !NOT_STORED.has(t) ? normaliseIdentifier(t) : null;
}

/** The arguments of the call whose `(` is at `open` in `text` (blanked by blankLiterals), each as passedIdentifier says. */
export function callArguments(text: string, open: number): (string | null)[] {
  const close = closingParen(text, open);
  if (close < 0) return [];
  const inside = text.slice(open + 1, close);
  if (inside.trim() === '') return [];
  return splitTopLevel(inside).map(passedIdentifier);
}

/**
 * The left side of a store into a member: a holder, then `->m` or `.m` steps, then `=` (not
 * `==`). The holder is `((struct s *)(p))` (groups 1, 2), `(p)` (group 3) or `p` (group 4).
 */
const STORE = new RegExp(
  String.raw`(?<![\w$.>)\]]|[^\x00-\x7f\s])(?:\(\s*\(\s*((?:struct|union)\s+${NAME})\s*\*\s*\)\s*\(?\s*(${NAME})\s*\)?\s*\)|\(\s*(${NAME})\s*\)|(${NAME}))((?:\s*(?:->|\.)\s*${NAME})+)\s*=(?!=)`,
  'g',
);
/** A cast of a name to a pointer to a struct or union: `(struct s *)(p)`, `(struct s *)p` (groups 1, 2). */
const CAST = new RegExp(String.raw`\(\s*(?:const\s+)?((?:struct|union)\s+${NAME})\s*\*\s*\)\s*\(?\s*(${NAME})\b`, 'g');
/** Names that are never a function stored or passed: the null pointer and the boolean constants (as the scanner's LITERAL_WORDS; tree-sitter reads them as literals). */
const NOT_STORED = new Set(['NULL', 'true', 'false', 'nullptr', 'TRUE', 'FALSE']);

/** Index of the end of the value that starts at `from`: a `;` or `,` at its level, an unmatched closing bracket, or the end. */
function valueEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if ((c === ';' || c === ',') && depth === 0) return i;
  }
  return text.length;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').replace(/\s*(->|\.)\s*/g, '$1').trim();

/**
 * The stores a macro body makes into a member of one of its parameters, and for each such
 * parameter what the body tells of its type (a cast, the members used). `text` is the body
 * blanked by blankLiterals, `valueLine` the line it starts on.
 */
export function macroStores(text: string, params: string[], valueLine: number): { stores: MacroStoreFact[]; holders: MacroHolderFact[] } {
  const stores: MacroStoreFact[] = [];
  for (const m of text.matchAll(STORE)) {
    const holder = params.indexOf(normaliseIdentifier(m[2] ?? m[3] ?? m[4]!));
    if (holder < 0) continue;
    const start = m.index + m[0].length;
    const end = valueEnd(text, start);
    const value = passedIdentifier(text.slice(start, end));
    if (!value || NOT_STORED.has(value)) continue;
    const path = m[5]!.split(/->|\./).map((s) => s.trim()).filter(Boolean).map(normaliseIdentifier);
    const line = valueLine + (text.slice(0, m.index).match(/\n/g)?.length ?? 0);
    const p = params.indexOf(value);
    const store: MacroStoreFact = { holder, path, ...(p >= 0 ? { param: p } : { fn: value }), line, text: collapse(`${m[0]} ${text.slice(start, end)}`) };
    stores.push(store);
  }
  const holders: MacroHolderFact[] = [];
  for (const param of [...new Set(stores.map((s) => s.holder))].sort((a, b) => a - b)) {
    const name = params[param]!;
    const holder: MacroHolderFact = { param, members: membersUsed(text, name) };
    for (const c of text.matchAll(CAST)) {
      if (normaliseIdentifier(c[2]!) === name) {
        holder.cast = c[1]!.replace(/\s+/g, ' ');
        break;
      }
    }
    holders.push(holder);
  }
  return { stores, holders };
}

/** Every member the text uses on the name: `p->m`, `(p)->m`, `p.m`, `(p).m`; sorted, once each. */
function membersUsed(text: string, name: string): string[] {
  const escaped = name.replace(/[$\\]/g, '\\$&');
  const use = new RegExp(String.raw`(?:\(\s*${escaped}\s*\)|(?<![\w$.>]|[^\x00-\x7f\s])${escaped}(?![\w$]))\s*(?:->|\.)\s*(${NAME})`, 'g');
  return [...new Set([...text.matchAll(use)].map((m) => normaliseIdentifier(m[1]!)))].sort();
}
