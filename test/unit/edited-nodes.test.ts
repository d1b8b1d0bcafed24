import { describe, expect, it } from 'vitest';
import { calledExternals, identityMap, isIdentityMap, nodesInFiles } from '../../src/cache/edited-nodes.js';
import { CodeIndex } from '../../src/index/code-index.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { genericProfile } from '../../src/profiles/generic.js';
import type { FunctionFact } from '../../src/types/facts.js';

const fn = (name: string): FunctionFact => ({ name, line: 1, endLine: 2, signature: `void ${name}(void)`, returns: 'void', params: [], calls: [] });

/** Three files (nodes 0-1, 2, 3-4) and two external nodes (5, 6), built and loaded from its snapshot. */
function indexes(): CodeIndex[] {
  const files = [
    { ...emptyFacts('a.c'), functions: [fn('a1'), fn('a2')] },
    { ...emptyFacts('b.c'), functions: [fn('b1')] },
    { ...emptyFacts('c.c'), functions: [fn('c1'), fn('c2')] },
  ];
  const built = new CodeIndex('/', genericProfile, files);
  built.addExternals(['printk', 'kfree']);
  return [built, new CodeIndex('/', genericProfile, () => files, built.snapshot())];
}

describe('whole-index passes of a definitions patch', () => {
  it('lists the nodes of the files asked for, ascending, and no external node', () => {
    for (const index of indexes()) {
      expect(nodesInFiles(index, [2, 0])).toEqual([0, 1, 3, 4]);
      expect(nodesInFiles(index, new Map([[1, null]]).keys())).toEqual([2]);
      expect(nodesInFiles(index, [])).toEqual([]);
      expect(nodesInFiles(index, [7])).toEqual([]);
      // The same as reading each node's file through the index.
      const all = Array.from({ length: index.nodeCount }, (_, n) => n);
      expect(nodesInFiles(index, [0, 1, 2])).toEqual(all.filter((n) => !index.isExternal(n)));
    }
  });

  it('lists the external nodes some edge goes to, once each, ascending', () => {
    for (const index of indexes()) {
      expect(calledExternals(index, [6, 1, 6, 3])).toEqual([6]);
      expect(calledExternals(index, [5, 6, 0, 5])).toEqual([5, 6]);
      expect(calledExternals(index, [0, 2])).toEqual([]);
      expect(calledExternals(index, [])).toEqual([]);
    }
  });

  it('makes and recognises the identity map', () => {
    expect([...identityMap(4)]).toEqual([0, 1, 2, 3]);
    expect(isIdentityMap(identityMap(4), 4)).toBe(true);
    expect(isIdentityMap(identityMap(4), 5)).toBe(false);
    expect(isIdentityMap(Int32Array.from([0, 2, 1]), 3)).toBe(false);
    expect(isIdentityMap(Int32Array.from([0, 1, -1]), 3)).toBe(false);
    expect(isIdentityMap(new Int32Array(0), 0)).toBe(true);
  });
});
