import type { BindingFact, CallFact, VarFact } from '../../types/facts.js';
import type { CallRules } from '../rules.js';
import { localArgs, Scope } from '../scope.js';
import { markParameterInits, mayHoldFunction, outStore, pointerLoad, pointerStore, returnedName } from '../pointer-stores.js';
import { ATTRIBUTE_WORDS, type Cursor, NOT_CALLEES, PRIMITIVES, QUALIFIERS, STORAGE } from './cursor.js';
import type { DeclarationReader } from './declarations.js';
import { conditionalSplit, memberCopies, variableArms } from './member-copies.js';
import type { TokenExprs } from './token-exprs.js';
import { passesFrameAddress } from '../tail-calls.js';
import { TailCalls } from './tail-calls.js';
import { ARROW } from './tokens.js';
import { LPAREN, RPAREN, STAR, COMMA, DOT, COLON, SEMI, EQUALS, LBRACKET, RBRACKET, LBRACE, RBRACE } from './chars.js';


const STATEMENT_WORDS = new Set(['return', 'goto', 'break', 'continue', 'case', 'default', 'else', 'do', 'if', 'while', 'for', 'switch', 'sizeof']);

/** A call found in the first pass: where its callee starts, and its `(`. */
interface CallSite {
  calleeStart: number;
  open: number;
}

/** What BodyReader.read finds: the calls in document order and how many are tail calls. */
export interface BodyCalls {
  calls: CallFact[];
  /** Calls that are the whole value of a `return`, or an arm of a returned conditional. */
  tails: number;
  /** Calls the body's last statement ends in: tail calls too when the function returns void. */
  lastTails: number;
  /** The facts of the calls `tails` counts (CallFact.tail). */
  tailCalls: CallFact[];
  /** The facts of the calls `lastTails` counts. */
  lastTailCalls: CallFact[];
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
  /** Token indexes of the `return` keywords of the body being read. */
  private returns: number[] = [];

