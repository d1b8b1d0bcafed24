import { describe, expect, it } from 'vitest';
import { IncludedSources, withIncludedSources } from '../../src/index/included-sources.js';
import { type BuildModel, Truth } from '../../src/types/build.js';

/** A fake include graph: `opens[f]` the ids file f's directives open (-1 unresolved), `dead` the directives (file:k) not followed. */
const graphOf = (opens: number[][], dead: string[] = []) => ({
  includesOf: (f: number) => Int32Array.from(opens[f] ?? []),
  follows: (f: number, k: number) => (opens[f]![k]! >= 0) && !dead.includes(`${f}:${k}`),
});

const PATHS = ['a/hcd.c', 'a/q.c', 'a/pci.c', 'a/hcd.h', 'b/card1.c', 'b/card2.c', 'b/common.c', 'c/x.c', 'c/y.c'];

describe('IncludedSources', () => {
  it('lists the .c files including a .c file, and the units it is a part of through chains; headers and unfollowed directives do not count', () => {
    // hcd.c includes hcd.h, q.c and pci.c; pci.c includes q.c too (under a dead condition); card1 and card2 include common.c; x.c and y.c include each other.
    const s = new IncludedSources(PATHS, graphOf([[3, 1, 2], [], [1], [], [6], [6], [], [8], [7]], ['2:0']));
    expect(s.includersOf(1)).toEqual([0]);
    expect(s.includersOf(2)).toEqual([0]);
    expect(s.includersOf(3)).toEqual([]); // a header: not a .c file
    expect(s.unitsOf(0)).toEqual([]);
    expect(s.unitsOf(6)).toEqual([4, 5]);
    expect(s.unitsOf(7)).toEqual([8]); // a cycle with nothing outside it: the other files of the cycle
    expect(s.includedId('b/common.c')).toBe(6);
    expect(s.includedId('a/hcd.c')).toBeUndefined();
    // Through a chain: pci.c's directive followed now, q.c is included by hcd.c and pci.c, a part of hcd.c's unit alone.
    const chain = new IncludedSources(PATHS, graphOf([[2], [], [1]]));
    expect(chain.unitsOf(1)).toEqual([0]);
  });

  it("answers built from the includers' answers, and says why not", () => {
    const s = new IncludedSources(PATHS, graphOf([[1, 2], [], [], [], [6], [6], [], [], []]));
    const own: Record<string, Truth> = { 'a/hcd.c': Truth.Yes, 'b/card1.c': Truth.No, 'b/card2.c': Truth.No };
    const base = {
      built: (p: string) => own[p] ?? Truth.Unknown,
      explainBuilt: (p: string) => (own[p] === Truth.Yes ? undefined : own[p] === Truth.No ? `not built: CONFIG_${p.slice(2, -2).toUpperCase()} is not set` : 'may not be built'),
      linkUnit: (p: string) => (p === 'a/hcd.c' ? 'a/hcd.o' : undefined),
      builtRules: () => ({ kbuild: true, objects: [['a/hcd.o', Truth.Yes], ['b/card1.o', Truth.No], ['b/card2.o', Truth.No]], folders: [], foreign: [] }),
    } as unknown as BuildModel;
    const m = withIncludedSources(base, s);
    expect(m.built('a/q.c')).toBe(Truth.Yes);
    expect(m.explainBuilt('a/q.c')).toBeUndefined();
    expect(m.linkUnit('a/q.c')).toBe('a/hcd.o');
    expect(m.built('b/common.c')).toBe(Truth.No);
    expect(m.explainBuilt('b/common.c')).toBe('not built: #included only by b/card1.c, b/card2.c, none of them built (b/card1.c: not built: CONFIG_CARD1 is not set)');
    expect(m.built('c/x.c')).toBe(Truth.Unknown); // included by no file: the model's own answer
    // Without any .c file included, the model itself.
    expect(withIncludedSources(base, new IncludedSources(PATHS, graphOf([])))).toBe(base);
  });
});
