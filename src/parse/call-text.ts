/** Longest expression returned; a longer one is cut and ends in `...`. */
const MAX_TEXT = 80;

/** Offset in `source` of the first character of `line` (1-based); -1 when the source has fewer lines. */
export function lineStart(source: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    at = source.indexOf('\n', at) + 1;
    if (at === 0) return -1;
  }
  return at;
}

/**
 * The called expression of the call that starts at `col` (0-based, in characters) of `line`
 * (1-based) in `source`, as written with whitespace collapsed: `file->f_op->write` for
 * `file->f_op->write(file, buf, count, pos)`, `(*fn)` for `(*fn)(x)`, `ops[i].run` for
 * `ops[i].run(x)`, `crypto_skcipher_alg(tfm)->encrypt` for a member called on what a call returns
 * (`crypto_skcipher_alg(tfm)->encrypt(req)`). For an indirect-call wrapper (`INDIRECT_CALL_2(f, f2, f1, args)`,
 * `wrapper` true) it is the wrapper's first argument, the pointer really called. Reads past the
 * line when the expression continues on the next ones (backslash-newlines of a macro body
 * included). Null when nothing callable starts there.
 */
export function calledExpression(source: string, line: number, col: number, wrapper = false): string | null {
  const first = lineStart(source, line);
  if (first < 0) return null;
  let at = first + col;
  if (wrapper) {
    const open = source.indexOf('(', at);
    if (open < 0) return null;
    const end = argumentEnd(source, open + 1);
    return end < 0 ? null : tidy(source.slice(open + 1, end));
  }
  const start = at;
  let operand = false;
  while (at < source.length) {
    const ch = source[at]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\\') at++;
    else if (ch === '(' || ch === '[') {
      const close = closing(source, at);
      if (close < 0) return null;
      // After an operand, `(...)` is the call's own arguments unless more of a called expression
      // follows: a member of, an element of or a call of what that call returns
      // (`crypto_skcipher_alg(tfm)->encrypt(req)`, `pick(a)(b)`).
      if (ch === '(' && operand && !/^\s*(?:->|\.|\[|\()/.test(source.slice(close + 1, close + 64))) break;
      at = close + 1;
      operand = true;
    } else if (/[\w$]/.test(ch)) {
      while (at < source.length && /[\w$]/.test(source[at]!)) at++;
      operand = true;
    } else if (ch === '-' && source[at + 1] === '>') at += 2;
    else if (ch === '.' || (ch === '*' && !operand) || (ch === '&' && !operand)) at++;
    else break;
  }
  return operand ? tidy(source.slice(start, at)) : null;
}

/** Whitespace and backslash-newlines collapsed, trimmed, cut to MAX_TEXT. */
function tidy(text: string): string {
  const flat = text.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').replace(/\s*(->|\.)\s*/g, '$1').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 3)}...` : flat;
}

/** Index of the bracket closing the one at `open`, or -1. */
function closing(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      depth--;
      if (depth === 0) return i;
    } else if (ch === ';' || ch === '{' || ch === '}') return -1;
  }
  return -1;
}

/** Index of the `,` or `)` that ends the argument starting at `from`, or -1. */
function argumentEnd(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const ch = source[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') {
      if (depth === 0) return ch === ')' ? i : -1;
      depth--;
    } else if (ch === ',' && depth === 0) return i;
    else if (ch === ';' || ch === '{' || ch === '}') return -1;
  }
  return -1;
}
