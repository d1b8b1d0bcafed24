/**
 * Definitions made by macros (issue 12, kind 6): every file-scope invocation of a macro whose
 * body defines a function or an object (`DEFINE_SHOW_ATTRIBUTE(x);` -> `x_open` and `x_fops`
 * binding `.open = x_open`) is expanded and read as file-scope C by the file's own extractor,
 * and what that makes (functions with their calls, file-scope objects with their initializer
 * bindings, stores, registrations) joins the invoking file's facts at the
 * invocation's line, marked with the macro (FunctionFact.definer and .expanded, BindingFact.definer,
 * VarFact.definer, RegistrationFact.definer). An invocation heading a function written after it
 * (MacroInvocation.heads: `DEFINE_IDTENTRY_SYSVEC(x) { ... }`) makes the complete functions its
 * expansion defines before the head (the entry `x`, which calls `__x` through the IRQ stack), the
 * head being the function parsed; such a made function takes its name back from the aliases the
 * profile's rule gave the head (CodeIndex). Macros in `keep` (the profile's registration macros)
 * are never expanded: read as written in an expansion, they register (`module_init(x_init)`).
 *
 * Where: here, in the index stage, because a definer is usually defined in a header and invoked in
 * a .c file while the parse stage reads one file at a time. Parse records each file's file-scope
 * invocations and the bodies of its macros that may define (parse/macro-invocations.ts); this
 * stage, which holds every file's facts, builds the table of those bodies and expands. The cost:
 * a small extraction per expanded invocation on the main thread at each full resolve (not on a
 * graph-cache hit), and the table's bodies in the facts cache. The cached facts hold the
 * expansions (so lazy call details see them); each full resolve drops them and expands again with
 * the current table, so a changed header is seen. An incremental patch does not apply to a file
 * whose expansions would change: its facts, fresh from the parser, differ from the expanded ones
 * in more than calls and lines (facts-diff.ts), which sends the open the full way.
 */
import type { BindingFact, FileFacts, FunctionFact, MacroInvocation, VarFact } from '../types/facts.js';
import { expandInvocation, type KnownMacro, MAX_DEPTH } from '../parse/macro-expand.js';
import { bodyKind } from '../parse/macro-invocations.js';

/**
 * The macros that may define, by name: each definition with its file (several files may define
 * one name) and whether it is conditional. Plain data (it is sent to the frame encoder's worker
 * thread, which expands each frame's files again: cache/encode-worker.ts).
 */
export type DefinerTable = Map<string, { macro: KnownMacro; path: string; cond: boolean }[]>;
type Table = DefinerTable;

/** The definer table of a tree's facts (MacroFact.body of every file). */
export function definerTable(facts: readonly FileFacts[]): DefinerTable {
  const table: Table = new Map();
  for (const f of facts) {
    for (const m of f.macros) {
      if (m.body === undefined) continue;
      const kind = bodyKind(m.body);
      if (!kind) continue;
      const list = table.get(m.name) ?? [];
      list.push({ macro: { params: m.params, body: m.body, kind }, path: f.path, cond: m.cond !== undefined });
      table.set(m.name, list);
    }
  }
  return table;
}

/** The definition of `name` an invocation in `path` expands: the file's own, else the first unconditional one, else the first. */
function lookupFor(table: Table, path: string, keep: ReadonlySet<string>): (name: string) => KnownMacro | undefined {
  return (name) => {
    const list = keep.has(name) ? undefined : table.get(name);
    if (!list) return undefined;
    return (list.find((d) => d.path === path) ?? list.find((d) => !d.cond) ?? list[0])!.macro;
  };
}

