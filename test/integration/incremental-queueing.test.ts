import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withIndexedFixture } from '../support/indexed-fixture.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { randomHandOffEdits } from '../support/random-hand-offs.js';
import { editFile } from '../support/edit-files.js';

/**
 * Body edits that add or take out a call queueing work by its object (`schedule_work(&a->w)`,
 * `mod_timer(&a->t, 10)`, `tasklet_schedule(&a->t)`: Profile.objectHandOffs): the queueing
 * function's deferred edges to the handlers registered under the object's key. They are patched
 * (resolve/patch-object-hand-offs.ts) and must equal a fresh index of the edited tree, edge order
 * and evidence included; a call whose key the cached graph cannot tell resolves in full and says why.
 */
const MAIN = 'drivers/net/eth/main.c';

/** The handoff fixture's copy (`before` edits it first), indexed once with its cache; `run` gets its root and cache. */
const withIndexed = (run: (root: string, cache: string) => Promise<void>, before?: (root: string) => void): Promise<void> => withIndexedFixture('handoff', 'pathfind-queueing-', run, before);

/** The deferred edges of the caller `from` in a canonical graph's rows (dispatch-table: the hand-offs). */
const handOffRows = (got: string[], from: string): string[] => got.filter((r) => r.startsWith(`edge ${from}@`) && r.includes(' dispatch-table ') && r.includes(' deferred 1 '));

