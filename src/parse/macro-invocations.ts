/**
 * Macro invocations at file scope and the bodies of the macros that define things, read
 * lexically from a file's text, the same for both extractors (like its #include directives).
 *
 * They are the parse stage's half of the expansion of definer macros (issue 12, kind 6): a
 * macro whose body defines a function or an object (`DEFINE_SHOW_ATTRIBUTE(x)` makes `x_open`
 * and `x_fops`) is often defined in a header and invoked in a .c file, and the parse stage reads
 * one file at a time. So each file records what it invokes at file scope (name, raw arguments,
 * storage words before it, what follows it up to `;`) and the bodies of its definer macros; the
 * index stage, where every file's facts are known, expands the invocations (index/expand-definers.ts).
 */
import type { FileFacts, MacroInvocation } from '../types/facts.js';
import { C_KEYWORDS } from '../util/c-identifier.js';
import { readPreprocessor } from './preprocessor.js';

/** Words that may stand before a definer's invocation (`static DECLARE_WORK(w, f);`). */
const STORAGE = new Set(['static', 'const', 'extern', 'volatile', '__maybe_unused', '__used', '__initdata', '__read_mostly']);



/** Text with comments blanked and string/char literals kept, newlines kept (so lines still count). */
export function withoutComments(text: string): string {
  if (!text.includes('/')) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = literalEnd(text, i);
      continue;
    }
    if (ch !== '/') continue;
    const next = text[i + 1];
    if (next !== '*' && next !== '/') continue;
    const end = next === '*' ? text.indexOf('*/', i + 2) : text.indexOf('\n', i + 2);
    const stop = end < 0 ? text.length : next === '*' ? end + 2 : end;
    out += text.slice(from, i) + text.slice(i, stop).replace(/[^\n]/g, ' ');
    from = stop;
    i = stop - 1;
  }
  return out + text.slice(from);
}

/** The index of the quote closing the literal that opens at `i` (or the end of its line). */
export function literalEnd(text: string, i: number): number {
  const q = text[i];
  for (let k = i + 1; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text[k] === q || text[k] === '\n') return k;
  }
  return text.length - 1;
}

/** The index of the bracket closing the one at `i` ((, [ or {), skipping literals; -1 when unclosed. */
export function closingOf(text: string, i: number): number {
  let depth = 0;
  for (let k = i; k < text.length; k++) {
    const ch = text[k]!;
    if (ch === '"' || ch === "'") k = literalEnd(text, k);
    else if (ch === '/' && (text[k + 1] === '*' || text[k + 1] === '/')) {
      const end = text[k + 1] === '*' ? text.indexOf('*/', k + 2) : text.indexOf('\n', k + 2);
      if (end < 0) return -1;
      k = text[k + 1] === '*' ? end + 1 : end - 1;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && --depth === 0) return k;
  }
  return -1;
}

