import { describe, expect, it } from 'vitest';
import { definedTagCounts, definedTags, definedTagsAfter, otherDefiners, ownTagsOf } from '../../src/cache/defined-tags.js';
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

describe('aloneIn and the counts of the files defining each tag', () => {
  const files = [facts('a.h', ['struct dev', ['id']], ['struct both', ['x']]), facts('b.c', ['struct both', ['y']], ['struct both', ['z']]), facts('c.c', ['struct <anon c.c:3>', ['z']])];
  const packed = packHashes(definedTags(files));
  const counts = definedTagCounts(files, packed);
  const countOf = (table: { definedTags: Uint8Array; definedTagCounts?: Uint8Array }, tag: string): number | undefined => table.definedTagCounts?.[unpackHashes(table.definedTags).indexOf(slotHash(tag))];

  it('counts each file once per tag', () => {
    expect(countOf({ definedTags: packed, definedTagCounts: counts }, 'struct dev')).toBe(1);
    expect(countOf({ definedTags: packed, definedTagCounts: counts }, 'struct both')).toBe(2);
  });

  it('otherDefiners: the files other than the edited ones that define a tag; null without counts', () => {
    const edited = [{ before: files[0]!, after: facts('a.h') }];
    const others = otherDefiners(packed, counts, edited)!;
    expect(others('struct dev')).toBe(0);
    expect(others('struct both')).toBe(1);
    expect(others('struct nowhere')).toBe(0);
    expect(otherDefiners(packed, undefined, edited)).toBeNull();
  });

  it('a struct the edited file alone defines, before and after; a new tag; never one another file defines, an anonymous one, or one two edited files define', () => {
    const edited = [{ before: files[0]!, after: facts('a.h', ['struct dev', ['id', 'rx']], ['struct both', ['x']], ['struct fresh', ['q']]) }];
    const own = ownTagsOf(packed, edited, counts);
    const isAlone = aloneIn(edited, otherDefiners(packed, counts, edited), own);
    expect(isAlone('a.h', 'struct dev')).toBe(true);
    expect(isAlone('a.h', 'struct fresh')).toBe(true);
    expect(isAlone('a.h', 'struct both')).toBe(false);
    expect(isAlone('c.c', 'struct <anon c.c:3>')).toBe(false);
    // Without counts, only a new tag.
    expect(aloneIn(edited, null, ownTagsOf(packed, edited))('a.h', 'struct dev')).toBe(false);
    expect(aloneIn(edited, null, ownTagsOf(packed, edited))('a.h', 'struct fresh')).toBe(true);
    const two = [...edited, { before: facts('d.c'), after: facts('d.c', ['struct dev', ['id']]) }];
    expect(aloneIn(two, otherDefiners(packed, counts, two), ownTagsOf(packed, two, counts))('a.h', 'struct dev')).toBe(false);
  });

  it('definedTagsAfter: the counts follow the files; a tag defined again after its last file went is a file\'s own', () => {
    const deleted = definedTagsAfter(packed, counts, [{ before: files[0]!, after: facts('a.h') }])!;
    expect(countOf(deleted, 'struct dev')).toBe(0);
    expect(countOf(deleted, 'struct both')).toBe(1);
    const again = [{ before: facts('e.c'), after: facts('e.c', ['struct dev', ['id']], ['struct new_one', ['a']]) }];
    expect(ownTagsOf(deleted.definedTags, again, deleted.definedTagCounts)!('e.c', 'struct dev')).toBe(true);
    // Without counts the table is a superset: a tag it holds is no file's own.
    expect(ownTagsOf(deleted.definedTags, again)!('e.c', 'struct dev')).toBe(false);
    const added = definedTagsAfter(deleted.definedTags, deleted.definedTagCounts, again)!;
    expect(countOf(added, 'struct dev')).toBe(1);
    expect(countOf(added, 'struct new_one')).toBe(1);
    expect(definedTagsAfter(packed, counts, [{ before: files[0]!, after: files[0]! }])).toBeUndefined();
    expect(definedTagsAfter(packed, undefined, again)!.definedTagCounts).toBeUndefined();
  });
});
