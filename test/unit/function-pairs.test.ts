import { describe, expect, it } from 'vitest';
import { increasingRun, pairFunctions } from '../../src/cache/function-pairs.js';
import type { FunctionFact } from '../../src/types/facts.js';

const fns = (...names: string[]): FunctionFact[] => names.map((name, i) => ({ name, line: 10 * i + 1, endLine: 10 * i + 5, signature: `void ${name}(void)`, returns: 'void', params: [], calls: [] }));

describe('pairing the functions of two versions of a file', () => {
  it('finds a longest increasing run', () => {
    expect(increasingRun([])).toEqual([]);
    expect(increasingRun([0, 1, 2])).toEqual([0, 1, 2]);
    expect(increasingRun([2, 0, 1])).toEqual([0, 1]);
    expect(increasingRun([1, 0, 3, 2, 4])).toHaveLength(3);
    expect(increasingRun([3, 4, 0, 1, 2])).toEqual([0, 1, 2]);
  });

  it('keeps functions in order, and counts added and removed ones by name', () => {
    const p = pairFunctions(fns('a', 'b', 'c'), fns('a', 'x', 'c'));
    expect(p).toEqual({ kept: [[0, 0], [2, 2]], added: [1], removed: [1], names: new Set(['b', 'x']), moved: [] });
  });

  it('keeps functions put in another place, naming the fewest of them moved', () => {
    // d moved to the top: a, b, c keep their order, and d is kept, out of it.
    const p = pairFunctions(fns('a', 'b', 'c', 'd'), fns('d', 'a', 'b', 'c'));
    expect(p).toEqual({ kept: [[0, 1], [1, 2], [2, 3], [3, 0]], added: [], removed: [], names: new Set(), moved: ['d'] });
    // Two swapped: one of them moved.
    const q = pairFunctions(fns('a', 'b'), fns('b', 'a'));
    expect(typeof q !== 'string' && q.moved).toHaveLength(1);
  });

  it('says why not when a name is defined a different number of times', () => {
    expect(pairFunctions(fns('a', 'a'), fns('a'))).toBe('a is defined a different number of times');
  });
});
