import { describe, expect, it } from 'vitest';
import { definedTags, sharedTags, sharedTagsAfter } from '../../src/cache/defined-tags.js';
import { aloneIn, memberQueriesEdit } from '../../src/cache/member-queries.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { slotHash } from '../../src/resolve/binding-record.js';
import { packMemberQueries, readMemberQueries, typeReadHash } from '../../src/resolve/type-reads.js';
import type { FileFacts } from '../../src/types/facts.js';
import { packHashes, unpackHashes } from '../../src/util/packed-hashes.js';

const facts = (path: string, ...structs: [string, string[]][]): FileFacts => ({ ...emptyFacts(path), structs: structs.map(([name, fields], i) => ({ name, line: i + 1, fields: fields.map((f) => ({ name: f, type: 'int' })) })) });
const queries = (...q: [number, string][]): string => packMemberQueries(new Map(q.map(([count, key]) => [key, count])));
const NO_READS = new Uint32Array(0);
const alone = (): boolean => true;
const shared = (): boolean => false;

describe('memberQueriesEdit: member names added or removed against the questions the resolution asked', () => {
  const edit = (struct: string, before: string[], after: string[], path = 'drv.c') => [{ path, members: [{ struct, before, after }] }];

  it('a struct one file alone defines: joins the answer only when it has every name', () => {
    // Has one of the two names: not in the answer before or after, whatever the count.
    expect(memberQueriesEdit(edit('struct priv', [], ['expires', 'flags']), queries([1, 'expires handler']), NO_READS, alone)).toEqual({});
    // Has both: one struct became two, the macro's store no longer has a struct.
    expect(memberQueriesEdit(edit('struct priv', [], ['expires', 'handler']), queries([1, 'expires handler']), NO_READS, alone)).toBe('drv.c: which structs have members expires and handler changed, and the resolution read it');
    // Two became three: the answer was none and stays none; the count follows.
    expect(memberQueriesEdit(edit('struct priv', [], ['rx']), queries([2, 'rx']), NO_READS, alone)).toEqual({ memberQueries: queries([3, 'rx']) });
    // Leaves: three became two, still none.
    expect(memberQueriesEdit(edit('struct priv', ['rx'], []), queries([3, 'rx']), NO_READS, alone)).toEqual({ memberQueries: queries([2, 'rx']) });
    expect(memberQueriesEdit(edit('struct priv', ['rx'], []), queries([2, 'rx']), NO_READS, alone)).toBe('drv.c: which structs have a member rx changed, and the resolution read it');
  });

  it('a struct other files define too: it may join when a name is added, may leave when one is removed', () => {
    // May join: the answer stays none while two or more had the names, whatever it does.
    expect(memberQueriesEdit(edit('struct dev', ['id'], ['id', 'rx']), queries([2, 'rx']), NO_READS, shared)).toEqual({});
    expect(memberQueriesEdit(edit('struct dev', ['id'], ['id', 'expires']), queries([1, 'expires handler']), NO_READS, shared)).toMatch(/members expires and handler changed/);
    // May leave: counted out, so the count is a lower bound.
    expect(memberQueriesEdit(edit('struct dev', ['id', 'rx'], ['id']), queries([3, 'rx']), NO_READS, shared)).toEqual({ memberQueries: queries([2, 'rx']) });
    expect(memberQueriesEdit(edit('struct dev', ['id', 'rx'], ['id']), queries([2, 'rx']), NO_READS, shared)).toMatch(/a member rx changed/);
  });

  it('a struct two edited files define is never taken as alone', () => {
    const both = [...edit('struct dev', ['rx'], [], 'a.h'), ...edit('struct dev', [], ['id', 'rx'], 'b.h')];
    expect(memberQueriesEdit(both, queries([2, 'rx']), NO_READS, alone)).toMatch(/^a\.h: which structs have a member rx changed/);
  });

  it('names no question asked, and no member name changed: nothing', () => {
    expect(memberQueriesEdit(edit('struct dev', ['id'], ['id', 'mtu']), queries([1, 'rx'], [0, 'expires handler']), NO_READS, shared)).toEqual({});
    expect(memberQueriesEdit([{ path: 'x.c', members: [] }], queries([1, 'rx']), NO_READS, shared)).toEqual({});
  });

  it('a graph without its questions: any member name added or removed that a question named', () => {
    const reads = Uint32Array.from([typeReadHash('N', 'rx')]).sort();
    expect(memberQueriesEdit(edit('struct dev', [], ['rx']), undefined, reads, alone)).toBe('drv.c: which structs have a member rx changed, and the resolution read it');
    expect(memberQueriesEdit(edit('struct dev', [], ['mtu']), undefined, reads, alone)).toEqual({});
  });

  it('the questions as the graph keeps them', () => {
    expect(readMemberQueries(queries([2, 'rx'], [0, 'a b']))).toEqual([{ names: ['a', 'b'], count: 0 }, { names: ['rx'], count: 2 }]);
    expect(readMemberQueries('')).toEqual([]);
  });
});

