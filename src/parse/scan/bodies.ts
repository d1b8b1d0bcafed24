import type { BindingFact, CallFact, VarFact } from '../../types/facts.js';
import type { CallRules } from '../rules.js';
import { Scope } from '../scope.js';
import { mayHoldFunction, pointerLoad, pointerStore } from '../pointer-stores.js';
import { ATTRIBUTE_WORDS, type Cursor, NOT_CALLEES, PRIMITIVES, QUALIFIERS, STORAGE } from './cursor.js';
import type { DeclarationReader } from './declarations.js';
import { memberCopies } from './member-copies.js';
import type { TokenExprs } from './token-exprs.js';
import { ARROW } from './tokens.js';
import { LPAREN, RPAREN, STAR, COMMA, DOT, COLON, SEMI, EQUALS, LBRACKET, RBRACKET, LBRACE, RBRACE } from './chars.js';


const STATEMENT_WORDS = new Set(['return', 'goto', 'break', 'continue', 'case', 'default', 'else', 'do', 'if', 'while', 'for', 'switch', 'sizeof']);

/** A call found in the first pass: where its callee starts, and its `(`. */
interface CallSite {
  calleeStart: number;
  open: number;
}

/** `left = right` where left is a member: token ranges. */
export interface Store {
  leftStart: number;
  eq: number;
  end: number;
}

/**
 * Reads a function body in two passes: the first finds local declarations, call sites and
 * member stores; the second describes them once every local's type is known (the body's
 * declarations form one flat scope, as in the tree-sitter extractor).
 */
export class BodyReader {
  constructor(
    private readonly c: Cursor,
    private readonly x: TokenExprs,
    private readonly decls: DeclarationReader,
    private readonly rules: CallRules,
  ) {}

  /** The function whose body is being read. */
  private fn = '';

  read(open: number, close: number, fn: string, params: VarFact[], bindings: BindingFact[]): CallFact[] {
    this.fn = fn;
    const scope = new Scope(params);
    const sites: CallSite[] = [];
    const stores: Store[] = [];
    this.scan(open + 1, close, true, scope, sites, stores, bindings);
    const calls: CallFact[] = [];
    for (const s of sites) calls.push(this.callFact(s, scope));
    const c = this.c;
    // Document order of call expressions: by start, an enclosing call before the calls inside it.
    const order = sites.map((_, k) => k).sort((p, q) => c.t.start[sites[p]!.calleeStart]! - c.t.start[sites[q]!.calleeStart]! || sites[q]!.open - sites[p]!.open);
    for (const st of stores) {
      const b = this.storeBinding(st, scope, fn);
      if (b) bindings.push(b);
      else bindings.push(...memberCopies(c, this.x, st, scope, fn));
    }
    return order.map((k) => calls[k]!);
  }

  /** First pass over [a, b). Declarations are read only where a statement starts. */
  private scan(a: number, b: number, declarations: boolean, scope: Scope, sites: CallSite[], stores: Store[], bindings: BindingFact[]): void {
    const c = this.c;
    let statementStart = declarations;
    let sawCase = false;
    let i = a;
    while (i < b) {
      if (c.isIdent(i)) {
        const w = c.word(i);
        if (statementStart && declarations && this.startsDeclaration(i, w)) {
          i = this.declaration(i, b, scope, sites, stores, bindings);
          statementStart = true;
          continue;
        }
        if (w === 'case') sawCase = true;
        statementStart = w === 'else' || w === 'do';
        if (w === 'for' && c.is(i + 1, LPAREN) && declarations) {
          // `for (int i = 0; ...)`: the header's first clause may declare.
          const close = c.matchOf(i + 1, b - 1);
          this.scan(i + 2, close, true, scope, sites, stores, bindings);
          i = close + 1;
          statementStart = true;
          continue;
        }
        i++;
        continue;
      }
      if (c.is(i, SEMI) || c.is(i, LBRACE) || c.is(i, RBRACE)) {
        statementStart = true;
        sawCase = false;
        i++;
        continue;
      }
      if (c.is(i, COLON)) {
        statementStart = sawCase || (c.isIdent(i - 1) && (c.word(i - 1) === 'default' || c.is(i - 2, SEMI) || c.is(i - 2, LBRACE) || c.is(i - 2, RBRACE)));
        sawCase = false;
        i++;
        continue;
      }
      statementStart = false;
      if (c.is(i, LPAREN)) this.callAt(i, a, sites);
      else if (c.is(i, EQUALS)) this.storeAt(i, a, b, stores);
      i++;
    }
  }

