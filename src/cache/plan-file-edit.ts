import { withPassedNamesAnew } from './passed-names.js';
import { diffFacts, type FactsDiff, isRenaming, type LinePair } from '../index/facts-diff.js';
import { anonMover, isPlainBinding } from '../resolve/binding-record.js';
import type { BindingFact, FileFacts, RegistrationFact } from '../types/facts.js';
import { sameRegistrations } from '../resolve/patch-registrations.js';
import { type TypeEdit, typeEdit, withoutTypes } from './type-edit.js';
import { type MacroPlan, planMacros } from './macro-edit.js';
import { typeReadHash } from '../resolve/type-reads.js';
import { type FollowedParam, type PassedLocal, withoutDeadStores, withoutInertParamStores } from './dead-stores.js';
import { pairFunctions } from './function-pairs.js';
import { callConditionEditBlocked } from './call-condition-edit.js';
import type { EditedFile } from './definition-patch.js';
import { NOT_TEXT } from '../parse/file-parser.js';
import { NOTHING_SEEN, storesResult, whatChanged, withoutPlaces } from './change-words.js';
import { globalNames, withoutInitializers } from './file-globals.js';

/**
 * How one edited file's definitions changed: functions kept (matched by name; those put in another
 * place among them, `moved`), added and removed, and how everything else changed (the facts compared without the added and
 * removed functions: see diffFacts). Macros must keep their names and order.
 */
export interface FilePlan {
  /** [index in before.functions, index in after.functions] of each function kept, in order before (the moved ones out of order after). */
  kept: [number, number][];
  /** Indexes in after.functions of the functions added. */
  added: number[];
  /** Indexes in before.functions of the functions removed. */
  removed: number[];
  /** Names of the functions and macros added or removed: calls by them bind anew. */
  names: Set<string>;
  /** Names of the kept functions put in another place among the others (function-pairs.ts): their nodes are renumbered, and `-v` names them when a patch is refused. */
  moved: string[];
  /** The macros kept, added and removed, as `kept`, `added` and `removed` are for functions (macro-edit.ts). */
  macros: MacroPlan;
  /** The diff of the facts without the added and removed functions; its body items index the kept functions (then the macros). */
  diff: FactsDiff;
  /**
   * The plain bindings (initializers and member assignments of a function by name: isPlainBinding)
   * kept, as [index in before.bindings, index in after.bindings] in order; the others were
   * removed or added. Every other binding is the same before and after.
   */
  bindings: [number, number][];
  /** True when a plain binding was added or removed (not only moved): the binding patch re-binds what reads them. */
  bindingsChanged: boolean;
  /** How the file's structs, typedefs and prototypes changed (type-edit.ts): the patch checks that the resolution read none of it. */
  types: TypeEdit;
  /**
   * True when the file's #include lines changed (places aside: added, removed, reordered, or
   * under another condition); they are left out of the diff, and include-edit.ts finds the call
   * sites whose binding that changes.
   */
  includes: boolean;
  /**
   * Names returned by `return NAME;` bindings added or removed (returnsName), left out of the
   * diff: they bind nothing, so change nothing, while no function or macro has one of these names
   * (patchDefinitions checks it).
   */
  returned: Set<string>;
  /**
   * Names called by storesResult bindings added or removed, left out of the diff: they store nothing, so change nothing, while no function
   * of one of these names returns a function (patchDefinitions checks it, before and after the
   * edit: stored-results.ts). Returns of a local that no store fills (mayYield) are left out too.
   */
  results: Set<string>;
  /**
   * Names stored by name into locals nothing reads (dead-stores.ts), in one version only: left out
   * of the diff, they change nothing while none of them names a function, whose address such a
   * store takes (patchDefinitions checks it).
   */
  deadStored: Set<string>;
  /**
   * The calls the variables of dead stores (dead-stores.ts) are passed to, into parameters the
   * cached graph does not follow: the patch checks that they are still not followed once patched.
   */
  deadPassed: PassedLocal[];
  /**
   * True when the file's registrations (`module_init(fn)`: FileFacts.registrations) changed more
   * than in their lines: left out of the diff, and the registration patch makes the dispatchers'
   * edges again (resolve/patch-registrations.ts). Their old lines are placed in the diff's lines
   * (a kept one's to its new line, a removed one's to line 0), so that their evidence moves.
   */
  registrations: boolean;
}

/** A binding that only returns a name (`return NAME;`: BindingFact.returned 'value'): the flows bind it to the functions of that name (resolve/bind-flows.ts), and to nothing when there is none. */
export const returnsName = (b: BindingFact): boolean => b.returned === 'value' && !b.pointer && !b.call && b.out === undefined && !b.from && !b.fromLocal;

