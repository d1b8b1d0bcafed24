import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { putFile as put } from '../support/edit-files.js';

/**
 * Functions that pass their own parameter on into a parameter functions are followed into
 * (EdgeList.paramUses: stored or called, directly or through wrappers), added and removed with a
 * file or within one: the patched graph, and the followed parameters it keeps, must equal a fresh
 * index of the edited tree; the cases a patch covers (nothing passes a function to the new
 * parameters) must take the patched path, the others say why not.
 */

/**
 * A callback API in kernel style: pf_call_cb calls what it is passed, pf_store_cb stores it in a
 * member (called through by pf_fire), pf_pass_cb and pf_pass2_cb pass it on one and two levels deep.
 */
const API = {
  'include/linux/pf_cb.h': 'struct pf_dev {\n\tvoid (*handler)(int);\n};\nvoid pf_call_cb(void (*cb)(int));\nvoid pf_store_cb(struct pf_dev *d, void (*h)(int));\nvoid pf_pass_cb(void (*f)(int));\nvoid pf_pass2_cb(void (*g)(int));\nvoid pf_tick(int x);\n#define pf_free_cb(c) pf_call_cb(c)\nstruct pf_xmit_ops {\n\tvoid (*xmit)(int, void (*)(int));\n};\n',
  'kernel/pf_cb.c': [
    '#include <linux/pf_cb.h>',
    '',
    'void pf_call_cb(void (*cb)(int))',
    '{',
    '\tcb(1);',
    '}',
    '',
    'void pf_store_cb(struct pf_dev *d, void (*h)(int))',
    '{',
    '\td->handler = h;',
    '}',
    '',
    'void pf_pass_cb(void (*f)(int))',
    '{',
    '\tpf_call_cb(f);',
    '}',
    '',
    'void pf_pass2_cb(void (*g)(int))',
    '{',
    '\tpf_pass_cb(g);',
    '}',
    '',
    'void pf_tick(int x)',
    '{',
    '}',
    '',
    'static struct pf_dev pf_the_dev;',
    '',
    'void pf_fire(void)',
    '{',
    '\tpf_the_dev.handler(2);',
    '}',
    '',
    'static void pf_xmit_a(int x, void (*done)(int))',
    '{',
    '}',
    '',
    'static const struct pf_xmit_ops pf_a_ops = {',
    '\t.xmit = pf_xmit_a,',
    '};',
    '',
    'void pf_send(const struct pf_xmit_ops *o)',
    '{',
    '\to->xmit(1, pf_tick);',
    '}',
    '',
  ].join('\n'),
};

/** A new file whose static functions pass their parameter to a caller, a storer and a two-level wrapper; nothing calls them (the bench's drivers/net/pathfind_bench.c is such a file). */
const NEW_FILE = [
  '#include <linux/pf_cb.h>',
  '',
  'static void pf_new_calls(void (*fn)(int))',
  '{',
  '\tpf_call_cb(fn);',
  '}',
  '',
  'static void pf_new_stores(struct pf_dev *d, void (*fn)(int))',
  '{',
  '\tpf_store_cb(d, fn);',
  '}',
  '',
  'static void pf_new_deep(int unused, void (*fn)(int))',
  '{',
  '\tpf_pass2_cb(fn);',
  '}',
  '',
].join('\n');

/** A new global function passing its parameter on two levels deep, which callers elsewhere may call by name. */
const NEW_API = '#include <linux/pf_cb.h>\n\nvoid pf_new_api(void (*fn)(int))\n{\n\tpf_pass_cb(fn);\n}\n';

/** A private copy of the miniature kernel with the callback API and `files` written into it, indexed once with its cache. */
async function tree(files: Record<string, string> = {}): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-param-uses-');
  for (const [path, text] of Object.entries({ ...API, ...files })) put(root, path, text);
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** Opens the tree through its cache and from scratch: both graphs must be equal; returns the graph and the `-v` line of the cached open. */
async function expectEqual(root: string, cache: string, fallback?: RegExp): Promise<string[]> {
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  const why = trace.find((m) => m.startsWith('graph'))?.replace(/\s*\(\d+(\.\d+)? m?s\)$/, '') ?? '';
  const got = canonicalGraph(cached.project);
  const want = canonicalGraph(scratch.project);
  const g = new Set(got);
  const w = new Set(want);
  expect({ missing: want.filter((r) => !g.has(r)), extra: got.filter((r) => !w.has(r)) }).toEqual({ missing: [], extra: [] });
  expect(got).toEqual(want);
  if (fallback) {
    expect(cached.report.incremental, why).toBe(false);
    expect(why).toMatch(fallback);
  } else expect(cached.report.incremental, why).toBe(true);
  return got;
}