  /**
   * The calls of the body [open, close] in document order, how many of them are tail calls of its
   * `return`s, and how many its last statement ends in (tail calls when the function returns void;
   * FunctionFact.tailCalls, scan/tail-calls.ts); the bindings its statements make go to `bindings`.
   */
  read(open: number, close: number, fn: string, params: VarFact[], bindings: BindingFact[]): BodyCalls {
    this.fn = fn;
    this.returns = [];
    const scope = new Scope(params);
    const sites: CallSite[] = [];
    const stores: Store[] = [];
    this.scan(open + 1, close, true, scope, sites, stores, bindings);
    // Casts whose type is a lone name or a typeof, applied to a parenthesised value, are no calls.
    for (let k = sites.length - 1; k >= 0; k--) if (this.x.isCastCallee(sites[k]!.calleeStart, sites[k]!.open)) sites.splice(k, 1);
    const calls: CallFact[] = [];
    for (const s of sites) calls.push(this.callFact(s, scope));
    scope.noteCalledParameters(calls);
    const c = this.c;
    // Document order of call expressions: by start, an enclosing call before the calls inside it.
    const order = sites.map((_, k) => k).sort((p, q) => c.t.start[sites[p]!.calleeStart]! - c.t.start[sites[q]!.calleeStart]! || sites[q]!.open - sites[p]!.open);
    for (const st of stores) {
      const b = this.storeBinding(st, scope, fn);
      if (b) bindings.push(b);
      else bindings.push(...memberCopies(c, this.x, st, scope, fn), ...variableArms(c, this.x, st, scope, fn));
    }
    // The closing parenthesis of each call by where its callee starts (`pick()(x)`: two), for the returned values.
    const closes = new Map<number, number[]>();
    if (this.returns.length || (sites.length && c.is(close - 1, SEMI))) for (const s of sites) closes.set(s.calleeStart, [...(closes.get(s.calleeStart) ?? []), c.matchOf(s.open, -1)]);
    const tailCalls = new TailCalls(c, this.x, closes);
    let tails = 0;
    for (const r of this.returns) {
      let end = r + 1;
      while (end < close && !c.is(end, SEMI) && !c.is(end, RBRACE)) end = c.skip(end, close);
      this.returnedNames(r + 1, end, scope, bindings);
      tails += tailCalls.count(r + 1, end);
    }
    const returned = tailCalls.take();
    const lastTails = sites.length ? tailCalls.lastStatement(open, close) : 0;
    // The call facts of the calls counted (sites and calls are parallel).
    const factsOf = (hits: [number, number][]): CallFact[] => hits.map(([s, shut]) => calls[sites.findIndex((site) => site.calleeStart === s && c.matchOf(site.open, -1) === shut)]).filter((f): f is CallFact => f !== undefined);
    return { calls: order.map((k) => calls[k]!), tails, lastTails, tailCalls: factsOf(returned), lastTailCalls: factsOf(tailCalls.take()) };
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
        if (ASM_WORDS.has(w)) {
          // An asm statement's operands (`: CC_OUT(c) (v)`) are constraints and lvalues, no calls.
          let j = i + 1;
          while (c.isIdent(j) && ASM_QUALIFIERS.has(c.word(j))) j++;
          if (c.is(j, LPAREN)) {
            const close = c.matchOf(j, b - 1);
            if (close > j) {
              i = close + 1;
              statementStart = false;
              continue;
            }
          }
        }
        if (w === 'case') sawCase = true;
        if (w === 'return' && declarations) this.returns.push(i);
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

  /**
   * True when the statement at i is a declaration: a type keyword, or `T x`, `T *x` with T a
   * name, or a function pointer `T (*x)(...)` (also `T (*x[N])(...)`) followed by `;`, `=` or
   * `,` (C reads `f(*p)(x);` as a call, but the kernel writes no such statement; a typedef'd
   * return type such as `ssize_t (*fn)(const char *);` is common).
   */
  private startsDeclaration(i: number, w: string): boolean {
    if (STORAGE.has(w) || QUALIFIERS.has(w) || PRIMITIVES.has(w) || w === 'struct' || w === 'union' || w === 'enum') return true;
    if (STATEMENT_WORDS.has(w) || NOT_CALLEES.has(w) || ATTRIBUTE_WORDS.has(w)) return false;
    const c = this.c;
    let j = i + 1;
    if (c.isIdent(j)) return !STATEMENT_WORDS.has(c.word(j)) && !ATTRIBUTE_WORDS.has(c.word(j));
    if (c.is(j, LPAREN) && c.is(j + 1, STAR)) return this.pointerDeclarator(j);
    if (!c.is(j, STAR)) return false;
    while (c.is(j, STAR) || (c.isIdent(j) && QUALIFIERS.has(c.word(j)))) j++;
    if (!c.isIdent(j)) return false;
    j++;
    return c.is(j, SEMI) || c.is(j, EQUALS) || c.is(j, COMMA) || c.is(j, LBRACKET) || c.is(j, RPAREN);
  }

  /** True for `(*name)(...)` or `(*name[N])(...)` at j, then `;`, `=` or `,`: a function pointer's declarator. */
  private pointerDeclarator(j: number): boolean {
    const c = this.c;
    const close = c.matchOf(j, -1);
    let k = j + 1;
    while (c.is(k, STAR) || (c.isIdent(k) && QUALIFIERS.has(c.word(k)))) k++;
    if (close < 0 || !c.isIdent(k)) return false;
    k++;
    while (c.is(k, LBRACKET)) k = c.matchOf(k, -1) + 1;
    if (k !== close || !c.is(close + 1, LPAREN)) return false;
    const after = c.matchOf(close + 1, -1) + 1;
    return after > close + 1 && (c.is(after, SEMI) || c.is(after, EQUALS) || c.is(after, COMMA));
  }

  /** Reads a local declaration at i; returns the index of its `;` (or where it stops). */
  private declaration(i: number, b: number, scope: Scope, sites: CallSite[], stores: Store[], bindings: BindingFact[]): number {
    const c = this.c;
    let end = i;
    while (end < b && !c.is(end, SEMI) && !c.is(end, RBRACE) && !c.is(end, RPAREN)) end = c.skip(end, b);
    const spec = this.decls.specifiers(i, end);
    if (spec.isTypedef) return end;
    const initializers: [number, number][] = [];
    const first = bindings.length;
    const { vars } = this.decls.variables(spec, spec.next, end, bindings, (s, e) => initializers.push([s, e]), { fn: this.fn, scope });
    markParameterInits(bindings, first, scope, this.fn);
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
    if (args.some(([s, e]) => this.x.frameAddress(s, e, scope))) passesFrameAddress.add(call);
    const refs = args.map(([s, e]) => this.x.memberRef(s, e, scope));
    if (refs.some((r) => r !== null)) call.refs = refs;
    const locals = this.rules.objectCalls.has(call.name ?? '') ? localArgs(call.args, scope) : [];
    if (locals.length) call.locals = locals;
    const members = args.flatMap(([s, e], arg) => {
      const load = call.args[arg] === null ? this.x.memberLoad(s, e, scope) : null;
      return load ? [{ arg, ...load }] : [];
    });
    if (members.length) call.argMembers = members;
    return call;
  }

  /** The names a `return` over [a, b) yields (`f`, `&f`, `(t)f`, each branch of `c ? a : b`), as returned facts; like ../extract-functions.ts returnedNames. */
  private returnedNames(a: number, b: number, scope: Scope, out: BindingFact[]): void {
    const c = this.c;
    const [s, e] = this.x.unwrap(a, b);
    const split = conditionalSplit(c, s, e);
    if (split) {
      this.returnedNames(split[0] + 1, split[1], scope, out);
      this.returnedNames(split[1] + 1, e, scope, out);
      return;
    }
    const fn = this.x.passedName(s, e);
    const b2 = fn ? returnedName(fn, scope, c.line(s), this.fn) : null;
    if (b2) out.push(b2);
  }

  /** Second pass: `fp = x->f` (a member loaded into a pointer variable) as a pointer load, like ../extract-bindings.ts variableLoad. */
  private loadBinding(st: Store, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    const name = c.word(st.leftStart);
    if (st.eq - 1 !== st.leftStart || !c.isIdent(st.leftStart) || !scope.assignable(name)) return null;
    const v = scope.get(name);
    if (!mayHoldFunction(v)) return null;
    const load = this.x.memberLoad(st.eq + 1, st.end, scope);
    const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
    if (!load) {
      // `fp = pick(a)`: what a call returns (BindingFact.call).
      const result = this.x.callResult(st.eq + 1, st.end);
      return result ? { ...pointerStore(name, result.fn, c.line(st.leftStart), 'assign', text, inFunction, v !== undefined), call: { args: result.args } } : null;
    }
    return pointerLoad(name, load.root, load.field, c.line(st.leftStart), 'assign', text, inFunction, v !== undefined);
  }

  /** Second pass: `*slot = fn` with `slot` a parameter, a store through an out-parameter; like ../extract-bindings.ts outParameterStore. */
  private outBinding(st: Store, fn: string | null, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    if (st.eq - 1 !== st.leftStart || c.is(st.leftStart - 2, STAR) || !fn) return null;
    const slot = c.word(st.leftStart);
    const out = scope.param(slot);
    if (out < 0) return null;
    const param = scope.param(fn);
    if (param < 0 && scope.get(fn)) return null;
    return outStore(slot, out, fn, param, c.line(st.leftStart - 1), c.textOf(st.leftStart - 1, st.end).replace(/\s+/g, ' '), inFunction);
  }

  /** Second pass: `x->f = pick(a)`, what a call returns stored into a member (BindingFact.call). */
  private resultBinding(st: Store, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    const result = this.x.callResult(st.eq + 1, st.end);
    if (!result) return null;
    const field = st.eq - 1;
    const root = this.x.typeOf(st.leftStart, field - 1, scope);
    if (!root) return null;
    const text = c.textOf(st.leftStart, st.end).replace(/\s+/g, ' ');
    return { root, path: [c.word(field)], fn: result.fn, line: c.line(st.leftStart), how: 'assign', inFunction, text, call: { args: result.args } };
  }

  /** Second pass: `x->f = fn` as a binding, like ../extract-bindings.ts assignmentBinding; `fp = fn`, `tbl[i] = fn` as pointer stores. */
  private storeBinding(st: Store, scope: Scope, inFunction: string): BindingFact | null {
    const c = this.c;
    const fn = this.x.passedName(st.eq + 1, st.end);
    const field = st.eq - 1;
    const member = c.isIdent(field) && (c.is(field - 1, ARROW) || c.is(field - 1, DOT));
    if (!member && c.is(st.leftStart - 1, STAR)) return this.outBinding(st, fn, scope, inFunction);
    if (!fn && member) return this.resultBinding(st, scope, inFunction);
    if (!fn) return this.loadBinding(st, scope, inFunction);
    if (!member) {
      const name = c.word(st.leftStart);
      const v = scope.get(name);
      if (!scope.assignable(name) || scope.get(fn) || (!c.is(field, RBRACKET) && !mayHoldFunction(v)) || (c.is(field, RBRACKET) && v && !mayHoldFunction(v))) return null;
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


/** The spellings of an asm statement, and the qualifiers that may follow them. */
const ASM_WORDS = new Set(['asm', '__asm__', '__asm']);
const ASM_QUALIFIERS = new Set(['volatile', '__volatile__', '__volatile', 'goto', 'inline', '__inline__']);

/** True when the parentheses (open, close) hold only `*` tokens: `(*)`, `(**)`. */
function isStarsOnly(c: Cursor, open: number, close: number): boolean {
  if (open < 0 || close - open < 2) return false;
  for (let k = open + 1; k < close; k++) if (!c.is(k, STAR)) return false;
  return true;
}
