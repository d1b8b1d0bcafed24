import type { CallFact, TypeExpr } from '../../types/facts.js';
import { baseTypeFromText } from '../c-types.js';
import type { CallRules } from '../rules.js';
import type { Scope } from '../scope.js';
import { declaredPointer } from '../pointer-stores.js';
import { arms } from './member-copies.js';

/** The typeof spellings a cast may use. */
const TYPEOF_WORDS = new Set(['typeof', '__typeof__', '__typeof', 'typeof_unqual']);
import { type Cursor, PRIMITIVES, QUALIFIERS } from './cursor.js';
import { ARROW, IDENT, NUMBER, STRING, CHAR } from './tokens.js';
import { AMP, LPAREN, RPAREN, STAR, MINUS, DOT, RBRACKET, TILDE, BANG } from './chars.js';


/**
 * Expressions over token ranges [a, b): the fast extractor's counterparts of the
 * tree-sitter helpers in ../expressions.ts, with the same answers on the same code.
 */
export class TokenExprs {
  constructor(
    private readonly c: Cursor,
    private readonly rules: CallRules,
  ) {}

  /** True when [a, b) names a type: `struct x *`, `const u8 *`, `unsigned long`, `u32`. */
  isTypeName(a: number, b: number): boolean {
    const c = this.c;
    if (a >= b || !c.isIdent(a)) return false;
    let i = a;
    let words = 0;
    while (i < b && c.isIdent(i)) {
      const w = c.word(i);
      if (w === 'struct' || w === 'union' || w === 'enum') return true;
      if (PRIMITIVES.has(w)) return true;
      if (!QUALIFIERS.has(w)) words++;
      i++;
    }
    if (words !== 1) return false;
    while (i < b && (c.is(i, STAR) || (c.isIdent(i) && QUALIFIERS.has(c.word(i))))) i++;
    return i === b;
  }

  /** Base type named by the type tokens [a, b): `struct foo`, a typedef name, or the primitive words. */
  baseTypeOf(a: number, b: number): string {
    const c = this.c;
    const words: string[] = [];
    for (let i = a; i < b; i++) {
      if (!c.isIdent(i)) continue;
      const w = c.word(i);
      if (w === 'struct' || w === 'union' || w === 'enum') return c.isIdent(i + 1) && i + 1 < b ? `${w} ${c.word(i + 1)}` : '';
      if (!QUALIFIERS.has(w)) words.push(w);
    }
    return words.join(' ');
  }

  /**
   * The group opened at a is a cast: its content is a type and an operand follows it within b.
   * Like the C grammar without a symbol table, a lone name in parentheses, `(x)`, is taken
   * for a cast only before a name, a literal, `~` or `!`: `(fn)(a)` is a call, `(n)*p` a product.
   */
  isCast(a: number, b: number): boolean {
    const close = this.c.matchOf(a, -1);
    if (close < 0 || close + 1 >= b || !this.isTypeName(a + 1, close)) return false;
    const next = close + 1;
    const c = this.c;
    const k = c.t.kind[next];
    if (k === IDENT || k === NUMBER || k === STRING || k === CHAR || c.is(next, TILDE) || c.is(next, BANG)) return true;
    const loneName = close - a === 2 && !this.hasTypeWord(a + 1, close);
    return !loneName && (c.is(next, LPAREN) || c.is(next, STAR) || c.is(next, AMP) || c.is(next, MINUS));
  }

