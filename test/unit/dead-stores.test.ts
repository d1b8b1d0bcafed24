import { describe, expect, it } from 'vitest';
import { withoutDeadStores } from '../../src/cache/dead-stores.js';
import type { BindingFact, CallFact, FileFacts } from '../../src/types/facts.js';

/** A store of `fn` into local `variable` of function `inFunction`. */
const store = (variable: string, fn: string, extra: Partial<BindingFact> = {}): BindingFact => ({ root: { k: 'global', name: variable }, path: [], fn, line: 1, how: 'assign', variable, pointer: 'local', inFunction: 'f', text: `${variable} = ${fn}`, ...extra });
const call = (c: Partial<CallFact>): CallFact => ({ line: 2, args: [], ...c }) as CallFact;
const facts = (bindings: BindingFact[], calls: CallFact[]): FileFacts => ({ path: 'f.c', functions: [{ name: 'f', line: 1, endLine: 9, signature: 'void f(int p)', returns: 'void', params: [{ name: 'p', type: 'int' }], calls }], macros: [], bindings, structs: [], typedefs: [], globals: [], prototypes: [], includes: [] }) as unknown as FileFacts;
const kept = (f: FileFacts, followed = (): boolean => false): string[] => withoutDeadStores(f, followed).facts.bindings.map((b) => b.variable!);

describe('stores into locals nothing reads', () => {
  it('leaves out a store into a local no use reads, and keeps the names it stores', () => {
    const r = withoutDeadStores(facts([store('n', 'LIMIT'), store('m', 'count', { from: { root: { k: 'local', name: 'd' } as never, path: ['count'] } })], []), () => false);
    expect(r.facts.bindings).toEqual([]);
    expect(r.named).toEqual(['LIMIT']);
  });

  it('keeps the stores of a local called through, returned, copied into a member or filled through an out-parameter', () => {
    expect(kept(facts([store('v', 'g')], [call({ var: 'v' })]))).toEqual(['v']);
    expect(kept(facts([store('v', 'g')], [call({ array: 'v' })]))).toEqual(['v']);
    expect(kept(facts([store('p', 'g')], [call({ param: 0 })]))).toEqual(['p']);
    for (const extra of [{ fromLocal: true as const }, { returned: 'local' as const }, { out: 0 }]) {
      expect(kept(facts([store('v', 'g'), { ...store('x', 'v'), pointer: undefined, variable: undefined, ...extra }], []))).toContain('v');
    }
  });

  it('counts a local passed as an argument as read only where the parameter is followed', () => {
    const f = facts([store('v', 'g')], [call({ name: 'keep', args: [null, 'v'] })]);
    expect(kept(f)).toEqual([]);
    expect(withoutDeadStores(f, () => false).passes).toEqual([{ callee: 'keep', arg: 1 }]);
    expect(kept(f, () => true)).toEqual(['v']);
    // Through a member, a variable or a wrapper: always read.
    expect(kept(facts([store('v', 'g')], [call({ field: 'op', args: ['v'] })]))).toEqual(['v']);
  });

  it('reads the stores of a local by the function it stands in', () => {
    const f = facts([store('v', 'g'), { ...store('v', 'h'), inFunction: 'other' }], [call({ var: 'v' })]);
    expect(withoutDeadStores(f, () => false).facts.bindings.map((b) => b.inFunction)).toEqual(['f']);
  });
});
