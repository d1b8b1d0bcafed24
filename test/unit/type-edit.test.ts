import { describe, expect, it } from 'vitest';
import { tagsGone, type TypeEdit, typeEdit } from '../../src/cache/type-edit.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { TypeModel } from '../../src/resolve/type-model.js';
import { packMemberQueries, readMemberQueries, TypeReadRecorder, typeReadHash, wasRead } from '../../src/resolve/type-reads.js';
import type { FileFacts, StructFact } from '../../src/types/facts.js';

const fn = (name: string): StructFact['fields'][number] => ({ name, type: 'int', fnptr: true, params: ['struct buf'] });
const facts = (more: Partial<FileFacts>): FileFacts => ({ ...emptyFacts('x.c'), ...more });
const whats = (e: TypeEdit | string): string[] | string => (typeof e === 'string' ? e : e.changed.map((c) => c.what));

describe('typeEdit: the type model keys an edit changes', () => {
  const ops = (fields: StructFact['fields'], line = 3): StructFact => ({ name: 'struct ops', line, fields });

  it('nothing for a struct that only moved', () => {
    expect(whats(typeEdit(facts({ structs: [ops([fn('a')], 3)] }), facts({ structs: [ops([fn('a')], 9)] })))).toEqual([]);
  });

  it('a member appended: its key, its position alone, and the member names of its struct before and after', () => {
    const edit = typeEdit(facts({ structs: [ops([fn('a'), fn('b')])] }), facts({ structs: [ops([fn('a'), fn('b'), fn('c')])] }));
    expect(whats(edit)).toEqual(['member 2 of struct ops (positional) changed', 'struct ops.c changed']);
    expect((edit as TypeEdit).members).toEqual([{ struct: 'struct ops', before: ['a', 'b'], after: ['a', 'b', 'c'] }]);
  });

  it('a member inserted first: every position from it on', () => {
    expect(whats(typeEdit(facts({ structs: [ops([fn('a'), fn('b')])] }), facts({ structs: [ops([fn('c'), fn('a'), fn('b')])] })))).toEqual([
      'member 0 of struct ops (positional) changed',
      'member 1 of struct ops (positional) changed',
      'member 2 of struct ops (positional) changed',
      'struct ops.c changed',
    ]);
  });

  it('a struct removed or added: its name, said so', () => {
    const removed = typeEdit(facts({ structs: [ops([fn('a')])] }), facts({}));
    expect(whats(removed)).toEqual(['struct ops was removed', 'member 0 of struct ops (positional) changed', 'struct ops.a changed']);
    expect((removed as TypeEdit).members).toEqual([{ struct: 'struct ops', before: ['a'], after: [] }]);
    expect(whats(typeEdit(facts({}), facts({ structs: [ops([fn('a')])] })))[0]).toBe('struct ops was added');
  });

  it('a member retyped: its key alone', () => {
    const retyped = typeEdit(facts({ structs: [ops([{ name: 'dev', type: 'struct rx' }])] }), facts({ structs: [ops([{ name: 'dev', type: 'struct tx' }])] }));
    expect(whats(retyped)).toEqual(['struct ops.dev changed']);
    expect((retyped as TypeEdit).members).toEqual([]);
  });

  it('a typedef retargeted changes its name; one added or removed is refused', () => {
    expect(whats(typeEdit(facts({ typedefs: [['t', 'struct a']] }), facts({ typedefs: [['t', 'struct b']] })))).toEqual(['typedef t changed']);
    expect(typeEdit(facts({}), facts({ typedefs: [['t', 'struct b']] }))).toBe('typedef t was added');
  });

  it('a prototype added is a changed return type and a new declaration', () => {
    const e = typeEdit(facts({}), facts({ prototypes: [['p', 'int']] }));
    expect(typeof e !== 'string' && { what: whats(e), declared: e.declared }).toEqual({ what: ['the return type of p changed'], declared: ['p'] });
  });

  it('anonymous structs that moved are paired by their lines; one added is refused', () => {
    const anon = (line: number): StructFact => ({ name: `struct <anon x.c:${line}>`, line, fields: [fn('a')] });
    const moved = typeEdit(facts({ structs: [anon(4)], typedefs: [['t', 'struct <anon x.c:4>']] }), facts({ structs: [anon(6)], typedefs: [['t', 'struct <anon x.c:6>']] }));
    expect(typeof moved !== 'string' && { what: whats(moved), anon: moved.anon }).toEqual({ what: [], anon: [[4, 6], [4, 6]] });
    expect(typeEdit(facts({ structs: [anon(4)] }), facts({ structs: [anon(4), anon(8)] }))).toBe('an anonymous struct was added or removed');
  });
});