  /** Records a call whose argument list opens at i, if the token before it ends a callee. */
  private callAt(i: number, floor: number, sites: CallSite[]): void {
    const c = this.c;
    const prev = i - 1;
    if (prev < floor) return;
    if (c.isIdent(prev)) {
      const w = c.word(prev);
      if (NOT_CALLEES.has(w) || ATTRIBUTE_WORDS.has(w) || PRIMITIVES.has(w) || STORAGE.has(w) || QUALIFIERS.has(w) || w === 'struct' || w === 'union' || w === 'enum') return;
      if (this.rules.loopMacros && this.isLoopMacro(prev, i, floor)) return;
    } else if (!c.is(prev, RPAREN) && !c.is(prev, RBRACKET)) return;
    const start = this.x.postfixStart(i, floor);
    if (start >= i) return;
    // `(void)(x)` is a cast of a parenthesised value, not a call.
    if (c.is(start, LPAREN) && c.matchOf(start, -1) === prev && this.x.isCast(start, c.matchOf(i, i) + 1)) return;
    // `(*)(args)` in a cast's type name (`(int (*)(void))p`) is an abstract declarator, not a call.
    if (c.is(prev, RPAREN) && isStarsOnly(c, c.matchOf(prev, -1), prev)) return;
    sites.push({ calleeStart: start, open: i });
  }

  /**
   * `list_for_each_entry(pos, head, member) {` or followed by one statement: a macro used as a
   * loop statement, written first on its line. Like the neutraliser, which turns it into `while`
   * for the tree-sitter extractor, it is not counted as a call (its arguments still are read).
   */
  private isLoopMacro(name: number, open: number, floor: number): boolean {
    const c = this.c;
    if (c.t.end[name]! - c.t.start[name]! < 5 || c.col(name) === 0) return false;
    const before = name - 1;
    if (before >= floor && c.line(before) === c.line(name)) return false;
    const close = c.matchOf(open, -1);
    if (close < 0 || !(c.is(close + 1, LBRACE) || c.isIdent(close + 1))) return false;
    if (before < floor) return true;
    return c.is(before, SEMI) || c.is(before, LBRACE) || c.is(before, RBRACE) || c.is(before, RPAREN) || c.is(before, COLON) || (c.isIdent(before) && c.word(before) === 'else');
  }

  /** Records `x->f = value` (a plain `=`) for the second pass. */
  private storeAt(eq: number, floor: number, b: number, stores: Store[]): void {
    const c = this.c;
    const field = eq - 1;
    const leftStart = this.x.postfixStart(eq, floor);
    if (!c.isIdent(field) || !(c.is(field - 1, ARROW) || c.is(field - 1, DOT))) {
      // `fp = f` and `tbl[i] = f`: a store into a pointer variable.
      const variable = c.is(field, RBRACKET) ? c.matchOf(field, -1) - 1 : field;
      if (variable !== leftStart || !c.isIdent(variable) || (variable > floor && (c.is(variable - 1, ARROW) || c.is(variable - 1, DOT)))) return;
    }
    let end = eq + 1;
    while (end < b && !c.is(end, SEMI) && !c.is(end, COMMA) && !c.is(end, RPAREN) && !c.is(end, RBRACE)) end = c.skip(end, b);
    if (end === eq + 1) return;
    stores.push({ leftStart, eq, end });
  }

  /** True when the statement at i is a declaration: a type keyword, or `T x`, `T *x` with T a name. */
  private startsDeclaration(i: number, w: string): boolean {
    if (STORAGE.has(w) || QUALIFIERS.has(w) || PRIMITIVES.has(w) || w === 'struct' || w === 'union' || w === 'enum') return true;
    if (STATEMENT_WORDS.has(w) || NOT_CALLEES.has(w) || ATTRIBUTE_WORDS.has(w)) return false;
    const c = this.c;
    let j = i + 1;
    if (c.isIdent(j)) return !STATEMENT_WORDS.has(c.word(j)) && !ATTRIBUTE_WORDS.has(c.word(j));
    if (!c.is(j, STAR)) return false;
    while (c.is(j, STAR) || (c.isIdent(j) && QUALIFIERS.has(c.word(j)))) j++;
    if (!c.isIdent(j)) return false;
    j++;
    return c.is(j, SEMI) || c.is(j, EQUALS) || c.is(j, COMMA) || c.is(j, LBRACKET) || c.is(j, RPAREN);
  }

