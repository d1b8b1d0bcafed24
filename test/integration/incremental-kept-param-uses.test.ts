import { describe, expect, it } from 'vitest';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { indexedCopy, putFile as put } from '../support/edit-files.js';
import { seededRandom } from '../support/random.js';

/**
 * Body edits of kept functions that start or stop passing their own parameter on into a parameter
 * functions are followed into (EdgeList.paramUses): the patched graph, with its followed parameters,
 * must equal a fresh index of the edited tree; the cases a patch covers take the patched path, the
 * others say why not.
 */

/** A callback API: pf_call_cb calls what it is passed, pf_store_cb stores it, pf_pass_cb passes it on; pf_tick is a function to pass. */
const API_H = 'struct pf_dev {\n\tvoid (*handler)(int);\n};\nvoid pf_call_cb(void (*cb)(int));\nvoid pf_store_cb(struct pf_dev *d, void (*h)(int));\nvoid pf_pass_cb(void (*f)(int));\nvoid pf_tick(int x);\nvoid pf_user(struct pf_dev *d, void (*fn)(int));\nvoid pf_top(void (*t)(int));\n';
/** A function definition in kernel style: `signature`, then its body's statements. */
const def = (signature: string, ...body: string[]): string => `${signature}\n{\n${body.map((b) => `\t${b}\n`).join('')}}\n`;
const API_C = ['#include <linux/pf_cb.h>\n', def('void pf_call_cb(void (*cb)(int))', 'cb(1);'), def('void pf_store_cb(struct pf_dev *d, void (*h)(int))', 'd->handler = h;'), def('void pf_pass_cb(void (*f)(int))', 'pf_call_cb(f);'), def('void pf_tick(int x)')].join('\n');

/** The edited file: pf_user's body gains or loses calls passing its parameters on; pf_top passes its own on to pf_user; pf_far passes pf_tick (a function) to pf_top when `withFar`. */
function userFile(lines: string[], withFar = false): string {
  const far = withFar ? '\nvoid pf_far(void)\n{\n\tpf_top(pf_tick);\n}\n' : '';
  return `#include <linux/pf_cb.h>\n\nvoid pf_user(struct pf_dev *d, void (*fn)(int))\n{\n\tpf_tick(0);\n${lines.map((l) => `\t${l}\n`).join('')}}\n\nvoid pf_top(void (*t)(int))\n{\n\tpf_user(0, t);\n}\n${far}`;
}

/** A private copy of the miniature kernel with the API and pf_user's file as `lines` make it, indexed once with its cache. */
async function tree(lines: string[], withFar = false): Promise<{ root: string; cache: string }> {
  const { root, cache } = await indexedCopy('minikernel', 'pathfind-kept-uses-', { 'include/linux/pf_cb.h': API_H, 'kernel/pf_cb.c': API_C, 'drivers/char/pf_user.c': userFile(lines, withFar) });
  return { root, cache };
}

/** The patched graph against a fresh index of the same tree (same-as-fresh.ts). */
const compare = expectSameAsFresh;

const params = (graph: string[], name: string): string[] => graph.filter((r) => r.startsWith(`param ${name}@`)).map((r) => r.replace(/@\S+/, ''));

