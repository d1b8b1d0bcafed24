import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, openTreeReport, type Project } from '../../src/index.js';
import { withIndexedFixture } from '../support/indexed-fixture.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { randomHandOffEdits } from '../support/random-hand-offs.js';
import { editFile, putFile } from '../support/edit-files.js';

/**
 * Edits that add, take out or retarget a registration of work handed off by an object
 * (`INIT_WORK(&a->w, fn)`, `timer_setup(&a->t, fn, 0)`, `tasklet_setup(&a->t, fn)`:
 * Profile.objectHandOffs), or add and remove the handlers they name. Every call queueing an
 * object of that key, in any function, then has other deferred edges; they are patched
 * (resolve/patch-object-hand-offs.ts) and must equal a fresh index of the edited tree, edge order
 * and evidence included.
 */
const MAIN = 'drivers/net/eth/main.c';

/** The handoff fixture's copy (`before` edits it first), indexed once with its cache; `run` gets its root and cache. */
const withIndexed = (run: (root: string, cache: string) => Promise<void>, before?: (root: string) => void): Promise<void> => withIndexedFixture('handoff', 'pathfind-work-registrations-', run, before);

/** The handlers the caller `from` queues (its deferred dispatch-table edges' callees), sorted. */
const queuedHandlers = (got: string[], from: string): string[] =>
  got
    .filter((r) => r.startsWith(`edge ${from}@`) && r.includes(' dispatch-table ') && r.includes(' deferred 1 '))
    .map((r) => r.split(' -> ')[1]!.split('@')[0]!)
    .sort();

/** The deferred dispatch-table edges (the hand-offs) in edge-list order, as `caller -> callee`. */
function handOffOrder(p: Project): string[] {
  const { index, edges } = p;
  const rows: string[] = [];
  for (let e = 0; e < edges.length; e++) if (EDGE_KINDS[edges.kind.get(e)] === 'dispatch-table' && edges.deferred.get(e) === 1) rows.push(`${index.name(edges.from.get(e))} -> ${index.name(edges.to.get(e))}`);
  return rows;
}

/** A static handler of a work item, put before eth_probe. */
const handler = (root: string, name: string, type = 'struct work_struct *work'): void => editFile(root, MAIN, 'int eth_probe(', `static void ${name}(${type})\n{\n\teth_hw_reset(0);\n}\n\nint eth_probe(`);