  /**
   * True when a callee [a, b) shows the "call" is a cast (see ../expressions.ts isCastCallee):
   * a chain of parenthesised values after a lone name in parentheses, `(u64)(u32)` in
   * `(u64)(u32)(x)`, or a typeof in parentheses, `(typeof(p))` or `(typeof(p) *)`; or one that
   * starts with a parenthesised type with a type word or a `*` (`(void *)(unsigned long)(x)`,
   * `(u32 __user *)(unsigned long)(x)`), which tree-sitter reads as a cast itself, or with a type
   * a macro names (`(ELF(Phdr) *)(p)`: no expression ends with `*`).
   */
  isCastCallee(a: number, b: number): boolean {
    const c = this.c;
    if (!c.is(a, LPAREN) || !c.is(b - 1, RPAREN)) return false;
    const first = c.matchOf(a, -1);
    // A parenthesised type that says it is one (a type word or a `*`): `(void *)(unsigned long)(x)`.
    if (first > a && this.isTypeName(a + 1, first) && (this.hasTypeWord(a + 1, first) || c.is(first - 1, STAR))) return true;
    // No expression ends with `*`: `(ELF(Phdr) *)(p)` casts to a type a macro names.
    if (first > a + 1 && c.is(first - 1, STAR) && c.isIdent(a + 1)) return true;
    if (first === b - 1) {
      if (!c.isIdent(a + 1) || !TYPEOF_WORDS.has(c.word(a + 1)) || !c.is(a + 2, LPAREN)) return false;
      let k = c.matchOf(a + 2, -1) + 1;
      while (c.is(k, STAR)) k++;
      return k === b - 1;
    }
    for (let end = b; end > a + 3; ) {
      const open = c.matchOf(end - 1, -1);
      if (open < a || !c.is(open, LPAREN)) return false;
      if (open === a + 3) return c.isIdent(a + 1) && c.is(a + 2, RPAREN);
      end = open;
      if (!c.is(end - 1, RPAREN)) return false;
    }
    return false;
  }

  private hasTypeWord(a: number, b: number): boolean {
    for (let i = a; i < b; i++) {
      if (!this.c.isIdent(i)) continue;
      const w = this.c.word(i);
      if (w === 'struct' || w === 'union' || w === 'enum' || PRIMITIVES.has(w)) return true;
    }
    return false;
  }

  /** Strips parentheses, casts, `&` and `*` around [a, b). */
  unwrap(a: number, b: number): [number, number] {
    const c = this.c;
    for (;;) {
      if (a >= b) return [a, b];
      if (c.is(a, STAR) || c.is(a, AMP)) a++;
      else if (c.is(a, LPAREN) && c.matchOf(a, -1) === b - 1) {
        a++;
        b--;
      } else if (c.is(a, LPAREN) && this.isCast(a, b)) a = c.matchOf(a, b) + 1;
      else return [a, b];
    }
  }

  /** The identifier an argument passes (`fn`, `&fn`, `(void *)fn`), or null. */
  passedName(a: number, b: number): string | null {
    const [s, e] = this.unwrap(a, b);
    if (e - s !== 1 || !this.c.isIdent(s)) return null;
    const w = this.c.word(s);
    return LITERAL_WORDS.has(w) ? null : w;
  }

  /**
   * The member [a, b) reads when it is a member access (`x->f`, `x.y.f`, through parentheses,
   * casts and `*`, not `&`): the type of its object and the member's name; null otherwise.
   * Like ../expressions.ts memberLoad.
   */
  memberLoad(a: number, b: number, scope: Scope | null): { root: TypeExpr; field: string } | null {
    const c = this.c;
    if (c.is(a, AMP)) return null;
    const [s, e] = this.unwrap(a, b);
    const last = e - 1;
    if (!(last - 1 > s && c.isIdent(last) && (c.is(last - 1, ARROW) || c.is(last - 1, DOT)))) return null;
    if (this.postfixStart(e, s) !== s) return null;
    const root = this.typeOf(s, last - 1, scope);
    return root ? { root, field: c.word(last) } : null;
  }

  /**
   * The call [a, b) is (`pick(a)`, through parentheses and casts, not `&` or `*`): the function
   * named and the arguments passed (as CallFact.args); null for anything else, or a call of a
   * transparent, container or indirect-call macro. Like ../expressions.ts callResult.
   */
  callResult(a: number, b: number): { fn: string; args: (string | null)[] } | null {
    const c = this.c;
    for (;;) {
      if (a >= b) return null;
      if (c.is(a, LPAREN) && c.matchOf(a, -1) === b - 1) {
        a++;
        b--;
      } else if (c.is(a, LPAREN) && this.isCast(a, b)) a = c.matchOf(a, b) + 1;
      else break;
    }
    if (!c.isIdent(a) || !c.is(a + 1, LPAREN) || c.matchOf(a + 1, -1) !== b - 1) return null;
    const fn = c.word(a);
    if (this.rules.transparent.has(fn) || this.rules.containers.has(fn) || this.rules.indirect.has(fn)) return null;
    let args = c.split(a + 2, b - 1);
    if (args.length === 1 && args[0]![0] === args[0]![1]) args = [];
    return { fn, args: args.map(([s, e]) => this.passedName(s, e)) };
  }

