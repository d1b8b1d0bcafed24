import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { PathConstraints } from '../../src/graph/path.js';
import { expectKCheapest } from '../support/all-paths.js';
import { randomCallGraph } from '../support/random-call-graph.js';
import { seededRandom } from '../support/random.js';
import { plainYen } from '../support/yen-reference.js';

/** A random graph of `nodes` functions, about `degree` calls each, mostly direct (so many paths tie in cost), some of other kinds. */
const randomGraph = (seed: number, nodes: number, degree: number): { g: CallGraph; n: number } => randomCallGraph(seed, nodes, degree, (r) => {
  const x = r();
  return x < 0.75 ? '>' : x < 0.85 ? '~' : x < 0.9 ? '^' : x < 0.95 ? '=' : '?';
});

describe('k shortest paths, against plain Yen (every spur search run, none bounded)', () => {
  it('lists the very same paths in the same order, with via, avoid, max depth, enter costs and several sources and targets, k up to 20', () => {
    let compared = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const { g, n } = randomGraph(seed, 12 + (seed % 7) * 4, 2 + (seed % 3));
      const r = seededRandom(seed * 31337);
      const pick = (): number => Math.floor(r() * n);
      const c: PathConstraints = {
        via: seed % 4 === 1 ? [[pick()]] : seed % 4 === 2 ? [[pick(), pick()], [pick()]] : [],
        avoid: new Set(seed % 3 === 0 ? [pick(), pick()] : []),
        ...(seed % 5 < 2 ? { maxDepth: 3 + (seed % 6) } : {}),
        // Some functions cost more to enter (as those of files Kbuild does not build do).
        ...(seed % 7 < 3 ? { enterCost: Uint8Array.from({ length: n }, () => (r() < 0.3 ? 4 : 0)) } : {}),
      };
      const sources = seed % 6 === 0 ? [pick(), pick()] : [pick()];
      const targets = [pick(), pick(), pick()].slice(0, 1 + (seed % 3));
      for (const k of [1, 2, 5, 10, 20]) {
        const want = plainYen(g, sources, targets, c, k);
        const got = kShortestPaths(g, sources, targets, c, k);
        expect(got, `seed ${seed} k ${k}`).toEqual(want);
        // The brute force is exponential: on the smaller graphs only.
        if (c.via.length === 0 && sources.length === 1 && n <= 16 && seed % 3 !== 2) expectKCheapest(g, sources[0]!, targets, c, k, got);
        compared += got.length;
      }
    }
    // Many paths compared, not only empty answers.
    expect(compared).toBeGreaterThan(2000);
  });
});
