import { describe, expect, it } from 'vitest';
import { pathOnly } from '../../src/cache/graph-from-cache.js';
import { emptyFacts } from '../../src/parse/file-parser.js';

describe('the facts of a file of an index loaded from the graph cache (pathOnly)', () => {
  it('has the fields of empty facts, in their order, with its path', () => {
    const facts = pathOnly('net/socket.c');
    expect(Object.keys(facts)).toEqual(Object.keys(emptyFacts('')));
    expect(facts).toEqual(emptyFacts('net/socket.c'));
  });

  it('shares its empty lists with every other file, and nothing can be added to them', () => {
    const a = pathOnly('a.c');
    const b = pathOnly('b.c');
    expect(a.functions).toBe(b.functions);
    expect(Object.isFrozen(a.functions)).toBe(true);
    expect(() => a.functions.push({} as never)).toThrow();
  });
});