/**
 * True when a `return` binding of function `fn` (BindingFact.returned, in `facts`, its file) may
 * yield a function, as resolve/bind-flows.ts `returned` reads it: a name or a parameter may; a
 * local yields what plain stores into it put there (`fp = f;`, no member load, no call's result),
 * so one with no such store in `fn` yields nothing.
 */
export function mayYield(facts: FileFacts, fn: string, r: BindingFact): boolean {
  if (r.returned !== 'local' || r.param !== undefined) return true;
  return facts.bindings.some((s) => s.pointer === 'local' && !s.from && !s.call && s.inFunction === fn && s.variable === r.fn);
}

/** A `return v;` of a local `v` (BindingFact.returned 'local'), which returns what stores into `v` put there (mayYield). */
const returnsLocal = (b: BindingFact): boolean => b.returned === 'local' && b.param === undefined && !b.pointer && !b.call && b.out === undefined && !b.from && !b.fromLocal;

/**
 * The two versions of a file without the bindings of a kind (`kind`: returnsName, storesResult)
 * found in one version only (paired as pairBindings pairs, places aside, in order), and the
 * names (BindingFact.fn) of those left out.
 */
function withoutUnpaired(before: FileFacts, after: FileFacts, kind: (b: BindingFact) => boolean): { before: FileFacts; after: FileFacts; names: Set<string> } {
  const names = new Set<string>();
  if (!before.bindings.some(kind) && !after.bindings.some(kind)) return { before, after, names };
  const wanted = after.bindings.map((b) => (kind(b) ? placeless(b) : null));
  const paired = new Set<number>();
  const pairedAfter = new Set<number>();
  let next = 0;
  before.bindings.forEach((b, i) => {
    if (!kind(b)) return;
    const key = placeless(b);
    for (let j = next; j < after.bindings.length; j++) {
      if (wanted[j] !== key) continue;
      paired.add(i);
      pairedAfter.add(j);
      next = j + 1;
      return;
    }
  });
  const keep = (f: FileFacts, kept: Set<number>): FileFacts => ({
    ...f,
    bindings: f.bindings.filter((b, i) => {
      if (!kind(b) || kept.has(i)) return true;
      names.add(b.fn);
      return false;
    }),
  });
  return { before: keep(before, paired), after: keep(after, pairedAfter), names };
}

/** A binding without its place, for matching before and after. */
const placeless = (b: BindingFact): string => JSON.stringify({ ...b, line: undefined });

/**
 * Pairs the plain bindings of two versions of a file: equal ones (places aside, and the old
 * names of the file's anonymous structs moved as `anon` says) in source order, greedily, so that
 * the pairs keep their order; the rest were removed or added.
 */
function pairBindings(path: string, before: BindingFact[], after: BindingFact[], anon: [number, number][]): [number, number][] {
  const wanted = after.map((b) => (isPlainBinding(b) ? placeless(b) : null));
  const moved = anonMover(path, anon);
  const pairs: [number, number][] = [];
  let next = 0;
  before.forEach((b, i) => {
    if (!isPlainBinding(b)) return;
    const key = moved(placeless(b));
    for (let j = next; j < after.length; j++) {
      if (wanted[j] !== key) continue;
      pairs.push([i, j]);
      next = j + 1;
      return;
    }
  });
  return pairs;
}

/**
 * The facts without their file-scope macro invocations (FileFacts.invocations): only the definer
 * expansion reads them (index/expand-definers.ts), and what a definer expands to is among the
 * facts compared (functions, bindings, file-scope variables). `EXPORT_SYMBOL(f);` added with `f`
 * changes nothing else.
 */
export const withoutInvocations = (f: FileFacts): FileFacts => (f.invocations === undefined ? f : { ...f, invocations: undefined });

/** The facts with only the bindings that are not plain (isPlainBinding). */
const withoutPlainBindings = (f: FileFacts): FileFacts => ({ ...f, bindings: f.bindings.filter((b) => !isPlainBinding(b)) });

/**
 * The diff of two versions of a file whose plain bindings may differ: the rest compared as
 * diffFacts does, the plain bindings paired (pairBindings) and their lines added to the diff's
 * lines; a removed binding's line goes to line 0 when nothing else stands on it (its evidence
 * is shown by no edge once the bindings are patched; line 0 names no line, and every later patch
 * of the file leaves it there: remap-evidence.ts lineMovesOf). The type facts are left out of
 * the comparison (type-edit.ts follows them); `typeAnon` are the moves of the anonymous structs
 * they name. Null when more than that changed.
 */
