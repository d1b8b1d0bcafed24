import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * A definition added or removed of a function that work handed off by key reaches (a softirq's
 * handler: `open_softirq(NET_RX_SOFTIRQ, net_rx_action)`, raised by number) may change what the
 * registration binds: the patch is refused and the graph resolved in full (cache/hand-off-edit.ts
 * handOffReached). A definition of any other name is patched. Either way the graph is the one a
 * fresh index makes.
 */
describe('a definition added next to a softirq handler (fixtures/deferred)', () => {
  /** Appends `text` to `path`, then opens the tree through its cache and from scratch: why the cache did what it did, and both graphs. */
  async function appended(root: string, cache: string, path: string, text: string) {
    appendFileSync(join(root, path), text);
    const trace: string[] = [];
    const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
    const scratch = await openTreeReport({ root, cache: false });
    return { report: cached.report, why: trace.find((m) => m.startsWith('graph')) ?? '', got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project) };
  }

  it('resolves in full for a handler name, and patches another name', async () => {
    const { dir, root } = copyFixture('deferred', 'pathfind-handoff-defs-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const other = await appended(root, cache, 'drivers/net/wifi/main.c', '\nvoid wifi_unrelated_added(void)\n{\n}\n');
      expect(other.report.incremental).toBe(true);
      expect(other.got).toEqual(other.want);
      const handler = await appended(root, cache, 'drivers/net/wifi/main.c', '\nstatic void net_rx_action(struct softirq_action *h)\n{\n}\n');
      expect(handler.report.incremental).toBe(false);
      expect(handler.why).toContain('a definition of net_rx_action was added or removed, a handler of work handed off by key');
      expect(handler.got).toEqual(handler.want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
