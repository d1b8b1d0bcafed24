import { describe, expect, it } from 'vitest';
import type { CodeIndex } from '../../src/index/code-index.js';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { GraphPatch } from '../../src/resolve/patch-graph.js';
import { packParamUse, type ParamUseKind } from '../../src/resolve/propagate-params.js';
import { seededRandom } from '../support/random.js';

const KINDS: ParamUseKind[] = ['stored', 'called', 'out'];

/** Random paramUses pairs [node, packed] over `nodes` nodes, in node order or shuffled; and the kinds with least depths each (node, param) has. */
function pairsOf(seed: number, nodes: number, ordered: boolean) {
  const r = seededRandom(seed);
  const rows: [number, number][] = [];
  const expected = new Map<string, Map<ParamUseKind, number>>();
  for (let k = 0; k < 3000; k++) {
    const node = Math.floor(r() * nodes);
    const param = Math.floor(r() * 4);
    const kind = KINDS[Math.floor(r() * 3)]!;
    const depth = Math.floor(r() * 5);
    rows.push([node, packParamUse({ param, kind, depth })]);
    const kinds = expected.get(`${node}:${param}`) ?? new Map<ParamUseKind, number>();
    kinds.set(kind, Math.min(kinds.get(kind) ?? depth, depth));
    expected.set(`${node}:${param}`, kinds);
  }
  if (ordered) rows.sort((a, b) => a[0] - b[0]);
  return { pairs: Int32Array.from(rows.flat()), expected };
}

describe('the followed parameters a graph patch asks about (GraphPatch.useOf)', () => {
  it('are those of the cached pairs, read key by key when the pairs are in node order and whole when not, with the patch own additions and removals', () => {
    const nodes = 400;
    for (const ordered of [true, false]) {
      for (const seed of [1, 2, 3]) {
        const { pairs, expected } = pairsOf(seed, nodes, ordered);
        const patch = new GraphPatch({} as CodeIndex, { paramUses: pairs } as unknown as EdgeSnapshot);
        // Asked in a scattered order; some changed first.
        patch.addUse(7, 1, 'called', 3);
        patch.dropUse(11, 0, 'stored');
        for (let k = 0; k < nodes * 4; k++) {
          const node = (k * 37) % nodes;
          const param = k % 4;
          const want = new Map(expected.get(`${node}:${param}`) ?? []);
          if (node === 7 && param === 1) want.set('called', Math.min(want.get('called') ?? 3, 3));
          if (node === 11 && param === 0) want.delete('stored');
          const got = patch.useOf(node, param);
          expect(got ? Object.fromEntries(got) : {}, `${ordered ? 'ordered' : 'shuffled'} seed ${seed}: ${node}:${param}`).toEqual(Object.fromEntries(want));
        }
      }
    }
  });
});
