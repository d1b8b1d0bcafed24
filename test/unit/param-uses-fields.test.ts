import { describe, expect, it } from 'vitest';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { withParamUseChange } from '../../src/resolve/patch-kept-param-uses.js';
import { withParamUses } from '../../src/resolve/patch-param-uses.js';
import { packParamUse } from '../../src/resolve/propagate-params.js';

/** Edges whose evidence text is a getter counting its reads (a cached column not decoded yet). */
function edgesWithLazyText(): { edges: EdgeSnapshot; reads: () => number } {
  let reads = 0;
  const edges = { from: new Int32Array([0]), to: new Int32Array([1]), paramUses: new Int32Array([1, packParamUse({ param: 0, kind: 'called', depth: 0 })]) } as unknown as EdgeSnapshot;
  Object.defineProperty(edges, 'evidenceText', {
    get: () => {
      reads++;
      return 'a.c\t1\ttext';
    },
    enumerable: true,
    configurable: true,
  });
  return { edges, reads: () => reads };
}

describe('param uses added to a patched graph', () => {
  it('withParamUses appends the uses without reading the other columns', () => {
    const { edges, reads } = edgesWithLazyText();
    const out = withParamUses(edges, [{ node: 0, param: 1, kind: 'called', depth: 0 }]);
    expect(reads()).toBe(0);
    expect([...out.paramUses!]).toEqual([...edges.paramUses!, 0, packParamUse({ param: 1, kind: 'called', depth: 0 })]);
    expect(out.evidenceText).toBe('a.c\t1\ttext');
    expect(out.from).toBe(edges.from);
  });

  it('withParamUseChange removes and adds uses without reading the other columns', () => {
    const { edges, reads } = edgesWithLazyText();
    const out = withParamUseChange(edges, { added: [{ node: 0, param: 2, kind: 'called', depth: 1 }], removed: [{ node: 1, param: 0, kind: 'called', depth: 0 }] });
    expect(reads()).toBe(0);
    expect([...out.paramUses!]).toEqual([0, packParamUse({ param: 2, kind: 'called', depth: 1 })]);
    expect(out.to).toBe(edges.to);
  });
});