describe('TypeModel notes what it reads', () => {
  const model = (): { types: TypeModel; reads: TypeReadRecorder } => {
    const reads = new TypeReadRecorder();
    const f = facts({
      structs: [
        { name: 'struct ops', line: 1, fields: [fn('open'), fn('close')] },
        { name: 'struct dev', line: 5, fields: [{ name: 'ops', type: 'struct ops' }] },
      ],
      typedefs: [['dev_t', 'struct dev']],
      prototypes: [['get_dev', 'dev_t']],
    });
    return { types: new TypeModel([f], reads), reads };
  };

  it('a member path through a typedef and a call: the typedef, the members and the return type', () => {
    const { types, reads } = model();
    expect(types.evaluate({ k: 'field', of: { k: 'ret', fn: 'get_dev' }, field: 'ops' })).toBe('struct ops');
    const snap = reads.snapshot();
    for (const [kind, name, member] of [['R', 'get_dev'], ['T', 'dev_t'], ['F', 'struct dev', 'ops'], ['T', 'struct ops']] as const) expect(wasRead(snap, typeReadHash(kind, name, member)), `${kind} ${name} ${member ?? ''}`).toBe(true);
    expect(wasRead(snap, typeReadHash('F', 'struct ops', 'open'))).toBe(false);
  });

  it('a positional initializer: the position it reads, not the others', () => {
    const { types, reads } = model();
    expect(types.walk('struct ops', ['#1'])).toEqual({ holder: 'struct ops', field: 'close' });
    const snap = reads.snapshot();
    expect(wasRead(snap, typeReadHash('O', 'struct ops', '1'))).toBe(true);
    expect(wasRead(snap, typeReadHash('O', 'struct ops', '0'))).toBe(false);
  });

  it('structsWithFields: each member name asked, and each question with how many structs answered it', () => {
    const { types, reads } = model();
    expect(types.structsWithFields(['open', 'close'])).toEqual(['struct ops']);
    expect(types.structsWithFields(['close', 'open', 'close'])).toEqual(['struct ops']);
    expect(types.structsWithFields(['open', 'nowhere'])).toEqual([]);
    expect(packMemberQueries(reads.memberQueries)).toBe('1 close open\n0 nowhere open');
    expect(readMemberQueries(packMemberQueries(reads.memberQueries))).toEqual([{ names: ['close', 'open'], count: 1 }, { names: ['nowhere', 'open'], count: 0 }]);
    const snap = reads.snapshot();
    expect(wasRead(snap, typeReadHash('N', 'open'))).toBe(true);
    expect(wasRead(snap, typeReadHash('N', 'close'))).toBe(true);
    expect([...snap]).toEqual([...snap].sort((a, b) => a - b));
  });
});

describe('tagsGone: a tag whose name no file mentions once the edits are made', () => {
  const drv = facts({ path: 'drv.c', structs: [{ name: 'struct drv_priv', line: 1, fields: [{ name: 'cb', type: 'int', fnptr: true }] }], globals: [{ name: 'the_priv', type: 'struct drv_priv' }] });
  const user = facts({ path: 'user.c', globals: [{ name: 'other', type: 'struct drv_priv' }] });
  const empty = (path: string): FileFacts => ({ ...emptyFacts(path) });

  it('gone with the only file that names it; not while another file names it; not without the table', () => {
    expect(tagsGone(MentionTable.of([drv]), [{ before: drv, after: empty('drv.c') }])('struct drv_priv')).toBe(true);
    expect(tagsGone(MentionTable.of([drv, user]), [{ before: drv, after: empty('drv.c') }])('struct drv_priv')).toBe(false);
    // Still named by the edited file itself.
    expect(tagsGone(MentionTable.of([drv]), [{ before: drv, after: { ...drv, structs: [] } }])('struct drv_priv')).toBe(false);
    expect(tagsGone(null, [{ before: drv, after: empty('drv.c') }])('struct drv_priv')).toBe(false);
  });

  it('a struct key carries its tag, a typedef or prototype key none', () => {
    const edit = typeEdit(facts({ structs: [{ name: 'struct ops', line: 1, fields: [fn('a')] }], typedefs: [['ops_t', 'struct ops']] }), facts({ typedefs: [['ops_t', 'struct other']] })) as TypeEdit;
    expect(edit.changed.filter((c) => c.tag === 'struct ops').map((c) => c.what)).toEqual(['struct ops was removed', 'member 0 of struct ops (positional) changed', 'struct ops.a changed']);
    expect(edit.changed.find((c) => c.what.startsWith('typedef'))?.tag).toBeUndefined();
  });
});