  /**
   * The member whose address the argument [a, b) passes (`&dev->cb`, `&x.y.f`): the type of its
   * object and its path; null otherwise. Like ../expressions.ts memberRef.
   */
  memberRef(a: number, b: number, scope: Scope | null): { root: TypeExpr; path: string[] } | null {
    if (!this.c.is(a, AMP)) return null;
    const load = this.memberLoad(a + 1, b, scope);
    return load ? { root: load.root, path: [load.field] } : null;
  }

  /**
   * True when [a, b) takes the address of a variable of the function (a local or a parameter,
   * `scope`): `&how`, `&x.y`, `&buf[i]`, not `&x->y` (what x points to) nor a global's. Like
   * ../expressions.ts frameAddress.
   */
  frameAddress(a: number, b: number, scope: Scope): boolean {
    const c = this.c;
    if (!c.is(a, AMP) || !c.isIdent(a + 1) || !scope.get(c.word(a + 1))) return false;
    for (let k = a + 2; k < b; k++) if (c.is(k, ARROW)) return false;
    return true;
  }

  /** Describes how to find the type of the expression [a, b); null when it cannot be described. */
  typeOf(a: number, b: number, scope: Scope | null): TypeExpr | null {
    const c = this.c;
    if (a >= b) return null;
    if (c.is(a, STAR) || c.is(a, AMP)) return this.typeOf(a + 1, b, scope);
    if (c.is(a, LPAREN)) {
      const close = c.matchOf(a, -1);
      if (close === b - 1) return this.typeOf(a + 1, b - 1, scope);
      if (close > a && this.isCast(a, b)) return { k: 'type', name: this.baseTypeOf(a + 1, close) };
    }
    if (b - a === 1) {
      if (!c.isIdent(a)) return null;
      const name = c.word(a);
      const v = scope?.get(name);
      return v ? { k: 'type', name: v.type } : { k: 'global', name };
    }
    const last = b - 1;
    if (c.isIdent(last) && (c.is(last - 1, ARROW) || c.is(last - 1, DOT)) && last - 1 > a) {
      const of = this.typeOf(a, last - 1, scope);
      return of ? { k: 'field', of, field: c.word(last) } : null;
    }
    if (c.is(last, RBRACKET)) {
      const open = c.matchOf(last, -1);
      return open > a ? this.typeOf(a, open, scope) : null;
    }
    if (c.is(last, RPAREN)) {
      const open = c.matchOf(last, -1);
      if (open !== a + 1 || !c.isIdent(a)) return null;
      return this.callType(c.word(a), open, last, scope);
    }
    return null;
  }

  /** Type of a call `fn(args)` whose parentheses are at open and close. */
  private callType(fn: string, open: number, close: number, scope: Scope | null): TypeExpr | null {
    const args = this.c.split(open + 1, close);
    if (this.rules.transparent.has(fn)) return args[0] ? this.typeOf(args[0][0], args[0][1], scope) : null;
    const typeArg = this.rules.containers.get(fn);
    if (typeArg !== undefined) {
      const arg = args[typeArg];
      const named = arg ? baseTypeFromText(this.c.textOf(arg[0], arg[1])) : null;
      return named ? { k: 'type', name: named } : null;
    }
    return { k: 'ret', fn };
  }