describe('a call queueing work by its object, added or taken out (fixtures/handoff)', () => {
  it('patches a queueing call added to a kept function, with the registration as its evidence', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\ttasklet_schedule(&adapter->rx_tasklet);\n', '\ttasklet_schedule(&adapter->rx_tasklet);\n\tschedule_work(&adapter->reset_task);\n');
      const { got, incremental, why, trace } = await expectSameAsFresh(root, cache);
      expect(incremental, why).toBe(true);
      expect(trace.find((m) => m.startsWith('patch:'))).toContain('hand-off edges of 1 queueing call added');
      const rows = handOffRows(got, 'eth_interrupt');
      expect(rows.some((r) => r.includes('-> eth_reset_task@') && r.includes('INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)'))).toBe(true);
      expect(rows.some((r) => r.includes('-> eth_rx@'))).toBe(true);
    });
  });

  it('patches a queueing call taken out, one whose object is a file-scope timer too', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\tschedule_work(&adapter->reset_task);\n', '');
      const first = await expectSameAsFresh(root, cache);
      expect(first.incremental, first.why).toBe(true);
      expect(handOffRows(first.got, 'eth_tx_timeout')).toEqual([]);
      editFile(root, MAIN, '\tmod_timer(&eth_poll_timer, 100);\n', '');
      const second = await expectSameAsFresh(root, cache);
      expect(second.incremental, second.why).toBe(true);
      expect(handOffRows(second.got, 'eth_open').some((r) => r.includes('-> eth_poll@'))).toBe(false);
    });
  });

  it('patches a queued object changed, and a function added with queueing calls, after the caller moved its other edges', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\tschedule_work(&adapter->stats_task);\n', '\tschedule_work(&adapter->reset_task);\n');
      const changed = await expectSameAsFresh(root, cache);
      expect(changed.incremental, changed.why).toBe(true);
      expect(handOffRows(changed.got, 'eth_open').some((r) => r.includes('-> eth_reset_task@'))).toBe(true);
      const added = 'void eth_kick(struct eth_adapter *adapter)\n{\n\teth_hw_reset(0);\n\ttasklet_schedule(&adapter->rx_tasklet);\n\tschedule_delayed_work(&adapter->watchdog_task, 1);\n}\n\n';
      editFile(root, MAIN, 'void eth_interrupt(', `${added}void eth_interrupt(`);
      const kick = await expectSameAsFresh(root, cache);
      expect(kick.incremental, kick.why).toBe(true);
      expect(handOffRows(kick.got, 'eth_kick').map((r) => r.split(' -> ')[1]!.split('@')[0]).sort()).toEqual(['eth_rx', 'eth_watchdog']);
    });
  });

  it('patches a queueing call of a file-scope timer its own file defines, and resolves in full once a header\'s #include lines changed', async () => {
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\ttasklet_schedule(&adapter->rx_tasklet);\n', '\ttasklet_schedule(&adapter->rx_tasklet);\n\tmod_timer(&eth_poll_timer, 5);\n');
      const global = await expectSameAsFresh(root, cache);
      expect(global.incremental, global.why).toBe(true);
      expect(handOffRows(global.got, 'eth_interrupt').some((r) => r.includes('-> eth_poll@') && r.includes('timer_setup(&eth_poll_timer, eth_poll)'))).toBe(true);
      // #include lines of a header changed (patched): what a key evaluates to in any file including it may have, and the evaluations
      // kept are dropped (a .c file no #include opens drops its own alone: incremental-work-registrations).
      editFile(root, 'include/linux/interrupt.h', '#define _LINUX_INTERRUPT_H\n', '#define _LINUX_INTERRUPT_H\n\n#include <linux/workqueue.h>\n');
      const included = await expectSameAsFresh(root, cache);
      expect(included.incremental, included.why).toBe(true);
      editFile(root, MAIN, '\tmod_timer(&eth_poll_timer, 5);\n', '\tmod_timer(&eth_poll_timer, 5);\n\tmod_timer(&eth_poll_timer, 6);\n');
      const dropped = await expectSameAsFresh(root, cache);
      expect(dropped.incremental).toBe(false);
      expect(dropped.why).toContain('eth_interrupt queues work by an object whose type the cached graph did not evaluate in its file');
    });
  });

  it('patches a queueing call added to a file with none before, of a struct type the calls of another file evaluated', async () => {
    await withIndexed(async (root, cache) => {
      const kick = '\nstruct eth_adapter;\nvoid sctp_kick(struct eth_adapter *a)\n{\n\tschedule_work(&a->reset_task);\n}\n';
      editFile(root, 'net/sctp/inqueue.c', '\tq->immediate.func(&q->immediate);\n}\n', `\tq->immediate.func(&q->immediate);\n}\n${kick}`);
      const { got, incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental, why).toBe(true);
      expect(handOffRows(got, 'sctp_kick').some((r) => r.includes('-> eth_reset_task@'))).toBe(true);
    });
  });

  it('keeps the evaluations of other types when an edit moves the lines of an anonymous struct (its name), and patches a queueing call added after', async () => {
    const anonymousUnion = (root: string): void => editFile(root, MAIN, '\tstruct sctp_inq *inq;\n};', '\tstruct sctp_inq *inq;\n\tunion {\n\t\tint flags;\n\t\tlong word;\n\t};\n};');
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '// SPDX-License-Identifier: MIT\n', '// SPDX-License-Identifier: MIT\n/* The eth driver. */\n');
      const moved = await expectSameAsFresh(root, cache);
      expect(moved.incremental, moved.why).toBe(true);
      editFile(root, MAIN, '\ttasklet_schedule(&adapter->rx_tasklet);\n', '\ttasklet_schedule(&adapter->rx_tasklet);\n\tschedule_work(&adapter->reset_task);\n');
      const added = await expectSameAsFresh(root, cache);
      expect(added.incremental, added.why).toBe(true);
    }, anonymousUnion);
  });

  it('keeps the evaluations of the files kept when a file is added and deleted, and patches a queueing call added after', async () => {
    await withIndexed(async (root, cache) => {
      const added = join(root, 'drivers/net/eth/extra.c');
      writeFileSync(added, '#include <linux/workqueue.h>\n\nvoid eth_extra(void)\n{\n}\n');
      const put = await expectSameAsFresh(root, cache);
      expect(put.incremental, put.why).toBe(true);
      rmSync(added);
      const gone = await expectSameAsFresh(root, cache);
      expect(gone.incremental, gone.why).toBe(true);
      editFile(root, MAIN, '\ttasklet_schedule(&adapter->rx_tasklet);\n', '\ttasklet_schedule(&adapter->rx_tasklet);\n\tschedule_work(&adapter->reset_task);\n');
      const queued = await expectSameAsFresh(root, cache);
      expect(queued.incremental, queued.why).toBe(true);
    });
  });

  it('resolves in full for an object of an anonymous struct, whose name is its line', async () => {
    const anonymousObject = (root: string): void => {
      editFile(root, MAIN, 'static struct timer_list eth_poll_timer;\n', 'static struct timer_list eth_poll_timer;\n\nstatic struct {\n\tstruct work_struct w;\n} eth_spare;\n');
      editFile(root, MAIN, '\tINIT_WORK(&adapter->reset_task, eth_reset_task);\n', '\tINIT_WORK(&adapter->reset_task, eth_reset_task);\n\tINIT_WORK(&eth_spare.w, eth_watchdog);\n');
    };
    await withIndexed(async (root, cache) => {
      editFile(root, MAIN, '\ttasklet_schedule(&adapter->rx_tasklet);\n', '\ttasklet_schedule(&adapter->rx_tasklet);\n\tschedule_work(&eth_spare.w);\n');
      const { got, incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental).toBe(false);
      expect(why).toContain('eth_interrupt queues work by an object of an anonymous struct');
      expect(handOffRows(got, 'eth_interrupt').some((r) => r.includes('-> eth_watchdog@'))).toBe(true);
    }, anonymousObject);
  });

  it('resolves in full when the key of a call added reads what the cached graph did not evaluate in its file, and says why', async () => {
    await withIndexed(async (root, cache) => {
      // A file with no queueing call or registration before: nothing of it was evaluated.
      editFile(root, 'net/sctp/inqueue.c', '\tq->immediate.func(&q->immediate);\n', '\tq->immediate.func(&q->immediate);\n\tschedule_work(&q->immediate);\n');
      const other = await expectSameAsFresh(root, cache);
      expect(other.incremental).toBe(false);
      expect(other.why).toContain('sctp_inq_push queues work by an object whose type the cached graph did not evaluate in its file (struct sctp_inq)');
      // Resolved in full, the graph keeps what that key read: the same call added again is patched.
      editFile(root, 'net/sctp/inqueue.c', '\tschedule_work(&q->immediate);\n', '\tschedule_work(&q->immediate);\n\tschedule_work(&q->immediate);\n');
      const again = await expectSameAsFresh(root, cache);
      expect(again.incremental, again.why).toBe(true);
    });
  });
});

