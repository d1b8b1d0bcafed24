import type { BindingFact, FileFacts } from '../types/facts.js';
import { isPlainBinding } from '../resolve/binding-record.js';
import type { CodeIndex } from '../index/code-index.js';
import { EDGE_KINDS } from '../resolve/edge-kind.js';

/**
 * What changed between two versions of a file, in the words --verbose uses when an edit is not
 * patched (plan-file-edit.ts): the kinds of facts that differ, places aside, or what changed in
 * the heads of the functions kept.
 */

/**
 * A binding that stores what a call returns (`ret = f(a);`, `x->f = pick();`: BindingFact.call):
 * the flows give the variable or member the functions `fn` returns (resolve/bind-flows.ts), and
 * nothing when no function of that name returns one (no `returned` binding in its body).
 */
export const storesResult = (b: BindingFact): boolean => !!b.call;

/** whatChanged's answer when no kind of fact and no function's head differs. */
export const NOTHING_SEEN = 'function bodies in more than their calls and lines';

/** What a file's facts hold besides function bodies, in the words -v uses for a change to each. */
const FACT_WORDS: [keyof FileFacts, string][] = [
  ['bindings', 'initializers or assignments of function pointers'],
  ['structs', 'struct definitions'],
  ['typedefs', 'typedefs'],
  ['globals', 'file-scope variables'],
  ['prototypes', 'prototypes'],
  ['macros', 'macro definitions'],
  ['includes', '#include lines'],
  ['registrations', 'registrations (module_init and kin)'],
  ['invocations', 'file-scope macro invocations'],
  ['defines', 'feature macros'],
  ['fieldAliases', 'member aliases'],
  ['aliasMacros', 'alias macros'],
];

/** Where a fact stands (lines and columns): left out when telling what changed, since an edit above moves them all. */
const PLACE_KEYS = new Set(['line', 'endLine', 'col']);
/** A value as JSON without its places (PLACE_KEYS), for telling whether two versions differ in more than where they stand. */
export const withoutPlaces = (value: unknown): string => JSON.stringify(value ?? null, (key, v: unknown) => (PLACE_KEYS.has(key) ? undefined : v));

/**
 * Which kinds of facts differ between two versions of a file, places aside, for a reason
 * (`struct definitions and prototypes`). Else the bodies' calls changed in ways a patch cannot follow.
 */
export function whatChanged(before: FileFacts, after: FileFacts): string {
  const words = FACT_WORDS.filter(([key]) => withoutPlaces(before[key]) !== withoutPlaces(after[key])).flatMap(([key, w]) => (key === 'bindings' ? bindingWords(before.bindings, after.bindings) : [w]));
  if (words.length === 0) words.push(...functionChanges(before, after));
  if (words.length === 0) return NOTHING_SEEN;
  return listed(words);
}

/** The kind of a binding fact, in the words -v uses for a change to bindings of that kind (the first that applies). */
const BINDING_WORDS: [(b: BindingFact) => boolean, string][] = [
  [isPlainBinding, 'initializers or assignments of function pointers'],
  [storesResult, "stores of a call's result"],
  [(b) => !!b.returned, 'returns of functions or pointer variables'],
  [(b) => b.out !== undefined, 'stores through pointer parameters'],
  [(b) => !!b.from || !!b.fromLocal, 'copies of members or pointer variables'],
  [(b) => !!b.pointer, 'stores into pointer variables'],
  [() => true, 'stores of parameters into members'],
];

/** Which kinds of bindings (BINDING_WORDS) differ between two versions of a file, places aside. */
function bindingWords(before: BindingFact[], after: BindingFact[]): string[] {
  const kindOf = (b: BindingFact): number => BINDING_WORDS.findIndex(([is]) => is(b));
  return BINDING_WORDS.flatMap(([, w], k) => (withoutPlaces(before.filter((b) => kindOf(b) === k)) !== withoutPlaces(after.filter((b) => kindOf(b) === k)) ? [w] : []));
}

/** The storage class in a signature's text, told apart as the linkage. */
const STATIC = /\bstatic\s+/g;

/** `a`, `a and b`, `a, b and c`. */
const listed = (words: string[]): string => (words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`);

/**
 * What changed in the functions kept by name (the n-th definition of a name paired with the
 * n-th), in -v's words: `the linkage of f (static to global)`, `the signature of g`, `the #if
 * condition around h`; at most 3 names each.
 */
function functionChanges(before: FileFacts, after: FileFacts): string[] {
  const seen = new Map<string, number>();
  const key = (name: string): string => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return `${name}#${n}`;
  };
  const old = new Map(before.functions.map((f) => [key(f.name), f]));
  seen.clear();
  const linkage: string[] = [];
  const signature: string[] = [];
  const cond: string[] = [];
  for (const f of after.functions) {
    const was = old.get(key(f.name));
    if (!was) continue;
    if (was.isStatic !== f.isStatic) linkage.push(`${f.name} (${was.isStatic ? 'static to global' : 'global to static'})`);
    if (was.signature.replace(STATIC, '') !== f.signature.replace(STATIC, '')) signature.push(f.name);
    if (was.cond !== f.cond) cond.push(f.name);
  }
  const some = (names: string[]): string => listed(names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names);
  return [
    ...(linkage.length ? [`the linkage of ${some(linkage)}`] : []),
    ...(signature.length ? [`the signature of ${some(signature)}`] : []),
    ...(cond.length ? [`the #if condition around ${some(cond)}`] : []),
  ];
}

/**
 * Why a patch gives up on an edge other than a call by name reaching a function whose name an edit
 * added or removed (a member's binding, a table's entry, a callback), in -v's words: the function
 * and its file, what happened to it (`removed`: its definition went, as in a rename), the edge's
 * kind and the caller with the line of its call site (read from its facts), as
 * `drivers/x.c: igb_poll was removed or renamed, and it is reached through a pointer or a table: a param-to-field edge from __napi_poll (net/core/dev.c:230), ...`.
 */
export function throughPointer(index: CodeIndex, e: { from: number; to: number; kind: number; site: number }, removed: boolean): string {
  const line = e.site >= 0 ? index.calls(e.from)[e.site]?.line : undefined;
  const what = removed ? 'was removed or renamed' : 'had another definition of its name added or removed';
  return `${index.file(e.to)}: ${index.name(e.to)} ${what}, and it is reached through a pointer or a table: a ${EDGE_KINDS[e.kind]} edge from ${index.name(e.from)} (${index.file(e.from)}${line !== undefined ? `:${line}` : ''}), which only a full resolution makes again`;
}
