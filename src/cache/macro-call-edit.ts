import { callsOfResults, expandMacroCallsLooking, type MacroBody } from '../index/expand-macro-calls.js';
import type { FileFacts } from '../types/facts.js';
import { type DefinerRecords, definerEntries, isDefinerRecords } from './definer-records.js';

/**
 * The calls of what a macro invocation expands to (`guard(mutex)(&d->lock)`), in the files a
 * patch parsed, rewritten as a full resolution rewrites them (index/expand-macro-calls.ts: a call
 * by the name the expansion ends with). A full resolution looks each macro up in a table of every
 * file's macros with a body; here the same lookup reads, name by name as the expansion asks, the
 * records the graph keeps of those macros (GraphPayload.definers: definer-records.ts), with each
 * edited file's own macros as they are now in place of what the records kept of them. So each
 * call expands as it would in a full resolution of the edited tree, a macro whose name is made by
 * pasting (`##`) included.
 *
 * `edited`: each parsed file's position (its file id in the graph being patched, the file ids of
 * the records) and facts, after definer expansion; `pathOf` gives a file id's path. Returns the
 * facts in the same order (a file with no call of a call's result as it is), or why the graph
 * cannot tell (it keeps no macro bodies: a cache of an older layout).
 */
export function rewrittenAsInFull(definers: DefinerRecords | undefined, edited: readonly { at: number; facts: FileFacts }[], pathOf: (file: number) => string): FileFacts[] | string {
  if (!edited.some((e) => callsOfResults(e.facts))) return edited.map((e) => e.facts);
  if (!isDefinerRecords(definers)) return 'it calls the result of a call, and the cached graph keeps no macro bodies';
  const entries = definerEntries(definers);
  const own = new Map(edited.map((e) => [e.at, e.facts]));
  const known = new Map<string, { def: MacroBody; path: string }[] | undefined>();
  const lookup = (name: string): { def: MacroBody; path: string }[] | undefined => {
    if (known.has(name)) return known.get(name);
    // In file order, each file's definitions in its own order (the sort is stable), as macroBodyTable lists a whole tree's.
    const found: { file: number; def: MacroBody; path: string }[] = [];
    for (const [file, m] of entries(name)) if (!own.has(file) && m.body !== undefined) found.push({ file, def: { params: m.params, body: m.body }, path: pathOf(file) });
    for (const [file, facts] of own) for (const m of facts.macros) if (m.name === name && m.body !== undefined) found.push({ file, def: { params: m.params, body: m.body }, path: facts.path });
    const list = found.length ? found.sort((a, b) => a.file - b.file).map(({ def, path }) => ({ def, path })) : undefined;
    known.set(name, list);
    return list;
  };
  return expandMacroCallsLooking(lookup, edited.map((e) => e.facts));
}
