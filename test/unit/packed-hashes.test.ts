import { describe, expect, it } from 'vitest';
import { mergedHashes, packHashes, unpackHashes } from '../../src/util/packed-hashes.js';
import { seededRandom } from '../support/random.js';

describe('packHashes', () => {
  it('round-trips ascending hashes, the extremes included, in fewer bytes than 4 each', () => {
    const random = seededRandom(5);
    const set = new Set<number>([0, 1, 127, 128, 0xffffffff]);
    while (set.size < 5000) set.add(Math.floor(random() * 2 ** 32));
    const sorted = Uint32Array.from(set).sort();
    const packed = packHashes(sorted);
    expect([...unpackHashes(packed)]).toEqual([...sorted]);
    expect(packed.length).toBeLessThan(sorted.length * 4);
  });

  it('packs nothing as nothing, and refuses hashes out of order', () => {
    expect(unpackHashes(packHashes(new Uint32Array(0))).length).toBe(0);
    expect(() => packHashes(Uint32Array.of(5, 3))).toThrow(RangeError);
  });

  it('merges two ascending lists of hashes into their ascending union, those in both once', () => {
    const random = seededRandom(9);
    for (let round = 0; round < 20; round++) {
      const a = Uint32Array.from(new Set(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 1000)))).sort();
      const b = Uint32Array.from(new Set(Array.from({ length: Math.floor(random() * 30) }, () => Math.floor(random() * 1000)))).sort();
      expect([...mergedHashes(a, b)]).toEqual([...Uint32Array.from(new Set([...a, ...b])).sort()]);
    }
  });
});
