import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { isExpansionEdge } from '../../src/resolve/bind-expansion.js';
import { CallersIndex } from '../../src/resolve/callers-index.js';
import type { EdgeList } from '../../src/resolve/edge-list.js';
import type { CodeIndex } from '../../src/index/code-index.js';
import { fixturesDir } from '../support/fixtures.js';

/** The callers' index as a map of lists, one push per edge in order: what CallersIndex replaces. */
function listed(index: CodeIndex, edges: EdgeList): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let e = 0; e < edges.length; e++) {
    const to = edges.to.get(e);
    if (isExpansionEdge(index, edges.from.get(e), to, edges.kind.get(e), edges.bindFlags(e))) continue;
    const list = out.get(to);
    if (list) list.push(e);
    else out.set(to, [e]);
  }
  return out;
}

describe('CallersIndex', () => {
  it('gives the edges into each node in ascending order, without the edges through a macro body, and none for a node nobody calls', async () => {
    // macroscope has edges through macro bodies (BindFlag.Expansion); the others, callers passing functions to be stored or called.
    let skipped = 0;
    for (const fixture of ['minikernel', 'macroscope', 'macrostore', 'callback']) {
      const { index, edges } = await openTree({ root: join(fixturesDir, fixture) });
      const expected = listed(index, edges);
      const callers = CallersIndex.of(index, edges);
      let uncalled = 0;
      for (let node = 0; node < index.nodeCount + 5; node++) {
        const got = Array.from(callers.of(node));
        expect(got, `${fixture} node ${node}`).toEqual(expected.get(node) ?? []);
        if (node < index.nodeCount && got.length === 0) uncalled++;
      }
      expect(uncalled, fixture).toBeGreaterThan(0);
      expect(expected.size, fixture).toBeGreaterThan(1);
      skipped += edges.length - [...expected.values()].reduce((n, l) => n + l.length, 0);
    }
    // Some edges went through a macro's body, and were left out.
    expect(skipped).toBeGreaterThan(0);
  });
});