function diffWithBindings(before: FileFacts, after: FileFacts, typeAnon: LinePair[]): { diff: FactsDiff; bindings: [number, number][]; changed: boolean } | null {
  const bare = diffFacts(withoutInvocations(withoutTypes(withoutPlainBindings(before))), withoutInvocations(withoutTypes(withoutPlainBindings(after))));
  if (!bare) return null;
  const diff = { ...bare, anon: [...bare.anon, ...typeAnon], unchanged: bare.unchanged && typeAnon.every(([o, n]) => o === n) };
  if (!isRenaming(diff.anon)) return null;
  const bindings = pairBindings(after.path, before.bindings, after.bindings, diff.anon);
  const plainBefore = before.bindings.filter(isPlainBinding).length;
  const plainAfter = after.bindings.filter(isPlainBinding).length;
  const changed = bindings.length !== plainBefore || bindings.length !== plainAfter;
  const lines = [...diff.lines, ...bindings.map(([o, n]): [number, number] => [before.bindings[o]!.line, after.bindings[n]!.line])];
  const paired = new Set(bindings.map(([o]) => o));
  const placed = new Set(lines.map(([o]) => o));
  before.bindings.forEach((b, i) => {
    if (!isPlainBinding(b) || paired.has(i) || placed.has(b.line)) return;
    placed.add(b.line);
    lines.push([b.line, 0]);
  });
  const unchanged = diff.unchanged && !changed && lines.every(([o, n]) => o === n);
  return { diff: { ...diff, lines, unchanged }, bindings, changed };
}

/**
 * Why an edit that made a file unreadable, or readable again, is not patched, in --verbose's words
 * (`it is not text now (it holds a NUL byte)`, `it cannot be read now (EACCES)`, `it is text again`);
 * null when it was readable (or not) both times. Its facts are empty while it cannot be read
 * (FileFacts.unreadable), which the diff alone would report as every kind of fact changed.
 */
function unreadableReason(before: FileFacts, after: FileFacts): string | null {
  if (before.unreadable === after.unreadable) return null;
  if (after.unreadable !== undefined) return after.unreadable === NOT_TEXT ? 'it is not text now (it holds a NUL byte)' : `it cannot be read now (${after.unreadable})`;
  return before.unreadable === NOT_TEXT ? 'it is text again' : 'it can be read again';
}

/**
 * The plan of an edit of one file, or the reason it cannot be patched: a name defined a different
 * number of times before and after, a definition with aliases
 * added or removed, a macro added or removed that is more than a name and its calls (planMacros), or a change beyond definitions, lines,
 * calls, plain bindings and #include lines (another binding, a file-scope variable: diffFacts).
 * Stores into locals nothing reads are left out (dead-stores.ts); `followed` says which parameters
 * the cached graph follows (by default every one: a variable passed as an argument is then read).
 * So are stores of parameters that hold no function into members (`narrow`: the profile's integer
 * typedefs, Profile.narrowTypes).
 */
