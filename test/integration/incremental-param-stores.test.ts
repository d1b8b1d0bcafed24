import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { indexedCopy, putFile as put } from '../support/edit-files.js';
import { seededRandom } from '../support/random.js';

/**
 * Edits that start or stop passing a function by name into a parameter stored into a member, the
 * way drivers register handlers: `request_irq(irq, handler, ...)` through an inline wrapper into
 * `action->handler = handler`, a macro wrapper on top, and a thread function stored, then loaded
 * into a pointer variable and called (`kthread_run`). The patched graph must equal a fresh index of
 * the edited tree, edge order and evidence included; what a patch cannot follow resolves in full and says why.
 * The edited driver passes a local as the device cookie (a parameter of its own passed on would
 * make its function a wrapper whose followed depth the call may change: patch-kept-param-uses.ts).
 */

const API_H = [
  'typedef int (*pf_handler_t)(int irq, void *dev);',
  'struct pf_irqaction {\n\tpf_handler_t handler;\n\tpf_handler_t thread_fn;\n\tvoid *dev;\n};',
  'struct pf_irq_desc {\n\tstruct pf_irqaction *action;\n};',
  'struct pf_kthread_create {\n\tint (*threadfn)(void *data);\n\tvoid *data;\n};',
  'struct pf_kthread_self {\n\tint (*threadfn)(void *data);\n};',
  'struct pf_ops {\n\tpf_handler_t h;\n\tunsigned int irq_nr;\n};',
  'struct pf_proc {\n\tvoid *data;\n};',
  'int pf_request_threaded_irq(unsigned int irq, pf_handler_t handler, pf_handler_t thread_fn, void *dev);',
  'static inline int pf_request_irq(unsigned int irq, pf_handler_t handler, void *dev)\n{\n\treturn pf_request_threaded_irq(irq, handler, 0, dev);\n}',
  '#define PF_REQUEST_IRQ(i, h, d) pf_request_irq(i, h, d)',
  'void *pf_kthread_create(int (*threadfn)(void *data), void *data);',
  '#define pf_kthread_run(fn, data) pf_kthread_create(fn, data)',
  '',
].join('\n\n');

/** A function definition in kernel style: `signature`, then its body's statements. */
const def = (signature: string, ...body: string[]): string => `${signature}\n{\n${body.map((b) => `\t${b}\n`).join('')}}\n`;

const MANAGE_C = [
  '#include <linux/pf_irq.h>\n',
  'static struct pf_irqaction pf_actions[8];',
  'static struct pf_kthread_create pf_creates[8];',
  'static struct pf_proc pf_procs[8];',
  'static struct pf_kthread_self pf_selves[8];\n',
  // The irq number goes into a `void *` member, through a parameter no function fits (as register_irq_proc passes it to proc_create_single_data).
  def('void pf_proc_create(void *data)', 'pf_procs[0].data = data;'),
  def('void pf_register_irq_proc(unsigned int irq)', 'pf_proc_create(irq);'),
  def('int pf_request_threaded_irq(unsigned int irq, pf_handler_t handler, pf_handler_t thread_fn, void *dev)', 'struct pf_irqaction *action = &pf_actions[irq];', 'action->handler = handler;', 'action->thread_fn = thread_fn;', 'action->dev = dev;', 'pf_register_irq_proc(irq);', 'return 0;'),
  def('int pf_handle_irq_event(struct pf_irq_desc *desc, int irq)', 'return desc->action->handler(irq, desc->action->dev);'),
  def('int pf_irq_thread(struct pf_irqaction *action)', 'return action->thread_fn(0, action->dev);'),
  def('void *pf_kthread_create(int (*threadfn)(void *data), void *data)', 'struct pf_kthread_create *create = &pf_creates[0];', 'create->threadfn = threadfn;', 'create->data = data;', 'return create;'),
  // As kthread() keeps the thread function in its own struct (self->threadfn): a copy of the member carries the functions on.
  def('int pf_kthread(void *_create)', 'struct pf_kthread_create *create = _create;', 'struct pf_kthread_self *self = &pf_selves[0];', 'int (*threadfn)(void *data);', 'threadfn = create->threadfn;', 'self->threadfn = create->threadfn;', 'return threadfn(create->data);'),
  def('int pf_kthread_again(struct pf_kthread_self *self)', 'return self->threadfn(0);'),
].join('\n');