describe('aloneIn and the table of tags several files define', () => {
  const files = [facts('a.h', ['struct dev', ['id']], ['struct both', ['x']]), facts('b.c', ['struct both', ['y']]), facts('c.c', ['struct <anon c.c:3>', ['z']])];
  const sharedPacked = packHashes(sharedTags(files));
  const definedPacked = packHashes(definedTags(files));

  it('sharedTags holds the tags of two or more files', () => {
    expect([...sharedTags(files)]).toEqual([slotHash('struct both')]);
    expect([...sharedTags([facts('a.h', ['struct twice', ['a']], ['struct twice', ['b']])])]).toEqual([]);
  });

  it('a struct the edited file alone defines, before and after; a new tag; never a shared one, an anonymous one, or one two edited files define', () => {
    const edited = [{ before: files[0]!, after: facts('a.h', ['struct dev', ['id', 'rx']], ['struct both', ['x']], ['struct fresh', ['q']]) }];
    const own = (path: string, tag: string): boolean => path === 'a.h' && tag === 'struct fresh';
    const isAlone = aloneIn(edited, sharedPacked, own);
    expect(isAlone('a.h', 'struct dev')).toBe(true);
    expect(isAlone('a.h', 'struct fresh')).toBe(true);
    expect(isAlone('a.h', 'struct both')).toBe(false);
    expect(isAlone('c.c', 'struct <anon c.c:3>')).toBe(false);
    // Without the table, only a new tag.
    expect(aloneIn(edited, undefined, own)('a.h', 'struct dev')).toBe(false);
    const two = [...edited, { before: facts('d.c'), after: facts('d.c', ['struct dev', ['id']]) }];
    expect(aloneIn(two, sharedPacked, own)('a.h', 'struct dev')).toBe(false);
  });

  it('sharedTagsAfter adds a tag an edit defines that a file defined before, or another edited file defines', () => {
    const taken = sharedTagsAfter(sharedPacked, definedPacked, [{ before: facts('e.c'), after: facts('e.c', ['struct dev', ['id']], ['struct new_one', ['a']]) }]);
    expect([...unpackHashes(taken!)]).toEqual([slotHash('struct both'), slotHash('struct dev')].sort((a, b) => a - b));
    const twoNew = sharedTagsAfter(sharedPacked, definedPacked, [
      { before: facts('e.c'), after: facts('e.c', ['struct pair', ['a']]) },
      { before: facts('f.c'), after: facts('f.c', ['struct pair', ['b']]) },
    ]);
    expect(unpackHashes(twoNew!).includes(slotHash('struct pair'))).toBe(true);
    expect(sharedTagsAfter(sharedPacked, definedPacked, [{ before: facts('e.c'), after: facts('e.c', ['struct new_one', ['a']]) }])).toBeUndefined();
    expect(sharedTagsAfter(undefined, definedPacked, [{ before: facts('e.c'), after: facts('e.c', ['struct dev', ['a']]) }])).toBeUndefined();
  });
});