export function planFileEdit(before: FileFacts, after: FileFacts, followed: FollowedParam = () => true, narrow: ReadonlySet<string> = new Set()): FilePlan | string {
  const unread = unreadableReason(before, after);
  if (unread) return unread;
  const macros = planMacros(before.macros, after.macros);
  if (typeof macros === 'string') return macros;
  const paired = pairFunctions(before.functions, after.functions);
  if (typeof paired === 'string') return paired;
  const { kept, added, removed, names, moved } = paired;
  for (const i of [...macros.added.map((j) => after.macros[j]!), ...macros.removed.map((j) => before.macros[j]!)]) names.add(i.name);
  if ([...removed.map((i) => before.functions[i]!), ...added.map((i) => after.functions[i]!)].some((f) => f.aliases?.length)) return 'a function with aliases was added or removed';
  const types = typeEdit(before, after);
  if (typeof types === 'string') return types;
  // A macro added or removed that names the type of its value changes its name's return type.
  for (const m of [...macros.added.map((i) => after.macros[i]!), ...macros.removed.map((i) => before.macros[i]!)]) if (m.returns !== undefined) types.changed.push({ hash: typeReadHash('R', m.name), what: `the return type of macro ${m.name} changed` });
  const returns = withoutUnpaired(before, after, returnsName);
  const results = withoutUnpaired(returns.before, returns.after, storesResult);
  // A return of a local that no store fills, before or after, yields nothing.
  const locals = withoutUnpaired(results.before, results.after, (b) => returnsLocal(b) && !mayYield(before, b.inFunction ?? '', b) && !mayYield(after, b.inFunction ?? '', b));
  // Stores into locals nothing reads, and of parameters that hold no function into members, make no edge (dead-stores.ts): left out of
  // both versions. A function the edit adds or removes may follow its parameters: a variable passed to one counts as read.
  const follows: FollowedParam = (callee, arg) => names.has(callee) || followed(callee, arg);
  const dead = { before: withoutDeadStores(withoutInertParamStores(locals.before, narrow), follows), after: withoutDeadStores(withoutInertParamStores(locals.after, narrow), follows) };
  // Registrations added, removed or changed are patched apart (patch-registrations.ts); moved alone, the diff moves their lines.
  const registrations = !sameRegistrations(before.registrations, after.registrations);
  const unregistered = registrations ? { registrations: undefined } : {};
  const diffed = diffWithBindings(
    { ...dead.before.facts, functions: kept.map(([o]) => before.functions[o]!), macros: macros.kept.map(([o]) => before.macros[o]!), includes: [], ...unregistered },
    { ...dead.after.facts, functions: kept.map(([, n]) => after.functions[n]!), macros: macros.kept.map(([, n]) => after.macros[n]!), includes: [], ...unregistered },
    types.anon,
  );
  // In the words of what the diff compared (stores left out, invocations aside), naming the functions moved, which that may be about.
  if (!diffed) return `it changed ${refused(dead.before.facts, dead.after.facts)}${moved.length ? ` (functions put in another place: ${moved.join(', ')})` : ''}`;
  // Binding indexes of the plan are those of the facts as they are: re-indexed past the bindings left out.
  const at = (f: FileFacts, without: FileFacts): number[] => {
    const left = new Set(without.bindings);
    return f.bindings.flatMap((b, i) => (left.has(b) ? [i] : []));
  };
  const [oldAt, newAt] = [at(before, dead.before.facts), at(after, dead.after.facts)];
  const bindings = diffed.bindings.map(([o, n]): [number, number] => [oldAt[o]!, newAt[n]!]);
  // The stores left out of the diff still count in the facts' binding indexes, which the binding record keeps (BindingRecordSnapshot.conItem):
  // when those move, the graph is not "unchanged", so that the patched record is written (it read one binding off otherwise).
  if (before.bindings.length !== after.bindings.length || bindings.some(([o, n]) => o !== n)) diffed.diff.unchanged = false;
  // A removed function's line stays where it was when nothing else stands on it: the signature
  // fallback's evidence names it, which no edge shows once the binding patch drops its edges.
  const placed = new Set(diffed.diff.lines.map(([o]) => o));
  for (const i of removed) {
    const line = before.functions[i]!.line;
    if (!placed.has(line)) diffed.diff.lines.push([line, line]);
    placed.add(line);
  }
  if (registrations) {
    diffed.diff.lines.push(...registrationLines(before.registrations ?? [], after.registrations ?? [], placed));
    diffed.diff.unchanged = false;
  }
  return { kept, added: added.sort((a, b) => a - b), removed: removed.sort((a, b) => a - b), names, macros, diff: diffed.diff, bindings, bindingsChanged: diffed.changed, types, includes: withoutPlaces(before.includes) !== withoutPlaces(after.includes), returned: returns.names, results: results.names, moved, deadStored: unpairedNames(dead.before.named, dead.after.named), deadPassed: [...dead.before.passes, ...dead.after.passes], registrations };
}

/**
 * What of two versions of a file the diff refused, in -v's words (whatChanged): the facts as
 * diffWithBindings compares them (plain bindings, type facts and registrations aside, which the
 * patch takes otherwise; invocations aside), so that an ops table beside a registration is not named; when
 * that tells nothing (a renaming the diff refused), every kind that differs.
 */
function refused(before: FileFacts, after: FileFacts): string {
  const bare = (f: FileFacts): FileFacts => ({ ...withoutInvocations(withoutTypes(withoutPlainBindings(f))), registrations: undefined });
  const words = whatChanged(bare(before), bare(after));
  return words === NOTHING_SEEN ? whatChanged(withoutInvocations(before), withoutInvocations(after)) : words;
}

/**
 * The line moves of a file's registrations that changed (FilePlan.registrations): the k-th
 * registration of a macro and function before to the k-th after ([old line, new line]), and each
 * one removed to line 0 unless another fact places its line (`placed`, which this adds to).
 */
