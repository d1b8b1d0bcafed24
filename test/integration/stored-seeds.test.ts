import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/canonical-graph.js';
import { editFile, putFile as put } from '../support/edit-files.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * A parameter stored into a member is followed to its callers (EdgeList.paramUses 'stored') only
 * where a function can flow through the store (resolve/function-holders.ts): a function-pointer
 * member or parameter, `void *`, `unsigned long` or a typedef name may hold one; a struct, union or
 * enum (pointer or not) or a narrow integer may not.
 */

/** One holder struct with a member of each kind and one storing function per member; pf_tick is a function to pass. */
const STORE_H = [
  'typedef void (*pf_work_fn)(int);',
  'struct pf_dev;',
  'struct pf_box {',
  '\tvoid (*handler)(int);',
  '\tpf_work_fn work;',
  '\tvoid *priv;',
  '\tunsigned long data;',
  '\tstruct pf_dev *dev;',
  '\tstruct pf_dev *owner;',
  '\tint irq;',
  '\tu32 flags;',
  '\tenum pf_state { PF_ON, PF_OFF } state;',
  '};',
  '#define PF_SET_DEV(b, d) ((b)->dev = (d))',
  '#define PF_SET_WORK(b, f) ((b)->work = (f))',
  '',
].join('\n');

/** A storing function: `name(struct pf_box *b, <param>)` with body `b->member = value`. */
const store = (name: string, param: string, member: string, value: string): string => `void ${name}(struct pf_box *b, ${param})\n{\n\tb->${member} = ${value};\n}\n`;

const STORE_C = [
  '#include <linux/pf_store.h>\n',
  store('pf_set_handler', 'void (*h)(int)', 'handler', 'h'),
  store('pf_set_work', 'pf_work_fn w', 'work', 'w'),
  store('pf_set_priv', 'void *p', 'priv', 'p'),
  store('pf_set_priv_dev', 'struct pf_dev *d', 'priv', 'd'),
  store('pf_set_data', 'unsigned long v', 'data', 'v'),
  store('pf_set_dev', 'struct pf_dev *d', 'dev', 'd'),
  store('pf_set_owner', 'void *o', 'owner', 'o'),
  store('pf_set_irq', 'int irq', 'irq', 'irq'),
  store('pf_set_flags', 'u32 f', 'flags', 'f'),
  store('pf_set_state', 'enum pf_state s', 'state', 's'),
  'void pf_tick(int x)\n{\n}\n',
  // Wrappers passing their own parameter on: followed one deeper where the store they reach is.
  'void pf_wrap_handler(struct pf_box *b, void (*h)(int))\n{\n\tpf_set_handler(b, h);\n}\n',
  'void pf_wrap_dev(struct pf_box *b, struct pf_dev *d)\n{\n\tpf_set_dev(b, d);\n\tPF_SET_DEV(b, d);\n}\n',
  'void pf_wrap_work(struct pf_box *b, pf_work_fn w)\n{\n\tPF_SET_WORK(b, w);\n}\n',
  'void pf_user(struct pf_box *b)\n{\n\tpf_wrap_handler(b, pf_tick);\n\tpf_set_priv(b, pf_tick);\n\tpf_wrap_work(b, pf_tick);\n\tb->handler(1);\n}\n',
].join('\n');

describe('a parameter stored into a member is followed only where a function can flow', () => {
  it('follows function-pointer, typedef, void * and unsigned long stores (by functions and macros), not those of a struct pointer, a narrow integer or an enum, parameter or member', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-seeds-');
    put(root, 'include/linux/pf_store.h', STORE_H);
    put(root, 'kernel/pf_store.c', STORE_C);
    const graph = canonicalGraph((await openTreeReport({ root, cache: false })).project);
    const params = graph.filter((r) => /^param pf_/i.test(r)).map((r) => r.replace(/@\S+/, ''));
    expect(params.sort()).toEqual([
      'param PF_SET_WORK 1 stored depth 0',
      'param pf_set_data 1 stored depth 0',
      'param pf_set_handler 1 stored depth 0',
      'param pf_set_priv 1 stored depth 0',
      'param pf_set_work 1 stored depth 0',
      'param pf_wrap_handler 1 stored depth 1',
      'param pf_wrap_work 1 stored depth 1',
    ]);
    // The callback still binds through the wrapper: pf_user's call of b->handler reaches pf_tick.
    expect(graph.some((r) => r.startsWith('edge pf_user@') && r.includes('-> pf_tick@') && r.includes('param-to-field'))).toBe(true);
  });

  it('follows a store again or no more when the member or the parameter changes type, as a fresh index does', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-seeds-');
    put(root, 'include/linux/pf_store.h', STORE_H);
    put(root, 'kernel/pf_store.c', STORE_C);
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const edits: [string, string, string][] = [
      ['include/linux/pf_store.h', '\tstruct pf_dev *owner;', '\tvoid *owner;'],
      ['kernel/pf_store.c', 'void pf_set_priv(struct pf_box *b, void *p)', 'void pf_set_priv(struct pf_box *b, struct pf_dev *p)'],
      ['include/linux/pf_store.h', '\tvoid *owner;', '\tstruct pf_dev *owner;'],
      ['kernel/pf_store.c', 'void pf_set_priv(struct pf_box *b, struct pf_dev *p)', 'void pf_set_priv(struct pf_box *b, void *p)'],
    ];
    for (const [path, from, to] of edits) {
      editFile(root, path, from, to);
      const [cached, fresh] = [await openTreeReport({ root, cache }), await openTreeReport({ root, cache: false })];
      expect(canonicalGraph(cached.project), `${path}: ${to}`).toEqual(canonicalGraph(fresh.project));
    }
  });
});
