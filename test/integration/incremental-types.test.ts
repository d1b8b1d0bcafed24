import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * Struct, typedef, prototype and macro edits through the cache (cache/type-edit.ts, macro-edit.ts): one that changes
 * nothing the full resolution read of the type model is patched; one that changes what a call
 * site or binding read is resolved in full and says what. Either way the graph equals a fresh
 * index of the edited tree. Fixture: fixtures/incr/types.
 */

/** Replaces `from` by `to` in a file of the tree (the text must be there). */
function replaceIn(root: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(root, file), 'utf8');
  expect(text.includes(from), `${file} holds ${from}`).toBe(true);
  writeFileSync(join(root, file), text.replace(from, to));
}

/** Indexes a copy of the fixture with its cache, edits it, and opens it through the cache and from scratch. */
async function edited(edit: (root: string) => void): Promise<{ incremental: boolean; why: string; got: string[]; want: string[] }> {
  const { dir, root } = copyFixture('incr/types', 'pathfind-incr-types-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  edit(root);
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  const why = trace.find((m) => m.startsWith('graph'))?.replace(/\s+\S*\d+(\.\d+)?\s*m?s\b/, '') ?? '';
  return { incremental: cached.report.incremental, why, got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project) };
}

const FN_MEMBER = '\tint (*extra)(struct buf *b);\n';

/** [case, edit, patched (true) or the reason a full resolution gives] */
const CASES: [string, (root: string) => void, true | RegExp][] = [
  ['a member added at the end of a struct with a positional initializer', (r) => replaceIn(r, 'types.h', '\tint (*second)(struct buf *b);\n', `\tint (*second)(struct buf *b);\n${FN_MEMBER}`), true],
  ['a member added in the middle of a struct with a positional initializer', (r) => replaceIn(r, 'types.h', '\tint (*second)(struct buf *b);\n', `${FN_MEMBER}\tint (*second)(struct buf *b);\n`), /types\.h: member 1 of struct pos_ops \(positional\) changed, and the resolution read it/],
  ['a member added first to a struct of a .c file only designated initializers bind', (r) => replaceIn(r, 'local.c', 'struct local_link {\n', `struct local_link {\n${FN_MEMBER}`), true],
  ['a member added to a header struct only designated initializers bind', (r) => replaceIn(r, 'types.h', 'struct net_ops {\n', `struct net_ops {\n${FN_MEMBER}`), true],
  ['a member a call goes through retyped to another ops struct', (r) => replaceIn(r, 'types.h', 'struct rx_ops *ops;', 'struct tx_ops *ops;'), /types\.h: struct device\.ops changed, and the resolution read it/],
  ['a member nothing reads retyped', (r) => replaceIn(r, 'types.h', '\tint id;\n', '\tlong id;\n'), true],
  ['a member a call goes through removed', (r) => replaceIn(r, 'local.c', '\tint (*release)(struct buf *b);\n', ''), /local\.c: struct local_link\.release changed, and the resolution read it/],
  // A helper's finding: the reason read "struct ... removed changed".
  ['the struct a call goes through renamed', (r) => replaceIn(r, 'local.c', 'struct local_link {\n', 'struct local_link_renamed {\n'), /local\.c: struct local_link was removed, and the resolution read it/],
  ['a typedef calls go through retargeted', (r) => replaceIn(r, 'types.h', 'typedef struct net_ops net_ops_t;', 'typedef struct pos_ops net_ops_t;'), /types\.h: typedef net_ops_t changed, and the resolution read it/],
  ['a typedef nothing uses retargeted', (r) => replaceIn(r, 'types.h', 'typedef struct net_ops spare_ops_t;', 'typedef struct pos_ops spare_ops_t;'), true],
  ['a typedef added', (r) => replaceIn(r, 'types.h', '#endif', 'typedef struct buf pf_buf_t;\n#endif'), /typedef pf_buf_t was added/],
  ['a prototype of a new name added', (r) => replaceIn(r, 'types.h', '#endif', 'int pf_new_proto(struct buf *b);\n#endif'), true],
  ['a prototype nothing calls changed', (r) => replaceIn(r, 'types.h', 'int unused_proto(struct buf *b);', 'long unused_proto(struct buf *b);'), true],
  ['a prototype whose result a call goes through changed', (r) => replaceIn(r, 'types.h', 'struct net_ops *get_ops(void);', 'struct pos_ops *get_ops(void);'), /types\.h: the return type of get_ops changed, and the resolution read it/],
  ['a function added with its prototype in the same file, its name defined once', (r) => {
    replaceIn(r, 'pos.c', 'static int pos_first', 'int pos_extra(struct buf *b);\n\nstatic int pos_first');
    replaceIn(r, 'pos.c', 'int pos_run(', 'int pos_extra(struct buf *b)\n{\n\treturn 3;\n}\n\nint pos_run(');
  }, true],
  ['a second global definition of a name added with its prototype', (r) => {
    replaceIn(r, 'local.c', 'static int local_release', 'int pos_run(struct pos_ops *o, struct buf *b);\n\nstatic int local_release');
    replaceIn(r, 'local.c', 'int local_put(', 'int pos_run(struct pos_ops *o, struct buf *b)\n{\n\treturn 0;\n}\n\nint local_put(');
  }, /pos_run is defined by another global function \(\S+:\d+\)/],
  ['a struct added', (r) => replaceIn(r, 'types.h', '#endif', 'struct pf_new {\n\tint (*go)(struct buf *b);\n};\n#endif'), true],
  ['a macro nothing uses added', (r) => replaceIn(r, 'types.h', '#endif', '#define NET_MORE(b) net_start(0, b)\n#endif'), true],
  ['a macro nothing uses added with a prototype of the name it calls', (r) => replaceIn(r, 'types.h', '#endif', 'void pf_bench_proto(struct buf *b);\n#define PF_BENCH(b) pf_bench_proto(b)\n#endif'), true],
  ['a macro nothing uses removed', (r) => replaceIn(r, 'types.h', '#define NET_HELP(b) net_stop(b)\n', ''), true],
  ['a macro of a name a file calls added', (r) => replaceIn(r, 'types.h', '#endif', '#define dev_trace(b) net_stop(b)\n#endif'), true],
  ['a macro of a name a file passes as a value added', (r) => replaceIn(r, 'types.h', '#endif', '#define dev_hooked(b) net_stop(b)\n#endif'), /dev_hooked is mentioned other than by calls/],
  ['a macro nothing invokes removed', (r) => replaceIn(r, 'types.h', '#define CALL_OPEN(o, b) ((o)->open(b))\n', ''), true],
  ['a macro that stores into a member removed', (r) => replaceIn(r, 'types.h', '#define SET_RX(o, f) ((o)->rx = (f))\n', ''), /macro SET_RX was added or removed, and it stores into a member/],
  // ARM_TIMER's struct is the one struct having both members its body names (types.h: struct timer); SET_RX's, the one having rx (none: two have it).
  ['a member a macro store names added to a struct that lacks the other one', (r) => replaceIn(r, 'types.h', '\tint id;\n', '\tint id;\n\tunsigned long expires;\n'), true],
  ['a struct added with both members a macro store names', (r) => replaceIn(r, 'types.h', '#endif', 'struct alarm {\n\tunsigned long expires;\n\tint (*handler)(struct buf *b);\n};\n#endif'), /types\.h: which structs have members expires and handler changed, and the resolution read it/],
  ['a file added whose own struct has one member a macro store names', (r) => writeFileSync(join(r, 'priv.c'), '#include "types.h"\n\nstruct priv_state {\n\tunsigned long expires;\n\tint flags;\n};\n\nint priv_flags(struct priv_state *p)\n{\n\treturn p->flags;\n}\n'), true],
  ['a member a macro store names added to a third struct, when two had it', (r) => replaceIn(r, 'types.h', '\tint (*close)(struct buf *b);\n', '\tint (*close)(struct buf *b);\n\tint (*rx)(struct buf *b);\n'), true],
  ['a member a macro store names renamed in the one struct that had both', (r) => replaceIn(r, 'types.h', '\tunsigned long expires;\n\tint (*handler)', '\tunsigned long deadline;\n\tint (*handler)'), /types\.h: which structs have members expires and handler changed, and the resolution read it/],
  ['a struct member added with a body edit in the same file', (r) => {
    replaceIn(r, 'local.c', 'struct local_link {\n', `struct local_link {\n${FN_MEMBER}`);
    replaceIn(r, 'local.c', '\treturn l->release(b);', '\treturn l->release(b) + local_release(b);');
  }, true],
];

