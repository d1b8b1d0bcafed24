import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/index/discover-files.js';
import { expandDefiners } from '../../src/index/expand-definers.js';
import { expandMacroCalls } from '../../src/index/expand-macro-calls.js';
import { emptyFacts, fileParser, textExtractor } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import { mentionTableOfJson } from '../../src/resolve/mention-json.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import type { FileFacts } from '../../src/types/facts.js';
import { fixturesDir } from '../support/fixtures.js';

/** A fixture's facts as a full index has them: parsed, definer macros and calls of macro results expanded. */
function treeFacts(name: string): FileFacts[] {
  const root = `${fixturesDir}/${name}`;
  const profile = detectProfile(root);
  const parse = fileParser(root, profile);
  const parsed = discoverFiles(root, profile).map((f) => parse(f.path));
  return expandMacroCalls(expandDefiners(parsed, textExtractor(profile), new Set(profile.registrations.flatMap((r) => r.macros))));
}

const bytes = (facts: FileFacts[]): Buffer => Buffer.from(JSON.stringify(facts), 'utf8');
const same = (a: MentionTable, b: MentionTable): void => {
  expect(Array.from(a.hashes)).toEqual(Array.from(b.hashes));
  expect(Array.from(a.counts)).toEqual(Array.from(b.counts));
};

describe('mentions read from a facts frame\'s JSON', () => {
  it('gives the table the facts as objects give, on the fixture trees', () => {
    for (const name of ['minikernel', 'macrodef/ops', 'macrocall/guard']) {
      const facts = treeFacts(name);
      expect(facts.length, name).toBeGreaterThan(0);
      same(mentionTableOfJson(bytes(facts)), MentionTable.of(facts));
    }
  });

  it('decodes escapes and ends identifiers at non-ASCII characters, and leaves out the fields forEachMention leaves out', () => {
    const f = emptyFacts('dir/path_name.c');
    f.hash = 'abc123';
    // A newline written \n in JSON must not join `a` and `nb`; \u0041 is `A`; é and 😀 end identifiers.
    f.functions.push({ name: 'def_name', line: 1, endLine: 2, isStatic: true, signature: 'int sig_only(void)', returns: 'ret_type\n"q"', params: [{ name: 'p\u0041ram', type: 'struct é_x😀y' }], calls: [{ line: 1, col: 2, name: 'callee_only', args: ['arg_one\\two', null, '\t\u0001tab'] }] } as never);
    f.macros.push({ name: 'MACRO_ONLY', line: 3, params: ['x'], body: 'x ## _suffix', calls: [{ line: 3, col: 1, name: 'mcall_only', args: ['marg'] }] } as never);
    f.globals.push({ name: 'a\nb', type: 'name', line: 4 } as never);
    const other = emptyFacts('b.c');
    other.globals.push({ name: 'path_name', type: 'def_name', line: 1 } as never);
    const files = [f, other, emptyFacts('c.c')];
    const table = mentionTableOfJson(bytes(files));
    same(table, MentionTable.of(files));
    for (const [name, n] of [['ret_type', 1], ['q', 1], ['pAram', 1], ['x', 1], ['_x', 1], ['y', 1], ['arg_one', 1], ['two', 1], ['tab', 1], ['marg', 1], ['_suffix', 1], ['a', 1], ['b', 1], ['name', 1], ['path_name', 1], ['def_name', 1], ['sig_only', 0], ['callee_only', 0], ['mcall_only', 0], ['MACRO_ONLY', 0], ['abc123', 0], ['dir', 0], ['line', 0], ['nb', 0]] as const) {
      expect(table.mentions(name), name).toBe(n);
    }
  });

  it('leaves out a name followed by `(` in a macro body (a call or a declarator, never a value), in both readers', () => {
    const f = emptyFacts('m.h');
    // Spaces and a tab before `(`, a name at the end, one used both ways, one in a store's text (not a body).
    f.macros.push({ name: 'PF_M', line: 1, params: [], body: 'pf_called() + pf_spaced  ( 1) + pf_tabbed\t(2) + pf_value + pf_both(pf_both) + pf_last', calls: [], stores: [{ holder: 0, path: ['f'], fn: 'pf_stored', line: 1, text: 'x->f = pf_stored(1)' }] } as never);
    f.macros.push({ name: 'PF_END', line: 2, params: [], body: 'pf_end_call (', calls: [] } as never);
    const files = [f];
    const table = mentionTableOfJson(bytes(files));
    same(table, MentionTable.of(files));
    for (const [name, n] of [['pf_called', 0], ['pf_spaced', 0], ['pf_tabbed', 0], ['pf_value', 1], ['pf_both', 1], ['pf_last', 1], ['pf_stored', 1], ['pf_end_call', 0]] as const) expect(table.mentions(name), name).toBe(n);
  });

  it('merges frames\' tables into the table of all their files, counts kept at their ceiling', () => {
    const facts = treeFacts('minikernel');
    const frames = [facts.slice(0, 3), facts.slice(3, 10), facts.slice(10)];
    same(MentionTable.merge(frames.map((fr) => mentionTableOfJson(bytes(fr)))), MentionTable.of(facts));
    // 300 files mentioning one name: the count stops at 255 whether counted at once or merged.
    const many = Array.from({ length: 300 }, (_, i) => {
      const f = emptyFacts(`f${i}.c`);
      f.globals.push({ name: 'shared_name', type: 'int', line: 1 } as never);
      return f;
    });
    const merged = MentionTable.merge([many.slice(0, 150), many.slice(150)].map((fr) => mentionTableOfJson(bytes(fr))));
    expect(merged.mentions('shared_name')).toBe(255);
    same(merged, MentionTable.of(many));
    expect(MentionTable.merge([]).hashes.length).toBe(0);
  });

  it('refuses text that is no JSON array', () => {
    expect(() => mentionTableOfJson(Buffer.from('{"path":"a.c"}'))).toThrow();
  });
});
