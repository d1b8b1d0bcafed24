import { describe, expect, it } from 'vitest';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { indexedCopy, putFile as put } from '../support/edit-files.js';
import { seededRandom } from '../support/random.js';

/**
 * Body edits that start or stop passing a function into a parameter that functions are called
 * through (a callback: `sort(base, n, size, cmp_fn, NULL)`, `pf_call_cb(pf_tick)`): the edge
 * from the passing function to the function passed (callback-arg), with the way it is called as
 * its evidence. The patched graph must equal a fresh index of the edited tree, edge order and
 * evidence included; passes a patch cannot follow resolve in full and say why.
 */

/**
 * A callback API: pf_call_cb calls what it is passed, pf_call2_cb calls it twice (two ways, two
 * evidence), pf_pass_cb passes it on to pf_call_cb, the macro PF_CALL passes it on too,
 * pf_store_cb stores it in a member; pf_tick and pf_tock are functions to pass.
 */
const API_H = [
  'struct pf_dev {\n\tvoid (*handler)(int);\n};',
  'void pf_call_cb(void (*cb)(int));',
  'void pf_call2_cb(void (*cb)(int));',
  'void pf_pass_cb(void (*f)(int));',
  'void pf_store_cb(struct pf_dev *d, void (*h)(int));',
  'void pf_tick(int x);',
  'void pf_tock(int x);',
  '#define PF_CALL(f) pf_pass_cb(f)',
  '',
].join('\n');
/** A function definition in kernel style: `signature`, then its body's statements. */
const def = (signature: string, ...body: string[]): string => `${signature}\n{\n${body.map((b) => `\t${b}\n`).join('')}}\n`;
const API_C = [
  '#include <linux/pf_cb.h>\n',
  def('void pf_call_cb(void (*cb)(int))', 'cb(1);'),
  def('void pf_call2_cb(void (*cb)(int))', 'cb(1);', 'if (cb)', '\tcb(2);'),
  def('void pf_pass_cb(void (*f)(int))', 'pf_call_cb(f);'),
  def('void pf_store_cb(struct pf_dev *d, void (*h)(int))', 'd->handler = h;'),
  def('void pf_tick(int x)'),
  def('void pf_tock(int x)'),
].join('\n');

/** The edited file: pf_user's body is `lines`; with `handler`, the file also defines pf_handler (a function to pass) above it. */
function userFile(lines: string[], handler = false): string {
  const own = handler ? 'static void pf_handler(int x)\n{\n\tpf_tick(x);\n}\n\n' : '';
  return `#include <linux/pf_cb.h>\n\n${own}void pf_user(struct pf_dev *d, void (*fn)(int))\n{\n\tpf_tick(0);\n${lines.map((l) => `\t${l}\n`).join('')}}\n`;
}

/** The edited file with a function pf_register after pf_user, whose body is `lines`. */
function withRegister(lines: string[], register: string[]): string {
  return `${userFile(lines)}\nvoid pf_register(void)\n{\n${register.map((l) => `\t${l}\n`).join('')}}\n`;
}

/** A private copy of the miniature kernel with the API and pf_user's file as `lines` make it, indexed once with its cache. */
async function tree(lines: string[], handler = false): Promise<{ root: string; cache: string }> {
  const { root, cache } = await indexedCopy('minikernel', 'pathfind-callbacks-', { 'include/linux/pf_cb.h': API_H, 'kernel/pf_cb.c': API_C, 'drivers/char/pf_user.c': userFile(lines, handler) });
  return { root, cache };
}

/** The patched graph against a fresh index of the same tree (same-as-fresh.ts). */
const compare = expectSameAsFresh;

/** The callback-arg edges of the graph from `caller`, as `callee evidence...`. */
const callbacks = (graph: string[], caller: string): string[] =>
  graph.filter((r) => r.startsWith(`edge ${caller}@`) && r.includes(' callback-arg ')).map((r) => r.replace(/^edge \S+ -> (\w+)@\S+ callback-arg at \d+ site \d+ deferred \d bind \d+/, '$1'));

/** Edits pf_user's body to `lines` and compares; expects the patch taken. */
async function patched(root: string, cache: string, lines: string[], handler = false): Promise<string[]> {
  put(root, 'drivers/char/pf_user.c', userFile(lines, handler));
  const { got, incremental, why } = await compare(root, cache);
  expect(incremental, why).toBe(true);
  return got;
}

