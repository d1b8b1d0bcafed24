import { describe, expect, it } from 'vitest';
import { CodeIndex } from '../../src/index/code-index.js';
import { NameNodes } from '../../src/index/name-nodes.js';
import { emptyFacts } from '../../src/parse/file-parser.js';
import { genericProfile } from '../../src/profiles/generic.js';
import type { FunctionFact } from '../../src/types/facts.js';

const fn = (name: string, aliases?: string[]): FunctionFact => ({ name, line: 1, endLine: 2, signature: `void ${name}(void)`, returns: 'void', params: [], calls: [], ...(aliases ? { aliases } : {}) });

describe('node ids by name without an array a name', () => {
  it('answers none, one and several nodes, in the order added, and as rows', () => {
    const table = new NameNodes();
    table.add(2, 7);
    table.add(5, 1);
    table.add(5, 3);
    table.add(5, 9);
    table.add(3000, 4); // past the first allocation
    expect([0, 2, 5, 3000, 9999].map((s) => table.nodes(s))).toEqual([[], [7], [1, 3, 9], [4], []]);
    expect([0, 2, 5, 3000, 9999].map((s) => table.count(s))).toEqual([0, 1, 3, 1, 0]);
    const rows = table.rows(6);
    expect([...rows.start]).toEqual([0, 0, 0, 1, 1, 1, 4]);
    expect([...rows.nodes]).toEqual([7, 1, 3, 9]);
  });

  it('a built index names its nodes, aliases and externals as its snapshot does', () => {
    const a = { ...emptyFacts('a.c'), functions: [fn('run', ['go']), fn('stop')] };
    const b = { ...emptyFacts('b.c'), functions: [fn('run'), fn('go')] };
    const index = new CodeIndex('/', genericProfile, [a, b]);
    const [ext] = index.addExternals(['printk']);
    const built = ['run', 'go', 'stop', 'printk', 'none'].map((n) => index.nodesNamed(n));
    expect(built).toEqual([[0, 2], [0, 3], [1], [ext], []]);
    const loaded = new CodeIndex('/', genericProfile, () => [a, b], index.snapshot());
    expect(['run', 'go', 'stop', 'printk', 'none'].map((n) => loaded.nodesNamed(n))).toEqual(built);
    expect([...index.names()].sort()).toEqual(['go', 'printk', 'run', 'stop']);
    expect(index.namesakes(0)).toBe(2);
    expect(index.namesakes(1)).toBe(1);
  });
});