/** Names whose invocations at file scope define something: 'defines' macros, and lists that reach one. */
function definersOf(table: Table): Set<string> {
  const out = new Set<string>();
  const reaches = (name: string, depth: number): boolean => {
    const list = table.get(name);
    if (!list || depth > MAX_DEPTH) return false;
    const m = list[0]!.macro;
    if (m.kind === 'defines') return true;
    if (m.kind !== 'list') return false;
    return [...m.body.matchAll(/(?:^|;)\s*([A-Za-z_]\w*)\s*\(/g)].some((x) => reaches(x[1]!, depth + 1));
  };
  for (const name of table.keys()) if (reaches(name, 0)) out.add(name);
  return out;
}

/** Facts without what an earlier expansion added (see the module comment). */
function withoutExpansions(f: FileFacts): FileFacts {
  if (!f.functions.some((x) => x.expanded) && !f.bindings.some((b) => b.definer) && !f.globals.some((g) => g.definer) && !f.registrations?.some((r) => r.definer)) return f;
  const out: FileFacts = { ...f, functions: f.functions.filter((x) => !x.expanded), bindings: f.bindings.filter((b) => !b.definer), globals: f.globals.filter((g) => !g.definer) };
  const registrations = f.registrations?.filter((r) => !r.definer);
  if (registrations?.length) out.registrations = registrations;
  else delete out.registrations;
  return out;
}

/**
 * Every file's facts with its definer invocations expanded (see the module comment); files
 * with none, or whose invocations make nothing, come back as they are (the same object). `extract` reads C text as the file's extractor does
 * (parse/file-parser.ts textExtractor). Deterministic: files and invocations in order.
 */
export function expandDefiners(facts: readonly FileFacts[], extract: (path: string, text: string) => FileFacts, keep: ReadonlySet<string> = new Set()): FileFacts[] {
  return definerExpansion(definerTable(facts), extract, keep)(facts);
}

/**
 * expandDefiners for files taken a few at a time, with the table of the whole tree's facts
 * (definerTable): for each file, the same as expanding all of them at once.
 */
export function definerExpansion(table: DefinerTable, extract: (path: string, text: string) => FileFacts, keep: ReadonlySet<string> = new Set()): (facts: readonly FileFacts[]) => FileFacts[] {
  const definers = definersOf(table);
  for (const name of keep) definers.delete(name);
  return (facts) => expandFiles(facts, table, definers, extract, keep);
}

function expandFiles(facts: readonly FileFacts[], table: DefinerTable, definers: ReadonlySet<string>, extract: (path: string, text: string) => FileFacts, keep: ReadonlySet<string>): FileFacts[] {
  return facts.map((raw) => {
    const f = withoutExpansions(raw);
    const used = (f.invocations ?? []).filter((inv) => definers.has(inv.name));
    if (used.length === 0) return f;
    // What the extractor read from the invocations themselves (`static DECLARE_WORK(w, fn);` as a
    // variable `w` of type `DECLARE_WORK`) gives way to what they make.
    const invoked = new Set(used.map((inv) => inv.name));
    const notInvocation = (type: string): boolean => !invoked.has(type) && !invoked.has(type.slice(0, type.indexOf('(')));
    const out: FileFacts = { ...f, functions: [...f.functions], bindings: f.bindings.filter((b) => b.root.k !== 'type' || notInvocation(b.root.name)), globals: f.globals.filter((g) => notInvocation(g.type)) };
    const functionNames = new Set(f.functions.map((x) => x.name));
    const lookup = lookupFor(table, f.path, keep);
    for (const inv of used) {
      const text = expandInvocation(inv.name, inv.args, lookup);
      // Without a block or an initializer, an expansion declares (`extern`, `__ksym_marker sym;`) but defines and stores nothing.
      if (text === null) continue;
      // The expansion on the first line, the initializer after it on its own lines (a directive line stays one).
      const snippet = `${inv.storage ? `${inv.storage} ` : ''}${text.replace(/;$/, '')}${inv.rest ? `\n${inv.rest}\n` : ' '};`;
      if (!snippet.includes('{') && !snippet.includes('=')) continue;
      const made = extract(f.path, snippet);
      // A heading invocation: the function it opens is the one parsed with the body written after it.
      if (inv.heads) made.functions = made.functions.filter((fn) => !functionNames.has(fn.name));
      addMade(out, made, inv, functionNames);
    }
    if (out.functions.some((x, k) => k > 0 && x.line < out.functions[k - 1]!.line)) out.functions.sort((a, b) => a.line - b.line);
    // Nothing made and nothing left out (most export macros): the file as it was, so that callers see it unchanged (its JSON is the same).
    return out.registrations === f.registrations && sameItems(out.functions, f.functions) && sameItems(out.bindings, f.bindings) && sameItems(out.globals, f.globals) ? f : out;
  });
}

/** True when both arrays hold the same objects in the same order. */
const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * Adds what an expansion made to `out`, at the invocation's line (a store of the initializer written
 * after it, at its own line). A variable named like a function
 * of the file (`__ksym_marker sym;` of an export macro) is left out: the name stays a function.
 */
function addMade(out: FileFacts, made: FileFacts, inv: MacroInvocation, functionNames: ReadonlySet<string>): void {
  for (const fn of made.functions) {
    const f: FunctionFact = { ...fn, line: inv.line, endLine: inv.line, definer: inv.name, expanded: true, calls: fn.calls.map((c) => ({ ...c, line: inv.line, col: 0 })) };
    if (inv.cond !== undefined) f.cond = inv.cond;
    else delete f.cond;
    out.functions.push(f);
  }
  // A store of the initializer written after the invocation keeps its own line; one of the expansion, the invocation's.
  const restLine = inv.restLine ?? inv.line;
  for (const b of made.bindings) out.bindings.push({ ...b, line: inv.rest && b.line > 1 ? restLine + b.line - 2 : inv.line, definer: inv.name } satisfies BindingFact);
  for (const g of made.globals) if (!functionNames.has(g.name)) out.globals.push({ ...g, definer: inv.name } satisfies VarFact);
  if (made.registrations?.length) out.registrations = [...(out.registrations ?? []), ...made.registrations.map((r) => ({ ...r, line: inv.line, definer: inv.name }))];
}