describe('struct, typedef, prototype and macro edits through the cache', () => {
  for (const [name, edit, expected] of CASES) {
    it(`${name}: ${expected === true ? 'patched' : 'resolved in full'}, equal to a fresh index`, async () => {
      const { incremental, why, got, want } = await edited(edit);
      expect(got).toEqual(want);
      if (expected === true) expect(incremental, why).toBe(true);
      else {
        expect(incremental, why).toBe(false);
        expect(why).toMatch(expected);
      }
    });
  }

  it('the member retyped binds the other ops struct: the full resolution was needed', async () => {
    const { got } = await edited((r) => replaceIn(r, 'types.h', 'struct rx_ops *ops;', 'struct tx_ops *ops;'));
    expect(got.some((row) => row.startsWith('edge dev_poll@dev.c:21 -> dev_tx_rx@dev.c:'))).toBe(true);
  });
});

describe('a macro added, then removed, through the cache', () => {
  it('patches both steps, the macro and its external callee made and dropped as a fresh index does', async () => {
    const { dir, root } = copyFixture('incr/types', 'pathfind-incr-types-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const original = readFileSync(join(root, 'types.h'), 'utf8');
    for (const step of ['add', 'restore']) {
      if (step === 'add') replaceIn(root, 'types.h', '#endif', 'void pf_bench_proto(struct buf *b);\n#define PF_BENCH(b) pf_bench_proto(b)\n#endif');
      else writeFileSync(join(root, 'types.h'), original);
      const trace: string[] = [];
      const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
      const got = canonicalGraph(cached.project);
      expect(got).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
      expect(cached.report.incremental, `${step}: ${trace.join('; ')}`).toBe(true);
      expect(got.some((r) => r.includes('pf_bench_proto@:0 external')), step).toBe(step === 'add');
    }
  });
});