/** `text` split at each `separator` outside brackets and string or character literals, exact text kept. */
function splitOutside(text: string, separator: ',' | ';'): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k]!;
    if (ch === '"' || ch === "'") k = literalEnd(text, k);
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === separator && depth === 0) {
      out.push(text.slice(from, k));
      from = k + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

/** Arguments of an invocation split at top-level commas, each trimmed with whitespace collapsed. */
export function splitArguments(text: string): string[] {
  const args = splitOutside(text, ',').map((a) => a.replace(/\s+/g, ' ').trim());
  return args.length === 1 && args[0] === '' ? [] : args;
}

/** What a macro body is: a definition (`static int x##_open(...) {...}`), a brace initializer, or a list of invocations. */
export type BodyKind = 'defines' | 'init' | 'list';

const STATEMENT_START = /^(?:return|do|if|while|for|switch|goto|break|continue|case|default|else|sizeof|typeof|__typeof__|asm|__asm__)\b/;

/**
 * What a macro's body (whitespace collapsed) may make at file scope: 'defines' for a function or
 * an object (a type, then a declarator name, then `(`, `=`, `[`, `;`, an annotation or the end:
 * `static int x ## _open(...) {...}`, `struct work_struct n = ...`), 'init' for a brace initializer
 * (`{ .func = (f) }`, which a definer's initializer may name), 'list' for invocations only
 * (`A(x); B(y)`), which may be definers themselves (the index stage keeps those that reach one);
 * null for anything else (an expression, a statement).
 */
export function bodyKind(body: string): BodyKind | null {
  const b = body.trim();
  if (b.startsWith('{')) return 'init';
  if (STATEMENT_START.test(b)) return null;
  if (/^(?:[A-Za-z_]\w*\s+)+\**\s*[A-Za-z_]\w*(?:\s*##\s*\w+)*\s*(?:\(|=|\[|;|$|[A-Za-z_])/.test(b)) return 'defines';
  if (!/^[A-Za-z_]\w*\s*\(/.test(b)) return null;
  const list = splitStatements(b).every((s) => /^[A-Za-z_]\w*\s*\(.*\)$/s.test(s) && !STATEMENT_START.test(s));
  return list ? 'list' : null;
}

/**
 * True when a macro body ends with a name, pasted or not (`paging##64_##name`,
 * `... = class_##_name##_constructor`), not a member (`x->f`): an invocation of the macro may then
 * be called as that name (`FNAME(fetch)(v)`), see index/expand-macro-calls.ts.
 */
export function endsWithName(body: string): boolean {
  return /(?:^|[^\w$.>#])\s*[A-Za-z_]\w*(?:\s*##\s*\w+)*$/.test(body);
}

/** A body's top-level statements, split at `;` outside brackets, trimmed, empty ones dropped. */
export function splitStatements(body: string): string[] {
  return splitOutside(body, ';').map((s) => s.trim()).filter((s) => s !== '');
}

/** What readInvocations finds in one file. */
export interface InvocationFacts {
  invocations: MacroInvocation[];
  /** Function-like macros whose body may define (bodyKind): name, 1-based line of the `#define`, body (whitespace collapsed). */
  bodies: { name: string; line: number; body: string }[];
}

/**
 * The invocations at file scope of `source` and its definer macros' bodies (see the module
 * comment). An invocation is a name followed by `(...)`, at the start of a file-scope statement
 * (after storage words), then `;`, `= ...;` (an initializer, kept as `rest`), or the end of the
 * line with no body after it. Names in `skip` (the profile's registration macros) are left out.
 */
export function readInvocations(source: string, skip: ReadonlySet<string> = new Set(), heads?: (name: string) => boolean): InvocationFacts {
  const text = source;
  const invocations: MacroInvocation[] = [];
  const bodies: InvocationFacts['bodies'] = [];
  // Lines are counted on demand, forward only.
  let line = 1;
  let counted = 0;
  const lineAt = (at: number): number => {
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) line++;
    counted = Math.max(counted, at);
    return line;
  };
  let depth = 0;
  let atStart = true;
  const storage: string[] = [];
  // At file scope every token counts; inside braces only what can hide or move a brace.
  const outer = new RegExp(OUTER.source, 'gm');
  const inner = new RegExp(INNER.source, 'gm');
  let at = 0;
  while (at < text.length) {
    const re = depth === 0 ? outer : inner;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) break;
    const token = m[0];
    at = m.index + token.length;
    const c = token.charCodeAt(0);
    if (c === 47 /* / */ || c === 34 /* " */ || c === 39 /* ' */) {
      if (c !== 47) atStart = false;
      continue;
    }
    if (token.trimStart().startsWith('#')) {
      const def = /^\s*#\s*define\s+([A-Za-z_]\w*)\(([^)]*)\)/.exec(token);
      if (def) {
        const body = withoutComments(token.slice(def[0].length)).replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
        if (body && (bodyKind(body) || endsWithName(body))) bodies.push({ name: def[1]!, line: lineAt(m.index + token.indexOf('#')), body });
      }
      if (depth === 0) {
        atStart = true;
        storage.length = 0;
      }
      continue;
    }
    if (token === '{') {
      depth++;
      continue;
    }
    if (token === '}') {
      if (depth > 0) depth--;
      if (depth === 0) {
        atStart = true;
        storage.length = 0;
      }
      continue;
    }
    if (token === ';') {
      atStart = true;
      storage.length = 0;
      continue;
    }
    // A name at file scope.
    if (!atStart) continue;
    if (STORAGE.has(token)) {
      storage.push(token);
      continue;
    }
    let open = at;
    while (text[open] === ' ' || text[open] === '\t') open++;
    const invocation = text[open] === '(' && !C_KEYWORDS.has(token) && !skip.has(token) ? readInvocation(text, token, open, storage, heads) : null;
    atStart = false;
    if (invocation) {
      invocation.fact.line = lineAt(m.index);
      if (invocation.restAt !== undefined) {
        const restLine = lineAt(invocation.restAt);
        if (restLine !== invocation.fact.line) invocation.fact.restLine = restLine;
      }
      invocations.push(invocation.fact);
      at = invocation.end;
      // After its `;`, or at the end of its own lines with no `;` (readInvocation ends it at its `)`), a statement starts.
      atStart = text[invocation.end - 1] === ';' || text[invocation.end - 1] === ')';
      storage.length = 0;
    }
  }
  return { invocations, bodies };
}

/** Comments, literals, directive lines (with continuations), braces, `;` and names: the tokens at file scope. */
const OUTER = /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|\/\/[^\n]*|"(?:\\[\s\S]|[^"\\\n])*"?|'(?:\\[\s\S]|[^'\\\n])*'?|^[ \t]*#(?:\\\r?\n|[^\n])*|[{};]|[A-Za-z_$][\w$]*/;
/** Inside braces: comments, literals, directive lines and braces only. */
const INNER = /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|\/\/[^\n]*|"(?:\\[\s\S]|[^"\\\n])*"?|'(?:\\[\s\S]|[^'\\\n])*'?|^[ \t]*#(?:\\\r?\n|[^\n])*|[{}]/;

