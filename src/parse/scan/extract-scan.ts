import type { BindingFact, FileFacts, FunctionFact, MacroFact } from '../../types/facts.js';
import { macroFact } from '../extract-macros.js';
import { fieldAliasOf, isNameAlias } from '../extract-types.js';
import type { DefinedName, Neutraliser } from '../neutralise.js';
import { withoutKeywordNames } from '../keyword-names.js';
import { normaliseUcnNames } from '../normalise-names.js';
import type { CallRules } from '../rules.js';
import { addPreprocessorFacts } from '../preprocessor.js';
import { dropReturns, returnsFunction } from '../pointer-stores.js';
import { passesFrameAddress, returnsVoid } from '../tail-calls.js';
import { type BodyCalls, BodyReader } from './bodies.js';
import { C_KEYWORDS } from '../../util/c-identifier.js';
import { ATTRIBUTE_WORDS, Cursor, NOT_CALLEES, STORAGE } from './cursor.js';
import { type Declarator, DeclarationReader } from './declarations.js';
import { oldStyleDefinition } from './old-style.js';
import { TokenExprs } from './token-exprs.js';
import { declaresNoinline, declaresWeak } from '../head-attributes.js';
import { type DefineDirective, STRING, tokenize } from './tokens.js';
import { LPAREN, RPAREN, STAR, SEMI, EQUALS, RBRACKET, LBRACE, RBRACE } from './chars.js';


/** Comments in a macro's value, blanked with newlines kept (the grammar leaves them out of the value). */
function withoutComments(value: string): string {
  if (!value.includes('/')) return value;
  return value.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' ')).trimEnd();
}

/**
 * The fast extractor: the facts of one file from a single tokenizing pass and a light parse
 * of declarations and function bodies, without building a syntax tree. It answers like the
 * tree-sitter extractor (../extract-file.ts) on the C that matters here, several times faster.
 */
export function scanFile(path: string, source: string, neutraliser: Neutraliser, rules: CallRules): FileFacts {
  const { text, defined } = neutraliser.run(source);
  const macros: MacroFact[] = [];
  const fieldAliases: [string, string[]][] = [];
  const aliasMacros: string[] = [];
  const defines: DefineDirective[] = [];
  const tokens = tokenize(text, (d) => defines.push(d), rules.dropped);
  const c = new Cursor(tokens);
  for (const d of defines) {
    const value = withoutComments(d.value);
    if (d.params) macros.push(macroFact(d.name, d.params, value, c.lineAt(d.at), value ? c.lineAt(d.valueAt) : 0));
    else {
      const alias = fieldAliasOf(d.name, value);
      if (alias) fieldAliases.push(alias);
      if (isNameAlias(value)) aliasMacros.push(d.name);
    }
  }
  const x = new TokenExprs(c, rules);
  const decls = new DeclarationReader(c, x, path);
  const bodies = new BodyReader(c, x, decls, rules);
  const definedByName = new Map(defined.map((d) => [d.name, d]));
  const facts: FileFacts = {
    path,
    hash: '',
    parseErrors: tokens.unbalanced,
    functions: [],
    macros,
    structs: decls.structs,
    typedefs: [],
    globals: [],
    prototypes: [],
    bindings: [],
    includes: [],
    fieldAliases,
    aliasMacros,
  };
  const fileBindings: BindingFact[] = [];
  const n = c.count;
  let i = 0;
  while (i < n) {
    if (c.is(i, SEMI) || c.is(i, RBRACE) || c.is(i, RPAREN) || c.is(i, RBRACKET)) {
      i++;
      continue;
    }
    const old = oldStyleDefinition(c, decls, i, n);
    if (old) {
      const close = c.matchOf(old.brace, n - 1);
      const mark = facts.bindings.length;
      const body = bodies.read(old.brace, close, old.d.name, old.params, facts.bindings);
      facts.functions.push(keepReturns(functionFact(c, rules, old, old.params, body, i, old.brace, close, definedByName, old.spec.isStatic), facts.bindings, mark));
      i = close + 1;
      continue;
    }
    // A macro invocation on its own lines without `;` (`BTF_ID_LIST_SINGLE(a, b, c)`) is not part of what follows.
    if (c.isIdent(i) && c.is(i + 1, LPAREN)) {
      const close = c.matchOf(i + 1, -1);
      if (close > 0 && c.isIdent(close + 1) && c.line(close + 1) > c.line(close)) {
        i = close + 1;
        continue;
      }
    }
    // The head of an external declaration runs to `;`, `=` or a body `{` (struct bodies are part of it).
    let j = i;
    let aggregateAt = -1;
    while (j < n) {
      if (c.isIdent(j) && isAggregateWord(c.word(j))) aggregateAt = j;
      if (c.is(j, LBRACE)) {
        if (aggregateAt < 0 || !opensAggregateBody(c, aggregateAt, j)) break;
      } else if (c.is(j, SEMI) || c.is(j, EQUALS) || c.is(j, RBRACE)) break;
      j = c.skip(j, n);
    }
    if (j >= n || c.is(j, RBRACE)) {
      i = Math.max(j, i + 1);
      continue;
    }
    // `extern "C" {` (C++ linkage, in headers under __cplusplus): its declarations are read as file scope.
    if (j === i + 2 && c.is(j, LBRACE) && c.isIdent(i) && c.word(i) === 'extern' && c.t.kind[i + 1] === STRING) {
      i = j + 1;
      continue;
    }
    if (c.is(j, LBRACE)) {
      const close = c.matchOf(j, n - 1);
      const fn = functionHead(c, decls, i, j);
      if (fn) {
        const params = fn.d.params ? decls.parameters(fn.d.params[0], fn.d.params[1]) : [];
        const mark = facts.bindings.length;
        const body = bodies.read(j, close, fn.d.name, params, facts.bindings);
        facts.functions.push(keepReturns(functionFact(c, rules, fn, params, body, fn.start, j, close, definedByName, fn.spec.isStatic), facts.bindings, mark));
      } else if (!alternativeBody(c, i, j)) facts.parseErrors++;
      i = close + 1;
      continue;
    }
    // A declaration: to the `;` that ends it.
    let end = j;
    while (end < n && !c.is(end, SEMI)) end = c.skip(end, n);
    fileScopeDeclaration(c, decls, i, end, facts, fileBindings);
    i = end + 1;
  }
  facts.bindings.push(...fileBindings);
  return withoutKeywordNames(normaliseUcnNames(addPreprocessorFacts(facts, source), source));
}