describe('a registration of work handed off by an object, added, taken out or retargeted (fixtures/handoff)', () => {
  it('patches a registration added in a kept function with its new handler: a call queueing that key elsewhere takes the handler', async () => {
    await withIndexed(async (root, cache) => {
      handler(root, 'eth_reset_again');
      editFile(root, MAIN, '\tINIT_WORK(&adapter->reset_task, eth_reset_task);\n', '\tINIT_WORK(&adapter->reset_task, eth_reset_task);\n\tINIT_WORK(&adapter->reset_task, eth_reset_again);\n');
      const { got, incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental, why).toBe(true);
      expect(queuedHandlers(got, 'eth_tx_timeout')).toEqual(['eth_reset_again', 'eth_reset_task']);
      expect(got.some((r) => r.startsWith('edge eth_tx_timeout@') && r.includes('INIT_WORK(&struct eth_adapter.reset_task, eth_reset_again)'))).toBe(true);
    });
  });

  it('patches a registration taken out: the calls queueing its key lose the handler, which stays defined', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\tINIT_WORK(&adapter->reset_task, eth_reset_task);\n', '');
      const { got, incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental, why).toBe(true);
      expect(queuedHandlers(got, 'eth_tx_timeout')).toEqual([]);
    });
  });

  it('patches the first registration under a key a call already queues, then takes it out again', async () => {
    await withIndexed(async (root, cache) => {
      // stats_task is filed only by a helper passed its handler (no handler of its own): eth_open's schedule_work of it has no edge.
      editFile(root, MAIN, '\teth_setup_stats(adapter, 0);\n', '\teth_setup_stats(adapter, 0);\n\tINIT_WORK(&adapter->stats_task, eth_watchdog);\n');
      const first = await expectSameAsFresh(root, cache);
      expect(first.incremental, first.why).toBe(true);
      expect(queuedHandlers(first.got, 'eth_open')).toContain('eth_watchdog');
      editFile(root, MAIN, '\tINIT_WORK(&adapter->stats_task, eth_watchdog);\n', '');
      const gone = await expectSameAsFresh(root, cache);
      expect(gone.incremental, gone.why).toBe(true);
      expect(queuedHandlers(gone.got, 'eth_open')).toEqual(['eth_blink', 'eth_poll', 'eth_watchdog']);
    });
  });

  it('patches a work handler renamed with its registration, then a registration retargeted to another function', async () => {
    await withIndexed(async (root, cache) => {
      putFile(root, MAIN, readFileSync(join(root, MAIN), 'utf8').replace(/\beth_reset_task\b/g, 'eth_reset_worker'));
      const renamed = await expectSameAsFresh(root, cache);
      expect(renamed.incremental, renamed.why).toBe(true);
      expect(queuedHandlers(renamed.got, 'eth_tx_timeout')).toEqual(['eth_reset_worker']);
      editFile(root, MAIN, 'INIT_DELAYED_WORK(&adapter->watchdog_task, eth_watchdog);', 'INIT_DELAYED_WORK(&adapter->watchdog_task, eth_reset_worker);');
      const retargeted = await expectSameAsFresh(root, cache);
      expect(retargeted.incremental, retargeted.why).toBe(true);
      expect(queuedHandlers(retargeted.got, 'eth_open')).toEqual(['eth_blink', 'eth_poll', 'eth_reset_worker']);
      expect(queuedHandlers(retargeted.got, 'eth_link_change')).toEqual(['eth_reset_worker']);
    });
  });

  // A new user's finding: an #include line added to a .c file that registers nothing dropped every file's evaluations of keys,
  // and a work handler renamed in another file next resolved in full ("... whose type the cached graph did not evaluate in its file").
  it('patches a work handler renamed after an #include line changed in a .c file no #include opens: only that file\'s evaluations go', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, 'kernel/workqueue.c', '#include <linux/workqueue.h>\n', '#include <linux/workqueue.h>\n#include <linux/interrupt.h>\n');
      const included = await expectSameAsFresh(root, cache);
      expect(included.incremental, included.why).toBe(true);
      putFile(root, MAIN, readFileSync(join(root, MAIN), 'utf8').replace(/\beth_reset_task\b/g, 'eth_reset_worker'));
      const renamed = await expectSameAsFresh(root, cache);
      expect(renamed.incremental, renamed.why).toBe(true);
      expect(queuedHandlers(renamed.got, 'eth_tx_timeout')).toEqual(['eth_reset_worker']);
    });
  });

  it('patches a handler defined that a kept registration named before it was: the calls queueing its key take it', async () => {
    // A registration naming a function no file defines yet: it binds nothing.
    const early = (root: string): void => editFile(root, MAIN, '\teth_setup_stats(adapter, 0);\n', '\teth_setup_stats(adapter, 0);\n\tINIT_WORK(&adapter->stats_task, eth_stats_task);\n');
    await withIndexed(async (root, cache) => {
      handler(root, 'eth_stats_task');
      const { got, incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental, why).toBe(true);
      expect(queuedHandlers(got, 'eth_open')).toContain('eth_stats_task');
    }, early);
  });

  it('puts the hand-off edges it makes again where a resolution puts them in the whole edge list (its last run of bindings, by caller and call site)', async () => {
    await withIndexed(async (root, cache) => {
      putFile(root, MAIN, readFileSync(join(root, MAIN), 'utf8').replace(/\beth_reset_task\b/g, 'eth_reset_worker'));
      const trace: string[] = [];
      const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
      const fresh = await openTreeReport({ root, cache: false });
      expect(cached.report.incremental, trace.find((m) => m.startsWith('graph'))).toBe(true);
      expect(handOffOrder(cached.project)).toEqual(handOffOrder(fresh.project));
      expect(handOffOrder(fresh.project).filter((r) => r.endsWith('eth_reset_worker'))).toHaveLength(1);
    });
  });

  it('patches a function added that registers, and the function removed', async () => {
    await withIndexed(async (root, cache) => {
      handler(root, 'eth_rx_again', 'struct tasklet_struct *t');
      editFile(root, MAIN, 'int eth_probe(', 'void eth_rearm(struct eth_adapter *adapter)\n{\n\ttasklet_setup(&adapter->rx_tasklet, eth_rx_again);\n}\n\nint eth_probe(');
      const added = await expectSameAsFresh(root, cache);
      expect(added.incremental, added.why).toBe(true);
      expect(queuedHandlers(added.got, 'eth_interrupt')).toEqual(['eth_rx', 'eth_rx_again']);
      editFile(root, MAIN, 'void eth_rearm(struct eth_adapter *adapter)\n{\n\ttasklet_setup(&adapter->rx_tasklet, eth_rx_again);\n}\n\n', '');
      const removed = await expectSameAsFresh(root, cache);
      expect(removed.incremental, removed.why).toBe(true);
      expect(queuedHandlers(removed.got, 'eth_interrupt')).toEqual(['eth_rx']);
    });
  });

  // A member named as another struct's (`work`) is a type question the resolution read (which structs have it): resolved in full.
  it('patches a driver file added with its own work item, registered and queued, and the file deleted', async () => {
    await withIndexed(async (root, cache) => {
      const added = join(root, 'drivers/net/eth/extra.c');
      writeFileSync(
        added,
        '#include <linux/workqueue.h>\n\nstruct eth_extra {\n\tstruct work_struct extra_work;\n};\n\nstatic void eth_extra_task(struct work_struct *work)\n{\n}\n\n' +
          'void eth_extra_init(struct eth_extra *x)\n{\n\tINIT_WORK(&x->extra_work, eth_extra_task);\n}\n\nvoid eth_extra_kick(struct eth_extra *x)\n{\n\tschedule_work(&x->extra_work);\n}\n',
      );
      const put = await expectSameAsFresh(root, cache);
      expect(put.incremental, put.why).toBe(true);
      expect(queuedHandlers(put.got, 'eth_extra_kick')).toEqual(['eth_extra_task']);
      rmSync(added);
      const gone = await expectSameAsFresh(root, cache);
      expect(gone.incremental, gone.why).toBe(true);
    });
  });

  it('resolves in full when the key of a registration added reads what the cached graph did not evaluate in its file, and says why', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, 'net/sctp/inqueue.c', '\tq->immediate.func(&q->immediate);\n', '\tq->immediate.func(&q->immediate);\n\tINIT_WORK(&q->immediate, sctp_inq_push);\n');
      const { incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental).toBe(false);
      expect(why).toContain('sctp_inq_push registers work by an object whose type the cached graph did not evaluate in its file (struct sctp_inq)');
    });
  });
});

describe('random registration edits (fixtures with work, timers and tasklets)', () => {
  const REGISTERING = ['work registration added', 'work registration removed', 'work registration retargeted'];

  it('patches every registration added, removed or retargeted whose key the cached graph evaluated, beside queueing edits, and equals a fresh index at every step', async () => {
    const steps = await randomHandOffEdits([...REGISTERING, 'queueing call added', 'queueing call removed', 'body', 'function added', 'function removed'], 31000);
    for (const s of steps) if (REGISTERING.includes(s.kind) && !s.why.includes('did not evaluate')) expect(s.incremental, `${s.done}: ${s.why}`).toBe(true);
    expect(steps.filter((s) => REGISTERING.includes(s.kind) && s.incremental).length, 'registration edits patched').toBeGreaterThan(2);
  });
});
