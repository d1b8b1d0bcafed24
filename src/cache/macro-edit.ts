import type { FileFacts, MacroFact } from '../types/facts.js';
import { type DefinerRecords, isDefinerRecords, replaceDefinerFiles } from './definer-records.js';
import { positions } from './function-pairs.js';

/** How an edit changed one file's macros (function-like `#define`s, the graph's macro nodes). */
export interface MacroPlan {
  /** [index in before.macros, index in after.macros] of each macro kept (same name), in order. */
  kept: [number, number][];
  /** Indexes in after.macros of the macros added. */
  added: number[];
  /** Indexes in before.macros of the macros removed. */
  removed: number[];
}

/**
 * True for a macro whose presence makes nothing but its node, the edges of its calls, its entry
 * in the definer table (patchDefiners) and its return type (a type model key: planFileEdit adds
 * it to the type edit): no store into a member (macroStoreUses binds stores of names wherever the
 * macro is). Whether other files name it (invoke it, expand it, call its result) is the definition
 * patch's question: a name added or removed must be mentioned nowhere (patch-definitions.ts).
 */
const onlyCalls = (m: MacroFact): boolean => !m.stores?.length && !m.holders?.length;

/**
 * Pairs the macros of two versions of a file by name, as planFileEdit pairs functions, or says why
 * the edit is not one a patch follows: a name defined a different number of times (both times
 * some), macros kept in another order, or a macro added or removed that is more than a name and
 * its calls (onlyCalls).
 */
export function planMacros(before: MacroFact[], after: MacroFact[]): MacroPlan | string {
  const [was, now] = [positions(before), positions(after)];
  const kept: [number, number][] = [];
  const added: number[] = [];
  const removed: number[] = [];
  for (const [name, olds] of was) {
    const news = now.get(name) ?? [];
    if (news.length === 0) removed.push(...olds);
    else if (news.length !== olds.length) return `macro ${name} is defined a different number of times`;
    else olds.forEach((o, i) => kept.push([o, news[i]!]));
  }
  for (const [name, news] of now) if (!was.has(name)) added.push(...news);
  kept.sort((a, b) => a[0] - b[0]);
  if (kept.some(([, n], i) => i > 0 && n < kept[i - 1]![1])) return 'macros kept changed order';
  const changed = [...added.map((i) => after[i]!), ...removed.map((i) => before[i]!)].find((m) => !onlyCalls(m));
  if (changed) return `macro ${changed.name} was added or removed, and it stores into a member`;
  return { kept, added: added.sort((a, b) => a - b), removed: removed.sort((a, b) => a - b) };
}

/**
 * GraphPayload.definers (the macros that may define, one record per name: definer-records.ts)
 * after edits that added or removed macros: the entries of those files replaced by their new
 * facts' macros with a body. As it is when no macro with a body came or went (kept macros are
 * equal: diffFacts), or when the graph keeps no table.
 */
export function patchDefiners(definers: DefinerRecords | undefined, edits: { at: number; before: FileFacts; after: FileFacts; plan: { macros: MacroPlan } }[]): DefinerRecords | undefined {
  const changed = edits.filter((t) => [...t.plan.macros.added.map((i) => t.after.macros[i]!), ...t.plan.macros.removed.map((i) => t.before.macros[i]!)].some((m) => m.body !== undefined));
  if (!isDefinerRecords(definers) || changed.length === 0) return definers;
  // A file's entries are its macros with a body: only the records of those names, before and after, change.
  const names = new Set(changed.flatMap((t) => [...t.before.macros, ...t.after.macros].filter((m) => m.body !== undefined).map((m) => m.name)));
  return replaceDefinerFiles(definers, new Map(changed.map((t) => [t.at, t.after.macros])), names);
}
