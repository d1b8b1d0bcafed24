import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { type Chain, missingEdges, readChains } from '../support/chains.js';

/**
 * The real-kernel tier: runs when PATHFIND_LINUX names an unpacked Linux 6.1 tree
 * (`npm run fetch:linux` prints one). Indexes the parts the chains cross and checks
 * every hand-verified chain of ../shared/chains/linux-6.1.json edge by edge.
 */
const tree = process.env.PATHFIND_LINUX;
const chainsFile = process.env.PATHFIND_CHAINS ?? join(import.meta.dirname, '../../../shared/chains/linux-6.1.json');
const parts = ['net', 'fs', 'include', 'kernel', 'mm', 'block', 'drivers/net', 'arch/x86'];

describe.skipIf(!tree || !existsSync(chainsFile))('Linux 6.1 chains', () => {
  let project: Project;
  const chains: Chain[] = tree && existsSync(chainsFile) ? readChains(chainsFile) : [];

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: parts, jobs: 2 });
  }, 900_000);

  for (const chain of chains) {
    it(`${chain.id}: every edge is found`, () => {
      const missing = missingEdges(project, chain);
      expect(missing, missing.join('; ')).toEqual([]);
    });
  }

  it('finds no hand-verified chain edge deferred: each is a call made in the caller\'s own context', () => {
    const { index, edges } = project;
    const deferred: string[] = [];
    for (const chain of chains) {
      for (const e of chain.edges) {
        const from = new Set(index.nodesNamed(e.from));
        const to = new Set(index.nodesNamed(e.to));
        for (let i = 0; i < edges.length; i++) if (edges.isDeferred(i) && from.has(edges.from.get(i)) && to.has(edges.to.get(i))) deferred.push(`${chain.id}: ${e.from} -> ${e.to}`);
      }
    }
    expect(deferred).toEqual([]);
  });

  it('leaves tcp_sendmsg synchronously, not through the softirq dispatch, unless deferred hops are allowed', () => {
    const query = { start: 'ksys_write', target: 'drv_wake_tx_queue', via: ['tcp_sendmsg'] };
    const [sync] = project.findPaths(query).paths;
    expect(sync?.edges.filter((e) => e.deferred)).toEqual([]);
    expect(sync?.nodes.map((n) => n.name)).not.toContain('handle_softirqs');
    const [any] = project.findPaths({ ...query, deferred: true }).paths;
    // tasklet_action and tasklet_hi_action cost the same: either may be the softirq action taken.
    const hops = any?.edges.filter((e) => e.deferred).map((e) => `${e.from.name}>${e.to.name}`) ?? [];
    expect(hops[0]).toMatch(/^handle_softirqs>tasklet(_hi)?_action$/);
  });
});
