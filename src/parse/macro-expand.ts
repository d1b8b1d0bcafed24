/**
 * Textual expansion of function-like macros whose bodies define things (issue 12, kind 6):
 * parameter substitution with `#` stringising, `##` pasting and `__VA_ARGS__`, then, in the
 * result, invocations of other known macros at file scope (a definer that invokes definers) and
 * in initializers (`= __WORK_INITIALIZER(n, f)`), to a bounded depth. Function bodies in the
 * result are left as written: a call to a macro there is a call, as in any body.
 */
import { type BodyKind, closingOf, splitArguments, splitStatements } from './macro-invocations.js';

export type { BodyKind } from './macro-invocations.js';

/** A macro the expander knows: its parameters (`...` for a variadic one), body and kind. */
export interface KnownMacro {
  params: string[];
  body: string;
  kind: BodyKind;
}

/** Expansions nested deeper than this are left as written. */
export const MAX_DEPTH = 6;

/** `"text"`: the C string literal of an argument, as `#` makes it. */
const stringised = (arg: string): string => `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The body of `macro` with `args` put for its parameters: `#p` becomes a string literal, `a ## b`
 * pastes, `__VA_ARGS__` (or a named variadic parameter) takes the extra arguments, and `, ##
 * __VA_ARGS__` drops its comma when they are none. Missing arguments are empty.
 */
export function substitute(macro: Pick<KnownMacro, 'params' | 'body'>, args: readonly string[]): string {
  const values = new Map<string, string>();
  const params = macro.params;
  let body = macro.body;
  params.forEach((p, k) => {
    const variadic = p === '...' || p.endsWith('...');
    const name = p === '...' ? '__VA_ARGS__' : variadic ? p.slice(0, -3).trim() : p;
    values.set(name, variadic ? args.slice(k).join(', ') : (args[k] ?? ''));
  });
  if (!values.has('__VA_ARGS__') && body.includes('__VA_ARGS__')) values.set('__VA_ARGS__', args.slice(params.length).join(', '));
  if (values.get('__VA_ARGS__') === '') body = body.replace(/,\s*##\s*__VA_ARGS__/g, '');
  // One pass over the body: `#p`, names, literals, `##`.
  let out = '';
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch === '"' || ch === "'") {
      let k = i + 1;
      while (k < body.length && body[k] !== ch) k += body[k] === '\\' ? 2 : 1;
      out += body.slice(i, k + 1);
      i = k + 1;
      continue;
    }
    if (ch === '#' && body[i + 1] !== '#' && body[i - 1] !== '#') {
      const m = /^#\s*([A-Za-z_]\w*)/.exec(body.slice(i));
      if (m && values.has(m[1]!)) {
        out += stringised(values.get(m[1]!)!);
        i += m[0].length;
        continue;
      }
    }
    const word = /^[A-Za-z_]\w*/.exec(body.slice(i, i + 256));
    if (word) {
      out += values.get(word[0]) ?? word[0];
      i += word[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out.replace(/\s*##\s*/g, '');
}

/**
 * Expands the definer invocation `name(args)` (with what follows it, `rest`) to file-scope C,
 * `lookup` giving the macro known by a name. Null when `name` is unknown or defines nothing.
 */
export function expandInvocation(name: string, args: readonly string[], lookup: (name: string) => KnownMacro | undefined, depth = 0): string | null {
  const macro = lookup(name);
  if (!macro || depth > MAX_DEPTH || macro.kind === 'init') return null;
  const text = substitute(macro, args);
  const out: string[] = [];
  for (const statement of splitStatements(text)) {
    const inner = /^([A-Za-z_]\w*)\s*\(/.exec(statement);
    const close = inner ? closingOf(statement, inner[0].length - 1) : -1;
    if (inner && close === statement.length - 1) {
      const nested = expandInvocation(inner[1]!, splitArguments(statement.slice(inner[0].length, close)), lookup, depth + 1);
      if (nested !== null) {
        out.push(nested);
        continue;
      }
      if (macro.kind === 'list') continue; // an invocation that defines nothing (EXPORT_SYMBOL of an unknown macro)
    }
    out.push(`${expandInitializers(statement, lookup, depth + 1)};`);
  }
  return out.length ? out.join('\n') : null;
}

/**
 * `text` with each invocation of a brace-initializer macro outside function bodies (`= INIT(n, f)`,
 * `.entry = INIT(x)`) put as its expansion, through lists of one invocation (`__ATTR_RW(x)` ->
 * `__ATTR(...)` -> `{ ... }`).
 */
export function expandInitializers(text: string, lookup: (name: string) => KnownMacro | undefined, depth: number): string {
  if (depth > MAX_DEPTH) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      let k = i + 1;
      while (k < text.length && text[k] !== ch) k += text[k] === '\\' ? 2 : 1;
      i = k;
      continue;
    }
    if (ch === '{' && /\)\s*$/.test(text.slice(Math.max(0, i - 64), i))) {
      // A function body: as written.
      const close = closingOf(text, i);
      if (close < 0) break;
      i = close;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 256));
    if (!word || (i > 0 && /[\w.>]/.test(text[i - 1]!))) {
      if (word) i += word[0].length - 1;
      continue;
    }
    let open = i + word[0].length;
    while (text[open] === ' ') open++;
    const body = text[open] === '(' ? initializerOf(word[0], lookup) : null;
    if (!body) {
      i += word[0].length - 1;
      continue;
    }
    const close = closingOf(text, open);
    if (close < 0) break;
    const expanded = expandInitializers(substitute(body, splitArguments(text.slice(open + 1, close))), lookup, depth + 1);
    out += `${text.slice(from, i)}${expanded}`;
    from = close + 1;
    i = close;
  }
  return out + text.slice(from);
}

/** The macro `name` when it yields a brace initializer, itself or through a list of one invocation. */
function initializerOf(name: string, lookup: (name: string) => KnownMacro | undefined): KnownMacro | null {
  const macro = lookup(name);
  if (!macro) return null;
  if (macro.kind === 'init') return macro;
  if (macro.kind !== 'list') return null;
  let next = /^([A-Za-z_]\w*)\s*\(/.exec(macro.body)?.[1];
  for (let depth = 0; next && depth < MAX_DEPTH; depth++) {
    const m = lookup(next);
    if (!m) return null;
    if (m.kind === 'init') return macro;
    if (m.kind !== 'list' || splitStatements(m.body).length !== 1) return null;
    next = /^([A-Za-z_]\w*)\s*\(/.exec(m.body)?.[1];
  }
  return null;
}
