import { describe, expect, it } from 'vitest';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithFresh, editFile, type EditStep, expectEachPatched, expectResolvedInFull, indexedCopy, putFile } from '../support/edit-files.js';
import { seededRandom } from '../support/random.js';

/**
 * A member loaded into a local, or passed as it is, where a function calls its parameter (a
 * callback argument): Linux's expire_timers loads `timer->function` into `fn` and passes it to
 * call_timer_fn, which calls it, so a callback-arg edge goes from expire_timers to every timer
 * handler. An edit changing what the member holds (an initializer, a registration through a
 * parameter store) changes those edges; the patched graph must equal a fresh index.
 */

const API_H = [
  'struct pf_timer {\n\tvoid (*function)(struct pf_timer *t);\n\tvoid (*other)(struct pf_timer *t);\n\tint flags;\n};',
  'struct pf_ops {\n\tvoid (*fire)(struct pf_timer *t);\n};',
  'void pf_timer_setup(struct pf_timer *t, void (*fn)(struct pf_timer *t));',
  'void pf_expire(struct pf_timer *t);',
  'void pf_fire_ops(const struct pf_ops *o, struct pf_timer *t);',
  '',
].join('\n');

/** The core: a setup storing its parameter, an expiry loading the member into a local and passing it to a function calling it, and one passing an ops member as it is. */
const CORE_C = `#include <linux/pf_timer.h>

static void pf_call_fn(struct pf_timer *t, void (*fn)(struct pf_timer *t))
{
\tfn(t);
}

void pf_timer_setup(struct pf_timer *t, void (*fn)(struct pf_timer *t))
{
\tt->function = fn;
}

void pf_expire(struct pf_timer *t)
{
\tvoid (*fn)(struct pf_timer *t);

\tfn = t->function;
\tpf_call_fn(t, fn);
}

void pf_fire_ops(const struct pf_ops *o, struct pf_timer *t)
{
\tpf_call_fn(t, o->fire);
}
`;

/** A driver registering two timer handlers and an ops table. */
const DRV_C = `#include <linux/pf_timer.h>

static struct pf_timer drv_timer, drv_timer2;

static void drv_tick(struct pf_timer *t)
{
}

static void drv_tock(struct pf_timer *t)
{
}

static void drv_fire(struct pf_timer *t)
{
}

static const struct pf_ops drv_ops = {
\t.fire = drv_fire,
};

void drv_probe(void)
{
\tpf_timer_setup(&drv_timer, drv_tick);
\tpf_timer_setup(&drv_timer2, drv_tock);
\tpf_fire_ops(&drv_ops, &drv_timer);
}
`;

async function tree(): Promise<{ root: string; cache: string }> {
  const { root, cache } = await indexedCopy('minikernel', 'pathfind-callback-reads-', { 'include/linux/pf_timer.h': API_H, 'kernel/pf_timer.c': CORE_C, 'drivers/char/pf_drv.c': DRV_C });
  return { root, cache };
}

/** The callback-arg edges from `caller`, as their callees. */
const callbackTargets = (graph: string[], caller: string): string[] =>
  graph.filter((r) => r.startsWith(`edge ${caller}@`) && r.includes(' callback-arg ')).map((r) => r.replace(/^edge \S+ -> (\w+)@.*$/, '$1'));

