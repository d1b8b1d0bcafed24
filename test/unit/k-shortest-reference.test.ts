import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import type { GraphPath, PathConstraints } from '../../src/graph/path.js';
import { expectKCheapest } from '../support/all-paths.js';
import { randomCallGraph } from '../support/random-call-graph.js';
import { seededRandom } from '../support/random.js';

/** A random graph of `nodes` functions with about `degree` calls each, of mixed kinds (so costs tie and differ). */
const randomGraph = (seed: number, nodes: number, degree: number): { g: CallGraph; n: number } => randomCallGraph(seed, nodes, degree, (r) => (r() < 0.7 ? '>' : r() < 0.8 ? '~' : r() < 0.5 ? '?' : '='));

/** Each path of `got` starts at `source`, ends at a target, follows call-graph edges with its cost, passes the via names in order, and comes once, in order of cost. */
function expectValidPaths(g: CallGraph, source: number, targets: number[], c: PathConstraints, got: GraphPath[]): void {
  expect(new Set(got.map((p) => p.nodes.join(' '))).size).toBe(got.length);
  for (const [i, p] of got.entries()) {
    expect(p.nodes[0]).toBe(source);
    expect(targets).toContain(p.nodes.at(-1));
    p.edges.forEach((e, j) => expect([g.edges.from.get(e), g.edges.to.get(e)]).toEqual([p.nodes[j], p.nodes[j + 1]]));
    expect(p.edges.reduce((sum, e) => sum + g.weight(e), 0)).toBe(p.cost);
    expect(p.nodes.some((x) => c.avoid.has(x))).toBe(false);
    const stage = p.nodes.reduce((st, x) => (st < c.via.length && c.via[st]!.includes(x) ? st + 1 : st), 0);
    expect(stage).toBe(c.via.length);
    if (i > 0) expect(p.cost).toBeGreaterThanOrEqual(got[i - 1]!.cost);
  }
}

describe('k shortest paths, against every path found by brute force', () => {
  it('gives the k cheapest loopless paths, each once and in order, on random graphs with and without constraints', () => {
    let compared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { g, n } = randomGraph(seed, 8 + (seed % 5) * 3, 2 + (seed % 2));
      const r = seededRandom(seed * 7919);
      const pick = (): number => Math.floor(r() * n);
      const constraints: PathConstraints[] = [
        { via: [], avoid: new Set() },
        { via: [[pick()]], avoid: new Set([pick()]) },
        { via: [], avoid: new Set([pick()]), maxDepth: 3 + (seed % 3) },
      ];
      for (const c of constraints) {
        for (const k of [1, 3, 10]) {
          const source = pick();
          const targets = [pick(), pick()];
          const got = kShortestPaths(g, [source], targets, c, k);
          // With a via name the search runs over (node, via stage) states and a path may pass a node once per stage: checked as paths alone.
          if (c.via.length) expectValidPaths(g, source, targets, c, got);
          else expectKCheapest(g, source, targets, c, k, got);
          compared += got.length;
        }
      }
    }
    // The comparison covered many paths, not only empty answers.
    expect(compared).toBeGreaterThan(300);
  });

  it('gives the cheapest path within a depth bound through via names, as a search over every (node, via stage, depth) finds it', () => {
    let found = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { g, n } = randomGraph(seed, 10 + (seed % 6) * 3, 2 + (seed % 2));
      const r = seededRandom(seed * 104729);
      const pick = (): number => Math.floor(r() * n);
      const via = seed % 3 === 0 ? [] : seed % 3 === 1 ? [[pick()]] : [[pick()], [pick()]];
      const c: PathConstraints = { via, avoid: new Set([pick()]), maxDepth: 2 + (seed % 5) };
      const source = pick();
      const targets = [pick(), pick()];
      // Every walk of at most maxDepth calls, layer by layer: the cheapest cost to each (node, via stage) in exactly d calls.
      const stages = via.length + 1;
      const advance = (x: number, st: number): number => (st < via.length && via[st]!.includes(x) ? st + 1 : st);
      let layer = new Map<string, number>();
      if (!c.avoid.has(source)) layer.set(`${source}:${advance(source, 0)}`, 0);
      let best = Infinity;
      for (let d = 0; d <= c.maxDepth! && layer.size; d++) {
        for (const [key, cost] of layer) {
          const [x, st] = key.split(':').map(Number) as [number, number];
          if (st === stages - 1 && targets.includes(x)) best = Math.min(best, cost);
        }
        const next = new Map<string, number>();
        for (const [key, cost] of layer) {
          const [x, st] = key.split(':').map(Number) as [number, number];
          for (let i = g.outStart[x]!; i < g.outStart[x + 1]!; i++) {
            const y = g.outTo[i]!;
            if (c.avoid.has(y)) continue;
            const k = `${y}:${advance(y, st)}`;
            const w = cost + g.weight(g.outEdge[i]!);
            if (w < (next.get(k) ?? Infinity)) next.set(k, w);
          }
        }
        layer = next;
      }
      const [got] = kShortestPaths(g, [source], targets, c, 1);
      expect(got?.cost ?? Infinity, `seed ${seed}`).toBe(best);
      if (got) {
        expect(got.edges.length).toBeLessThanOrEqual(c.maxDepth!);
        expectValidPaths(g, source, targets, c, [got]);
        found++;
      }
    }
    // Many searches found a path, not only none.
    expect(found).toBeGreaterThan(20);
  });
});