function registrationLines(before: readonly RegistrationFact[], after: readonly RegistrationFact[], placed: Set<number>): LinePair[] {
  const key = (r: RegistrationFact): string => `${r.macro}\u0000${r.fn}\u0000${r.definer ?? ''}\u0000${r.cond ?? ''}`;
  const now = new Map<string, number[]>();
  for (const r of after) (now.get(key(r)) ?? now.set(key(r), []).get(key(r))!).push(r.line);
  const lines: LinePair[] = [];
  for (const r of before) {
    const to = now.get(key(r))?.shift();
    if (to === undefined && placed.has(r.line)) continue;
    lines.push([r.line, to ?? 0]);
    placed.add(r.line);
  }
  return lines;
}

/** The names counted a different number of times in `before` and `after` (multisets). */
function unpairedNames(before: readonly string[], after: readonly string[]): Set<string> {
  const count = new Map<string, number>();
  for (const n of before) count.set(n, (count.get(n) ?? 0) + 1);
  for (const n of after) count.set(n, (count.get(n) ?? 0) - 1);
  return new Set([...count].filter(([, c]) => c !== 0).map(([n]) => n));
}

/**
 * The plan of each edited file (planFileEdit), its facts as the index hands them out
 * (`configured`: calls the configuration leaves out made neutral). An added file's #include
 * lines are its include rows, and so are a deleted one's: the plan compares the rest; neither's
 * file-scope variables are compared (file-globals.ts), nor those `variables` names for a kept
 * file (by position: keptFileVariables), nor the bindings initializing those with a function
 * (initializesVariable: the binding patch follows the address they take); `followed` and `narrow` as planFileEdit takes them. Why not, naming the file: a call put
 * under another #if condition (call-condition-edit.ts) or what planFileEdit refuses.
 */
export function planEdits(edited: readonly { at: number; before: FileFacts; after: FileFacts }[], configured: { before: (f: FileFacts, at: number) => FileFacts; after: (f: FileFacts, at: number) => FileFacts }, added: ReadonlySet<number>, deleted: ReadonlySet<number>, followed: FollowedParam, narrow: ReadonlySet<string>, variables: ReadonlyMap<number, ReadonlySet<string>> = new Map()): EditedFile[] | string {
  const plans: EditedFile[] = [];
  for (const t of edited) {
    const conditions = callConditionEditBlocked(t.before, t.after);
    if (conditions) return conditions;
    const before = configured.before(t.before, t.at);
    const after = configured.after(t.after, t.at);
    // The variables left out, and the bindings initializing them with a function (file-globals.ts initializesVariable): an added or deleted file's all.
    const out = added.has(t.at) ? globalNames([after]) : deleted.has(t.at) ? globalNames([before]) : (variables.get(t.at) ?? new Set<string>());
    const without = (f: FileFacts): FileFacts => (out.size ? { ...withoutInitializers(f, out), globals: f.globals.filter((g) => !out.has(g.name)) } : f);
    const [b, a] = [without(before), without(after)];
    const plan = added.has(t.at) ? planFileEdit({ ...b, includes: after.includes }, a, followed, narrow) : deleted.has(t.at) ? planFileEdit(b, { ...a, includes: before.includes }, followed, narrow) : planFileEdit(b, a, followed, narrow);
    if (typeof plan === 'string') return `${t.after.path}${added.has(t.at) ? ' (added)' : deleted.has(t.at) ? ' (deleted)' : ''}: ${plan}`;
    // The plan's binding indexes are those of the facts as they are (BindingRecordSnapshot.conItem reads them so): re-indexed past the initializers left out.
    if (b.bindings !== before.bindings || a.bindings !== after.bindings) {
      const at = (f: FileFacts, left: FileFacts): number[] => ((kept) => f.bindings.flatMap((x, i) => (kept.has(x) ? [i] : [])))(new Set(left.bindings));
      const [oldAt, newAt] = [at(before, b), at(after, a)];
      plan.bindings = plan.bindings.map(([o, n]) => [oldAt[o]!, newAt[n]!]);
      if (before.bindings.length !== after.bindings.length || plan.bindings.some(([o, n]) => o !== n)) plan.diff.unchanged = false;
    }
    plans.push({ at: t.at, before, after, plan });
  }
  return withPassedNamesAnew(plans);
}

/** For a refusal after the plans: ` (functions put in another place: f, g)` when the plans moved some, else nothing. */
export function movedNote(plans: readonly EditedFile[]): string {
  const moved = plans.flatMap((t) => t.plan.moved);
  return moved.length ? ` (functions put in another place: ${moved.join(', ')})` : '';
}
