import { describe, expect, it } from 'vitest';
import { CallGraph } from '../../src/graph/call-graph.js';
import { type Exclusions, PathSearch, type SearchStart } from '../../src/graph/shortest-path.js';
import { stateTable } from '../../src/graph/state-table.js';
import { seededRandom } from '../support/random.js';
import { tinyGraph } from '../support/tiny-graph.js';

// Few kinds, so that many paths cost the same and ties decide.
const STYLES = { '>': { kind: 'direct' }, '~': { kind: 'ops-initializer' }, '?': { kind: 'signature' } } as const;

describe('path search over nodes alone (no via, depth bound or dispatch rule)', () => {
  it('finds the very path the search over (node, stage, depth, phase) states finds, ties, exclusions and bounds included', () => {
    let found = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = seededRandom(seed);
      const nodes = 8 + (seed % 9) * 3;
      const name = (i: number): string => `f${String(i).padStart(3, '0')}`;
      const spec = Array.from({ length: nodes * (2 + (seed % 3)) }, () => `${name(Math.floor(r() * nodes))}${r() < 0.7 ? '>' : r() < 0.6 ? '~' : '?'}${name(Math.floor(r() * nodes))}`);
      const { index, edges } = tinyGraph(spec, STYLES);
      const g = new CallGraph(index, edges);
      const n = index.nodeCount;
      const pick = (): number => Math.floor(r() * n);
      const search = new PathSearch(g, new Set([pick(), pick()]), { via: [], avoid: new Set([pick()]) });
      const starts: SearchStart[] = [{ node: pick(), stage: 0, depth: 0, cost: 0 }];
      const exclude: Exclusions = { nodes: new Set([pick()]), steps: new Map([[starts[0]!.node, new Set([pick(), pick()])]]) };
      for (const bound of [Infinity, 2.2, 4]) {
        for (const ex of [undefined, exclude]) {
          const got = search.run(starts, ex, bound);
          // The general search, run directly on a fresh state table (run() takes the nodes-only one here).
          const blocked = new Uint8Array(n);
          for (const a of [...search.constraints.avoid, ...(ex?.nodes ?? [])]) blocked[a] = 1;
          const general = (search as unknown as { search: (...a: unknown[]) => unknown }).search(starts, ex ?? { nodes: new Set(), steps: new Map() }, bound, stateTable(n), blocked, { stages: 1, depths: 1, phases: 1, dispatch: undefined });
          expect(got, `seed ${seed}`).toEqual(general);
          if (got) found++;
        }
      }
    }
    expect(found).toBeGreaterThan(200);
  });
});
