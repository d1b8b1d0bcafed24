import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../src/index/code-index.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { genericProfile } from '../../src/profiles/generic.js';
import { bindByName, forgetNameBindings } from '../../src/resolve/definition-scope.js';
import { FieldInfos } from '../../src/resolve/split-tags.js';
import { TypeModel } from '../../src/resolve/type-model.js';
import type { FileFacts, FunctionFact } from '../../src/types/facts.js';

const facts = (path: string, more: Partial<FileFacts>): FileFacts => ({ ...emptyFacts(path), ...more });
const fn = (name: string, isStatic = false): FunctionFact => ({ name, line: 1, endLine: 3, ...(isStatic ? { isStatic: true as const } : {}), signature: `void ${name}(void)`, returns: 'void', params: [], calls: [] });

describe('what resolution keeps while the heap is largest', () => {
  it('bindByName decides the same after its memos are dropped', () => {
    const files = [facts('a.c', { functions: [fn('run', true), fn('go')] }), facts('b.c', { functions: [fn('run', true), fn('stop')] })];
    const index = new CodeIndex('/', genericProfile, files);
    const ask = (): number[][] => [0, 1].flatMap((file) => ['run', 'go', 'stop', 'none'].map((name) => [...bindByName(index, file, name).targets]));
    const before = ask();
    forgetNameBindings(index);
    expect(ask()).toEqual(before);
    expect(before[0]).toEqual([index.nodesNamed('run').find((n) => index.nodeFile[n] === 0)]);
  });

  it('members of one type share one frozen FieldInfo; a function pointer keeps its parameters', () => {
    const infos = new FieldInfos();
    const a = infos.of({ name: 'len', type: 'u32' });
    expect(infos.of({ name: 'size', type: 'u32' })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(infos.of({ name: 'lens', type: 'u32', array: true })).toEqual({ type: 'u32', array: true });
    expect(infos.of({ name: 'open', type: 'int', fnptr: true, params: ['struct inode'] })).toEqual({ type: 'int', array: false, params: ['struct inode'] });
  });

  it('the type model answers as before with shared members', () => {
    const types = new TypeModel([
      facts('x.h', {
        structs: [
          { name: 'struct ops', line: 1, fields: [{ name: 'open', type: 'int', fnptr: true, params: ['struct dev'] }, { name: 'n', type: 'u32' }] },
          { name: 'struct dev', line: 5, fields: [{ name: 'ops', type: 'struct ops' }, { name: 'm', type: 'u32', array: true }] },
        ],
      }),
    ]);
    expect(types.evaluate({ k: 'field', of: { k: 'type', name: 'struct dev' }, field: 'ops' })).toBe('struct ops');
    expect(types.memberSignature({ holder: 'struct ops', field: 'open' })).toEqual({ returns: 'int', params: ['struct dev'] });
    expect(types.memberType({ holder: 'struct ops', field: 'n' })).toEqual({ type: 'u32', fnptr: false });
  });
});

describe('structs by field name, one name alone where one struct has the field', () => {
  it('answers the structs having every field named, sorted, whether one or several have the first', () => {
    const types = new TypeModel([
      facts('x.h', {
        structs: [
          { name: 'struct b', line: 1, fields: [{ name: 'poll', type: 'int', fnptr: true }, { name: 'dev', type: 'struct dev' }, { name: 'only_b', type: 'int' }] },
          { name: 'struct a', line: 5, fields: [{ name: 'poll', type: 'int', fnptr: true }, { name: 'dev', type: 'struct dev' }] },
          { name: 'struct c', line: 9, fields: [{ name: 'poll', type: 'int', fnptr: true }] },
        ],
      }),
    ]);
    expect(types.structsWithFields(['poll'])).toEqual(['struct a', 'struct b', 'struct c']);
    expect(types.structsWithFields(['poll', 'dev'])).toEqual(['struct a', 'struct b']);
    expect(types.structsWithFields(['only_b'])).toEqual(['struct b']);
    expect(types.structsWithFields(['only_b', 'poll'])).toEqual(['struct b']);
    expect(types.structsWithFields(['nothing'])).toEqual([]);
    expect(types.structsWithFields([])).toEqual([]);
    // Asked again: the table built on the first call answers the same.
    expect(types.structsWithFields(['poll', 'dev'])).toEqual(['struct a', 'struct b']);
  });
});