/** Another driver registering handlers and a thread already, so that every slot has bindings before the edits. */
const OTHER_C = [
  '#include <linux/pf_irq.h>\n',
  def('static int pf_other_intr(int irq, void *dev)', 'return 0;'),
  def('static int pf_other_thread(int irq, void *dev)', 'return 0;'),
  def('static int pf_other_poll(void *data)', 'return 0;'),
  def('int pf_other_probe(void *dev)', 'pf_request_threaded_irq(2, pf_other_intr, pf_other_thread, dev);', 'pf_kthread_run(pf_other_poll, dev);', 'return 0;'),
].join('\n');

/** The edited driver: its handlers, pf_drv_open's body `lines`, and with `setup`, a function pf_drv_setup whose body is `setup`. */
function driver(lines: string[], setup?: string[]): string {
  const own = [
    '#include <linux/pf_irq.h>\n',
    def('static int pf_drv_intr(int irq, void *dev)', 'return 0;'),
    def('static int pf_drv_thread(int irq, void *dev)', 'return 1;'),
    def('static int pf_drv_poll(void *data)', 'return 0;'),
    def('int pf_drv_open(struct pf_ops *ops)', 'void *dev = ops;', 'pf_request_irq(1, pf_drv_intr, dev);', ...lines, 'return 0;'),
  ];
  if (setup) own.push(def('int pf_drv_setup(int unit)', 'void *dev = &unit;', ...setup, 'return 0;'));
  return own.join('\n');
}

const DRV = 'drivers/net/pf_drv.c';

/** A private copy of the miniature kernel with the API, the other driver and the edited one as `lines` make it, indexed once with its cache. */
async function tree(lines: string[]): Promise<{ root: string; cache: string }> {
  const { root, cache } = await indexedCopy('minikernel', 'pathfind-param-stores-', { 'include/linux/pf_irq.h': API_H, 'kernel/irq/pf_manage.c': MANAGE_C, 'drivers/net/pf_other.c': OTHER_C, [DRV]: driver(lines) });
  return { root, cache };
}

/** The edges of the graph from `caller` to `callee` as `kind [evidence]...`. */
const edgesOf = (graph: string[], caller: string, callee: string): string[] =>
  graph.filter((r) => r.startsWith(`edge ${caller}@`) && r.includes(` -> ${callee}@`)).map((r) => r.replace(/^edge \S+ -> \S+ (\S+) at \d+ site \d+ deferred \d bind \d+/, '$1'));

/** Writes `text` as the edited driver and compares; expects the patch taken. */
async function patched(root: string, cache: string, text: string, path = DRV): Promise<string[]> {
  put(root, path, text);
  const { got, incremental, why } = await expectSameAsFresh(root, cache);
  expect(incremental, why).toBe(true);
  return got;
}

