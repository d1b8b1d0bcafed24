import type { BindingFact, StructFact, TypeExpr, VarFact } from '../../types/facts.js';
import { ATTRIBUTE_WORDS, type Cursor, PRIMITIVES, QUALIFIERS, STORAGE } from './cursor.js';
import type { TokenExprs } from './token-exprs.js';
import { pointerArms } from './member-copies.js';
import { mayHoldFunction, mayNameFunction, pointerLoad, pointerStore } from '../pointer-stores.js';
import type { Scope } from '../scope.js';
import { LPAREN, STAR, DOT, COLON, SEMI, EQUALS, LBRACKET, LBRACE } from './chars.js';


/** Declaration specifiers: the base type and storage class. */
export interface Specifiers {
  base: string;
  /** First token after the specifiers (the first declarator). */
  next: number;
  isStatic: boolean;
  isTypedef: boolean;
  /** A type was named (a keyword type, a struct, or a typedef name). */
  typed: boolean;
  /** The type is a struct/union body without a tag: its fields lift into an enclosing struct. */
  anonymousBody: boolean;
  /** A struct/union definition with a body was written here (its name may change to the typedef's). */
  defined?: StructFact;
}

/** What a declarator says about the name it declares (see ../c-types.ts). */
export interface Declarator {
  name: string;
  nameTok: number;
  fnptr: boolean;
  isFunction: boolean;
  isArray: boolean;
  /** The parameter list of the function declarator nearest the name. */
  params: [open: number, close: number] | null;
  next: number;
}

/**
 * Declarations over token ranges: specifiers, declarators, struct bodies and initializer lists,
 * for file scope, locals, parameters and struct fields alike.
 */
export class DeclarationReader {
  /** Struct and union definitions, in the order their specifiers start. */
  readonly structs: StructFact[] = [];

  constructor(
    private readonly c: Cursor,
    private readonly x: TokenExprs,
    private readonly path: string,
  ) {}

  /** Skips `__attribute__((...))` and the like at i. */
  skipAttributes(i: number, end: number): number {
    const c = this.c;
    while (i < end && c.isIdent(i) && ATTRIBUTE_WORDS.has(c.word(i))) {
      i++;
      if (c.isIdent(i) && (c.word(i) === 'volatile' || c.word(i) === '__volatile__')) i++;
      if (c.is(i, LPAREN)) i = c.skip(i, end);
    }
    return i;
  }

  specifiers(i: number, end: number): Specifiers {
    const c = this.c;
    const out: Specifiers = { base: '', next: i, isStatic: false, isTypedef: false, typed: false, anonymousBody: false };
    const words: string[] = [];
    while (i < end) {
      i = this.skipAttributes(i, end);
      if (!c.isIdent(i) || i >= end) break;
      const w = c.word(i);
      if (STORAGE.has(w)) {
        if (w === 'static') out.isStatic = true;
        if (w === 'typedef') out.isTypedef = true;
        i++;
      } else if (QUALIFIERS.has(w)) {
        i++;
      } else if (PRIMITIVES.has(w)) {
        if (words.length === 0 && out.typed) break;
        words.push(w);
        out.typed = true;
        i++;
      } else if (w === 'struct' || w === 'union' || w === 'enum') {
        if (out.typed) break;
        i = this.aggregate(i, end, w, out);
        out.typed = true;
      } else if ((w === 'typeof' || w === '__typeof__' || w === '__typeof') && c.is(i + 1, LPAREN)) {
        if (out.typed) break;
        out.base = c.textOf(i, c.skip(i + 1, end)).replace(/\s+/g, ' ');
        i = c.skip(i + 1, end);
        out.typed = true;
      } else {
        if (out.typed) break;
        out.base = w;
        out.typed = true;
        i++;
      }
    }
    if (words.length) out.base = words.join(' ');
    out.next = i;
    return out;
  }

