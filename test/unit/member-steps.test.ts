import { describe, expect, it } from 'vitest';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { holderStepsText, readHolderSteps } from '../../src/resolve/member-steps.js';
import { TypeModel } from '../../src/resolve/type-model.js';
import { TypeReadRecorder, typeReadHash, wasRead } from '../../src/resolve/type-reads.js';
import type { FileFacts, StructFact } from '../../src/types/facts.js';

const fn = (name: string): StructFact['fields'][number] => ({ name, type: 'void', fnptr: true, params: ['struct hrtimer'] });
const member = (name: string, type: string): StructFact['fields'][number] => ({ name, type });
const file = (path: string, structs: StructFact[], more: Partial<FileFacts> = {}): FileFacts => ({ ...emptyFacts(path), structs, ...more });
const struct = (name: string, fields: StructFact['fields']): StructFact => ({ name, line: 1, fields });

/** A tree's structs in two files: struct priv (b.c) wraps timers, work and a list head; struct nic_hw is defined in both. */
const tree = (): FileFacts[] => [
  file('a.h', [
    struct('struct hrtimer', [fn('function'), member('expires', 'unsigned long')]),
    struct('struct work_struct', [fn('func')]),
    struct('struct delayed_work', [member('work', 'struct work_struct'), member('timer', 'struct hrtimer')]),
    struct('struct list_head', [member('next', 'struct list_head')]),
    struct('struct wrapper', [member('dw', 'struct delayed_work')]),
    struct('struct nic_hw', [fn('reset')]),
  ], { typedefs: [['hrtimer_t', 'struct hrtimer']] }),
  file('b.c', [
    struct('struct priv', [member('poll', 'hrtimer_t'), member('stats', 'struct delayed_work'), member('list', 'struct list_head'), member('outer', 'struct wrapper'), member('hw', 'struct nic_hw'), member('count', 'int')]),
    struct('struct nic_hw', [fn('reset')]),
  ]),
];

/** Every include sees every file: struct nic_hw is a split tag (split-tags.ts), told apart by its definitions' files. */
const sees = { sees: () => true };

/** The structs holding a member something was bound to, as BindingTable.slotHolders names them. */
const BOUND = new Set(['struct hrtimer', 'struct work_struct', 'struct nic_hw', 'struct nic_hw@a.h', 'struct nic_hw@b.c']);

describe('holderStepsText: the steps a root may take to a member some binding filled', () => {
  it('keeps members whose struct holds a member something was bound to, or a member of such a struct, through typedefs', () => {
    const steps = readHolderSteps(holderStepsText(new TypeModel(tree(), null, sees), BOUND));
    expect(steps.get('struct priv\u0001poll')).toBe('struct hrtimer');
    // struct delayed_work has no function pointer itself; its work and timer do.
    expect(steps.get('struct priv\u0001stats')).toBe('struct delayed_work');
    expect(steps.get('struct delayed_work\u0001work')).toBe('struct work_struct');
    expect(steps.get('struct priv')).toBe('struct priv');
    // A member's struct is a root type too (a local `struct hrtimer *t`), named by the member step's value.
    expect(steps.get('struct hrtimer')).toBe('struct hrtimer');
    // Three levels down is past what is kept; a list head or an int leads to no function pointer.
    expect(steps.has('struct priv\u0001outer')).toBe(false);
    expect(steps.has('struct priv\u0001list')).toBe(false);
    expect(steps.has('struct priv\u0001count')).toBe(false);
    expect(steps.has('struct list_head')).toBe(false);
  });

  it('goes by the members bound, not by how the facts write their types (a function pointer typedef is a plain name)', () => {
    // `work_func_t func;`: facts record the typedef's base type alone (`void`), so nothing marks the member a function pointer.
    const files = [file('w.h', [struct('struct work', [member('func', 'work_func_t')]), struct('struct drv', [member('reset', 'struct work'), member('plain', 'struct plain')]), struct('struct plain', [fn('f')])], { typedefs: [['work_func_t', 'void']] })];
    const steps = readHolderSteps(holderStepsText(new TypeModel(files), new Set(['struct work'])));
    expect(steps.get('struct drv\u0001reset')).toBe('struct work');
    // A function pointer member no binding filled leads nowhere a patch could place one.
    expect(steps.has('struct drv\u0001plain')).toBe(false);
  });

  it('leaves out a split tag as a holder and as a value: its struct depends on the file reading it', () => {
    const steps = readHolderSteps(holderStepsText(new TypeModel(tree(), null, sees), BOUND));
    expect(steps.has('struct priv\u0001hw')).toBe(false);
    expect([...steps.keys()].some((k) => k.startsWith('struct nic_hw'))).toBe(false);
    // Without include visibility the two definitions are merged: one struct, kept.
    const merged = readHolderSteps(holderStepsText(new TypeModel(tree()), BOUND));
    expect(merged.get('struct priv\u0001hw')).toBe('struct nic_hw');
  });

  it('notes what the kept steps read, and only those', () => {
    const reads = new TypeReadRecorder();
    holderStepsText(new TypeModel(tree(), reads, sees), BOUND);
    const hashes = reads.snapshot();
    expect(wasRead(hashes, typeReadHash('F', 'struct priv', 'poll'))).toBe(true);
    expect(wasRead(hashes, typeReadHash('T', 'hrtimer_t'))).toBe(true);
    expect(wasRead(hashes, typeReadHash('F', 'struct priv', 'stats'))).toBe(true);
    expect(wasRead(hashes, typeReadHash('F', 'struct priv', 'count'))).toBe(false);
    expect(wasRead(hashes, typeReadHash('F', 'struct priv', 'list'))).toBe(false);
  });

  it('reads back what it wrote, for any member names', () => {
    const names = ['a', 'x_1', 'deeply_nested_member_name', 'é'];
    const files = [file('c.h', [struct('struct t', [fn('f')]), struct('struct h', names.map((n) => member(n, 'struct t')))])];
    const steps = readHolderSteps(holderStepsText(new TypeModel(files), new Set(['struct t'])));
    expect(names.map((n) => steps.get(`struct h\u0001${n}`))).toEqual(names.map(() => 'struct t'));
    expect(readHolderSteps('').size).toBe(0);
  });
});
