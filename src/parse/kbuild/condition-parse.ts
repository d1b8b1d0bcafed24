/**
 * Parses a preprocessor condition (the expression of `#if`/`#elif`, in the normal form of
 * FunctionFact.cond, see ../preprocessor.ts) into a small syntax tree. Nothing is evaluated here.
 *
 * The grammar is C11 6.10.1 after macro expansion, as far as a condition without expansion can be
 * read: integer constants (decimal, hex, octal, with `u`/`l` suffixes), identifiers, `defined(X)` /
 * `defined X`, calls `NAME(...)` (kept with their raw argument text: `IS_ENABLED(CONFIG_X)`,
 * `__has_attribute(x)`), unary `! ~ - +`, the binary operators of C by their precedence (6.5.5 to
 * 6.5.14), and `?:`. Any other character is kept as a token of its own: inside a call's
 * arguments it is part of their text (`__has_include(<linux/x.h>)`); anywhere else (a character
 * constant, a stray token) it makes the whole condition unparsable, which evaluates to Unknown.
 */

/** A node of a parsed condition. */
export type CondNode =
  | { k: 'num'; v: bigint }
  | { k: 'id'; name: string }
  | { k: 'defined'; name: string }
  | { k: 'call'; name: string; args: string[] }
  | { k: 'un'; op: string; a: CondNode }
  | { k: 'bin'; op: string; a: CondNode; b: CondNode }
  | { k: 'tern'; c: CondNode; a: CondNode; b: CondNode }
  | { k: 'bad' };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(\|\||&&|==|!=|<=|>=|<<|>>|[!~+\-*/%<>&|^?:(),])|(\S))/y;

/** Binary operators by precedence, lowest first (C11 6.5.5 to 6.5.14). */
const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

type Tok = { t: 'num'; v: bigint } | { t: 'id'; v: string } | { t: 'op'; v: string };

/** The tokens of `text`, or null when some character is not part of the grammar above. */
function tokenize(text: string): Tok[] | null {
  const out: Tok[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) return null;
    at = TOKEN.lastIndex;
    if (m[1] !== undefined) {
      const digits = m[1];
      // An octal constant is `0` followed by octal digits; BigInt reads `0o...`.
      const v = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : /^0\d/.test(digits) ? null : BigInt(digits);
      if (v === null) return null;
      out.push({ t: 'num', v });
    } else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
    else out.push({ t: 'op', v: m[3] ?? m[4]! });
  }
  return out;
}

/** Parses tokens by precedence climbing; throws on a syntax error (caught by parseCondition). */
class Parser {
  private at = 0;
  constructor(private readonly toks: Tok[]) {}

  done(): boolean {
    return this.at === this.toks.length;
  }

  private peekOp(): string | undefined {
    const t = this.toks[this.at];
    return t?.t === 'op' ? t.v : undefined;
  }

  private expect(op: string): void {
    if (this.peekOp() !== op) throw new Error(`expected ${op}`);
    this.at++;
  }

  conditional(): CondNode {
    const c = this.binary(0);
    if (this.peekOp() !== '?') return c;
    this.at++;
    const a = this.conditional();
    this.expect(':');
    const b = this.conditional();
    return { k: 'tern', c, a, b };
  }

  private binary(level: number): CondNode {
    if (level === LEVELS.length) return this.unary();
    let a = this.binary(level + 1);
    for (let op = this.peekOp(); op !== undefined && LEVELS[level]!.includes(op); op = this.peekOp()) {
      this.at++;
      a = { k: 'bin', op, a, b: this.binary(level + 1) };
    }
    return a;
  }

  private unary(): CondNode {
    const op = this.peekOp();
    if (op === '!' || op === '~' || op === '-' || op === '+') {
      this.at++;
      return { k: 'un', op, a: this.unary() };
    }
    return this.primary();
  }

  private primary(): CondNode {
    const t = this.toks[this.at++];
    if (!t) throw new Error('unexpected end');
    if (t.t === 'num') return { k: 'num', v: t.v };
    if (t.t === 'op') {
      if (t.v !== '(') throw new Error(`unexpected ${t.v}`);
      const inner = this.conditional();
      this.expect(')');
      return inner;
    }
    if (t.v === 'defined') {
      const paren = this.peekOp() === '(';
      if (paren) this.at++;
      const name = this.toks[this.at++];
      if (name?.t !== 'id') throw new Error('defined needs a name');
      if (paren) this.expect(')');
      return { k: 'defined', name: name.v };
    }
    if (this.peekOp() !== '(') return { k: 'id', name: t.v };
    return { k: 'call', name: t.v, args: this.callArgs() };
  }

  /** The arguments of a call, each as the text of its tokens joined by spaces (nested parentheses kept). */
  private callArgs(): string[] {
    this.at++; // '('
    const args: string[] = [];
    let cur: string[] = [];
    let depth = 0;
    for (;;) {
      const t = this.toks[this.at++];
      if (!t) throw new Error('unclosed call');
      const text = t.t === 'num' ? String(t.v) : t.v;
      if (t.t === 'op' && t.v === '(') depth++;
      if (t.t === 'op' && t.v === ')') {
        if (depth === 0) break;
        depth--;
      }
      if (t.t === 'op' && t.v === ',' && depth === 0) {
        args.push(cur.join(' '));
        cur = [];
        continue;
      }
      cur.push(text);
    }
    if (cur.length || args.length) args.push(cur.join(' '));
    return args;
  }
}

const parsed = new Map<string, CondNode>();

/**
 * The syntax tree of a condition, or `{k: 'bad'}` when it cannot be read. Each distinct text is
 * parsed once per process (a kernel tree has tens of thousands of distinct conditions and
 * millions of uses); the cache grows with the number of distinct texts.
 */
export function parseCondition(text: string): CondNode {
  let node = parsed.get(text);
  if (node) return node;
  const toks = tokenize(text);
  node = { k: 'bad' };
  if (toks && toks.length) {
    try {
      const p = new Parser(toks);
      const n = p.conditional();
      if (p.done()) node = n;
    } catch {
      /* unparsable: stays 'bad' */
    }
  }
  parsed.set(text, node);
  return node;
}
