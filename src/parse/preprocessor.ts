/**
 * Preprocessor facts of one file, shared by both extractors (the fast scanner and the
 * tree-sitter reference): its `#include` directives, and the condition each line sits under.
 *
 * Directives are found lexically, line by line (a directive is a line whose first non-blank
 * character is `#`; backslash-newlines continue it), on the file's source text. Nothing is
 * evaluated: conditions are kept as text in the normal form of {@link conditionText}.
 */

import type { DefineFact, FileFacts, IncludeFact } from '../types/facts.js';
import { lineStartMatches } from '../util/line-start-matches.js';

/**
 * True when what follows the name of an object-like `#define` is nothing, `1` or one identifier
 * (comments allowed): a feature macro. Not after `(` (a function-like macro). Linear in the text
 * (register headers hold millions of `#define NAME<tabs>0x...`).
 */
function isFeatureValue(after: string): boolean {
  if (after !== '' && after[0] !== ' ' && after[0] !== '\t') return false;
  const value = after.replace(/\/\*.*?\*\/|\/\*.*$|\/\/.*$/g, '').trim();
  return value === '' || value === '1' || /^[A-Za-z_]\w*$/.test(value);
}

/** The head of a `#define`'s text (DIRECTIVE's second group): its name, then the white space after it. */
const DEFINE_HEAD = /^\s*([A-Za-z_]\w*)(\s*)/;

/**
 * isFeatureValue of what follows the name `head` (DEFINE_HEAD's match on `rest`) found, answered
 * at once when the value's first character (after the name's white space) is no `/`, which could
 * open a comment, and cannot start a feature value: no letter, `_` or `1`. Nothing but white space
 * comes before that character, so it is the first of the value once comments are dropped and the
 * rest trimmed. The x86 tree's register headers (a third of its bytes) hold millions of
 * `#define REG<tabs>0x...`, whose white space and value cost the parse workers seconds when
 * sliced, stripped of comments and trimmed (profile of a cold index, 2026-12-03).
 */
function followsFeatureValue(rest: string, head: RegExpExecArray): boolean {
  const nameEnd = head[0].length - head[2]!.length;
  const valueAt = head[0].length;
  if (valueAt < rest.length && !mayStartFeatureValue(rest.charCodeAt(valueAt))) return false;
  return isFeatureValue(rest.slice(nameEnd));
}

/** True for a character other than white space that a feature value's text may start with: `/` (a comment), a name's first character or `1`. */
function mayStartFeatureValue(c: number): boolean {
  return c === 0x2f || c === 0x31 || c === 0x5f || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * A directive line: its word, the text after it (the rest of the logical line), and its first and
 * last lines (1-based). Tried at the start of each line whose first non-blank character is `#`
 * (util/line-start-matches.ts), as `^` with the m flag would be, but not at every position.
 */
const DIRECTIVE = /[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|include|define)\b([^\n\\]*(?:\\\r?\n[^\n\\]*|\\(?!\r?\n)[^\n\\]*)*)/y;

/** One open `#if` group: the negations of the branches already passed, and the live branch's term. */
interface Group {
  passed: string[];
  /** The live branch's term; null in an `#else`. */
  term: string | null;
  /** The group is a header's include guard (`#ifndef _FOO_H` then `#define _FOO_H`): it adds no term. */
  guard: boolean;
}

/**
 * The normal form of one directive's expression: comments and line continuations removed,
 * white space collapsed to single spaces, none after `(` or `!` nor before `)`, and
 * `defined X` / `defined ( X )` written `defined(X)`.
 */
export function normaliseCondition(expr: string): string {
  return expr
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ' ')
    .replace(/\/\*.*$/, ' ') // a comment that goes on past the directive's line
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/([(!]) /g, '$1')
    .replace(/ \)/g, ')')
    .replace(/\bdefined ?\(?([A-Za-z_]\w*)\)?/g, 'defined($1)')
    .trim();
}

/** True for a term that needs no parentheses beside `&&`: a name, `f(args)` without nested parentheses, or `!(...)` as a whole. */
function isAtomic(term: string): boolean {
  if (/^[A-Za-z_0-9]\w*(?:\([^()]*\))?$/.test(term)) return true;
  if (!term.startsWith('!(')) return false;
  let depth = 0;
  for (let i = 1; i < term.length; i++) {
    if (term[i] === '(') depth++;
    else if (term[i] === ')' && --depth === 0) return i === term.length - 1;
  }
  return false;
}

/**
 * The condition of a line, in normal form, from the terms of its enclosing groups, outermost
 * first. A group's terms are `!(T)` for each earlier branch term T (an `#elif` or `#else`
 * follows them), then the live branch's own term: `defined(X)` for `#ifdef X`, `!(defined(X))`
 * for `#ifndef X`, the normalised expression (normaliseCondition) for `#if` and `#elif`, none
 * for `#else`. One term is written as it is; several are joined by ` && `, each in parentheses
 * unless it is a name, a call without nested parentheses (`defined(X)`, `IS_ENABLED(CONFIG_X)`)
 * or a whole `!(...)`. Undefined when there are no terms (unconditional code).
 * Example: `#if CONFIG_X > 2` / `#ifdef Y` / `#else` gives `(CONFIG_X > 2) && !(defined(Y))`.
 */
export function conditionText(terms: string[]): string | undefined {
  if (terms.length === 0) return undefined;
  if (terms.length === 1) return terms[0];
  return terms.map((t) => (isAtomic(t) ? t : `(${t})`)).join(' && ');
}

