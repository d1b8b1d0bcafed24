import { describe, expect, it } from 'vitest';
import { risingSteps, runPairs, stepsOf, stepType } from '../../src/cache/column-encoding.js';
import { seededRandom as random } from '../support/random.js';

/** The [value, end] pairs of `a`'s runs, written the plain way. */
function plainPairs(a: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (i === 0 || a[i] !== a[i - 1]) out.push(a[i]!, 0);
    out[out.length - 1] = i + 1;
  }
  return out;
}

describe('runPairs', () => {
  it('gives each run its value and end, whatever room was guessed', () => {
    const r = random(3);
    for (const [length, change] of [[0, 0], [1, 0], [2, 1], [5000, 0.02], [5000, 0.9], [5000, 0]] as const) {
      const a = new Int32Array(length);
      for (let i = 0, v = -5; i < length; i++) a[i] = r() < change ? (v += 1 + Math.floor(r() * 1000)) : v;
      for (const guess of [0, 1, 3, 10_000]) expect([...runPairs(a, guess)], `${length} ${change} ${guess}`).toEqual(plainPairs(a));
    }
  });
});

describe('risingSteps', () => {
  it('is the steps stepType and stepsOf give, in the same type, or null', () => {
    const r = random(5);
    const cases: (Int32Array | Uint32Array)[] = [
      Int32Array.from({ length: 3000 }, (_, i) => i * 7),
      Int32Array.from({ length: 3000 }, (_, i) => i * 300),
      Uint32Array.from({ length: 3000 }, (_, i) => 0xf0000000 + i * 65_535),
      Uint32Array.from({ length: 3000 }, (_, i) => i * 65_536),
      Int32Array.from({ length: 3000 }, () => Math.floor(r() * 100)),
      Int32Array.from([5]),
      new Int32Array(0),
    ];
    for (const a of cases) {
      const type = stepType(a);
      const steps = risingSteps(a);
      if (!type) {
        expect(steps).toBeNull();
        continue;
      }
      const plain = stepsOf(a, type);
      expect(steps!.constructor).toBe(plain.constructor);
      expect([...steps!]).toEqual([...plain]);
    }
  });
});