/** `f` as is, its returned facts (bindings from `mark` on) dropped unless it may return a function (returnsFunction). */
function keepReturns(f: FunctionFact, bindings: BindingFact[], mark: number): FunctionFact {
  if (!returnsFunction(f.name, f.signature, f.returns)) dropReturns(bindings, mark);
  return f;
}

/**
 * A block right after a function body with `#else` or `#elif` between them: the other branch's
 * body of the same definition (`f(...) { ... } #else { ... } #endif`), which the scanner, reading
 * the first branch, passes over. Not a parse error.
 */
function alternativeBody(c: Cursor, i: number, brace: number): boolean {
  if (i !== brace || !c.is(brace - 1, RBRACE)) return false;
  return /^[ \t]*#[ \t]*(else|elif)/m.test(c.t.text.slice(c.t.end[brace - 1]!, c.t.start[brace]!));
}

/** The `{` at brace opens the body of the struct/union/enum keyword at a: only tags and annotations between them (`struct __packed_attr tag {`). */
function opensAggregateBody(c: Cursor, a: number, brace: number): boolean {
  for (let k = a + 1; k < brace; ) {
    if (!c.isIdent(k)) return false;
    k = ATTRIBUTE_WORDS.has(c.word(k)) && c.is(k + 1, LPAREN) ? c.skip(k + 1, brace) : k + 1;
  }
  return true;
}

const isAggregateWord = (w: string): boolean => w === 'struct' || w === 'union' || w === 'enum';

interface FunctionHead {
  d: Declarator;
  spec: { base: string; isStatic: boolean };
  /** First token of the definition (its specifiers). */
  start: number;
}

/**
 * The declarator of a function definition whose head is [a, b); null when the head declares no
 * function. Its specifiers are read once either way, which records the struct definitions in them.
 */
