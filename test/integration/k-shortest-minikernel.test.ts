import { describe, expect, it } from 'vitest';
import { distinctDispatchPaths } from '../../src/graph/distinct-dispatch.js';
import { kShortestPaths } from '../../src/graph/k-shortest-paths.js';
import { openTree } from '../../src/index.js';
import { fixturesDir } from '../support/fixtures.js';
import { expectKCheapest } from '../support/all-paths.js';

describe('k shortest paths on the minikernel, against every path found by brute force', () => {
  it('gives the ten cheapest loopless paths on the minikernel, and distinct-dispatch paths still differ at their first pointer call', async () => {
    const project = await openTree({ root: `${fixturesDir}/minikernel` });
    const g = project.graph({ noDeferred: true });
    const none = { via: [], avoid: new Set<number>() };
    for (const [s, t] of [['ksys_write', 'drv_wake_tx_queue'], ['ksys_write', '__wake_up'], ['ksys_read', 'kfree']] as const) {
      const [sources, targets] = [project.nodes(s), project.nodes(t)];
      expect(sources).toHaveLength(1);
      expectKCheapest(g, sources[0]!, targets, none, 10, kShortestPaths(g, sources, targets, none, 10));
    }
    const paths = distinctDispatchPaths(g, project.nodes('ksys_write'), project.nodes('__wake_up'), none, 3);
    expect(paths.length).toBeGreaterThan(1);
  });
});
