import { IDENT, PUNCT, type TokenStream } from './tokens.js';
import { lastAtMost } from '../../util/sorted.js';
import { COMMA } from './chars.js';

/** Words that start or qualify a type, never a declared name. */
export const PRIMITIVES = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '_Complex', '__int128', '__signed__', '__signed']);
export const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '_Atomic', '__const', '__volatile__', '__extension__', 'auto']);
export const STORAGE = new Set(['static', 'extern', 'register', 'inline', 'typedef', '_Thread_local', '__thread', '_Noreturn']);
/** GNU extensions followed by a parenthesised group that is not a call nor a declarator. */
export const ATTRIBUTE_WORDS = new Set(['__attribute__', '__attribute', 'asm', '__asm__', '__asm', '__declspec', '_Alignas', 'alignas']);
/** Words that look like a callee before `(` but are not calls. */
export const NOT_CALLEES = new Set([
  'if', 'while', 'for', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'typeof_unqual', '_Alignof', 'alignof', '__alignof__',
  'asm', '__asm__', '__asm', 'volatile', '__volatile__', 'goto', 'case', 'do', 'else', '_Generic', '__attribute__', '__attribute', '_Static_assert',
  'static_assert', '__builtin_offsetof', 'offsetof', '__extension__', 'defined', '__builtin_types_compatible_p', '__builtin_choose_expr', '__builtin_va_arg',
]);

/**
 * Read access to a token stream for the parser: token text, punctuator tests and
 * line/column numbers (1-based lines, 0-based columns, like tree-sitter's positions + 1 row).
 */
export class Cursor {
  readonly count: number;
  private readonly lineStarts: Int32Array;

  constructor(readonly t: TokenStream) {
    this.count = t.count;
    this.lineStarts = lineStartsOf(t.text);
  }

  word(i: number): string {
    return this.t.text.slice(this.t.start[i]!, this.t.end[i]!);
  }

  isIdent(i: number): boolean {
    return i >= 0 && i < this.count && this.t.kind[i] === IDENT;
  }

  /** True when token i is the punctuator with this code (a char code, ARROW, ...). */
  is(i: number, code: number): boolean {
    return i >= 0 && i < this.count && this.t.kind[i] === PUNCT && this.t.op[i] === code;
  }

  /** Matching bracket of token i, or `fallback` when it has none. */
  matchOf(i: number, fallback: number): number {
    const m = this.t.match[i]!;
    return m < 0 ? fallback : m;
  }

  /** Text from the start of token a to the end of token b-1. */
  textOf(a: number, b: number): string {
    return b > a ? this.t.text.slice(this.t.start[a]!, this.t.end[b - 1]!) : '';
  }

  line(i: number): number {
    return this.lineAt(this.t.start[i]!);
  }

  lineAt(offset: number): number {
    return lastAtMost(this.lineStarts, offset) + 1;
  }

  col(i: number): number {
    const offset = this.t.start[i]!;
    return offset - this.lineStarts[this.lineAt(offset) - 1]!;
  }

  /** Index after the group opened at i (a bracket), or after token i for any other token. */
  skip(i: number, end: number): number {
    const k = this.t.kind[i];
    if (k === PUNCT) {
      const o = this.t.op[i];
      if (o === 40 || o === 91 || o === 123) return Math.min(this.matchOf(i, end - 1) + 1, end);
    }
    return i + 1;
  }

  /** Splits [a, b) at top-level commas into ranges. */
  split(a: number, b: number): [number, number][] {
    const parts: [number, number][] = [];
    if (a >= b) return parts;
    let from = a;
    for (let i = a; i < b; ) {
      if (this.is(i, COMMA)) {
        parts.push([from, i]);
        from = i + 1;
        i++;
      } else i = this.skip(i, b);
    }
    parts.push([from, b]);
    return parts;
  }
}

function lineStartsOf(text: string): Int32Array {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const starts = new Int32Array(lines);
  let k = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}
