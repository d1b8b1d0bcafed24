import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { PathConstraints } from '../../src/graph/path.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';
import { kShortestPathsInOrder } from '../support/yen-in-order.js';

// Few kinds, so that many paths cost the same and ties decide.
const STYLES = { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' }, '?': { kind: 'signature' } } as const;

function randomGraph(seed: number, nodes: number, degree: number): { g: CallGraph; n: number } {
  const r = seededRandom(seed);
  const name = (i: number): string => `f${String(i).padStart(3, '0')}`;
  const spec: string[] = [];
  for (let a = 0; a < nodes; a++) {
    for (let j = 0; j < degree; j++) spec.push(`${name(a)}${r() < 0.75 ? '>' : r() < 0.7 ? '~' : '?'}${name(Math.floor(r() * nodes))}`);
  }
  const { index, edges } = tinyGraph(spec, STYLES);
  return { g: new CallGraph(index, edges), n: index.nodeCount };
}

describe('k shortest paths: spur searches from the end of the last path back', () => {
  it('find the very paths, in the very order, that spur searches from its start found, ties included', () => {
    let compared = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const { g, n } = randomGraph(seed, 10 + (seed % 7) * 4, 2 + (seed % 3));
      const r = seededRandom(seed * 104729);
      const pick = (): number => Math.floor(r() * n);
      const constraints: PathConstraints[] = [
        { via: [], avoid: new Set() },
        { via: [[pick()]], avoid: new Set([pick()]) },
        { via: [], avoid: new Set([pick()]), maxDepth: 3 + (seed % 4) },
      ];
      for (const c of constraints) {
        for (const k of [2, 5, 12]) {
          const sources = [pick()];
          const targets = [pick(), pick()];
          const got = kShortestPaths(g, sources, targets, c, k);
          expect(got, `seed ${seed} k ${k}`).toEqual(kShortestPathsInOrder(g, sources, targets, c, k));
          compared += got.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });
});
