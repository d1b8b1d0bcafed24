import { describe, expect, it } from 'vitest';
import { type DefinerRecords, definerRecords, mapDefinerFiles, replaceDefinerFiles } from '../../src/cache/definer-records.js';
import { patchDefiners, planMacros } from '../../src/cache/macro-edit.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import type { MacroFact } from '../../src/types/facts.js';

const macro = (name: string, more: Partial<MacroFact> = {}): MacroFact => ({ name, line: 1, params: ['x'], calls: [], ...more });

describe('planMacros', () => {
  it('pairs macros by name, in order, with those added and removed', () => {
    expect(planMacros([macro('A'), macro('B'), macro('C')], [macro('A'), macro('N'), macro('C')])).toEqual({ kept: [[0, 0], [2, 2]], added: [1], removed: [1] });
  });

  it('refuses kept macros in another order, a name defined a different number of times, and a macro that stores into a member', () => {
    expect(planMacros([macro('A'), macro('B')], [macro('B'), macro('A')])).toBe('macros kept changed order');
    expect(planMacros([macro('A')], [macro('A'), macro('A')])).toBe('macro A is defined a different number of times');
    const store = macro('S', { stores: [{ holder: 0, path: ['f'], param: 0, line: 1, text: '(x)->f = (x)' }] });
    expect(planMacros([], [store])).toBe('macro S was added or removed, and it stores into a member');
  });
});

describe('patchDefiners', () => {
  const table = definerRecords([{ ...emptyFacts('a.h'), macros: [macro('OLD', { body: 'a(x)' })] }, emptyFacts('b.h'), emptyFacts('c.h'), { ...emptyFacts('d.h'), macros: [macro('KEEP', { body: 'b(x)' })] }]);
  const edit = (at: number, before: MacroFact[], after: MacroFact[]) => ({ at, before: { ...emptyFacts('h.h'), macros: before }, after: { ...emptyFacts('h.h'), macros: after }, plan: { macros: planMacros(before, after) as Exclude<ReturnType<typeof planMacros>, string> } });
  /** [name, [file, macro name][]] of each record. */
  const rows = (d: DefinerRecords) => d.names.map((n, i) => [n, (JSON.parse(d.text.slice(d.starts[i]!, d.starts[i + 1]! - 1)) as MacroFact[]).map((m, j) => [d.files[d.entries[i]! + j], m.name])]);

  it('replaces the entries of a file that gained or lost a macro with a body, names sorted, each name in file order', () => {
    const next = patchDefiners(table, [edit(0, [macro('OLD', { body: 'a(x)' })], [macro('NEW', { body: 'c(x)' })]), edit(5, [], [macro('MORE', { body: 'd(x)' }), macro('KEEP', { body: 'e(x)' })])]);
    expect(rows(next!)).toEqual([['KEEP', [[3, 'KEEP'], [5, 'KEEP']]], ['MORE', [[5, 'MORE']]], ['NEW', [[0, 'NEW']]]]);
  });

  it('leaves the table as it is when no macro with a body came or went', () => {
    expect(patchDefiners(table, [edit(0, [], [macro('PLAIN')])])).toBe(table);
  });

  it('maps the file ids of every record (files added or deleted shift them), as the records of the shifted facts would be', () => {
    // A table of its own: mapDefinerFiles updates the one it is given.
    const shifted = mapDefinerFiles(definerRecords([{ ...emptyFacts('a.h'), macros: [macro('OLD', { body: 'a(x)' })] }, emptyFacts('b.h'), emptyFacts('c.h'), { ...emptyFacts('d.h'), macros: [macro('KEEP', { body: 'b(x)' })] }]), (f) => (f >= 2 ? f + 1 : f));
    expect(shifted).toEqual(definerRecords([{ ...emptyFacts('a.h'), macros: [macro('OLD', { body: 'a(x)' })] }, emptyFacts('b.h'), emptyFacts('new.h'), emptyFacts('c.h'), { ...emptyFacts('d.h'), macros: [macro('KEEP', { body: 'b(x)' })] }]));
  });
});

describe('patchDefiners reading only the records of the names an edit touches', () => {
  it('gives the table the whole-table rewrite gives, over random tables and edits', () => {
    let seed = 7;
    const r = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const pick = <T>(list: T[]): T => list[Math.floor(r() * list.length)]!;
    const names = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const macrosOf = (): MacroFact[] => Array.from({ length: Math.floor(r() * 4) }, (_, i) => macro(pick(names), { line: i + 1, ...(r() < 0.7 ? { body: `${pick(names)}(x)` } : {}) }));
    for (let round = 0; round < 200; round++) {
      const files = Array.from({ length: 6 }, (_, f) => ({ ...emptyFacts(`f${f}.h`), macros: macrosOf() }));
      const table = definerRecords(files);
      const edited = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => Math.floor(r() * 8)))];
      const after = new Map(edited.map((f) => [f, macrosOf()]));
      const touched = new Set(edited.flatMap((f) => [...(files[f]?.macros ?? []), ...after.get(f)!].filter((m) => m.body !== undefined).map((m) => m.name)));
      expect(replaceDefinerFiles(table, after, touched), `round ${round}`).toEqual(replaceDefinerFiles(table, after));
      // And the whole-table rewrite is the table of the edited facts.
      const now = Array.from({ length: 8 }, (_, f) => (after.has(f) ? { ...emptyFacts(`f${f}.h`), macros: after.get(f)! } : (files[f] ?? emptyFacts(`f${f}.h`))));
      expect(replaceDefinerFiles(table, after)).toEqual(definerRecords(now));
    }
  });
});
