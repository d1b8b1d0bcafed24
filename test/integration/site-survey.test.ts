import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import type { EdgeList } from '../../src/resolve/edge-list.js';
import { resolveEdges } from '../../src/resolve/resolve.js';
import { BindingRecorder } from '../../src/resolve/binding-record.js';
import { fixturesDir } from '../support/fixtures.js';

/** Every edge in order, with all it carries: ends, kind, site, line, bind bits, deferred, evidence, and the sites over a cap. */
function rows(edges: EdgeList): string[] {
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    const evidence = edges.evidenceIdsOf(e).map((id) => JSON.stringify(edges.evidenceAt(id)));
    out.push([edges.from.get(e), edges.to.get(e), edges.kind.get(e), edges.site.get(e), edges.line.get(e), edges.bindFlags(e), edges.isDeferred(e), ...evidence].join(' '));
  }
  return [...out, JSON.stringify(edges.overCap), JSON.stringify(Array.from(edges.paramUses ?? []))];
}

const fixtures = readdirSync(fixturesDir).filter((name) => statSync(join(fixturesDir, name)).isDirectory());

describe('the call sites the direct calls\' walk finds for the later steps (site-survey.ts)', () => {
  it('bind what walking every node\'s calls binds, edge for edge and in the same order, with the same binding record, in every fixture', async () => {
    expect(fixtures.length).toBeGreaterThan(20);
    const kinds = new Set<number>();
    for (const fixture of fixtures) {
      const { index } = await openTree({ root: join(fixturesDir, fixture), cache: false });
      // The index as opened has its external nodes: both resolutions below start from it and add none.
      const [surveyed, every] = [new BindingRecorder(), new BindingRecorder()];
      const a = resolveEdges(index, surveyed);
      const b = resolveEdges(index, every, undefined, { everyNode: true });
      expect(rows(a), fixture).toEqual(rows(b));
      expect(JSON.stringify(surveyed.snapshot((e) => a.knownEvidence(e), (e) => a.internEvidence(e))), fixture).toBe(JSON.stringify(every.snapshot((e) => b.knownEvidence(e), (e) => b.internEvidence(e))));
      for (let e = 0; e < a.length; e++) kinds.add(a.kind.get(e));
    }
    // Every kind of edge is made somewhere in the fixtures: each step had sites to bind.
    expect(kinds.size).toBeGreaterThanOrEqual(10);
  });
});
