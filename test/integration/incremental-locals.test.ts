import { describe, expect, it } from 'vitest';
import { compareWithFresh, editFile, type EditStep, expectEachPatched, expectResolvedInFull, indexedCopy } from '../support/edit-files.js';

/**
 * Stores into local variables (fixtures/incr/locals): every assignment of a body is a binding fact,
 * but the resolution reads a local's stores only where the local is called, returned, copied into
 * a member or passed into a followed parameter (cache/dead-stores.ts). An edit of stores nothing
 * reads is patched; one of stores something reads, or that takes a function's address, is resolved
 * in full. Each step is compared with a fresh index of the edited tree.
 */

const PROBE = 'void drv_probe(struct dev *d)\n{\n\tu32 n;\n\tu32 max;\n\n';
const ADDED = '\nu32 drv_added(struct dev *d)\n{\n\tu32 a;\n\tu32 b;\n\n\ta = d->count;\n\tb = DEV_MIN;\n\ta = dev_note(d, b);\n\tb = a;\n\treturn dev_note(d, a);\n}\n';

const RELEASE = '\nvoid drv_release(struct dev_pool *pool)\n{\n\tvoid *buf;\n\n\tbuf = dev_alloc(pool);\n\tdev_free(pool, buf);\n}\n';
const FREEING = PROBE.replace('\tu32 max;\n\n', '\tu32 max;\n\tvoid *obj;\n\n\tdev_free(d->pool, obj);\n');
/** The helper pool.c's dev_flush calls: its parameter is passed on where it is stored, so dev_flush's local is followed from then on. */
const DROP = '\nvoid dev_drop(struct dev_pool *pool, void *obj)\n{\n\tdev_free(pool, obj);\n}\n';

/** A helper returning a number, and drv_probe storing its result. */
const HELPER = 'static u32 drv_count_of(struct dev *d)\n{\n\treturn d->count;\n}\n\n';
const STORING = PROBE.replace('\tu32 max;\n\n', '\tu32 max;\n\n\tmax = drv_count_of(d);\n');

const PATCHED: [string, EditStep[]][] = [
  ['a member loaded into a local nothing reads, added then removed', [['drv.c', PROBE, `${PROBE}\tmax = d->limit;\n`], ['drv.c', '\tmax = d->limit;\n', '']]],
  ['a macro stored into a local nothing reads, retargeted then removed', [['drv.c', '\tmax = DEV_MAX;\n', '\tmax = DEV_MIN;\n'], ['drv.c', '\tmax = DEV_MIN;\n', '']]],
  ['a member loaded into a local passed where nothing is followed, added then removed', [['drv.c', '\tn = d->count;\n', '\tn = d->count;\n\tn = d->limit;\n'], ['drv.c', '\tn = d->limit;\n', '']]],
  ['a store into a local passed to a parameter that holds numbers, added then removed', [['drv.c', '\tif (limit > DEV_MAX)\n', '\tlimit = d->count;\n\tif (limit > DEV_MAX)\n'], ['drv.c', '\tlimit = d->count;\n\tif (limit > DEV_MAX)\n', '\tif (limit > DEV_MAX)\n']]],
  ['a store into a local of a function that calls through another local, added then removed', [['core.c', '\tfn = d->cb;\n', '\tfn = d->cb;\n\truns = d->limit;\n'], ['core.c', '\truns = d->limit;\n', '']]],
  ['a function with local stores added, then removed', [['drv.c', '\nu32 drv_limit(', `${ADDED}\nu32 drv_limit(`], ['drv.c', ADDED, '']]],
  // dev_free stores its parameter (pool.c), as kfree's is followed in a kernel: what a local passed there holds is bound, and these hold no function.
  ['a function added that frees a local filled by a call, then removed', [['drv.c', '\nu32 drv_limit(', `${RELEASE}\nu32 drv_limit(`], ['drv.c', RELEASE, '']]],
  ['a call freeing a local that nothing stores into, added to a body, then removed', [['drv.c', PROBE, FREEING], ['drv.c', FREEING, PROBE]]],
  ['the definition of a helper added that a kept function calls with a local (its call bound anew), then removed', [['drv.c', '\nu32 drv_limit(', `${DROP}\nu32 drv_limit(`], ['drv.c', DROP, '']]],
  // `max = drv_count_of(d);` stores what the helper returns (resolve/bind-flows.ts): a number, so the store binds nothing.
  ['a helper added with a call storing its result, in one edit, then both removed', [['drv.c', PROBE, `${HELPER}${STORING}`], ['drv.c', `${HELPER}${STORING}`, PROBE]]],
  ['a call storing a helper\'s result added, then the helper\'s definition added, then removed', [['drv.c', PROBE, STORING], ['drv.c', STORING, `${HELPER}${STORING}`], ['drv.c', HELPER, '']]],
];