  /** `struct NAME`, `struct NAME { ... }` or `struct { ... }` at i; returns the index after it. */
  private aggregate(i: number, end: number, keyword: string, out: Specifiers): number {
    const c = this.c;
    const at = i;
    i = this.skipAttributes(i + 1, end);
    let tag = '';
    if (c.isIdent(i) && i < end) {
      tag = c.word(i);
      i++;
      i = this.skipAttributes(i, end);
      // An annotation macro before the tag (`struct __ec_align4 tag {`): the tag is the last word before the body.
      let k = i;
      let last = -1;
      while (k < end && c.isIdent(k) && !ATTRIBUTE_WORDS.has(c.word(k))) {
        last = k;
        k = this.skipAttributes(k + 1, end);
      }
      if (last >= 0 && k < end && c.is(k, LBRACE)) {
        tag = c.word(last);
        i = k;
      }
    }
    if (!c.is(i, LBRACE) || i >= end) {
      out.base = tag ? `${keyword} ${tag}` : '';
      return i;
    }
    const close = c.matchOf(i, end - 1);
    if (keyword === 'enum') {
      out.base = tag ? `enum ${tag}` : '';
      return close + 1;
    }
    const name = tag ? `${keyword} ${tag}` : `${keyword} <anon ${this.path}:${c.line(at)}>`;
    const fact: StructFact = { name, line: c.line(at), fields: [] };
    this.structs.push(fact);
    this.fields(i + 1, close, fact.fields);
    out.base = name;
    out.anonymousBody = !tag;
    out.defined = fact;
    return close + 1;
  }

  /** Fields of a struct body [a, b); members of anonymous struct/union members are lifted. */
  private fields(a: number, b: number, out: StructFact['fields']): void {
    const c = this.c;
    let i = a;
    while (i < b) {
      if (c.is(i, SEMI)) {
        i++;
        continue;
      }
      let stop = i;
      while (stop < b && !c.is(stop, SEMI)) stop = c.skip(stop, b);
      const spec = this.specifiers(i, stop);
      if (spec.typed) {
        const declarators = this.declarators(spec.next, stop);
        if (declarators.length === 0 && spec.anonymousBody && spec.defined) out.push(...spec.defined.fields);
        for (const d of declarators) out.push({ name: d.name, type: spec.base, ...(d.fnptr ? { fnptr: true } : {}), ...(d.isArray ? { array: true } : {}), ...(d.fnptr ? { params: this.parameterTypes(d) } : {}) });
      }
      i = stop + 1;
    }
  }

  /** Declarators of [a, b) separated by top-level commas, initializers and bit widths skipped. */
  declarators(a: number, b: number): Declarator[] {
    const out: Declarator[] = [];
    for (const [s, e] of this.c.split(a, b)) {
      const d = this.declarator(s, e);
      if (d) out.push(d);
    }
    return out;
  }

  /** One declarator at [a, b): pointers, a name or a parenthesised declarator, then suffixes. */
  declarator(a: number, b: number): Declarator | null {
    const c = this.c;
    let i = this.skipAttributes(a, b);
    while (i < b && (c.is(i, STAR) || (c.isIdent(i) && (QUALIFIERS.has(c.word(i)) || ATTRIBUTE_WORDS.has(c.word(i)))))) {
      i = ATTRIBUTE_WORDS.has(c.word(i)) ? this.skipAttributes(i, b) : i + 1;
    }
    if (i >= b) return null;
    let d: Declarator | null = null;
    let parenthesised = false;
    if (c.isIdent(i)) {
      d = { name: c.word(i), nameTok: i, fnptr: false, isFunction: false, isArray: false, params: null, next: i + 1 };
      i++;
    } else if (c.is(i, LPAREN)) {
      const close = c.matchOf(i, -1);
      if (close < 0 || close >= b) return null;
      d = this.declarator(i + 1, close);
      if (!d) return null;
      parenthesised = true;
      i = close + 1;
    } else return null;
    // Suffixes: `(params)` and `[size]`, outermost last; the first function suffix decides fnptr.
    let sawFunction = false;
    for (;;) {
      i = this.skipAttributes(i, b);
      if (i >= b) break;
      if (c.is(i, LPAREN)) {
        const close = c.matchOf(i, b - 1);
        if (!sawFunction) {
          if (parenthesised) d.fnptr = true;
          else d.isFunction = true;
          if (!d.params) d.params = [i, close];
        }
        sawFunction = true;
        i = close + 1;
      } else if (c.is(i, LBRACKET)) {
        d.isArray = true;
        i = c.skip(i, b);
      } else break;
    }
    d.next = i;
    return d;
  }