describe('a member passed where a function calls its parameter', () => {
  it('follows an initializer of a member passed as it is to a new function', async () => {
    const { root, cache } = await tree();
    editFile(root, 'drivers/char/pf_drv.c', '.fire = drv_fire,', '.fire = drv_tock,');
    const { got, incremental, why } = await expectSameAsFresh(root, cache);
    expect(callbackTargets(got, 'pf_fire_ops')).toEqual(['drv_tock']);
    expect(incremental, why).toBe(true);
  });

  it('follows a handler registered through a parameter store, loaded into a local', async () => {
    const { root, cache } = await tree();
    editFile(root, 'drivers/char/pf_drv.c', 'pf_timer_setup(&drv_timer2, drv_tock);', 'pf_timer_setup(&drv_timer2, drv_fire);');
    const { got, incremental, why } = await expectSameAsFresh(root, cache);
    expect(callbackTargets(got, 'pf_expire').sort()).toEqual(['drv_fire', 'drv_tick']);
    expect(incremental, why).toBe(true);
  });

  it('follows handlers renamed, registrations taken out and added, in turn', async () => {
    const { root, cache } = await tree();
    const drv = 'drivers/char/pf_drv.c';
    const steps: EditStep[] = [
      [drv, 'static void drv_tick(struct pf_timer *t)', 'static void drv_tick_new(struct pf_timer *t)'],
      [drv, 'pf_timer_setup(&drv_timer, drv_tick);', 'pf_timer_setup(&drv_timer, drv_tick_new);'],
      [drv, '\tpf_timer_setup(&drv_timer2, drv_tock);\n', ''],
      [drv, '\tpf_fire_ops(&drv_ops, &drv_timer);\n', '\tpf_fire_ops(&drv_ops, &drv_timer);\n\tpf_timer_setup(&drv_timer2, drv_fire);\n\tpf_timer_setup(&drv_timer, drv_tock);\n'],
      [drv, 'static void drv_fire(struct pf_timer *t)\n{\n}\n', 'static void drv_fire(struct pf_timer *t)\n{\n}\n\nstatic void drv_late(struct pf_timer *t)\n{\n}\n'],
      [drv, 'pf_timer_setup(&drv_timer2, drv_fire);', 'pf_timer_setup(&drv_timer2, drv_late);'],
    ];
    await expectEachPatched(root, cache, steps);
  });

  it('says why when the member is left holding no function', async () => {
    const { root, cache } = await tree();
    editFile(root, 'drivers/char/pf_drv.c', '\tpf_timer_setup(&drv_timer, drv_tick);\n\tpf_timer_setup(&drv_timer2, drv_tock);\n', '');
    await expectResolvedInFull(root, cache, /struct pf_timer\.function went from bindings to none, and pf_expire passes it where it is called/);
  });

  it('stops following a site once the file of the function passing the member is edited', async () => {
    const { root, cache } = await tree();
    editFile(root, 'kernel/pf_timer.c', '\tfn = t->function;\n', '\tfn = t->function;\n\tt->flags = 0;\n');
    await expectEachPatched(root, cache, []);
    const { incremental } = await expectSameAsFresh(root, cache);
    expect(incremental).toBe(true);
    editFile(root, 'drivers/char/pf_drv.c', 'pf_timer_setup(&drv_timer2, drv_tock);', 'pf_timer_setup(&drv_timer2, drv_fire);');
    await expectResolvedInFull(root, cache, /struct pf_timer\.function is passed where it is called \(a callback argument\)/);
  });

  it('does not follow a local that may hold either of two members', async () => {
    const { root, cache } = await indexedCopy('minikernel', 'pathfind-callback-reads-', {
      'include/linux/pf_timer.h': API_H,
      'kernel/pf_timer.c': CORE_C.replace('\tfn = t->function;\n', '\tfn = t->function;\n\tif (t->flags)\n\t\tfn = t->other;\n'),
      'drivers/char/pf_drv.c': DRV_C,
    });
    void root;
    editFile(root, 'drivers/char/pf_drv.c', 'pf_timer_setup(&drv_timer2, drv_tock);', 'pf_timer_setup(&drv_timer2, drv_fire);');
    await expectResolvedInFull(root, cache, /struct pf_timer\.function is passed where it is called \(a callback argument\)/);
  });

  it('matches a fresh index along random sequences of such edits, most of them patched', async () => {
    const drv = 'drivers/char/pf_drv.c';
    const core = 'kernel/pf_timer.c';
    /** Each edit as a pair of texts: either way round when its side is in the file. */
    const pairs: [path: string, a: string, b: string][] = [
      [drv, 'drv_tick(struct', 'drv_tick2(struct'],
      [drv, '&drv_timer, drv_tick)', '&drv_timer, drv_tick2)'],
      [drv, '&drv_timer2, drv_tock)', '&drv_timer2, drv_fire)'],
      [drv, '\tpf_timer_setup(&drv_timer, ', '\tif (0)\n\t\tpf_timer_setup(&drv_timer, '],
      [drv, '.fire = drv_fire,', '.fire = drv_tock,'],
      [drv, 'static void drv_fire(struct pf_timer *t)\n{\n}\n', 'static void drv_fire(struct pf_timer *t)\n{\n}\n\nstatic void drv_third(struct pf_timer *t)\n{\n}\n'],
      [drv, '\tpf_fire_ops(&drv_ops, &drv_timer);\n', '\tpf_fire_ops(&drv_ops, &drv_timer);\n\tpf_timer_setup(&drv_timer3, drv_third);\n'],
      [core, '\tfn = t->function;\n', '\tt->flags = 0;\n\tfn = t->function;\n'],
    ];
    const drvText = DRV_C.replace('static struct pf_timer drv_timer, drv_timer2;', 'static struct pf_timer drv_timer, drv_timer2, drv_timer3;');
    let patched = 0;
    let steps = 0;
    for (const seed of [7, 19]) {
      const random = seededRandom(seed);
      const { root, cache } = await indexedCopy('minikernel', 'pathfind-callback-reads-', { 'include/linux/pf_timer.h': API_H, [core]: CORE_C, [drv]: drvText });
      for (let step = 0; step < 10; step++) {
        const [path, a, b] = pairs[Math.floor(random() * pairs.length)]!;
        const text = readFileSync(join(root, path), 'utf8');
        const [from, to] = text.includes(a) ? [a, b] : [b, a];
        // A registration naming drv_third while it is not defined (or the reverse) is an edit too: the graph must still be right.
        putFile(root, path, text.replace(from, to));
        const { incremental, why, got, want } = await compareWithFresh(root, cache);
        expect(got, `seed ${seed} step ${step}: ${path} ${JSON.stringify(from)} -> ${JSON.stringify(to)} (${why})`).toEqual(want);
        steps++;
        if (incremental) patched++;
      }
    }
    expect(patched, `${patched} of ${steps} patched`).toBeGreaterThanOrEqual(steps / 2);
  });
});