describe('a kept function starting or stopping to pass its parameter on, patched', () => {
  it('patches a call added passing a struct pointer parameter into a function that follows nothing, and its removal', async () => {
    const { root, cache } = await tree([]);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_store_cb(d, 0);']));
    expect((await compare(root, cache)).incremental).toBe(true);
    put(root, 'drivers/char/pf_user.c', userFile([]));
    expect((await compare(root, cache)).incremental).toBe(true);
  });

  it('patches a call added passing a function-pointer parameter on (the caller passing its own parameter on is followed one deeper), and its removal', async () => {
    const { root, cache } = await tree([]);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_pass_cb(fn);']));
    const added = await compare(root, cache);
    expect(added.incremental, added.why).toBe(true);
    expect(params(added.got, 'pf_user')).toEqual(['param pf_user 1 called depth 2']);
    expect(params(added.got, 'pf_top')).toEqual(['param pf_top 0 called depth 3']);
    put(root, 'drivers/char/pf_user.c', userFile([]));
    const removed = await compare(root, cache);
    expect(removed.incremental, removed.why).toBe(true);
    expect(params(removed.got, 'pf_user')).toEqual([]);
    expect(params(removed.got, 'pf_top')).toEqual([]);
  });

  it('patches a stored parameter: a call of the storer added and removed', async () => {
    const { root, cache } = await tree([]);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_store_cb(d, fn);']));
    const added = await compare(root, cache);
    expect(added.incremental, added.why).toBe(true);
    expect(params(added.got, 'pf_user')).toEqual(['param pf_user 1 stored depth 1']);
    put(root, 'drivers/char/pf_user.c', userFile([]));
    expect((await compare(root, cache)).incremental).toBe(true);
  });

  it('patches a call added that makes a parameter followed (called) into which a caller passes a function: the caller\'s callback-arg edge made, and its removal', async () => {
    const { root, cache } = await tree([], true);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(fn);'], true));
    const added = await compare(root, cache);
    expect(added.incremental, added.why).toBe(true);
    expect(added.got.some((r) => r.startsWith('edge pf_far@') && r.includes('-> pf_tick@') && r.includes('callback-arg'))).toBe(true);
    put(root, 'drivers/char/pf_user.c', userFile([], true));
    const removed = await compare(root, cache);
    expect(removed.incremental, removed.why).toBe(true);
    expect(removed.got.some((r) => r.startsWith('edge pf_far@') && r.includes('callback-arg'))).toBe(false);
  });

  it('resolves in full, saying why, when a caller passes a function into a parameter that becomes followed where it is stored (a member binding to make)', async () => {
    const { root, cache } = await tree([], true);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_store_cb(d, fn);'], true));
    const added = await compare(root, cache);
    expect(added.incremental).toBe(false);
    expect(added.why).toMatch(/pf_top's parameter 1 becomes followed \(stored\), and pf_far passes pf_tick into it/);
  });

  it('patches a call added passing a parameter already followed no deeper into another followed one, and its removal (no depth changes; nothing but own parameters passed above)', async () => {
    const { root, cache } = await tree(['pf_call_cb(fn);', 'pf_tick(1);']);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(fn);', 'pf_pass_cb(fn);']));
    const added = await compare(root, cache);
    expect(added.incremental, added.why).toBe(true);
    expect(params(added.got, 'pf_user')).toEqual(['param pf_user 1 called depth 1']);
    expect(params(added.got, 'pf_top')).toEqual(['param pf_top 0 called depth 2']);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(fn);', 'pf_tick(1);']));
    const removed = await compare(root, cache);
    expect(removed.incremental, removed.why).toBe(true);
  });

  it('resolves in full, saying why, when the shallower of two calls passing a parameter on is removed (its depth grows)', async () => {
    const { root, cache } = await tree(['pf_call_cb(fn);', 'pf_pass_cb(fn);']);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_pass_cb(fn);']));
    const deeper = await compare(root, cache);
    expect(deeper.incremental).toBe(false);
    expect(deeper.why).toMatch(/another call still passes it on deeper/);
    expect(params(deeper.got, 'pf_user')).toEqual(['param pf_user 1 called depth 2']);
  });

  it('resolves in full, saying why, when a parameter already followed is passed on into a pair that makes it shallower', async () => {
    const { root, cache } = await tree(['pf_pass_cb(fn);']);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_pass_cb(fn);', 'pf_call_cb(fn);']));
    const { incremental, why, got } = await compare(root, cache);
    expect(incremental).toBe(false);
    expect(why).toMatch(/already followed \(called\) deeper/);
    expect(params(got, 'pf_user')).toEqual(['param pf_user 1 called depth 1']);
  });

  it('patches a parameter already followed passed on where a caller above passes a function into it (the caller\'s callback-arg edges made again, as a fresh index has them)', async () => {
    const { root, cache } = await tree(['pf_call_cb(fn);'], true);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_call_cb(fn);', 'pf_pass_cb(fn);'], true));
    const { incremental, why, got } = await compare(root, cache);
    expect(incremental, why).toBe(true);
    expect(got.some((r) => r.startsWith('edge pf_far@') && r.includes('-> pf_tick@') && r.includes('callback-arg'))).toBe(true);
  });

  it('patches a call of its own parameter added and taken out: the parameter followed (called) from then on, and the callback-arg edges of the callers above', async () => {
    const { root, cache } = await tree([], true);
    put(root, 'drivers/char/pf_user.c', userFile(['fn(3);'], true));
    const added = await compare(root, cache);
    expect(added.incremental, added.why).toBe(true);
    expect(params(added.got, 'pf_user')).toEqual(['param pf_user 1 called depth 0']);
    expect(added.got.some((r) => r.startsWith('edge pf_far@') && r.includes('-> pf_tick@') && r.includes('callback-arg'))).toBe(true);
    // A second way of calling it: the callers' edges gain its evidence; then both go, one at a time.
    put(root, 'drivers/char/pf_user.c', userFile(['fn(3);', 'pf_tick(4);', 'fn(5);'], true));
    expect((await compare(root, cache)).incremental).toBe(true);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_tick(4);', 'fn(5);'], true));
    expect((await compare(root, cache)).incremental).toBe(true);
    put(root, 'drivers/char/pf_user.c', userFile(['pf_tick(4);'], true));
    const removed = await compare(root, cache);
    expect(removed.incremental, removed.why).toBe(true);
    expect(params(removed.got, 'pf_user')).toEqual([]);
  });

  it('resolves in full, saying why, when a call of its own parameter is added where the body also gives that parameter a function', async () => {
    const { root, cache } = await tree(['if (!fn)', '\tfn = pf_tick;'], true);
    put(root, 'drivers/char/pf_user.c', userFile(['if (!fn)', '\tfn = pf_tick;', 'fn(3);'], true));
    const added = await compare(root, cache);
    expect(added.incremental).toBe(false);
    // (The edit plan already refuses the file for its stores into a pointer variable; GraphPatch.whyNotParamCall would too.)
    expect(added.why).toMatch(/pf_user\.c: it changed stores into pointer variables|it calls its parameter fn, which its body gives a function too/);
  });

  it('equals a fresh index after random sequences of such calls added and removed, at every step', async () => {
    // PATHFIND_EDIT_ROUNDS runs more seeds (a longer hunt); two by default.
    const rounds = Number(process.env.PATHFIND_EDIT_ROUNDS ?? 2);
    const calls = ['pf_call_cb(fn);', 'pf_pass_cb(fn);', 'pf_store_cb(d, fn);', 'pf_store_cb(d, 0);', 'pf_tick(2);', 'pf_call_cb(0);', 'fn(7);', 'fn(8);'];
    let patched = 0;
    for (let seed = 1300; seed < 1300 + rounds; seed++) {
      const random = seededRandom(seed);
      let lines: string[] = [];
      let far = random() < 0.3;
      const { root, cache } = await tree(lines, far);
      for (let step = 0; step < 6; step++) {
        const call = calls[Math.floor(random() * calls.length)]!;
        lines = lines.includes(call) ? lines.filter((l) => l !== call) : [...lines, call];
        if (random() < 0.15) far = !far;
        put(root, 'drivers/char/pf_user.c', userFile(lines, far));
        const { incremental } = await compare(root, cache);
        if (incremental) patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
  });
});
