/**
 * Calls of what a function-like macro's invocation expands to (issue 12): `guard(mutex)(&m)`,
 * `CLASS(fd, f)(fd)`, `FNAME(fetch)(vcpu)`. The parse stage reads them as calls of a call's result
 * (CallFact.ret naming the macro, the inner call by that name at the same place holding its
 * arguments). In C the preprocessor replaces the invocation first, so the call calls whatever the
 * expansion ends with: `guard(mutex)` -> `CLASS(mutex, ...)` -> `class_mutex_t ... =
 * class_mutex_constructor`. Here each such call whose macro is known is expanded with its
 * arguments (substitution, `##`, and an invocation of another known macro ending the text, to a
 * bounded depth) and, when the expansion ends with a name, becomes a call by that name
 * (CallFact.name, CallFact.expandsTo), bound like any call by name. A macro with several
 * definitions (FNAME under different #if branches) gives one name per definition. An expansion
 * that ends otherwise (a cast value: `static_call(f)`) leaves the call as it is.
 *
 * Where: in the index stage, as expand-definers.ts, because the macro is usually defined in a
 * header and called in another file. The bodies are those the parse stage records (MacroFact.body:
 * definer bodies and bodies ending with a name). The rewrite is kept in the cached facts and
 * undone and done again at each full resolve, so a changed header is seen; an incremental patch
 * does not apply to an edited file with calls of a call's result (callsOfResults), and an edit of
 * a macro's body changes more than calls and lines (facts-diff.ts): both go the full way.
 *
 * Arguments are those the parse stage keeps (CallFact.args: a name, `&` and casts stripped);
 * another argument is unknown, and an expansion whose last name it would touch gives no name.
 */
import { MAX_DEPTH, substitute } from '../parse/macro-expand.js';
import { closingOf, splitArguments } from '../parse/macro-invocations.js';
import type { CallFact, FileFacts } from '../types/facts.js';
import { C_KEYWORDS } from '../util/c-identifier.js';

/** A definition of a function-like macro: parameters and body (whitespace collapsed). */
export interface MacroBody {
  params: string[];
  body: string;
}

/** Stands for an argument the facts do not hold as text: no name is made with it. */
const UNKNOWN = '\u0001';

/** The name ending `text`, not a member (`x->f`, `x.f`), a keyword or a piece of a number or unknown argument. */
const TAIL_NAME = /(?<![\w$\u0001])[A-Za-z_]\w*$/;

/**
 * The names the expansion of `name(args)` ends with, one per definition `lookup` gives (sorted,
 * without repeats): the last name of the substituted body, or, when the body ends with an
 * invocation of another macro `lookup` knows, the names that one ends with (depth bounded by
 * MAX_DEPTH). Empty when no expansion ends with a name.
 */
export function expansionNames(name: string, args: readonly string[], lookup: (name: string) => readonly MacroBody[], depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  const out = new Set<string>();
  for (const def of lookup(name)) for (const n of tailNames(substitute(def, args).trim(), lookup, depth)) out.add(n);
  return [...out].sort();
}

function tailNames(text: string, lookup: (name: string) => readonly MacroBody[], depth: number): string[] {
  const word = TAIL_NAME.exec(text);
  if (word) {
    const before = text.slice(0, word.index).trimEnd();
    if (C_KEYWORDS.has(word[0]) || before.endsWith('.') || before.endsWith('->') || before.endsWith('#')) return [];
    return [word[0]];
  }
  if (!text.endsWith(')')) return [];
  const open = openingOf(text, text.length - 1);
  if (open <= 0 || closingOf(text, open) !== text.length - 1) return [];
  const callee = TAIL_NAME.exec(text.slice(0, open).trimEnd());
  if (!callee || lookup(callee[0]).length === 0) return [];
  const before = text.slice(0, callee.index).trimEnd();
  if (before.endsWith('.') || before.endsWith('->')) return [];
  return expansionNames(callee[0], splitArguments(text.slice(open + 1, -1)), lookup, depth + 1);
}

/** The index of the `(` matching the `)` at `close`, or -1 (brackets only: bodies ending in a literal with a bracket are rare). */
function openingOf(text: string, close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    const ch = text[k];
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if ((ch === '(' || ch === '[' || ch === '{') && --depth === 0) return ch === '(' ? k : -1;
  }
  return -1;
}