describe('random queueing edits (fixtures with work, timers and tasklets)', () => {
  const QUEUEING = ['queueing call added', 'queueing call removed', 'queued object changed'];

  it('patches every queueing call added, removed or re-keyed whose key the cached graph evaluated, and equals a fresh index at every step', async () => {
    expect(await randomQueueing([...QUEUEING, 'body'], 21000)).toBeGreaterThan(0);
  });

  // What the evaluations kept say must hold after every edit a patch keeps them through (object-hand-off-record.ts DroppedEvaluations).
  it('equals a fresh index at every step among files added and deleted, #include lines and struct edits', async () => {
    expect(await randomQueueing([...QUEUEING, 'file added', 'file deleted', 'include added', 'include removed', 'struct member appended', 'header struct'], 23000)).toBeGreaterThan(0);
  });

  /** randomHandOffEdits' steps (seeds from `seedBase`); a queueing edit must be patched unless its key was never evaluated (other edits may change what the cache cannot follow). Returns the steps patched. */
  async function randomQueueing(kinds: string[], seedBase: number): Promise<number> {
    const steps = await randomHandOffEdits(kinds, seedBase);
    for (const s of steps) if (QUEUEING.includes(s.kind) && !s.why.includes('did not evaluate')) expect(s.incremental, `${s.done}: ${s.why}`).toBe(true);
    return steps.filter((s) => s.incremental).length;
  }
});