  /** The base types of a function pointer declarator's parameters (VarFact.params). */
  parameterTypes(d: Declarator): string[] {
    if (!d.params) return [];
    const types: { declared: boolean; type: string }[] = [];
    for (const [s, e] of this.c.split(d.params[0] + 1, d.params[1])) {
      if (e <= s) continue;
      const spec = this.specifiers(s, e);
      if (spec.typed) types.push({ declared: spec.next < e, type: spec.base });
    }
    return types.length === 1 && !types[0]!.declared && types[0]!.type === 'void' ? [] : types.map((t) => t.type);
  }

  /** Parameters of a function declarator's list (open, close). */
  parameters(open: number, close: number): VarFact[] {
    const params: VarFact[] = [];
    for (const [s, e] of this.c.split(open + 1, close)) {
      if (e <= s) continue;
      const spec = this.specifiers(s, e);
      if (!spec.typed) continue;
      const d = spec.next < e ? this.declarator(spec.next, e) : null;
      params.push({ name: d?.name ?? '', type: spec.base, ...(d?.fnptr || d?.isFunction ? { fnptr: true } : {}) });
    }
    return params.length === 1 && params[0]!.name === '' && params[0]!.type === 'void' ? [] : params;
  }

  /**
   * Variables of a declaration whose declarators are [a, b), with the bindings their
   * initializer lists make. `onInitializer` sees every initializer's range (for calls in locals).
   * `local` is set for a declaration in a function body: the function and its scope so far. A
   * function pointer (or an array of them) initialised with function names records pointer stores.
   */
  variables(spec: Specifiers, a: number, b: number, bindings: BindingFact[], onInitializer?: (s: number, e: number) => void, local?: { fn: string; scope: Scope }): { vars: VarFact[]; prototypes: string[] } {
    const c = this.c;
    const vars: VarFact[] = [];
    const prototypes: string[] = [];
    for (const [s, e] of c.split(a, b)) {
      let eq = s;
      while (eq < e && !c.is(eq, EQUALS)) eq = c.skip(eq, e);
      const d = this.declarator(s, eq);
      if (!d) continue;
      if (d.isFunction) {
        prototypes.push(d.name);
        continue;
      }
      const v: VarFact = d.fnptr ? { name: d.name, type: spec.base, fnptr: true, params: this.parameterTypes(d) } : { name: d.name, type: spec.base };
      if (!local && spec.isStatic) v.isStatic = true;
      vars.push(v);
      if (eq >= e) continue;
      onInitializer?.(eq + 1, e);
      if (c.is(eq + 1, LBRACE) && d.fnptr && d.isArray) this.pointerElements(eq + 1, d.name, bindings, local?.fn);
      else if (c.is(eq + 1, LBRACE) && spec.base) {
        // An array of a typedef type may hold functions (`static rx_fn_t tbl[] = { f, g }`).
        if (d.isArray && mayHoldFunction(v)) this.pointerElements(eq + 1, d.name, bindings, local?.fn, mayNameFunction);
        this.initializer(eq + 1, { k: 'type', name: spec.base }, [], d.isArray, d.name, bindings);
      }
      else if (!d.isArray && mayHoldFunction(v)) {
        const fn = this.x.passedName(eq + 1, e);
        if (fn && !local?.scope.get(fn)) bindings.push(pointerStore(d.name, fn, c.line(eq + 1), 'init', `${d.name} = ${fn}`, local?.fn, !!local));
        const load = !fn && local ? this.x.memberLoad(eq + 1, e, local.scope) : null;
        if (load) bindings.push(pointerLoad(d.name, load.root, load.field, c.line(eq + 1), 'init', `${d.name} = ${c.textOf(eq + 1, e).replace(/\s+/g, ' ')}`, local!.fn, true));
        const result = !fn && !load && local ? this.x.callResult(eq + 1, e) : null;
        if (result) bindings.push({ ...pointerStore(d.name, result.fn, c.line(eq + 1), 'init', `${d.name} = ${c.textOf(eq + 1, e).replace(/\s+/g, ' ')}`, local!.fn, true), call: { args: result.args } });
        if (!fn && !load && !result) bindings.push(...pointerArms(c, this.x, d.name, eq + 1, e, v, local?.scope, 'init', `${d.name} = ${c.textOf(eq + 1, e).replace(/\s+/g, ' ')}`, local?.fn, !!local));
      }
    }
    return { vars, prototypes };
  }

