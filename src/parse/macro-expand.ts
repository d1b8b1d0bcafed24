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

/** Literals, `##`, `#name`, names and numbers: the tokens substitution looks at. */
const TOKEN = /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|##|#\s*([A-Za-z_]\w*)|[A-Za-z_]\w*|\d\w*/g;

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
  // One pass over the body: literals kept, `#p` stringised, names replaced, numbers kept.
  const out = body.replace(TOKEN, (m: string, hashed: string | undefined) => {
    if (hashed !== undefined) return values.has(hashed) ? stringised(values.get(hashed)!) : m;
    return values.get(m) ?? m;
  });
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
    out.push(`${breakAfterBlocks(expandInitializers(statement, lookup, depth + 1))};`);
  }
  return out.length ? out.join('\n') : null;
}

/**
 * `text` with a line break after each `}` that closes a block at its top level (a function
 * body), so that what follows starts a line, as registration macros are read
 * (`... } module_init(x_init);`, parse/registrations.ts).
 */
export function breakAfterBlocks(text: string): string {
  if (!text.includes('{')) return text;
  let out = '';
  let from = 0;
  const scan = /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\{/g;
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    if (m[0] !== '{') continue;
    const close = closingOf(text, m.index);
    if (close < 0) break;
    if (afterParen(text, m.index)) {
      out += `${text.slice(from, close + 1)}\n`;
      from = close + 1;
    }
    scan.lastIndex = close + 1;
  }
  return out + text.slice(from);
}

/**
 * `text` with each invocation of a brace-initializer macro outside function bodies (`= INIT(n, f)`,
 * `.entry = INIT(x)`) put as its expansion, through lists of one invocation (`__ATTR_RW(x)` ->
 * `__ATTR(...)` -> `{ ... }`).
 */
export function expandInitializers(text: string, lookup: (name: string) => KnownMacro | undefined, depth: number): string {
  if (depth > MAX_DEPTH || !text.includes('(')) return text;
  let out = '';
  let from = 0;
  const scan = new RegExp(SCAN.source, 'g');
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    const at = m.index;
    const word = m[0];
    if (word === '{') {
      if (!afterParen(text, at)) continue;
      // A function body: as written.
      const close = closingOf(text, at);
      if (close < 0) break;
      scan.lastIndex = close + 1;
      continue;
    }
    if (!/^[A-Za-z_]/.test(word) || (at > 0 && /[\w.>]/.test(text[at - 1]!))) continue;
    let open = at + word.length;
    while (text[open] === ' ') open++;
    const body = text[open] === '(' ? initializerOf(word, lookup) : null;
    if (!body) continue;
    const close = closingOf(text, open);
    if (close < 0) break;
    const expanded = expandInitializers(substitute(body, splitArguments(text.slice(open + 1, close))), lookup, depth + 1);
    out += `${text.slice(from, at)}${expanded}`;
    from = close + 1;
    scan.lastIndex = close + 1;
  }
  return out + text.slice(from);
}

/** Literals, `{` and names: what expandInitializers and breakAfterBlocks look at. */
const SCAN = /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\{|[A-Za-z_]\w*/g;

/** True when the last character before `at` that is no space is `)`: a `{` there opens a function body. */
function afterParen(text: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\n' || text[k] === '\t')) k--;
  return text[k] === ')';
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
