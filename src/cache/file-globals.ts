import type { CodeIndex } from '../index/code-index.js';
import { isPlainBinding } from '../resolve/binding-record.js';
import { MentionTable, mentionBuckets } from '../resolve/mention-table.js';
import type { BindingFact, FileFacts, VarFact } from '../types/facts.js';
import type { CallSiteSummary } from './call-site-summary.js';

/**
 * The file-scope variables of files added or deleted (renumber-files.ts). A variable's name
 * reaches past its file in three ways only: other files' expressions and bindings that mention it
 * (the type model looks a name up in every file), calls by its name (they go through a pointer
 * variable, not to an external node: resolve.ts, call-site-summary.ts), and a function or macro
 * of the same name. When none of them exists, and its own file uses it only as the variable its
 * initializer binds (BindingFact.variable: a function stored so, initializesVariable, only takes that
 * function's address) or where a name binds nothing (withoutInertUses), the
 * file adds or removes it and nothing else changes: its plan may leave it out.
 */

/**
 * The reason for a variable whose name other files mention: the mention table counts names, not
 * what they name, so the mention may be of a function or a member of that name too.
 */
const mentionedElsewhere = (name: string): string => `the file-scope variable ${name} is mentioned by other files (its name: they may mention a function or a member of that name)`;

/** Names of the file-scope variables of the files, each once. */
export const globalNames = (files: readonly FileFacts[]): Set<string> => new Set(files.flatMap((f) => f.globals.map((g) => g.name)));

/**
 * Whether binding `b` is the initializer of one of the variables `names` storing a function by
 * name, at file scope (`static exitcall_t __exitcall_f = f;`, module_exit's expansion; an array's
 * `tbl[1] = f`): no edge comes of it while nothing calls through the variable or reads it, only
 * the function's address taken (resolve/address-taken.ts), which the binding patch follows
 * (patch-binding-edits.ts passedNames). Plans leave such bindings out with their variables.
 */
export const initializesVariable = (b: BindingFact, names: ReadonlySet<string>): boolean =>
  b.variable !== undefined && names.has(b.variable) && b.pointer === 'global' && b.how === 'init' && b.inFunction === undefined && !b.from && !b.call && b.fromLocal === undefined && b.param === undefined;

/** The facts without the bindings initializing the variables `names` (initializesVariable). */
export const withoutInitializers = (f: FileFacts, names: ReadonlySet<string>): FileFacts => (names.size && f.bindings.some((b) => initializesVariable(b, names)) ? { ...f, bindings: f.bindings.filter((b) => !initializesVariable(b, names)) } : f);

/** A file's facts without its file-scope variables and the variable names of its bindings: what else of it may mention them. */
const withoutGlobals = (f: FileFacts): FileFacts => ({ ...f, globals: [], bindings: f.bindings.map(({ variable: _variable, ...b }) => b) });

/**
 * A file's facts without the places where naming a variable binds nothing, so that the patch
 * handles them as it handles any name: a function's call arguments by name (`pf_log(pf_debug)`:
 * directTargets finds no function there, and a followed parameter gets nothing from a name that
 * holds none, SimpleCalls.passesNothing), the names a plain binding stores (`.ops = &pf_d`, which
 * the binding patch binds again by name: no function), the arguments of calls whose result a
 * binding stores (resolveFlows reads only functions among them) with the statement's text (its
 * evidence: `x->cache = kmem_cache_create(..., pf_ctor)` names its arguments again) and file-scope macro invocations
 * (`MODULE_DEVICE_TABLE(pci, ids)`: only the definer expansion reads them, and what it makes is
 * among the facts). A variable's type is still read where an expression is rooted at it (a
 * receiver, a member read or address passed, a binding's root or source): those stay.
 */
const withoutInertUses = (f: FileFacts): FileFacts => ({
  ...f,
  functions: f.functions.map((fn) => ({ ...fn, calls: fn.calls.map((c) => ({ ...c, args: [] })) })),
  bindings: f.bindings.map((b) => (isPlainBinding(b) ? { ...b, fn: '', text: '' } : b.call ? { ...b, call: { args: [] }, text: '' } : b)),
  invocations: [],
});

/**
 * Why the file-scope variables of `files` (all added, or all deleted) keep them from being patched,
 * or null: one is a function pointer, a file of them uses one otherwise than as its initializer's
 * variable or where a name binds nothing (a mention withoutInertUses keeps, a call, a function of its name), or another file of the tree mentions one
 * (`mentions`, the cached graph's table: for deleted files it counts them too).
 */
export function globalsBlocked(files: readonly FileFacts[], mentions: MentionTable | null, deleted: boolean): string | null {
  const names = globalNames(files);
  if (names.size === 0) return null;
  if (!mentions) return 'the cached graph keeps no mention table';
  const own = files.map((f) => mentionBuckets(f));
  for (const f of files) {
    const used = usedInFile(f, f.globals, names, deleted ? 'deleted' : 'added');
    if (used) return used;
  }
  for (const name of names) {
    const ours = deleted ? own.filter((b) => MentionTable.within(name, b)).length : 0;
    if (mentions.mentions(name) !== ours) return mentionedElsewhere(name);
  }
  return null;
}

