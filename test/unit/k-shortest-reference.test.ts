import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { PathConstraints } from '../../src/graph/path.js';
import { tinyGraph } from '../support/tiny-graph.js';
import { kShortestPaths as kShortestBefore } from '../support/yen-before/k-shortest-paths.js';

/** A deterministic pseudo-random generator (xorshift), so that a failure repeats. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STYLES = { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' }, '?': { kind: 'signature' }, '=': { kind: 'field-name' } } as const;

/** A random graph of `nodes` functions with about `degree` calls each, of mixed kinds (so costs tie and differ). */
function randomGraph(seed: number, nodes: number, degree: number): { g: CallGraph; n: number } {
  const r = random(seed);
  const name = (i: number): string => `f${String(i).padStart(3, '0')}`;
  const spec: string[] = [];
  for (let a = 0; a < nodes; a++) {
    for (let j = 0; j < degree; j++) {
      const b = Math.floor(r() * nodes);
      const sep = r() < 0.7 ? '>' : r() < 0.8 ? '~' : r() < 0.5 ? '?' : '=';
      spec.push(`${name(a)}${sep}${name(b)}`);
    }
  }
  const { index, edges } = tinyGraph(spec, STYLES);
  return { g: new CallGraph(index, edges), n: index.nodeCount };
}

describe('k shortest paths, compared with the search before it was made faster', () => {
  it('gives the same paths, in the same order, on random graphs with and without constraints', () => {
    let compared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { g, n } = randomGraph(seed, 20 + (seed % 5) * 10, 2 + (seed % 3));
      const r = random(seed * 7919);
      const pick = (): number => Math.floor(r() * n);
      const constraints: PathConstraints[] = [
        { via: [], avoid: new Set() },
        { via: [[pick()]], avoid: new Set([pick()]) },
        { via: [], avoid: new Set(), maxDepth: 4 + (seed % 3) },
      ];
      for (const c of constraints) {
        for (const k of [1, 3, 10]) {
          const sources = [pick()];
          const targets = [pick(), pick()];
          const now = kShortestPaths(g, sources, targets, c, k);
          expect(now).toEqual(kShortestBefore(g, sources, targets, c, k));
          compared += now.length;
        }
      }
    }
    // The comparison covered many paths, not only empty answers.
    expect(compared).toBeGreaterThan(500);
  });
});