  /**
   * The entries of an array of function pointers initialised at `open`: `[IDX] = f` as
   * `tbl[IDX] = f`, a positional `f` as `tbl[N] = f` (pointer stores, see BindingFact.pointer).
   */
  private pointerElements(open: number, variable: string, out: BindingFact[], inFunction: string | undefined, keep: (name: string) => boolean = () => true): void {
    const c = this.c;
    const close = c.matchOf(open, -1);
    if (close < 0) return;
    let position = 0;
    for (const [s, e] of c.split(open + 1, close)) {
      if (e <= s) continue;
      let index = `[${position}]`;
      let v = s;
      if (c.is(s, LBRACKET)) {
        v = c.skip(s, e);
        index = c.textOf(s, v).replace(/\s+/g, '');
        if (c.is(v, EQUALS)) v++;
      }
      position++;
      const fn = v < e ? this.x.passedName(v, e) : null;
      if (fn && keep(fn)) out.push(pointerStore(variable, fn, c.line(v), 'init', `${variable}${index} = ${fn}`, inFunction, inFunction !== undefined));
    }
  }

  /**
   * Records every name stored by the initializer list opened at `open`, at any depth:
   * `.sendmsg = inet_sendmsg`, `.dst = { .output = ip_output }`, positional items as `#N`.
   */
  private initializer(open: number, root: TypeExpr, path: string[], elements: boolean, variable: string, out: BindingFact[]): void {
    const c = this.c;
    const close = c.matchOf(open, -1);
    if (close < 0) return;
    let position = 0;
    for (const [s, e] of c.split(open + 1, close)) {
      if (e <= s) continue;
      let members: string[] = elements ? [] : [`#${position}`];
      let v = s;
      // Designators: `.a.b =`, `[IDX] =`, `.a[2] =`, or the old `name:`.
      if (c.is(s, DOT) || c.is(s, LBRACKET)) {
        members = [];
        while (v < e && (c.is(v, DOT) || c.is(v, LBRACKET))) {
          if (c.is(v, DOT)) {
            if (c.isIdent(v + 1)) members.push(c.word(v + 1));
            v += 2;
          } else v = c.skip(v, e);
        }
        if (c.is(v, EQUALS)) v++;
      } else if (c.isIdent(s) && c.is(s + 1, COLON)) {
        members = [c.word(s)];
        v = s + 2;
      }
      position++;
      if (v >= e) continue;
      const subPath = members.length ? [...path, ...members] : path;
      if (c.is(v, LBRACE) && c.matchOf(v, -1) === e - 1) {
        this.initializer(v, root, subPath, false, variable, out);
        continue;
      }
      const name = this.x.passedName(v, e);
      if (name && subPath.length > 0) out.push({ root, path: subPath, fn: name, line: c.line(v), how: 'init', variable });
    }
  }
}

