import { describe, expect, it, vi } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import { tinyGraph } from '../support/tiny-graph.js';

/** A tiny graph a..f in one file; edges given as "a>b" (direct) or "a~b" (signature guess). */
function graph(spec: string[]): { g: CallGraph; id: (n: string) => number } {
  const { index, edges, id } = tinyGraph(spec, { '>': { kind: 'direct' }, '~': { kind: 'signature' } });
  return { g: new CallGraph(index, edges), id };
}

const names = (g: CallGraph, paths: { nodes: number[] }[]): string[] => paths.map((p) => p.nodes.map((n) => g.index.name(n)).join(' '));
const none = { via: [], avoid: new Set<number>() };

describe('k shortest paths', () => {
  const { g, id } = graph(['a>b', 'b>c', 'c>f', 'a>d', 'd>f', 'a>e', 'e>b', 'a~f']);

  it('prefers exact edges over a shorter guessed one', () => {
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], none, 1))).toEqual(['a d f']);
  });

  it('lists distinct paths in cost order', () => {
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], none, 4))).toEqual(['a d f', 'a b c f', 'a e b c f', 'a f']);
  });

  it('honours via in order, avoid and max depth', () => {
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], { via: [[id('b')]], avoid: new Set() }, 1))).toEqual(['a b c f']);
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], { via: [[id('e')], [id('c')]], avoid: new Set() }, 1))).toEqual(['a e b c f']);
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], { via: [], avoid: new Set([id('d')]) }, 1))).toEqual(['a b c f']);
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], { via: [[id('b')]], avoid: new Set(), maxDepth: 2 }, 1))).toEqual([]);
    expect(names(g, kShortestPaths(g, [id('a')], [id('f')], { via: [], avoid: new Set([id('d')]), maxDepth: 1 }, 1))).toEqual(['a f']);
  });

  it('finds nothing when the target is unreachable', () => {
    expect(kShortestPaths(g, [id('f')], [id('a')], none, 3)).toEqual([]);
  });
});

describe('k shortest paths when fewer paths exist than asked for', () => {
  it('proves there is no other path with a few spur searches, not one per unit of cost reachable (a search over most of a kernel each)', async () => {
    const { PathSearch } = await import('../../src/graph/shortest-path.js');
    // One path, s t: t's only caller is s. From s, c0 leads back to s (so the lower bound on a spur from s is low: 3) and on along a chain of 400 calls that reaches nothing.
    const chain = Array.from({ length: 400 }, (_, i) => `d${i}>d${i + 1}`);
    const { g, id } = graph(['s>t', 's>c0', 'c0>s', 'c0>d0', ...chain]);
    const runs = vi.spyOn(PathSearch.prototype, 'run');
    try {
      expect(names(g, kShortestPaths(g, [id('s')], [id('t')], none, 3))).toEqual(['s t']);
      // The first search, then the spur search from s: once per doubling of how far past its bound it looks (it was 400 runs, one per unit of cost).
      expect(runs.mock.calls.length).toBeLessThanOrEqual(12);
    } finally {
      runs.mockRestore();
    }
  });
});
