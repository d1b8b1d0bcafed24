import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { CodeIndex } from '../../src/index/code-index.js';
import { genericProfile } from '../../src/profiles/generic.js';
import { kindId } from '../../src/resolve/edge-kind.js';
import { EdgeList } from '../../src/resolve/edge-list.js';
import type { FileFacts } from '../../src/types/facts.js';

/** Functions a..d in one file; edges "a>b" (synchronous) or "a~b" (deferred), all bound by initializers, in the order given. */
function edgeList(spec: string[]): { index: CodeIndex; edges: EdgeList; id: (n: string) => number } {
  const names = [...new Set(spec.flatMap((s) => s.split(/[>~]/)))].sort();
  const file: FileFacts = {
    path: 'g.c', hash: '', parseErrors: 0, macros: [], structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], fieldAliases: [],
    functions: names.map((name, i) => ({ name, line: i + 1, endLine: i + 1, isStatic: false, signature: '', returns: 'int', params: [], calls: [] })),
  };
  const index = new CodeIndex('/', genericProfile, [file]);
  const edges = new EdgeList();
  const id = (n: string): number => names.indexOf(n);
  spec.forEach((s, line) => {
    const [a, b] = s.split(/[>~]/) as [string, string];
    edges.add(id(a), id(b), kindId('ops-initializer'), -1, line + 1);
    if (s.includes('~')) edges.markDeferred(edges.length - 1, edges.length);
  });
  return { index, edges, id };
}

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
