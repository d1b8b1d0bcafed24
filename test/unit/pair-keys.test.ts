import { describe, expect, it } from 'vitest';
import type { CodeIndex } from '../../src/index/code-index.js';
import { type ParamUse, pairKeys } from '../../src/resolve/propagate-params.js';

/** An index as pairKeys reads it: its files' functions and macros (their parameters) and its node count. */
function indexOf(paramCounts: number[], nodeCount: number): CodeIndex {
  const functions = paramCounts.map((n, i) => ({ name: `f${i}`, params: Array.from({ length: n }, (_, k) => ({ name: `p${k}`, type: 'int' })) }));
  return { files: [{ functions, macros: [{ name: 'M', params: ['a', 'b'] }] }], nodeCount } as unknown as CodeIndex;
}

const seed = (node: number, param: number): ParamUse => ({ node, param, where: 'a.c:1', user: 'f' });

describe('pairKeys', () => {
  it('numbers every [node, parameter] pair and every pair of each seed apart, and reads a pair back from its number', () => {
    const index = indexOf([0, 3, 1, 5], 40);
    // A seed's parameter past every function's (a macro's store) widens the span too.
    const seeds = [seed(1, 0), seed(3, 7), seed(39, 2)];
    const keys = pairKeys(index, seeds);
    const pairs = new Set<number>();
    const seeded = new Set<number | string>();
    for (let node = 0; node < 40; node++) {
      for (let param = 0; param <= 7; param++) {
        const k = keys.pair(node, param);
        expect(keys.unpair(k)).toEqual([node, param]);
        pairs.add(k);
        for (let origin = 0; origin < seeds.length; origin++) seeded.add(keys.seeded(node, param, origin));
      }
    }
    expect(pairs.size).toBe(40 * 8);
    expect(seeded.size).toBe(40 * 8 * seeds.length);
    expect(typeof keys.seeded(39, 7, 2)).toBe('number');
  });

  it('keys the pairs of each seed by text when their numbers would pass 2^53', () => {
    const seeds = Array.from({ length: 3000 }, (_, i) => seed(i, 0));
    const keys = pairKeys(indexOf([1000], 2 ** 32), seeds);
    expect(keys.seeded(5, 2, 2999)).toBe('5:2:2999');
    expect(keys.seeded(5, 2, 2999)).not.toEqual(keys.seeded(5, 2, 2998));
  });
});