const params = (graph: string[], name: string): string[] => graph.filter((r) => r.startsWith(`param ${name}@`)).map((r) => r.replace(/@\S+/, ''));

describe('functions passing their parameter on into followed ones, added and removed, patch the graph exactly', () => {
  it('patches a file added whose functions pass their parameter to one that calls it, one that stores it and one that passes it on two levels deep, and its deletion', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/char/pf_new.c', NEW_FILE);
    const got = await expectEqual(root, cache);
    expect(params(got, 'pf_new_calls')).toEqual(['param pf_new_calls 0 called depth 1']);
    expect(params(got, 'pf_new_stores')).toEqual(['param pf_new_stores 1 stored depth 1']);
    expect(params(got, 'pf_new_deep')).toEqual(['param pf_new_deep 1 called depth 3']);
    rmSync(join(root, 'drivers/char/pf_new.c'));
    const gone = await expectEqual(root, cache);
    expect(gone.filter((r) => r.startsWith('param pf_new_'))).toEqual([]);
  });

  it('patches a file deleted whose functions passed their parameter on (indexed with it)', async () => {
    const { root, cache } = await tree({ 'drivers/char/pf_new.c': NEW_FILE });
    rmSync(join(root, 'drivers/char/pf_new.c'));
    const gone = await expectEqual(root, cache);
    expect(gone.filter((r) => r.startsWith('param pf_new_'))).toEqual([]);
  });

  it('patches a file added and deleted as the bench adds one: a static function bound by an ops initializer passes its parameter to a macro that passes it on to a caller', async () => {
    const { root, cache } = await tree();
    const bench = '#include <linux/pf_cb.h>\n\nstatic void pf_bench_xmit(int x, void (*done)(int))\n{\n\tpf_free_cb(done);\n}\n\nstatic const struct pf_xmit_ops pf_bench_ops = {\n\t.xmit = pf_bench_xmit,\n};\n';
    put(root, 'drivers/net/pf_bench.c', bench);
    const got = await expectEqual(root, cache);
    expect(params(got, 'pf_bench_xmit')).toEqual(['param pf_bench_xmit 1 called depth 2']);
    // Called through the member it is bound to: a call through a pointer is no direct call, so what it passes is not followed into it.
    expect(got.some((r) => r.startsWith('edge pf_send@kernel/pf_cb.c:42 -> pf_bench_xmit@drivers/net/pf_bench.c:3 ops-initializer'))).toBe(true);
    rmSync(join(root, 'drivers/net/pf_bench.c'));
    await expectEqual(root, cache);
    // And again: added after its deletion was patched (the deleted file's evidence lines must not be left behind for the added one).
    put(root, 'drivers/net/pf_bench.c', bench);
    await expectEqual(root, cache);
    rmSync(join(root, 'drivers/net/pf_bench.c'));
    await expectEqual(root, cache);
  });

  it('patches such functions added to and removed from an existing file', async () => {
    const { root, cache } = await tree({ 'drivers/char/pf_old.c': '#include <linux/pf_cb.h>\n\nvoid pf_old(void)\n{\n\tpf_tick(0);\n}\n' });
    put(root, 'drivers/char/pf_old.c', `${NEW_FILE}\nvoid pf_old(void)\n{\n\tpf_tick(0);\n}\n`);
    const got = await expectEqual(root, cache);
    expect(params(got, 'pf_new_deep')).toEqual(['param pf_new_deep 1 called depth 3']);
    put(root, 'drivers/char/pf_old.c', '#include <linux/pf_cb.h>\n\nvoid pf_old(void)\n{\n\tpf_tick(0);\n}\n');
    await expectEqual(root, cache);
  });

  it('patches a chain of added functions passing the parameter to each other, then to a followed one', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/char/pf_chain.c', '#include <linux/pf_cb.h>\n\nstatic void pf_inner(void (*b)(int))\n{\n\tpf_store_cb(0, b);\n}\n\nstatic void pf_outer(void (*a)(int))\n{\n\tpf_inner(a);\n}\n');
    const got = await expectEqual(root, cache);
    expect(params(got, 'pf_outer')).toEqual(['param pf_outer 0 stored depth 2']);
    rmSync(join(root, 'drivers/char/pf_chain.c'));
    await expectEqual(root, cache);
  });

  it('patches a global function added whose name callers elsewhere call passing nothing, and its removal', async () => {
    const { root, cache } = await tree({ 'drivers/char/pf_caller.c': '#include <linux/pf_cb.h>\n\nvoid pf_new_api(void (*fn)(int));\n\nvoid pf_caller(void)\n{\n\tpf_new_api(0);\n}\n' });
    put(root, 'lib/pf_new_api.c', NEW_API);
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge pf_caller@drivers/char/pf_caller.c:5 -> pf_new_api@lib/pf_new_api.c:3 direct'))).toBe(true);
    rmSync(join(root, 'lib/pf_new_api.c'));
    await expectEqual(root, cache);
  });

  const CALLERS: [string, string][] = [
    ['a function', '\tpf_new_api(pf_tick);'],
    ['a local holding one', '\tvoid (*h)(int) = pf_tick;\n\n\tpf_new_api(h);'],
    ['a member', '\tpf_new_api(d->handler);'],
  ];
  for (const [what, body] of CALLERS) {
    it(`resolves in full, saying why, when a caller elsewhere passes ${what} to a function added or removed that follows it`, async () => {
      const caller = `#include <linux/pf_cb.h>\n\nvoid pf_new_api(void (*fn)(int));\n\nvoid pf_caller(struct pf_dev *d)\n{\n${body}\n}\n`;
      const { root, cache } = await tree({ 'drivers/char/pf_caller.c': caller });
      put(root, 'lib/pf_new_api.c', NEW_API);
      const got = await expectEqual(root, cache, /a call of pf_new_api by pf_caller is bound anew, and its call of pf_new_api passes .* into a parameter that functions are called through/);
      if (what === 'a function') expect(got.some((r) => r.startsWith('edge pf_caller@drivers/char/pf_caller.c:5 -> pf_tick@kernel/pf_cb.c:23 callback-arg') && r.includes('which passes it on through pf_pass_cb to pf_call_cb, which calls it'))).toBe(true);
      rmSync(join(root, 'lib/pf_new_api.c'));
      await expectEqual(root, cache, /pf_new_api was removed, and pf_caller passes .* into its parameter 1, which functions are followed into/);
    });
  }

  it('resolves in full, saying why, for a function added that passes its parameter on into two followed parameters', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/char/pf_two.c', '#include <linux/pf_cb.h>\n\nstatic void pf_two(void (*fn)(int))\n{\n\tpf_call_cb(fn);\n\tpf_pass_cb(fn);\n}\n');
    await expectEqual(root, cache, /pf_two passes its parameter fn on into two parameters that functions are followed into \(of pf_call_cb and pf_pass_cb\)/);
  });

  it('says what a call that is not simple does: a function added that calls its parameter', async () => {
    const { root, cache } = await tree();
    put(root, 'drivers/char/pf_self.c', '#include <linux/pf_cb.h>\n\nstatic void pf_self(void (*fn)(int))\n{\n\tfn(3);\n}\n');
    await expectEqual(root, cache, /pf_self was added, and it calls its parameter/);
  });
});

describe('a function called only inside a macro body, added and removed', () => {
  it('patches a function added whose name a macro body calls, and its removal', async () => {
    const { root, cache } = await tree({
      'include/linux/pf_new2.h': 'int pf_newfn2(void);\n#define PF_CALL_NEW2() pf_newfn2()\n',
      'drivers/char/pf_use2.c': '#include <linux/pf_new2.h>\n\nint pf_use2(void)\n{\n\treturn PF_CALL_NEW2();\n}\n',
    });
    put(root, 'lib/pf_new2.c', '#include <linux/pf_new2.h>\n\nint pf_newfn2(void)\n{\n\treturn 2;\n}\n');
    const got = await expectEqual(root, cache);
    expect(got.some((r) => r.startsWith('edge PF_CALL_NEW2@include/linux/pf_new2.h:2 -> pf_newfn2@lib/pf_new2.c:3 macro'))).toBe(true);
    rmSync(join(root, 'lib/pf_new2.c'));
    await expectEqual(root, cache);
  });
});