/** The preprocessor facts of a file's text: its includes, and the condition of each line. */
export interface PreprocessorFacts {
  includes: IncludeFact[];
  /** Object-like feature macros defined (see DefineFact). */
  defines: DefineFact[];
  /** The condition (conditionText) of code on a 1-based line; undefined for unconditional code. */
  conditionAt(line: number): string | undefined;
}

/** The last text read and what was read from it: a file's extractor and its invocation reader read the same text. */
let lastRead: { source: string; facts: PreprocessorFacts } | null = null;

/**
 * Reads the directives of `source` (see the module comment). Unbalanced `#endif`s are ignored;
 * groups left open run to the end. The same text read again in a row gives the same object (one
 * pass per file for the extractor's conditions and the macro invocations'): callers do not mutate it.
 */
export function readPreprocessor(source: string): PreprocessorFacts {
  if (lastRead?.source === source) return lastRead.facts;
  const facts = readDirectives(source);
  lastRead = { source, facts };
  return facts;
}

function readDirectives(source: string): PreprocessorFacts {
  const includes: IncludeFact[] = [];
  const defines: DefineFact[] = [];
  // Condition spans: from line spanFrom[k] on, code sits under spanCond[k].
  const spanFrom: number[] = [1];
  const spanCond: (string | undefined)[] = [undefined];
  const groups: Group[] = [];
  let line = 1;
  let counted = 0;
  let directives = 0;
  let guardCandidate: Group | null = null;
  let guardName = '';
  const lineOf = (at: number): number => {
    for (let nl = source.indexOf('\n', counted); nl >= 0 && nl < at; nl = source.indexOf('\n', nl + 1)) line++;
    counted = at;
    return line;
  };
  const current = (): string | undefined => {
    const terms: string[] = [];
    for (const g of groups) {
      if (g.guard) continue;
      terms.push(...g.passed);
      if (g.term !== null) terms.push(g.term);
    }
    return conditionText(terms);
  };
  for (const m of lineStartMatches(source, '#', DIRECTIVE)) {
    const word = m[1]!;
    const rest = m[2]!;
    const first = lineOf(m.index);
    const last = lineOf(m.index + m[0].length);
    const candidate = guardCandidate;
    guardCandidate = null;
    directives++;
    if (word === 'include') {
      const inc = /^\s*(?:"([^"\n]+)"|<([^>\n]+)>)/.exec(rest);
      if (inc) {
        const fact: IncludeFact = { path: (inc[1] ?? inc[2])!, system: inc[2] !== undefined, line: first };
        const cond = current();
        if (cond !== undefined) fact.cond = cond;
        includes.push(fact);
      }
      continue;
    }
    if (word === 'define') {
      const head = DEFINE_HEAD.exec(rest);
      const name = head?.[1];
      if (candidate && name === guardName) candidate.guard = true;
      else {
        if (name && followsFeatureValue(rest, head!)) {
          const after = rest.slice(head![0].length - head![2]!.length);
          const fact: DefineFact = { name, line: first };
          const value = after.replace(/\/\*.*?\*\/|\/\*.*$|\/\/.*$/g, '').trim();
          if (/^[A-Za-z_]\w*$/.test(value) && value !== name) fact.value = value;
          const cond = current();
          if (cond !== undefined) fact.cond = cond;
          defines.push(fact);
        }
        continue;
      }
    } else if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
      const name = /^\s*([A-Za-z_]\w*)/.exec(rest)?.[1] ?? '';
      const term = word === 'if' ? normaliseCondition(rest) : word === 'ifdef' ? `defined(${name})` : `!(defined(${name}))`;
      const group: Group = { passed: [], term, guard: false };
      groups.push(group);
      if (word === 'ifndef' && directives === 1) {
        guardCandidate = group;
        guardName = name;
      }
    } else if (word === 'elif' || word === 'else') {
      const g = groups[groups.length - 1];
      if (!g) continue;
      if (g.guard) g.guard = false; // a guard has no other branch: it was a plain condition after all
      if (g.term !== null) g.passed.push(`!(${g.term})`);
      g.term = word === 'elif' ? normaliseCondition(rest) : null;
    } else if (word === 'endif') {
      if (groups.pop() === undefined) continue;
    }
    spanFrom.push(last + 1);
    spanCond.push(current());
  }
  return {
    includes,
    defines,
    conditionAt(at: number): string | undefined {
      let lo = 0;
      let hi = spanFrom.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (spanFrom[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      return spanCond[lo];
    },
  };
}

/**
 * Sets `includes` on the facts of the file `source`, `cond` on each of its function definitions
 * and function-like macros, and `cond` on each call of a function body whose line sits under
 * another condition than the function's name (a call inside an `#ifdef` block of the body).
 */
export function addPreprocessorFacts(facts: FileFacts, source: string): FileFacts {
  const pp = readPreprocessor(source);
  facts.includes = pp.includes;
  if (pp.defines.length) facts.defines = pp.defines;
  for (const item of [...facts.functions, ...facts.macros]) {
    const cond = pp.conditionAt(item.line);
    if (cond !== undefined) item.cond = cond;
  }
  for (const fn of facts.functions) {
    for (const call of fn.calls) {
      const cond = pp.conditionAt(call.line);
      if (cond !== fn.cond && cond !== undefined) call.cond = cond;
    }
  }
  return facts;
}
