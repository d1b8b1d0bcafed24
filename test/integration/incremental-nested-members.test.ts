import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { compareWithFresh, type EditStep, editFile, expectEachPatched } from '../support/edit-files.js';

/**
 * Assignments into a member of a member (fixtures/incr/nested: `p->poll.function = cb`, the
 * hrtimer idiom, `p->stats.work.func`, `p->nic.ops.open`) whose root no binding of the tree had
 * before. The patch evaluates such a root from the steps the resolution noted
 * (resolve/member-steps.ts); each edit must give the graph a fresh index gives, and take the
 * patched path. A struct edit changing a member those steps read resolves in full. Random edit
 * sequences on this fixture run in incremental-equality.test.ts.
 */

async function indexed(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('incr/nested', 'pathfind-incr-nested-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

const PROBE = '\tp->count = 0;\n';
const added = (line: string): EditStep => ['drv_b.c', PROBE, `${PROBE}${line}\n`];
const removed = (line: string): EditStep => ['drv_b.c', `${line}\n`, ''];

const PATCHED: [string, EditStep[]][] = [
  // hrtimer_run loads the member into a local and calls it, as __run_hrtimer does.
  ['a timer callback assigned through a member of the driver\'s own struct, retargeted, then removed', [added('\tp->poll.function = drv_b_poll;'), ['drv_b.c', 'p->poll.function = drv_b_poll;', 'p->poll.function = drv_b_watchdog;'], removed('\tp->poll.function = drv_b_watchdog;')]],
  ['an assignment two members deep (a struct wrapped in the driver\'s), then removed', [added('\tp->nic.watchdog.function = drv_b_watchdog;'), removed('\tp->nic.watchdog.function = drv_b_watchdog;')]],
  ['a work function (a member typed by a function pointer typedef, as work_func_t) assigned through a member of a struct that holds no such member itself', [added('\tp->stats.work.func = drv_b_stats;'), removed('\tp->stats.work.func = drv_b_stats;')]],
  ['an ops member of an embedded struct called through a nested receiver (n->ops.open)', [added('\tp->nic.ops.open = drv_b_open;'), ['drv_b.c', 'p->nic.ops.open = drv_b_open;', 'p->nic.ops.stop = drv_b_open;']]],
  // The root is the local's type, struct hrtimer, which no binding of the tree had as its root: the steps name it as a member's struct.
  ['an assignment through a local pointer to a member (struct hrtimer *t = &p->poll; t->function = cb)', [added('\t{\n\t\tstruct hrtimer *t = &p->poll;\n\n\t\tt->function = drv_b_poll;\n\t}')]],
  ['several nested assignments in one edit', [['drv_b.c', PROBE, `${PROBE}\tp->poll.function = drv_b_poll;\n\tp->stats.timer.function = drv_b_watchdog;\n\tp->stats.work.func = drv_b_stats;\n`]]],
];

describe('assignments into members of members patch the graph exactly', () => {
  for (const [what, steps] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexed();
      await expectEachPatched(root, cache, steps);
    });
  }

  it('patches a call through a member added with a nested receiver no call site took (p->nic.ops.open)', async () => {
    const { root, cache } = await indexed();
    const START = '\tnic_up(&p->nic);\n';
    await expectEachPatched(root, cache, [['drv_b.c', START, `${START}\tp->nic.ops.open(&p->nic);\n`], ['drv_b.c', `${START}\tp->nic.ops.open(&p->nic);\n`, START]]);
  });

  it('patches a second file\'s assignment to a member loaded into a local after a first file\'s was patched', async () => {
    // hrtimer_run loads `function` into a local: the first patch's binding must be shown by an edge for the second patch's replay.
    const { root, cache } = await indexed();
    const steps: EditStep[] = [added('\tp->poll.function = drv_b_poll;'), ['drv_a.c', 'n->watchdog.function = drv_a_watchdog;', 'n->watchdog.function = drv_a_stop;'], ['drv_a.c', 'n->watchdog.function = drv_a_stop;', 'n->watchdog.function = drv_a_watchdog;'], removed('\tp->poll.function = drv_b_poll;')];
    await expectEachPatched(root, cache, steps);
  });

  it('patches an edit moving lines after an assignment was added and taken out by patches', async () => {
    // The evidence the first patch appended names a line the second took out: a later edit of the file must still move its lines.
    const { root, cache } = await indexed();
    const steps: EditStep[] = [added('\tp->poll.function = drv_b_poll;'), removed('\tp->poll.function = drv_b_poll;'), ['drv_b.c', PROBE, `\t/* counted from zero */\n${PROBE}`]];
    await expectEachPatched(root, cache, steps);
  });

  it('resolves in full, naming the step it lacks, for a member of a struct the edit adds', async () => {
    const { root, cache } = await indexed();
    // The struct is new: the full resolution noted no step from it (a struct edit nothing read is patched, its steps are not).
    editFile(root, 'drv_b.c', 'void drv_b_probe(', 'struct drv_c {\n\tstruct hrtimer t;\n};\n\nvoid drv_c_arm(struct drv_c *c)\n{\n\tc->t.function = drv_b_poll;\n}\n\nvoid drv_b_probe(');
    const { incremental, why, got, want } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental).toBe(false);
    expect(why).toMatch(/c->t\.function = drv_b_poll: a binding into a member no binding of the file or of the same root reached, and the graph keeps no step to a receiver of type struct drv_c/);
  });

  it('binds the new callback where the member is called (the edit is seen, not only patched)', async () => {
    const { root, cache } = await indexed();
    editFile(root, ...added('\tp->poll.function = drv_b_poll;'));
    const { got } = await compareWithFresh(root, cache);
    expect(got.filter((row) => row.includes('hrtimer_run') && row.includes('drv_b_poll')).length).toBeGreaterThan(0);
  });

  it('resolves in full when a struct edit retypes a member only the noted steps read, and binds by the new type after', async () => {
    const { root, cache } = await indexed();
    // `link` goes from struct nic_ops to struct phy_ops, which has an `open` too: a step kept from before would bind nic_up's call.
    editFile(root, 'drv_b.c', '\tstruct nic_ops link;\n', '\tstruct phy_ops link;\n');
    const retyped = await compareWithFresh(root, cache);
    expect(retyped.got).toEqual(retyped.want);
    expect(retyped.incremental).toBe(false);
    expect(retyped.why).toMatch(/struct drv_b_priv\.link changed, and the resolution read it/);
    editFile(root, ...added('\tp->link.open = drv_b_open;'));
    const { incremental, why, got, want } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(true);
    expect(got.filter((row) => row.includes('phy_up') && row.includes('drv_b_open')).length).toBeGreaterThan(0);
  });
});