describe('stores into local variables nothing reads', () => {
  for (const [what, steps] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
      await expectEachPatched(root, cache, steps);
    });
  }

  // A local named like a function-like macro of a header the file does not include (drivers call theirs `priv`; ether3.h
  // defines `priv(dev)`): binding by name finds the macro, and a resolution binds no macro passed by name (propagateParams).
  it('patches a function added that frees a local named like a function-like macro of a header it does not include, then removed', async () => {
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', { 'other.h': '#define buf(p) ((p)->last)\n', 'other.c': '#include "dev.h"\n#include "other.h"\n\nvoid *other_last(struct dev_pool *p)\n{\n\treturn buf(p);\n}\n' });
    await expectEachPatched(root, cache, [['drv.c', '\nu32 drv_limit(', `${RELEASE}\nu32 drv_limit(`], ['drv.c', RELEASE, '']]);
  });

  // A parameter of a type that holds no function (an int, a struct pointer) stored into a member is never followed (resolve/function-holders.ts;
  // the fixture is no kernel tree, so u32 is a typedef that might name a function pointer type).
  it('patches stores of parameters that hold no function into members, in a function added and in a kept body', async () => {
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
    const SETTER = '\nvoid drv_set_limit(struct dev *d, unsigned int limit, struct dev *peer)\n{\n\td->limit = limit;\n}\n';
    const MORE = '\td->limit = limit;\n\td->count = limit;\n';
    await expectEachPatched(root, cache, [
      ['drv.c', '\nu32 drv_limit(', `${SETTER}\nu32 drv_limit(`],
      ['drv.c', '\td->limit = limit;\n', MORE],
      ['drv.c', SETTER.replace('\td->limit = limit;\n', MORE), ''],
    ]);
  });

  // EXPORT_SYMBOL(f) is a file-scope macro invocation that only the definer expansion reads: no mention of f as a value.
  it('patches a function added with its EXPORT_SYMBOL line, then an export added to another, both removed', async () => {
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
    // It returns a local of a typedef'd type filled by a call's result: its return binding's root names the function itself, no value.
    const EXPORTED = '\nu32 drv_count(struct dev *d)\n{\n\tu32 sum;\n\n\tsum = dev_note(d, 0);\n\treturn sum;\n}\nEXPORT_SYMBOL(drv_count);\n';
    await expectEachPatched(root, cache, [
      ['drv.c', '\nu32 drv_limit(', `${EXPORTED}\nu32 drv_limit(`],
      ['core.c', '\tfn(d);\n}\n', '\tfn(d);\n}\nEXPORT_SYMBOL_GPL(dev_run);\n'],
      ['drv.c', EXPORTED, ''],
      ['core.c', 'EXPORT_SYMBOL_GPL(dev_run);\n', ''],
    ]);
  });

  const FULL: [string, EditStep, RegExp][] = [
    // fn is passed to dev_save, which stores its parameter into a member: its stores are read.
    ['a store into a local passed where it is stored', ['drv.c', '\tfn = drv_other;\n', '\tfn = drv_other;\n\tfn = drv_cb;\n'], /stores into pointer variables/],
    // fn is called: its stores are read.
    ['a store into a local called through', ['core.c', '\tfn = d->cb;\n', '\tfn = d->cb;\n\tfn = d->saved;\n'], /copies of members or pointer variables/],
    // Nothing reads max, but naming drv_other as a value takes its address (the signature fallback's candidates).
    // dev_save's cb is a function pointer: storing it into another member makes that member hold what callers pass.
    ['a store of a parameter that holds a function into a member', ['core.c', '\td->saved = cb;\n', '\td->saved = cb;\n\td->cb = cb;\n'], /stores of parameters into members/],
    // A local holding what a member holds, passed where it is stored: that member's functions join the slot (a member copy).
    // pool.c's dev_flush_cb passes such a local to dev_drop_cb, defined by no file until this edit.
    ['the definition of a helper added that a kept function calls with a local loaded from a member', ['drv.c', '\nu32 drv_limit(', `${DROP.replace('dev_drop(', 'dev_drop_cb(')}\nu32 drv_limit(`], /passes fn into a parameter that functions are stored from/],
    // The helper returns the function it is passed: the member given its result holds drv_cb, and dev_run_saved calls through that member.
    ['a helper returning its parameter added with a call storing its result in a member', ['drv.c', PROBE, `static void (*drv_pass(void (*f)(struct dev *d)))(struct dev *d)\n{\n\treturn f;\n}\n\n${PROBE}\td->saved = drv_pass(drv_cb);\n`], /drv_pass returns a function/],
    ['a function stored by name into a local nothing reads', ['drv.c', '\tmax = DEV_MAX;\n', '\tmax = DEV_MAX;\n\tmax = drv_other;\n'], /a store of drv_other into a local variable nothing reads was added or removed, and it takes the address of function drv_other/],
  ];
  for (const [what, step, reason] of FULL) {
    it(`resolves in full after ${what}`, async () => {
      const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
      editFile(root, ...step);
      await expectResolvedInFull(root, cache, reason);
    });
  }

  it('resolves in full when a function is defined whose result a kept statement stores and that returns a function (its parameter)', async () => {
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
    // First a call of a name no file defines, its result stored in a member: what it returns is nothing yet.
    await expectEachPatched(root, cache, [['drv.c', PROBE, `${PROBE}\td->saved = drv_pass(drv_cb);\n`]]);
    editFile(root, 'drv.c', PROBE, `static void (*drv_pass(void (*f)(struct dev *d)))(struct dev *d)\n{\n\treturn f;\n}\n\n${PROBE}`);
    await expectResolvedInFull(root, cache, /a store of what drv_pass returns stands in it, drv_pass was added, removed or renamed, and drv_pass returns a function/);
  });

  it('resolves in full when the edit makes a parameter followed that a dead store was passed to', async () => {
    const { root, cache } = await indexedCopy('incr/locals', 'pathfind-incr-locals-', {});
    // drv_keep now stores its parameter (through dev_save): drv_attach's fn is read from then on, with what d->cb holds.
    editFile(root, 'drv.c', 'static void drv_keep(struct dev *d, void (*x)(struct dev *d))\n{\n', 'static void drv_keep(struct dev *d, void (*x)(struct dev *d))\n{\n\tdev_save(d, x);\n');
    const { incremental, got, want } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental).toBe(false);
  });
});