/**
 * An initializer after an invocation as MacroInvocation.rest: comments out, each line's
 * whitespace collapsed, the lines kept (a directive line stays one, `#ifdef CONFIG_SMP`), blank
 * lines kept too so that the n-th line is the n-th line written.
 */
function restLines(text: string): string {
  return withoutComments(text).split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).join('\n').trimEnd();
}

/** The invocation whose `(` is at `open`, up to what ends it; null when a body or a declarator follows. */
function readInvocation(text: string, name: string, open: number, storage: string[], heads?: (name: string) => boolean): { fact: MacroInvocation; end: number; restAt?: number } | null {
  const close = closingOf(text, open);
  if (close < 0) return null;
  let k = close + 1;
  let crossed = false;
  while (k < text.length && /\s/.test(text[k]!)) {
    if (text[k] === '\n') crossed = true;
    k++;
  }
  const fact: MacroInvocation = { name, args: splitArguments(withoutComments(text.slice(open + 1, close))), line: 0 };
  if (storage.length) fact.storage = storage.join(' ');
  if (text[k] === ';') return { fact, end: k + 1 };
  if (text[k] === '=') {
    // An initializer after the invocation, to the `;` outside brackets.
    let e = k + 1;
    while (e < text.length && text[e] !== ';') {
      if (text[e] === '{' || text[e] === '(' || text[e] === '[') {
        const c = closingOf(text, e);
        if (c < 0) return null;
        e = c + 1;
      } else if (text[e] === '"' || text[e] === "'") e = literalEnd(text, e) + 1;
      else e++;
    }
    fact.rest = restLines(text.slice(k, e));
    return { fact, end: Math.min(e + 1, text.length), restAt: k };
  }
  if (crossed && text[k] !== '{') return { fact, end: close + 1 };
  // A macro heading the function whose body follows: the body is read as any function's.
  if (text[k] === '{' && heads?.(name)) return { fact: { ...fact, heads: true }, end: close + 1 };
  return null;
}

/**
 * Sets `invocations` on the facts of the file `source`, and `body` on its function-like macros that
 * may define (bodyKind); the condition of each invocation's and registration's line (`cond`). `heads` names the macros that head a function written after them
 * (MacroInvocation.heads); their invocations are kept with a body after them too.
 */
export function addInvocationFacts(facts: FileFacts, source: string, skip?: ReadonlySet<string>, heads?: (name: string) => boolean): FileFacts {
  const { invocations, bodies } = readInvocations(source, skip, heads);
  // The registrations (read before: file-parser.ts) take the conditions of their lines as invocations do, from the same reading.
  const registrations = facts.registrations ?? [];
  const pp = (invocations.length || registrations.length) && source.includes('#if') ? readPreprocessor(source) : null;
  for (const at of [...invocations, ...registrations]) {
    const cond = pp?.conditionAt(at.line);
    if (cond !== undefined) at.cond = cond;
  }
  if (invocations.length) facts.invocations = invocations;
  if (bodies.length) {
    const at = new Map(bodies.map((b) => [`${b.name}:${b.line}`, b.body]));
    for (const m of facts.macros) {
      const body = at.get(`${m.name}:${m.line}`);
      if (body !== undefined) m.body = body;
    }
  }
  return facts;
}
