import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { tinyGraph } from '../support/tiny-graph.js';

/** Functions a..d in one file; edges "a>b" (synchronous) or "a~b" (deferred), all bound by initializers, in the order given. */
const edgeList = (spec: string[]) => tinyGraph(spec, { '>': { kind: 'ops-initializer' }, '~': { kind: 'ops-initializer', deferred: true } });

/** The callees of a node as `name@line` (the line tells which of parallel edges was kept). */
function callees(g: CallGraph, node: number): string[] {
  const out: string[] = [];
  for (let i = g.outStart[node]!; i < g.outStart[node + 1]!; i++) out.push(`${g.index.name(g.outTo[i]!)}@${g.edges.line.get(g.outEdge[i]!)}`);
  return out;
}

describe('deferred edges in the call graph', () => {
  const { index, edges, id } = edgeList(['a~b', 'a>b', 'a~c', 'a>d', 'c>d']);

  it('folds parallel edges into the synchronous one, even when the deferred one comes first', () => {
    expect(callees(new CallGraph(index, edges), id('a'))).toEqual(['b@2', 'c@3', 'd@4']);
  });

  it('leaves deferred edges out of the synchronous graph, in both directions', () => {
    const sync = new CallGraph(index, edges, () => true, false);
    expect(callees(sync, id('a'))).toEqual(['b@2', 'd@4']);
    expect(sync.inStart[id('c') + 1]! - sync.inStart[id('c')]!).toBe(0);
  });
});

describe('CallGraph.outKind', () => {
  it('holds the kind of each out-edge, in the order of outEdge', () => {
    const { index, edges } = tinyGraph(['a>b', 'a~b', 'a>c', 'b~c', 'c>a', 'b>d', 'a~d'], { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' } });
    for (const withDeferred of [true, false]) {
      const g = new CallGraph(index, edges, () => true, withDeferred);
      expect(g.outKind.length).toBe(g.outEdge.length);
      expect(g.outKind.length).toBeGreaterThan(3);
      expect([...g.outKind]).toEqual([...g.outEdge].map((e) => edges.kind.get(e)));
    }
  });
});