  /** Fills in what the callee [a, b) goes through: a name, a parameter, an array or a struct member (parentheses, `*` and casts stripped). */
  describeCallee(a: number, b: number, scope: Scope | null, call: CallFact): void {
    const c = this.c;
    for (;;) {
      if (a >= b) return;
      if (c.is(a, LPAREN) && c.matchOf(a, -1) === b - 1) {
        a++;
        b--;
      } else if (c.is(a, STAR)) {
        a++;
      } else if (c.is(a, LPAREN) && this.isCast(a, b)) {
        a = c.matchOf(a, b) + 1;
      } else if (c.isIdent(a) && c.is(a + 1, LPAREN) && c.matchOf(a + 1, -1) === b - 1 && this.rules.transparent.has(c.word(a))) {
        const first = c.split(a + 2, b - 1)[0];
        if (!first) return;
        [a, b] = first;
      } else break;
    }
    const last = b - 1;
    const values = arms(c, a, b);
    if (values.length > 1) {
      // `(is_in ? write_fifo : read_fifo)(ep, req)`: a call by each name (../expressions.ts conditionalCallee).
      const names: string[] = [];
      for (const [s, e] of values) {
        const [u, v] = this.unwrap(s, e);
        if (v - u !== 1 || !c.isIdent(u) || scope?.get(c.word(u)) || (scope?.param(c.word(u)) ?? -1) >= 0) return;
        names.push(c.word(u));
      }
      const sorted = [...new Set(names)].sort();
      call.name = sorted[0]!;
      call.expandsTo = sorted;
      return;
    }
    if (b - a === 1 && c.isIdent(a)) {
      const name = c.word(a);
      const p = scope ? scope.param(name) : -1;
      if (p >= 0) call.param = p;
      else if (!scope?.get(name)) call.name = name;
      else declaredPointer(call, name, scope.get(name)!);
    } else if (c.is(last, RBRACKET)) {
      const open = c.matchOf(last, -1);
      if (open === a + 1 && c.isIdent(a)) call.array = c.word(a);
      // An element of a member array (`c->hooks[i](v)`): a call through that member.
      else if (open > a + 2 && c.isIdent(open - 1) && (c.is(open - 2, ARROW) || c.is(open - 2, DOT))) this.describeCallee(a, open, scope, call);
    } else if (c.isIdent(last) && (c.is(last - 1, ARROW) || c.is(last - 1, DOT)) && last - 1 > a) {
      call.field = c.word(last);
      const recv = this.typeOf(a, last - 1, scope);
      if (recv) call.recv = recv;
    } else if (c.isIdent(a) && c.is(a + 1, LPAREN) && c.matchOf(a + 1, -1) === last && !scope?.get(c.word(a))) {
      // A call of what a call returns: `pick()()`.
      call.ret = c.word(a);
    }
  }

  /**
   * Start of the postfix expression that ends just before token `end` (a callee or the left
   * side of an assignment): `a->b.c`, `foo(x)->y`, `(*p)->z`, `tbl[i]`.
   */
  postfixStart(end: number, floor: number): number {
    const c = this.c;
    let k = end - 1;
    for (;;) {
      if (k < floor) return floor;
      if (c.isIdent(k)) {
        if (k - 1 >= floor && (c.is(k - 1, ARROW) || c.is(k - 1, DOT))) {
          k -= 2;
          continue;
        }
        return k;
      }
      if (c.is(k, RPAREN) || c.is(k, RBRACKET)) {
        const open = c.matchOf(k, -1);
        if (open < floor) return k;
        const before = open - 1;
        if (before >= floor && c.isIdent(before) && CONTROL.has(c.word(before))) return k + 1;
        if (before >= floor && (c.is(before, RPAREN) || c.is(before, RBRACKET) || (c.isIdent(before) && !isKeywordBefore(c.word(before))))) {
          k = before;
          continue;
        }
        // A parenthesised primary, possibly itself preceded by `->`? No: `x->(...)` is not C.
        return open;
      }
      return k + 1;
    }
  }
}

/** Statement keywords whose parenthesised header is not part of the expression after it. */
const CONTROL = new Set(['if', 'for', 'while', 'switch']);

/** Literal words the grammar does not count as identifiers. */
const LITERAL_WORDS = new Set(['NULL', 'true', 'false', 'nullptr', 'TRUE', 'FALSE']);

/** Words that can stand before `(` without being a callee or an operand. */
function isKeywordBefore(w: string): boolean {
  return w === 'return' || w === 'if' || w === 'while' || w === 'for' || w === 'switch' || w === 'sizeof' || w === 'case' || w === 'else' || w === 'do' || w === 'typeof' || w === '__typeof__';
}