function functionHead(c: Cursor, decls: DeclarationReader, a: number, b: number): FunctionHead | null {
  // Usually the name stands before the last parenthesised group; what precedes it up to a `)`
  // or `;` is the return type (a macro invocation without `;` may come before: `DEFINE_X(y)\nint f(void) {`).
  let last = -1;
  for (let i = a; i < b; i = c.skip(i, b)) {
    if (c.is(i, LPAREN) && !(c.isIdent(i - 1) && ATTRIBUTE_WORDS.has(c.word(i - 1)))) last = i;
  }
  if (last > a && c.isIdent(last - 1) && decls.skipAttributes(c.matchOf(last, b) + 1, b) === b) {
    const name = last - 1;
    // Unknown annotation words between the type and the name (`void __init_or_module f(...)`) are passed over.
    if (!NOT_CALLEES.has(c.word(name)) && !STORAGE.has(c.word(name))) {
      let h = name;
      while (h > a && (c.isIdent(h - 1) || c.is(h - 1, STAR))) h--;
      const spec = decls.specifiers(h, name);
      return { d: { name: c.word(name), nameTok: name, fnptr: false, isFunction: true, isArray: false, params: [last, c.matchOf(last, b)], next: last }, spec, start: h };
    }
  }
  const spec = decls.specifiers(a, b);
  const d = spec.next < b ? decls.declarator(spec.next, b) : null;
  if (d?.isFunction) return { d, spec, start: a };
  // A macro that makes a function, without a return type: `BPF_CALL_2(name, ...) {`.
  let i = a;
  while (i < b && c.isIdent(i) && (c.word(i) === 'static' || c.word(i) === 'inline')) i++;
  // A statement (`if (x) {`) met outside a body, after a stray `}`, is not one.
  if (c.isIdent(i) && c.is(i + 1, LPAREN) && !C_KEYWORDS.has(c.word(i)) && !NOT_CALLEES.has(c.word(i))) {
    const close = c.matchOf(i + 1, -1);
    if (close > 0 && decls.skipAttributes(close + 1, b) === b) {
      return { d: { name: c.word(i), nameTok: i, fnptr: false, isFunction: true, isArray: false, params: [i + 1, close], next: close + 1 }, spec: { base: '', isStatic: spec.isStatic }, start: a };
    }
  }
  return null;
}

function functionFact(c: Cursor, rules: CallRules, head: Pick<FunctionHead, 'd' | 'spec'>, params: FunctionFact['params'], body: BodyCalls, a: number, brace: number, close: number, defined: Map<string, DefinedName>, isStatic: boolean): FunctionFact {
  const t = c.t;
  const fact: FunctionFact = {
    name: head.d.name,
    line: c.line(head.d.nameTok),
    endLine: c.lineAt(t.end[close]! - 1),
    ...(isStatic ? { isStatic } : {}),
    signature: rules.signature(t.text.slice(t.start[a]!, t.start[brace]!)),
    returns: head.spec.base,
    params,
    calls: body.calls,
  };
  // The scanner drops annotation words while tokenizing: they stand between the token before the head and its first.
  const before = t.text.slice(a > 0 ? t.end[a - 1]! : 0, t.start[a]!);
  const headText = t.text.slice(t.start[a]!, t.start[brace]!);
  if (declaresNoinline(before, headText)) fact.noinline = true;
  if (declaresWeak(before, headText)) fact.weak = true;
  const returnsNothing = returnsVoid(fact.returns, fact.signature, fact.name);
  const tails = body.tails + (returnsNothing ? body.lastTails : 0);
  for (const call of returnsNothing ? [...body.tailCalls, ...body.lastTailCalls] : body.tailCalls) if (!passesFrameAddress.has(call)) call.tail = true;
  if (body.calls.length > 0 && tails === body.calls.length && (!isStatic || fact.noinline)) fact.tailCalls = true;
  const made = defined.get(fact.name);
  if (made) {
    fact.aliases = made.aliases;
    fact.definer = made.macro;
  }
  return fact;
}

/** typedefs, file-scope variables (with their initializer bindings) and prototypes of one declaration [a, b). */
function fileScopeDeclaration(c: Cursor, decls: DeclarationReader, a: number, b: number, facts: FileFacts, bindings: BindingFact[]): void {
  // `EXPORT_SYMBOL(foo);` and other macro invocations are statements, not declarations.
  if (c.isIdent(a) && c.is(a + 1, LPAREN) && c.matchOf(a + 1, -1) === b - 1) return;
  const spec = decls.specifiers(a, b);
  if (!spec.typed) return;
  if (spec.isTypedef) {
    const ds = decls.declarators(spec.next, b);
    if (spec.defined && spec.anonymousBody && ds[0]) spec.defined.name = ds[0].name;
    const base = spec.defined && spec.anonymousBody && ds[0] ? ds[0].name : spec.base;
    for (const d of ds) if (base !== d.name) facts.typedefs.push([d.name, base]);
    return;
  }
  const { vars, prototypes } = decls.variables(spec, spec.next, b, bindings);
  facts.globals.push(...vars);
  for (const p of prototypes) facts.prototypes.push([p, spec.base]);
}
