import type { Cursor } from './cursor.js';
import { COLON, LBRACE, LPAREN, RBRACE, RPAREN, SEMI } from './chars.js';
import { conditionalSplit } from './member-copies.js';
import type { TokenExprs } from './token-exprs.js';

/**
 * Tail calls over tokens, as ../extract-functions.ts finds them in the tree: a call that is the
 * whole value of a `return` (parentheses and casts aside), either arm of a returned `c ? f() : g()`
 * and the last arm of `c ?: g()` (the value tested is no tail call), and, in a function returning
 * void, the same forms as the body's last statement, alone or as the last branch of an `if`.
 */
export class TailCalls {
  /** Each call counted since the last `take`, as the token its callee starts at and its closing parenthesis. */
  private hits: [number, number][] = [];

  constructor(
    private readonly c: Cursor,
    private readonly x: TokenExprs,
    /** The closing parenthesis of each call by where its callee starts (`pick()(x)`: two). */
    private readonly closes: Map<number, number[]>,
  ) {}

  /** How many calls the value [a, b) ends in: 1 for a whole call, the sum of a conditional's arms, else 0. */
  count(a: number, b: number): number {
    const [s, e] = this.value(a, b);
    if (s >= e) return 0;
    if (this.closes.get(s)?.includes(e - 1)) {
      this.hits.push([s, e - 1]);
      return 1;
    }
    const split = conditionalSplit(this.c, s, e);
    return split ? this.count(split[0] + 1, split[1]) + this.count(split[1] + 1, e) : 0;
  }

  /**
   * The calls the last statement of a body ending at `close` (its `}`) ends in, for a function
   * returning void (the same forms as a returned value): an expression statement, or the branch of
   * an `if` with no `else` that is itself the last statement. A block, an `else`, a loop's body or
   * a labelled statement is none (../extract-functions.ts reads the same statements in the tree).
   */
  lastStatement(open: number, close: number): number {
    const c = this.c;
    const end = close - 1;
    if (end <= open || !c.is(end, SEMI)) return 0;
    // A directive after it (`#endif`): the tree holds a preprocessor node there, no statement.
    if (/^[ \t]*#/m.test(c.t.text.slice(c.t.end[end]!, c.t.start[close]!))) return 0;
    const boundary = (k: number) => k <= open || c.is(k, SEMI) || c.is(k, LBRACE) || c.is(k, RBRACE);
    let k = end - 1;
    for (; !boundary(k); k--) {
      if (c.isIdent(k) && c.word(k) === 'else') return 0;
      // A label (`out:`) starts the statement: no tail position; a conditional's `:` is part of it.
      if (c.is(k, COLON) && (c.word(k - 1) === 'default' || (c.isIdent(k - 1) && boundary(k - 2)))) return 0;
      if (c.is(k, RPAREN)) {
        const start = c.matchOf(k, -1);
        if (start < 0) return 0;
        const word = c.isIdent(start - 1) ? c.word(start - 1) : '';
        if (word === 'while' || word === 'for' || word === 'switch') return 0;
        // `if (x) stmt;` as the body's last statement: the branch starts after the condition.
        if (word === 'if') return boundary(start - 2) ? this.count(k + 1, end) : 0;
        k = start;
      }
    }
    return this.count(k + 1, end);
  }

  /** The calls counted since the last call of this (callee start token, closing parenthesis), and forgets them. */
  take(): [number, number][] {
    const out = this.hits;
    this.hits = [];
    return out;
  }

  /** [a, b) without the parentheses and casts around it. */
  private value(a: number, b: number): [number, number] {
    const c = this.c;
    while (a < b) {
      if (c.is(a, LPAREN) && c.matchOf(a, -1) === b - 1) {
        a++;
        b--;
      } else if (c.is(a, LPAREN) && this.x.isCast(a, b)) a = c.matchOf(a, b) + 1;
      else break;
    }
    return [a, b];
  }
}