/** The macros with a recorded body, by name: each definition with its file. Plain data, as DefinerTable. */
export type MacroBodyTable = Map<string, { def: MacroBody; path: string }[]>;
type Table = MacroBodyTable;

/** The macro body table of a tree's facts (MacroFact.body of every file). */
export function macroBodyTable(facts: readonly FileFacts[]): MacroBodyTable {
  const table: Table = new Map();
  for (const f of facts) {
    for (const m of f.macros) {
      if (m.body === undefined) continue;
      const list = table.get(m.name) ?? [];
      list.push({ def: { params: m.params, body: m.body }, path: f.path });
      table.set(m.name, list);
    }
  }
  return table;
}

/** A macro's definitions with a body, each with its file's path (what a MacroBodyTable holds under its name), or undefined for none. */
export type MacroBodyLookup = (name: string) => readonly { def: MacroBody; path: string }[] | undefined;

/** The definitions a call in `path` expands: the file's own when it has some (its #if branches), else every one. */
function lookupFor(table: MacroBodyLookup, path: string): (name: string) => MacroBody[] {
  return (name) => {
    const list = table(name);
    if (!list) return [];
    const own = list.filter((d) => d.path === path);
    return (own.length ? own : list).map((d) => d.def);
  };
}

/** True when `f` has a call of a call's result (CallFact.ret), in a function or a macro: its calls may be rewritten here. */
export function callsOfResults(f: FileFacts): boolean {
  // Plain loops: this visits every call of the tree at each full resolve.
  for (const x of f.functions) for (const c of x.calls) if (c.ret !== undefined) return true;
  for (const m of f.macros) for (const c of m.calls) if (c.ret !== undefined) return true;
  return false;
}

/** The calls without an earlier rewrite, or `calls` itself when none was. */
function withoutRewrite(calls: CallFact[]): CallFact[] {
  if (!calls.some((c) => c.expandsTo)) return calls;
  return calls.map((c) => {
    if (!c.expandsTo) return c;
    const { name: _name, expandsTo: _names, ...rest } = c;
    return rest;
  });
}

/** The calls with each call of a known macro's result made a call by name, or `calls` itself when none is. */
function rewrite(calls: CallFact[], lookup: (name: string) => MacroBody[]): CallFact[] {
  let out: CallFact[] | null = null;
  calls.forEach((call, k) => {
    if (call.ret === undefined || call.name !== undefined) return;
    const inner = calls.find((c) => c.name === call.ret && c.line === call.line && c.col === call.col && c !== call);
    const names = expansionNames(call.ret, (inner?.args ?? []).map((a) => a ?? UNKNOWN), lookup);
    if (names.length === 0) return;
    out ??= [...calls];
    out[k] = { ...call, name: names[0]!, expandsTo: names };
  });
  return out ?? calls;
}

/**
 * Every file's facts with its calls of macro invocations' results made calls by name (see the
 * module comment); files with none come back as they are (the same object). Deterministic.
 */
export function expandMacroCalls(facts: readonly FileFacts[]): FileFacts[] {
  return expandMacroCallsWith(macroBodyTable(facts), facts);
}

/** expandMacroCalls of some files with the table of the whole tree's (macroBodyTable): the same for each file as expanding all of them. */
export function expandMacroCallsWith(table: MacroBodyTable, facts: readonly FileFacts[]): FileFacts[] {
  return expandMacroCallsLooking((name) => table.get(name), facts);
}

/**
 * expandMacroCallsWith with the table read one name at a time: `table` gives what the whole tree's
 * MacroBodyTable holds under a name (a patch reads it from the graph's records: cache/macro-call-edit.ts).
 */
export function expandMacroCallsLooking(table: MacroBodyLookup, facts: readonly FileFacts[]): FileFacts[] {
  return facts.map((f) => {
    if (!callsOfResults(f)) return f;
    const lookup = lookupFor(table, f.path);
    let changed = false;
    const again = (calls: CallFact[]): CallFact[] => {
      const out = rewrite(withoutRewrite(calls), lookup);
      if (out !== calls) changed = true;
      return out;
    };
    const functions = f.functions.map((x) => {
      const calls = again(x.calls);
      return calls === x.calls ? x : { ...x, calls };
    });
    const macros = f.macros.map((m) => {
      const calls = again(m.calls);
      return calls === m.calls ? m : { ...m, calls };
    });
    return changed ? { ...f, functions, macros } : f;
  });
}
