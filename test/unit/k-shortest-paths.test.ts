import { describe, expect, it } from 'vitest';
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
