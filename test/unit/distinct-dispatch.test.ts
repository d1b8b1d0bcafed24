import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { distinctDispatchPaths } from '../../src/graph/distinct-dispatch.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import { randomCallGraph } from '../support/random-call-graph.js';
import { tinyGraph } from '../support/tiny-graph.js';

/** A tiny graph in one file; edges given as "a>b" (direct) or "a*b" (a pointer call bound by an initializer). */
function graph(spec: string[]): { g: CallGraph; id: (n: string) => number } {
  const { index, edges, id } = tinyGraph(spec, { '>': { kind: 'direct' }, '*': { kind: 'ops-initializer' } });
  return { g: new CallGraph(index, edges), id };
}

const names = (g: CallGraph, paths: { nodes: number[] }[]): string[] => paths.map((p) => p.nodes.map((n) => g.index.name(n)).join(' '));
const none = { via: [], avoid: new Set<number>() };

describe('k paths distinct by dispatch', () => {
  // s reaches a pointer call in w; its targets p, q, r all reach t, p by two routes; d is a detour before the pointer call.
  const { g, id } = graph(['s>w', 'w*p', 'w*q', 'w*r', 'p>t', 'p>x', 'x>t', 'q>y', 'y>t', 'r>y2', 'y2>z', 'z>t', 's>d', 'd>d2', 'd2>w']);

  it('gives paths that differ in the target of their first pointer call, cheapest first', () => {
    expect(names(g, distinctDispatchPaths(g, [id('s')], [id('t')], none, 3))).toEqual(['s w p t', 's w q y t', 's w r y2 z t']);
  });

  it('differs from plain k paths, which repeat a target', () => {
    expect(names(g, kShortestPaths(g, [id('s')], [id('t')], none, 3))).toEqual(['s w p t', 's w p x t', 's w q y t']);
  });

  it('stops when the targets run out, and honours avoid', () => {
    expect(names(g, distinctDispatchPaths(g, [id('s')], [id('t')], none, 10))).toHaveLength(3);
    expect(names(g, distinctDispatchPaths(g, [id('s')], [id('t')], { via: [], avoid: new Set([id('q')]) }, 3))).toEqual(['s w p t', 's w r y2 z t']);
  });

  it('honours via and max depth', () => {
    expect(names(g, distinctDispatchPaths(g, [id('s')], [id('t')], { via: [[id('d')]], avoid: new Set() }, 2))).toEqual(['s d d2 w p t', 's d d2 w q y t']);
    expect(names(g, distinctDispatchPaths(g, [id('s')], [id('t')], { via: [], avoid: new Set(), maxDepth: 4 }, 5))).toEqual(['s w p t', 's w q y t']);
  });

  it('counts a path without any pointer call once', () => {
    const { g: h, id: hid } = graph(['a>b', 'b>t', 'a>c', 'c>c2', 'c2>t', 'a*e', 'e>t', 'a*f', 'f>f2', 'f2>t']);
    expect(names(h, distinctDispatchPaths(h, [hid('a')], [hid('t')], none, 4))).toEqual(['a b t', 'a e t', 'a f f2 t']);
  });

  it('gives as its first path the path of a plain query, ties included (random graphs)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { g: r, n } = randomCallGraph(seed, 40, 3, (random) => (random() < 0.4 ? '~' : '>'));
      for (let t = 1; t < n; t += 7) {
        const plain = kShortestPaths(r, [0], [t], none, 1);
        const distinct = distinctDispatchPaths(r, [0], [t], none, 2);
        expect(names(r, distinct.slice(0, 1)), `seed ${seed} target ${t}`).toEqual(names(r, plain));
        compared += plain.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('finds nothing when the target is unreachable', () => {
    expect(distinctDispatchPaths(g, [id('t')], [id('s')], none, 3)).toEqual([]);
  });
});