describe('a function passed where it is stored into a member, patched', () => {
  it('patches a handler registered through an inline wrapper and a macro, a threaded one, and their removal', async () => {
    const { root, cache } = await tree([]);
    const added = await patched(root, cache, driver(['pf_request_threaded_irq(3, pf_drv_intr, pf_drv_thread, dev);', 'PF_REQUEST_IRQ(4, pf_drv_thread, dev);']));
    // pf_drv_intr: stored by pf_request_irq (through the wrapper) and by the direct call, each with its evidence.
    const intr = edgesOf(added, 'pf_handle_irq_event', 'pf_drv_intr');
    expect(intr).toHaveLength(1);
    expect(intr[0]).toMatch(/pf_drv_intr passed by pf_drv_open to pf_request_irq, stored in struct pf_irqaction\.handler by pf_request_threaded_irq \(kernel\/irq\/pf_manage\.c:\d+\)/);
    expect(intr[0]).toMatch(/pf_drv_intr passed by pf_drv_open to pf_request_threaded_irq, stored in struct pf_irqaction\.handler/);
    expect(edgesOf(added, 'pf_irq_thread', 'pf_drv_thread')).toHaveLength(1);
    expect(edgesOf(added, 'pf_handle_irq_event', 'pf_drv_thread')[0]).toMatch(/pf_drv_thread passed by pf_drv_open to PF_REQUEST_IRQ, through pf_request_irq, stored in struct pf_irqaction\.handler/);
    const removed = await patched(root, cache, driver([]));
    expect(edgesOf(removed, 'pf_irq_thread', 'pf_drv_thread')).toEqual([]);
    expect(edgesOf(removed, 'pf_handle_irq_event', 'pf_drv_thread')).toEqual([]);
  });

  it('patches a thread function stored, then loaded into a pointer variable and called, and copied into another member; its start and the function taken out together, and the start alone', async () => {
    const { root, cache } = await tree([]);
    const added = await patched(root, cache, driver(['pf_kthread_run(pf_drv_poll, dev);']));
    expect(edgesOf(added, 'pf_kthread', 'pf_drv_poll')).toHaveLength(1);
    expect(edgesOf(added, 'pf_kthread_again', 'pf_drv_poll')).toHaveLength(1);
    // The thread function goes with its start (a copy carried it into another member), then comes back, and its start alone goes.
    const removed = await patched(root, cache, driver([]).replace(/static int pf_drv_poll\(void \*data\)\n\{\n\treturn 0;\n\}\n/, ''));
    expect(edgesOf(removed, 'pf_kthread_again', 'pf_drv_poll')).toEqual([]);
    await patched(root, cache, driver(['pf_kthread_run(pf_drv_poll, dev);']));
    expect(edgesOf(await patched(root, cache, driver([])), 'pf_kthread', 'pf_drv_poll')).toEqual([]);
  });

  it('patches a function added that registers a handler, lines moving above the store, and the function removed', async () => {
    const { root, cache } = await tree([]);
    const added = await patched(root, cache, driver([], ['pf_request_irq(5, pf_drv_thread, dev);', 'pf_kthread_run(pf_drv_poll, dev);']));
    expect(edgesOf(added, 'pf_handle_irq_event', 'pf_drv_thread')[0]).toMatch(/passed by pf_drv_setup to pf_request_irq/);
    // The store's line moves (its evidence names it), then a registration is added and the function goes.
    put(root, 'kernel/irq/pf_manage.c', MANAGE_C.replace('#include <linux/pf_irq.h>\n', '#include <linux/pf_irq.h>\n\nstatic int pf_spare;\n'));
    expect((await expectSameAsFresh(root, cache)).incremental).toBe(true);
    await patched(root, cache, driver(['pf_request_irq(6, pf_drv_thread, dev);'], ['pf_request_irq(5, pf_drv_thread, dev);', 'pf_kthread_run(pf_drv_poll, dev);']));
    await patched(root, cache, driver(['pf_request_irq(6, pf_drv_thread, dev);']));
  });

  it('patches a driver file added that registers its own handler, and deleted', async () => {
    const { root, cache } = await tree([]);
    const file = [
      '#include <linux/pf_irq.h>\n',
      def('static int pf_new_intr(int irq, void *dev)', 'return 0;'),
      def('int pf_new_probe(int unit)', 'return pf_request_irq(7, pf_new_intr, 0);'),
    ].join('\n');
    const added = await patched(root, cache, file, 'drivers/net/pf_new.c');
    expect(edgesOf(added, 'pf_handle_irq_event', 'pf_new_intr')).toHaveLength(1);
    rmSync(`${root}/drivers/net/pf_new.c`);
    const { incremental, why } = await expectSameAsFresh(root, cache);
    expect(incremental, why).toBe(true);
  });

  it('follows no parameter no function fits (an irq number), so a call passing a member there is patched', async () => {
    const { root, cache } = await tree([]);
    const got = await patched(root, cache, driver(['pf_request_irq(ops->irq_nr, pf_drv_thread, dev);']));
    // pf_proc_create's parameter is stored; pf_register_irq_proc's `unsigned int irq` passes nothing on, so no caller above it is followed.
    expect(got.filter((r) => r.startsWith('param pf_proc_create@'))).toEqual([expect.stringMatching(/ 0 stored depth 0$/)]);
    expect(got.filter((r) => /^param pf_(register_irq_proc|request_threaded_irq|request_irq)@\S+ 0 /.test(r))).toEqual([]);
    expect(edgesOf(got, 'pf_handle_irq_event', 'pf_drv_thread')).toHaveLength(1);
  });

  it('patches a NAPI poll function renamed with the call registering it (igb_poll in the miniature kernel)', async () => {
    const { dir, root, cache } = await indexedCopy('minikernel', 'pathfind-param-stores-', {});
    const path = 'drivers/net/ethernet/intel/igb/igb_main.c';
    const text = readFileSync(join(root, path), 'utf8');
    put(root, path, text.replace(/\bigb_poll\b/g, 'igb_napi_poll'));
    const { got, incremental, why } = await expectSameAsFresh(root, cache);
    expect(incremental, why).toBe(true);
    expect(got.some((r) => /-> igb_napi_poll@\S+ param-to-field /.test(r))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves in full when a call passing a local that holds a function where it is stored is taken out (the copy into the member goes with it)', async () => {
    const { root, cache } = await tree(['pf_handler_t fp;', 'fp = pf_drv_thread;', 'pf_request_irq(3, fp, dev);', 'fp(0, dev);']);
    put(root, DRV, driver(['pf_handler_t fp;', 'fp = pf_drv_thread;', 'fp(0, dev);']));
    const got = await expectSameAsFresh(root, cache);
    expect(got.incremental).toBe(false);
    expect(got.why).toMatch(/passes fp into a parameter that functions are stored from \(what a local holds is not kept\)/);
  });

  it('resolves in full, saying why, when a member is passed where it is stored', async () => {
    const { root, cache } = await tree([]);
    put(root, DRV, driver(['pf_request_irq(5, ops->h, dev);']));
    const got = await expectSameAsFresh(root, cache);
    expect(got.incremental).toBe(false);
    expect(got.why).toMatch(/passes a member \(argument 2\) into a parameter that functions are stored from \(what a member holds is not kept\)/);
  });

  it('equals a fresh index after random sequences of such calls added and removed, at every step', async () => {
    // PATHFIND_EDIT_ROUNDS runs more seeds (a longer hunt); two by default.
    const rounds = Number(process.env.PATHFIND_EDIT_ROUNDS ?? 2);
    const calls = ['pf_request_irq(3, pf_drv_thread, dev);', 'pf_request_threaded_irq(3, pf_drv_intr, pf_drv_thread, dev);', 'PF_REQUEST_IRQ(4, pf_drv_intr, dev);', 'pf_kthread_run(pf_drv_poll, dev);', 'pf_drv_intr(0, dev);', 'pf_request_irq(9, pf_drv_intr, dev);'];
    let patchedSteps = 0;
    for (let seed = 2600; seed < 2600 + rounds; seed++) {
      const random = seededRandom(seed);
      let lines: string[] = [];
      const { root, cache } = await tree(lines);
      for (let step = 0; step < 6; step++) {
        const call = calls[Math.floor(random() * calls.length)]!;
        lines = lines.includes(call) ? lines.filter((l) => l !== call) : [...lines, call];
        put(root, DRV, driver(lines));
        if ((await expectSameAsFresh(root, cache)).incremental) patchedSteps++;
      }
    }
    // Every step is a call by name added or removed: each is patched.
    expect(patchedSteps).toBe(6 * rounds);
  });
});