  /** Reads a local declaration at i; returns the index of its `;` (or where it stops). */
  private declaration(i: number, b: number, scope: Scope, sites: CallSite[], stores: Store[], bindings: BindingFact[]): number {
    const c = this.c;
    let end = i;
    while (end < b && !c.is(end, SEMI) && !c.is(end, RBRACE) && !c.is(end, RPAREN)) end = c.skip(end, b);
    const spec = this.decls.specifiers(i, end);
    if (spec.isTypedef) return end;
    const initializers: [number, number][] = [];
    const { vars } = this.decls.variables(spec, spec.next, end, bindings, (s, e) => initializers.push([s, e]), { fn: this.fn, scope });
    for (const v of vars) scope.addLocal(v);
    for (const [s, e] of initializers) this.scan(s, e, false, scope, sites, stores, bindings);
    return end;
  }

  /** Second pass: one call site described. */
  private callFact(site: CallSite, scope: Scope): CallFact {
    const c = this.c;
    const close = c.matchOf(site.open, site.open);
    const call: CallFact = { line: c.line(site.calleeStart), col: c.col(site.calleeStart), args: [] };
    let args = close > site.open ? c.split(site.open + 1, close) : [];
    if (args.length === 1 && args[0]![0] === args[0]![1]) args = [];
    const calleeEnd = site.open;
    const single = calleeEnd - site.calleeStart === 1 && c.isIdent(site.calleeStart);
    const hints = single ? this.rules.indirect.get(c.word(site.calleeStart)) : undefined;
    if (hints !== undefined && args.length > hints) {
      this.x.describeCallee(args[0]![0], args[0]![1], scope, call);
      call.hints = args
        .slice(1, hints + 1)
        .map(([s, e]) => this.x.passedName(s, e) ?? '')
        .filter((n) => n !== '');
      args = args.slice(hints + 1);
    } else {
      this.x.describeCallee(site.calleeStart, calleeEnd, scope, call);
    }
    call.args = args.map(([s, e]) => this.x.passedName(s, e));
    const members = args.flatMap(([s, e], arg) => {
      const load = call.args[arg] === null ? this.x.memberLoad(s, e, scope) : null;
      return load ? [{ arg, ...load }] : [];
    });
    if (members.length) call.argMembers = members;
    return call;
  }

  /** Second pass: `fp = x->f` (a member loaded into a pointer variable) as a pointer load, like ../extract-bindings.ts variableLoad. */
  private loadBinding(st: Store, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    const name = c.word(st.leftStart);
    if (st.eq - 1 !== st.leftStart || !c.isIdent(st.leftStart) || scope.param(name) >= 0) return null;
    const v = scope.get(name);
    if (!mayHoldFunction(v)) return null;
    const load = this.x.memberLoad(st.eq + 1, st.end, scope);
    if (!load) return null;
    const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
    return pointerLoad(name, load.root, load.field, c.line(st.leftStart), 'assign', text, inFunction, v !== undefined);
  }

  /** Second pass: `x->f = fn` as a binding, like ../extract-bindings.ts assignmentBinding; `fp = fn`, `tbl[i] = fn` as pointer stores. */
  private storeBinding(st: Store, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    const fn = this.x.passedName(st.eq + 1, st.end);
    const field = st.eq - 1;
    if (!fn) return this.loadBinding(st, scope, inFunction);
    if (!(c.isIdent(field) && (c.is(field - 1, ARROW) || c.is(field - 1, DOT)))) {
      const name = c.word(st.leftStart);
      const v = scope.get(name);
      if (scope.param(name) >= 0 || scope.get(fn) || (!c.is(field, RBRACKET) && !mayHoldFunction(v)) || (c.is(field, RBRACKET) && v && !v.fnptr)) return null;
      const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
      return pointerStore(name, fn, c.line(st.leftStart), 'assign', text, inFunction, v !== undefined);
    }
    const root = this.x.typeOf(st.leftStart, field - 1, scope);
    if (!root) return null;
    const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
    const binding: BindingFact = { root, path: [c.word(field)], fn, line: c.line(st.leftStart), how: 'assign', inFunction, text };
    const p = scope.param(fn);
    if (p >= 0) binding.param = p;
    else if (scope.get(fn)) return null;
    return binding;
  }
}


/** True when the parentheses (open, close) hold only `*` tokens: `(*)`, `(**)`. */
function isStarsOnly(c: Cursor, open: number, close: number): boolean {
  if (open < 0 || close - open < 2) return false;
  for (let k = open + 1; k < close; k++) if (!c.is(k, STAR)) return false;
  return true;
}