describe('a function passed into a parameter it is called through, patched', () => {
  it('patches a call added passing a function to one that calls it, and its removal', async () => {
    const { root, cache } = await tree([]);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(pf_tick);']));
    const { got: added, incremental, trace } = await compare(root, cache);
    expect(incremental).toBe(true);
    expect(trace.find((m) => m.startsWith('patch'))).toMatch(/callback edges of 1 caller made again/);
    expect(callbacks(added, 'pf_user')).toEqual(['pf_tick [drivers/char/pf_user.c:6 pf_tick passed to pf_call_cb, which calls it (kernel/pf_cb.c:5)]']);
    expect(callbacks(await patched(root, cache, []), 'pf_user')).toEqual([]);
  });

  it('patches calls passing through a wrapper function and a macro (the chain in the evidence), and one called two ways (two evidence)', async () => {
    const { root, cache } = await tree([]);
    const added = await patched(root, cache, ['pf_pass_cb(pf_tick);', 'PF_CALL(pf_tock);', 'pf_call2_cb(pf_tock);']);
    const got = callbacks(added, 'pf_user');
    expect(got).toHaveLength(3);
    expect(got.find((r) => r.includes('PF_CALL'))).toMatch(/^pf_tock .*pf_tock passed to PF_CALL, which passes it on through pf_pass_cb to pf_call_cb, which calls it/);
    expect(got.find((r) => r.includes('pf_call2_cb'))!.match(/\[/g)).toHaveLength(2);
    await patched(root, cache, ['PF_CALL(pf_tock);']);
    await patched(root, cache, ['pf_call2_cb(pf_tock);', 'PF_CALL(pf_tock);', 'pf_call_cb(pf_tick);']);
  });

  it('patches a function added with the call that passes it (a new handler registered), and both removed', async () => {
    const { root, cache } = await tree([]);
    const added = await patched(root, cache, ['pf_call_cb(pf_handler);'], true);
    expect(callbacks(added, 'pf_user')).toEqual([expect.stringMatching(/^pf_handler /)]);
    await patched(root, cache, [], false);
  });

  it('patches a function defined that a kept call passed before it was (then bound to nothing); the function removed again resolves in full', async () => {
    const { root, cache } = await tree(['pf_call_cb(pf_handler);']);
    const defined = await patched(root, cache, ['pf_call_cb(pf_handler);'], true);
    expect(callbacks(defined, 'pf_user')).toEqual([expect.stringMatching(/^pf_handler /)]);
    // The kept call now passes a name that binds nothing, as a call added passing a local would.
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(pf_handler);'], false));
    const removed = await compare(root, cache);
    expect(removed.incremental).toBe(false);
    expect(removed.why).toContain('passes pf_handler, which names no function, where pf_call_cb calls it');
    expect(callbacks(removed.got, 'pf_user')).toEqual([]);
  });

  it('patches a function added that passes callbacks, its removal, and later edits of the file (the evidence of its calls is no edge\'s any more)', async () => {
    const { root, cache } = await tree(['pf_call_cb(pf_tick);']);
    const put2 = async (text: string): Promise<string[]> => {
      put(root, 'drivers/char/pf_user.c', text);
      const { got, incremental, why } = await compare(root, cache);
      expect(incremental, why).toBe(true);
      return got;
    };
    const added = await put2(withRegister(['pf_call_cb(pf_tick);'], ['pf_pass_cb(pf_tock);', 'pf_call2_cb(pf_tick);']));
    expect(callbacks(added, 'pf_register')).toHaveLength(2);
    expect(callbacks(await put2(userFile(['pf_call_cb(pf_tick);'])), 'pf_register')).toEqual([]);
    // Lines move above the evidence left by the removed function's calls, then a call passing a callback goes.
    await put2(userFile(['pf_tock(1);', 'pf_tock(2);', 'pf_call_cb(pf_tick);']));
    await put2(userFile(['pf_tock(1);', 'pf_tock(2);']));
    await put2(userFile(['pf_call_cb(pf_tick);']));
  });

  it('patches a call added beside callbacks the function already passes, in the order a resolution makes them', async () => {
    const { root, cache } = await tree(['pf_call2_cb(pf_tock);', 'pf_store_cb(d, 0);']);
    await patched(root, cache, ['pf_call2_cb(pf_tock);', 'pf_store_cb(d, 0);', 'pf_call_cb(pf_tick);', 'pf_pass_cb(pf_tock);']);
    await patched(root, cache, ['pf_call_cb(pf_tick);', 'pf_store_cb(d, 0);', 'pf_pass_cb(pf_tock);']);
  });

  it('resolves in full, saying why, when a member is passed where it is stored or called', async () => {
    const { root, cache } = await tree([]);
    for (const [line, why] of [
      ['pf_store_cb(d, d->handler);', /passes a member \(argument 2\) into a parameter that functions are stored from \(what a member holds is not kept\)/],
      ['pf_call_cb(d->handler);', /passes a member \(argument 1\) into a parameter that functions are called through \(what a member holds is not kept\)/],
    ] as const) {
      put(root, 'drivers/char/pf_user.c', userFile([line]));
      const got = await compare(root, cache);
      expect(got.incremental).toBe(false);
      expect(got.why).toMatch(why);
    }
  });

  it('equals a fresh index after random sequences of such calls added and removed, at every step', async () => {
    // PATHFIND_EDIT_ROUNDS runs more seeds (a longer hunt); two by default.
    const rounds = Number(process.env.PATHFIND_EDIT_ROUNDS ?? 2);
    const calls = ['pf_call_cb(pf_tick);', 'pf_pass_cb(pf_tick);', 'PF_CALL(pf_tock);', 'pf_call2_cb(pf_tock);', 'pf_call_cb(pf_handler);', 'pf_tock(2);', 'pf_call_cb(fn);'];
    let patchedSteps = 0;
    for (let seed = 1400; seed < 1400 + rounds; seed++) {
      const random = seededRandom(seed);
      let lines: string[] = [];
      const { root, cache } = await tree(lines, true);
      for (let step = 0; step < 6; step++) {
        const call = calls[Math.floor(random() * calls.length)]!;
        lines = lines.includes(call) ? lines.filter((l) => l !== call) : [...lines, call];
        put(root, 'drivers/char/pf_user.c', userFile(lines, true));
        if ((await compare(root, cache)).incremental) patchedSteps++;
      }
    }
    // Every step is a call by name added or removed: each is patched.
    expect(patchedSteps).toBe(6 * rounds);
  });
});
