import { describe, expect, it, vi } from 'vitest';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { PathConstraints } from '../../src/graph/path.js';
import { randomCallGraph } from '../support/random-call-graph.js';
import { seededRandom } from '../support/random.js';

/**
 * The loop of its own that a path search runs when its state is a node alone (shortest-path.ts
 * settlePlain: no via, depth bound nor dispatch rule) against the general loop, made to run the
 * same search by a via of the sources themselves (every start is past it at once, so every
 * state is at the last stage and the paths are the same): the very same paths, costs and order,
 * ties included, with enter costs, extra pointer-step costs and avoided nodes. And edgeCostNone:
 * edgeCost is not asked while it says every answer is 0.
 */
describe('path search, the loop for node states against the general one', () => {
  it('lists the same paths in the same order with the same costs, k up to 10', () => {
    let compared = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const { g, n } = randomCallGraph(seed, 14 + (seed % 6) * 5, 2 + (seed % 3), (r) => {
        const x = r();
        return x < 0.7 ? '>' : x < 0.85 ? '~' : x < 0.92 ? '^' : '?';
      });
      const r = seededRandom(seed * 7919);
      const pick = (): number => Math.floor(r() * n);
      const sources = seed % 4 === 0 ? [pick(), pick()] : [pick()];
      const targets = [pick(), pick()].slice(0, 1 + (seed % 2));
      const extra = new Map<number, number>(Array.from({ length: 6 }, () => [Math.floor(r() * g.edges.length), 3]));
      const plain: PathConstraints = {
        via: [],
        avoid: new Set(seed % 3 === 0 ? [pick()].filter((a) => !sources.includes(a)) : []),
        ...(seed % 2 === 0 ? { enterCost: Uint8Array.from({ length: n }, () => (r() < 0.3 ? 4 : 0)) } : {}),
        ...(seed % 5 < 3 ? { edgeCost: (e: number) => extra.get(e) ?? 0 } : {}),
      };
      const general: PathConstraints = { ...plain, via: [sources] };
      for (const k of [1, 3, 10]) {
        const got = kShortestPaths(g, sources, targets, plain, k);
        expect(got, `seed ${seed} k ${k}`).toEqual(kShortestPaths(g, sources, targets, general, k));
        compared += got.length;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('does not ask edgeCost while edgeCostNone says it answers 0, and answers as when it is asked', () => {
    const { g, n } = randomCallGraph(5, 40, 3, (r) => (r() < 0.5 ? '>' : '~'));
    const edgeCost = vi.fn((_: number) => 0);
    const asked: PathConstraints = { via: [], avoid: new Set(), edgeCost };
    const want = kShortestPaths(g, [0], [n - 1, n - 2], asked, 5);
    expect(edgeCost).toHaveBeenCalled();
    edgeCost.mockClear();
    // One path: the search alone (more ask edgeCost for the cost of root paths and lower bounds).
    expect(kShortestPaths(g, [0], [n - 1, n - 2], { ...asked, edgeCostNone: () => true }, 1)).toEqual(want.slice(0, 1));
    expect(edgeCost).not.toHaveBeenCalled();
    expect(kShortestPaths(g, [0], [n - 1, n - 2], { ...asked, edgeCostNone: () => true }, 5)).toEqual(want);
  });
});