/**
 * Why the variables `vars` of file `f` (among its globals; `how` it was edited, for the reason,
 * when added or deleted) keep it from being patched, or null:
 * one is a function pointer, or `f` uses one of `names` other than as its initializer's variable or
 * where a name binds nothing (withoutInertUses), or calls it by name, or defines a function or macro of it.
 */
function usedInFile(f: FileFacts, vars: readonly VarFact[], names: ReadonlySet<string>, how?: 'added' | 'deleted'): string | null {
  const path = how ? `${f.path} (${how})` : f.path;
  const fnptr = vars.find((g) => g.fnptr);
  if (fnptr) return `${path}: ${fnptr.name} is a function pointer`;
  // A tag named as the variable (`static const struct pf_ops pf_ops`) is no use of it.
  const rest = mentionBuckets(withoutInertUses(withoutGlobals(withoutInitializers(f, names))), false);
  const calls = new Set([...f.functions.flatMap((fn) => [fn.name, ...fn.calls.map((c) => c.name)]), ...f.macros.flatMap((m) => [m.name, ...m.calls.map((c) => c.name)])]);
  for (const name of names) if (MentionTable.within(name, rest) || calls.has(name)) return `${path}: the file-scope variable ${name} is used in its file`;
  return null;
}

/**
 * The file-scope variables that edits of kept files (neither added nor deleted) add or take out
 * whole: by name, each file's other variables as they were (one whose type changed is no such: its
 * plan refuses it as before). Checked as globalsBlocked checks an added file's (on the facts after)
 * and a deleted one's (before), the other files' mentions being the table's count less the file's
 * own before the edit; a function's store into one (`cur = f` in a body) is refused too. Per
 * file position, the names its plan leaves out of both sides (planEdits), and every such name
 * (`added`: those added, `removed`: those taken out, for globalNamedNode and globalCallsElsewhere);
 * or why not, naming the file.
 */
export function keptFileVariables(edited: readonly { at: number; before: FileFacts; after: FileFacts }[], kept: (at: number) => boolean, mentions: MentionTable | null): { leftOut: Map<number, Set<string>>; added: Set<string>; removed: Set<string> } | string {
  const out = { leftOut: new Map<number, Set<string>>(), added: new Set<string>(), removed: new Set<string>() };
  for (const t of edited) {
    // A file that became unreadable or readable again: its plan says so (planFileEdit).
    if (!kept(t.at) || t.before.unreadable !== t.after.unreadable) continue;
    const [was, now] = [globalNames([t.before]), globalNames([t.after])];
    const added = new Set([...now].filter((n) => !was.has(n)));
    const removed = new Set([...was].filter((n) => !now.has(n)));
    if (added.size + removed.size === 0) continue;
    const others = (f: FileFacts, gone: Set<string>): string => JSON.stringify(f.globals.filter((g) => !gone.has(g.name)));
    if (others(t.before, removed) !== others(t.after, added)) continue;
    if (!mentions) return 'the cached graph keeps no mention table';
    const ownBefore = mentionBuckets(t.before);
    for (const [names, f] of [[added, t.after], [removed, t.before]] as const) {
      const used = usedInFile(f, f.globals.filter((g) => names.has(g.name)), names);
      if (used) return used;
      const stored = f.bindings.find((b) => b.inFunction !== undefined && b.variable !== undefined && names.has(b.variable));
      if (stored) return `${f.path}: ${stored.inFunction} stores into the file-scope variable ${stored.variable}`;
      for (const name of names) if (mentions.mentions(name) !== (MentionTable.within(name, ownBefore) ? 1 : 0)) return mentionedElsewhere(name);
    }
    out.leftOut.set(t.at, new Set([...added, ...removed]));
    for (const n of added) out.added.add(n);
    for (const n of removed) out.removed.add(n);
  }
  return out;
}

/** Why a function, macro or external node of `index` shares a name with a variable of `names`, or null. */
export function globalNamedNode(index: CodeIndex, names: ReadonlySet<string>): string | null {
  for (const name of names) if (index.nodesNamed(name).length > 0) return `the file-scope variable ${name} shares its name with a function or a call`;
  return null;
}

/**
 * Why calls by name may go through one of the variables `names` (a deleted file's: they would
 * then call an external function), or null: the call-site summary keeps the names of the calls
 * through file-scope variables (CallSiteSummary.variableNames, a superset); without it, it says so.
 */
export function globalCallsElsewhere(summary: CallSiteSummary | undefined, names: ReadonlySet<string>): string | null {
  if (names.size === 0) return null;
  if (!summary?.variableNames) return 'the cached graph keeps no names of calls through file-scope variables';
  const called = summary.variableNames.find((n) => names.has(n));
  return called === undefined ? null : `the deleted file-scope variable ${called} is called by name`;
}
