import { describe, expect, it } from 'vitest';
import { externalsNeeded } from '../../src/cache/external-edges.js';
import { CodeIndex } from '../../src/index/code-index.js';
import { genericProfile } from '../../src/profiles/generic.js';
import type { FileFacts } from '../../src/types/facts.js';

/** An index of functions `defined` in one file, then one external node per name of `externals` (sorted), as resolve.ts adds them. */
function indexWith(defined: string[], externals: string[]): CodeIndex {
  const file: FileFacts = {
    path: 'g.c', hash: '', parseErrors: 0, macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], includes: [], fieldAliases: [],
    functions: defined.map((name, i) => ({ name, line: i + 1, endLine: i + 1, signature: '', returns: 'int', params: [], calls: [] })),
  };
  const index = new CodeIndex('/', genericProfile, [file]);
  index.addExternals([...externals].sort());
  return index;
}

describe('externalsNeeded (the external nodes a patched graph needs)', () => {
  // Nodes 0-2 defined (a, b, c), 3-5 external (kmalloc, memcpy, printk).
  const index = indexWith(['a', 'b', 'c'], ['printk', 'kmalloc', 'memcpy']);
  const node = (name: string): number => index.nodesNamed(name)[0]!;
  const allCalled = [node('b'), node('kmalloc'), node('memcpy'), node('printk')];

  it('is null when every external node is still called and no call binds a new name to nothing, without reading a name', () => {
    const read: number[] = [];
    const name = index.name.bind(index);
    index.name = (n: number) => (read.push(n), name(n));
    try {
      expect(externalsNeeded(index, allCalled, [])).toBeNull();
      // A new call of a name an external node already has.
      expect(externalsNeeded(index, allCalled.slice(0, 3), ['printk'])).toBeNull();
      expect(read).toEqual([]);
    } finally {
      index.name = name;
    }
  });

  it('lists the names needed, sorted, when one is no longer called or a call binds a new name to nothing', () => {
    // printk no longer called.
    expect(externalsNeeded(index, allCalled.slice(0, 3), [])).toEqual(['kmalloc', 'memcpy']);
    // A name defined nowhere, new to the string table.
    expect(externalsNeeded(index, allCalled, ['abort'])).toEqual(['abort', 'kmalloc', 'memcpy', 'printk']);
    // A name the table holds that no external node has (here a defined function's: the patch found it binds to nothing).
    expect(externalsNeeded(index, allCalled, ['c'])).toEqual(['c', 'kmalloc', 'memcpy', 'printk']);
  });
});
