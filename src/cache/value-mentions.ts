import { isPlainBinding } from '../resolve/binding-record.js';
import { MentionTable, mentionBuckets } from '../resolve/mention-table.js';
import type { FileFacts } from '../types/facts.js';
import { returnsName, withoutInvocations } from './plan-file-edit.js';
import { storesResult } from './change-words.js';
import { withoutInitializers } from './file-globals.js';

/**
 * A file's facts with what its bindings say of functions as no values left out, for counting the
 * mentions of a name as a value: every binding's `inFunction` (the function the statement stands
 * in, never a value) and a return's root (the same function), the function a plain binding names (isPlainBinding: both `fn` and the
 * statement's `text`, `ops->stop = a_stop3`, which names it again; the binding patch binds it),
 * the function a store of a call's result calls (`ret = helper(dev)`: `fn` and `text`; the store
 * holds what that function returns, which storedResultsReason checks for every such name the
 * edits define or take out; the call's arguments stay mentions), and the `return NAME;` bindings
 * of `returned` (FilePlan.returned: they bind nothing).
 */
const withoutPlainTargets = (f: FileFacts, returned: ReadonlySet<string>): FileFacts => ({
  ...f,
  bindings: f.bindings.flatMap((b) => {
    // A return's root names the function it stands in too (`{k: 'ret', fn}`: BindingFact.returned).
    const placed = { ...b, inFunction: undefined, ...(b.returned ? { root: { k: 'ret' as const, fn: '' } } : {}) };
    // A store of a call's result names the function called (and its statement's text), not a value: storedResultsReason checks what it returns.
    return isPlainBinding(b) || storesResult(b) ? [{ ...placed, fn: '', text: '' }] : returnsName(b) && returned.has(b.fn) ? [] : [placed];
  }),
});

/**
 * The facts with the names functions' calls pass as arguments left out: a function passed by name
 * is followed by the patch itself (a call passing it into a followed parameter is no simple call,
 * GraphPatch.whyNotSimple; one passing it where it is called has its callback-arg edges made again,
 * patch-callbacks.ts; the functions whose address is taken follow passedChanged in
 * patch-binding-edits.ts), so it is no mention a new definition must be unknown to.
 */
const withoutCallArguments = (f: FileFacts): FileFacts => ({
  ...f,
  functions: f.functions.map((fn) => ({ ...fn, calls: fn.calls.map((c) => ({ ...c, args: [] })) })),
});

/** The facts without their registrations (`module_init(fn)`): the registration patch binds an edited file's again (resolve/patch-registrations.ts). */
const withoutRegistrations = (f: FileFacts): FileFacts => (f.registrations === undefined ? f : { ...f, registrations: undefined });

/**
 * Whether some file may mention a name as a value once the edits are made: `mentions` counts the
 * files of the cached graph that do (MentionTable); the edited files count as they are after the
 * edits (`after`) instead of before, without what the patch itself binds again: their plain
 * bindings' functions (initializers and assignments of a function by name, which the binding patch
 * binds again: patch-binding-edits.ts), the names their functions' calls pass (see
 * withoutCallArguments), their registrations (`module_init(f)`, which the registration patch binds again:
 * resolve/patch-registrations.ts), the initializers of the file-scope `variables` the plans left out
 * (file-globals.ts initializesVariable: the binding patch follows the address they take) and their file-scope macro invocations (`EXPORT_SYMBOL(f)`: what a definer
 * makes of one is among the facts; plan-file-edit.ts withoutInvocations). The edited files' old
 * facts count whole, as the table counted them. Without a table, every name may be.
 *
 * A name whose every definition among the edited files, before and after, is a static function of
 * a file `unseen` says no other file sees (a `.c` file no `#include` opens) counts the mentions of
 * those files alone, as they are after the edits: a static is visible from its own translation
 * unit only (resolve/definition-scope.ts: no other file's call or value binds it, and its coming or
 * going changes nothing another file names), so another file's mention of a static of the same name
 * (e1000's `e1000_reset_task` beside e1000e's) is no reason to resolve in full.
 */
export function valueMentions(edited: readonly { before: FileFacts; after: FileFacts; plan: { returned: ReadonlySet<string> } }[], mentions: MentionTable | null, variables: ReadonlySet<string> = new Set(), unseen: (path: string) => boolean = () => false): (name: string) => boolean {
  const buckets = mentions ? edited.map((t) => ({ before: mentionBuckets(t.before), after: mentionBuckets(withoutInitializers(withoutRegistrations(withoutInvocations(withoutCallArguments(withoutPlainTargets(t.after, t.plan.returned)))), variables)) })) : [];
  return (name) => {
    if (!mentions) return true;
    const own = ownStatics(edited, name, unseen);
    if (own) return own.some((i) => MentionTable.within(name, buckets[i]!.after));
    let count = mentions.mentions(name);
    if (count >= 255) return true;
    for (const b of buckets) count += MentionTable.within(name, b.after) ? 1 : 0;
    for (const b of buckets) count -= MentionTable.within(name, b.before) ? 1 : 0;
    return count > 0;
  };
}

/** The names among `names` whose every definition among the edited files is a static function of a file `unseen` says no other file sees (see valueMentions). */
export function ownStaticNames(edited: readonly { before: FileFacts; after: FileFacts }[], names: Iterable<string>, unseen: (path: string) => boolean): Set<string> {
  return new Set([...names].filter((name) => ownStatics(edited, name, unseen) !== null));
}

/**
 * The indexes in `edited` of the files defining `name`, when every definition of it there (before
 * and after the edits: functions and macros) is a static function of a file `unseen` says no other
 * file sees; null otherwise (a macro, a global function, or a file others see, defines it).
 */
function ownStatics(edited: readonly { before: FileFacts; after: FileFacts }[], name: string, unseen: (path: string) => boolean): number[] | null {
  const at: number[] = [];
  for (const [i, t] of edited.entries()) {
    if (t.before.macros.some((m) => m.name === name) || t.after.macros.some((m) => m.name === name)) return null;
    const defs = [...t.before.functions, ...t.after.functions].filter((f) => f.name === name || f.aliases?.includes(name));
    if (defs.length === 0) continue;
    if (defs.some((f) => !f.isStatic || f.name !== name) || !unseen(t.after.path) || !unseen(t.before.path)) return null;
    at.push(i);
  }
  return at.length ? at : null;
}

/** For valueMentions: whether a file is a `.c` file no `#include` directive of the tree opens (`includeNames`: the last segment of every name one opens); with none known, no file is. */
export function seenByNone(includeNames: readonly string[] | undefined): (path: string) => boolean {
  if (!includeNames) return () => false;
  const opened = new Set(includeNames);
  return (path) => path.endsWith('.c') && !opened.has(path.slice(path.lastIndexOf('/') + 1));
}
