import type { MacroDefinition } from '../resolve/code-macros.js';
import type { FileFacts } from '../types/facts.js';

/** BuildRecord.macroDefs: the definitions of the macros conditions test, by name (resolve/code-macros.ts testedMacroDefinitions). */
type MacroDefs = readonly (readonly [string, MacroDefinition[]])[];

/** A file's definitions by name as testedMacroDefinitions lists them: its macros, then its feature macros, each at its line. */
function definitionsOf(facts: FileFacts, file: number): Map<string, MacroDefinition[]> {
  const out = new Map<string, MacroDefinition[]>();
  const add = (name: string, d: MacroDefinition): void => {
    const list = out.get(name);
    if (list) list.push(d);
    else out.set(name, [d]);
  };
  for (const m of facts.macros) add(m.name, { file, line: m.line, ...(m.cond ? { cond: m.cond } : {}) });
  for (const d of facts.defines ?? []) add(d.name, { file, line: d.line, ...(d.cond ? { cond: d.cond } : {}) });
  return out;
}

/** Every [name, line] of a file's macros and feature macros, in its order (what an edit may move). */
const linesOf = (facts: FileFacts): string => JSON.stringify([...facts.macros.map((m) => [m.name, m.line]), ...(facts.defines ?? []).map((d) => [d.name, d.line])]);

/**
 * The record's macro definitions with those of the edited files at their lines now. A condition
 * over a macro the code defines is decided at its own line (code-macros.ts CodeMacroTruth: a
 * definition later in the same file is not seen), so after an edit that moves the lines of a file
 * the record's old lines would decide the file's conditions wrongly: `#ifndef io_read_be` read
 * `#define io_read_be` one line below it as seen once a line was added above both (lib/iomap.c's
 * pio_read16be lost its calls, and every edit of that file resolved in full).
 *
 * `edited`: each edited file's id (in the record's file ids) and facts before and after. Returns
 * null when no edited file's definitions moved (the record holds), the new list otherwise, or why
 * a patch cannot follow: an edited file now defines a macro that conditions test another number
 * of times or under another condition, which changes what conditions of other files read.
 */
export function macroDefsMoved(defs: MacroDefs | undefined, edited: readonly { at: number; before: FileFacts; after: FileFacts }[]): [string, MacroDefinition[]][] | null | string {
  const moved = edited.filter((t) => linesOf(t.before) !== linesOf(t.after));
  if (!defs || moved.length === 0) return null;
  const files = moved.map((t) => ({ at: t.at, path: t.after.path, before: definitionsOf(t.before, t.at), after: definitionsOf(t.after, t.at) }));
  const out: [string, MacroDefinition[]][] = [];
  let changed = false;
  for (const [name, list] of defs) {
    let next = list;
    for (const { at, path, before: was, after: now } of files) {
      const before = was.get(name) ?? [];
      const after = now.get(name) ?? [];
      if (before.length === 0 && after.length === 0) continue;
      if (before.length !== after.length || before.some((d, i) => d.cond !== after[i]!.cond)) return `${path}: it defines the macro ${name}, which conditions test, otherwise than before`;
      if (before.every((d, i) => d.line === after[i]!.line)) continue;
      // The file's entries replaced where they stand (entries are in file order).
      const kept = next.filter((d) => d.file !== at);
      const place = kept.findIndex((d) => d.file > at);
      next = place < 0 ? [...kept, ...after] : [...kept.slice(0, place), ...after, ...kept.slice(place)];
      changed = true;
    }
    out.push([name, next]);
  }
  return changed ? out : null;
}
