import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { compareWithFresh as compare, editFile as edit, type EditStep as Step, expectEachPatched } from '../support/edit-files.js';

/**
 * Edits of initializers and member assignments, one file at a time: the patched graph must equal
 * a fresh index of the edited tree, and the edits the binding patch covers must take the patched
 * path (report.incremental); those it does not cover resolve in full, with -v's reason.
 */

/** A private copy of a fixture, indexed once with its cache. */
async function indexed(fixture: string): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture(fixture, 'pathfind-incr-bind-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

const A_OPS = 'a_ops = {\n\t.open\t= a_open,\n\t.stop\t= a_stop,\n';
const A2_OPS = 'a2_ops = {\n\t.open\t= a_open,\n\t.stop\t= a_stop,\n\t.xmit\t= a_xmit,\n';

/** Edits the binding patch takes: each step is patched and equals a fresh index. */
const PATCHED: [string, string, Step[]][] = [
  // A site of an unknown struct reads the member by its name alone: it is bound again (resolve/patch-field-names.ts).
  ['a member whose name a site of an unknown struct binds by', 'incr/bindings', [['c.c', '.handler\t= c_irq,', '.handler\t= c_irq2,']]],
  ['an initializer member pointed at another function, then back', 'incr/bindings', [['a.c', A_OPS, A_OPS.replace('= a_stop,', '= a_stop2,')], ['a.c', A_OPS.replace('= a_stop,', '= a_stop2,'), A_OPS]]],
  ['an initializer member added', 'incr/bindings', [['a.c', A_OPS, `${A_OPS}\t.xmit\t= a_xmit,\n`]]],
  ['an initializer member removed', 'incr/bindings', [['a.c', A2_OPS, A2_OPS.replace('\t.open\t= a_open,\n', '')]]],
  ['an assignment pointed at another function', 'incr/bindings', [['a.c', 'ops->stop = a_stop2;', 'ops->stop = a_open2;']]],
  ['an assignment added', 'incr/bindings', [['a.c', 'ops->stop = a_stop2;', 'ops->stop = a_stop2;\n\tops->open = a_stop;']]],
  ['a function added with an assignment naming it, in one edit', 'incr/bindings', [['a.c', 'void a_setup(struct dev_ops *ops)\n{\n\tops->stop = a_stop2;\n', 'static int a_stop3(struct pkt *p)\n{\n\treturn 3;\n}\n\nvoid a_setup(struct dev_ops *ops)\n{\n\tops->stop = a_stop2;\n\tops->stop = a_stop3;\n']]],
  ['a function added whose body assigns a function to a member', 'incr/bindings', [['a.c', 'void a_setup(struct dev_ops *ops)\n{\n', 'void a_setup_more(struct dev_ops *ops)\n{\n\tops->stop = a_stop2;\n}\n\nvoid a_setup(struct dev_ops *ops)\n{\n']]],
  ['an assignment removed', 'incr/bindings', [['a.c', '\tops->stop = a_stop2;\n', '']]],
  ['an initializer changed with a body edit above it', 'incr/bindings', [['a.c', A_OPS, A_OPS.replace('= a_stop,', '= a_stop2,')], ['a.c', 'return 2;', 'a_helper(p);\n\treturn 2;']]],
  ['an initializer and a body changed at once', 'incr/bindings', [['a.c', '\treturn n;\n}\n\nstatic const struct dev_ops a3_ops = {\n\t.open\t= a_open2,\n\t.stop\t= a_stop2,', '\ta_helper(p);\n\treturn n;\n}\n\nstatic const struct dev_ops a3_ops = {\n\t.open\t= a_open2,\n\t.stop\t= a_stop,']]],
  ['an assignment retargeted and a call added in one edit', 'incr/bindings', [['a.c', '\tops->stop = a_stop2;\n\ta_helper(0);', '\tops->stop = a_open2;\n\ta_helper(0);\n\ta_open(0);']]],
  ['a member of an anonymous struct, after its struct moved', 'incr/bindings', [['d.c', '#include "ops.h"\n', '#include "ops.h"\n\n/* moved */\n'], ['d.c', '} d_ops = {\n\t.run\t= d_one,', '} d_ops = {\n\t.run\t= d_two,']]],
  // The first edit renumbers nodes and changes no binding of udp.c; the second changes a member udp.c binds too, whose bindings it reads back.
  ['an initializer changed after another file binding the same member was patched', 'minikernel', [['net/ipv4/udp.c', '#define UDP_HASH_SIZE\t32\n', '#define UDP_HASH_SIZE\t32\n\nint udp_first(void)\n{\n\treturn 0;\n}\n'], ['net/ipv4/tcp_ipv4.c', '.connect\t= tcp_v4_connect,\n\t.init\t\t= tcp_v4_init_sock,\n\t.sendmsg\t= tcp_sendmsg,', '.connect\t= tcp_sendmsg,\n\t.init\t\t= tcp_v4_init_sock,\n\t.sendmsg\t= tcp_v4_connect,']]],
  // a_helper joins the functions whose address is taken: the signature fallback's sites are listed again (patch-fallback.ts).
  ['an initializer naming a function whose address was not taken before', 'incr/bindings', [['a.c', A_OPS, A_OPS.replace('= a_open,', '= a_helper,')]]],
  // A member a copy reads: the copy's destination is replayed too (patch-slot-flow.ts).
  ['a member that a copy reads', 'incr/bindings', [['c.c', '.fire\t= t_fire,', '.fire\t= t_fire2,']]],
  ['an initializer read by an indirect-call wrapper site', 'minikernel', [['net/ipv4/af_inet.c', '.connect\t= inet_stream_connect,\n\t.sendmsg\t= inet_sendmsg,', '.connect\t= inet_stream_connect,\n\t.sendmsg\t= inet_stream_connect,']]],
];

/** Edits that need more than the binding patch: resolved in full (the reason given), still equal. */
const FULL: [string, string, Step, RegExp][] = [
  ['a member left with no binding, read by a site', 'incr/bindings', ['a.c', '\t.xmit\t= a_xmit,\n', ''], /no binding/],
  ['a member no binding of the file reached before', 'minikernel', ['drivers/tty/tty_io.c', '.write_iter\t= tty_write,', '.read_iter\t= tty_write,'], /resolved in full: drivers\/tty\/tty_io\.c:25: \.read_iter = tty_write: a binding into a member no binding of the file or of the same root reached, and no binding reached read_iter of struct file_operations/],
];

describe('initializer and assignment edits patch the graph exactly', () => {
  for (const [what, fixture, steps] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexed(fixture);
      await expectEachPatched(root, cache, steps);
    });
  }

  // A helper's finding: the reason named the first file whose bindings changed, not the one that bound the member it is about.
  it('names the file whose binding the refusal is about when two files changed their bindings', async () => {
    const { root, cache } = await indexed('minikernel');
    edit(root, 'fs/pipe.c', 'const struct file_operations pipefifo_fops = {\n', 'static ssize_t pipe_read(struct file *f, char *b, size_t n, loff_t *p)\n{\n\treturn 0;\n}\n\nconst struct file_operations pipefifo_fops = {\n\t.read\t\t= pipe_read,\n');
    edit(root, 'drivers/tty/tty_io.c', '\t.write_iter\t= tty_write,', '\t.write_iter\t= write_iter_tty,');
    edit(root, 'drivers/tty/tty_io.c', 'static ssize_t tty_write(', 'static ssize_t write_iter_tty(');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(incremental).toBe(false);
    expect(why).toMatch(/resolved in full: fs\/pipe\.c:\d+: struct file_operations\.read went from bindings to no binding or back/);
  });

  it("says on -v's patch line how many member call sites it bound again", async () => {
    const { root, cache } = await indexed('incr/bindings');
    edit(root, 'a.c', A_OPS, A_OPS.replace('= a_stop,', '= a_stop2,'));
    const { incremental, why, trace } = await expectSameAsFresh(root, cache);
    expect(incremental, why).toBe(true);
    // b.c's two `ops->stop(p)` read the slot the initializer changed.
    expect(trace.find((m) => m.startsWith('patch:'))).toContain('2 member call sites bound, ');
  });

  it('patches initializers edited in two files at once', async () => {
    const { root, cache } = await indexed('incr/bindings');
    edit(root, 'a.c', A_OPS, A_OPS.replace('= a_stop,', '= a_stop2,'));
    edit(root, 'd.c', '} d_ops = {\n\t.run\t= d_one,', '} d_ops = {\n\t.run\t= d_two,');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(true);
  });

  it('keeps the signature fallback exact after a body edit passes a function not taken before', async () => {
    const { root, cache } = await indexed('incr/bindings');
    edit(root, 'b.c', 'return ops->stop(p);', 'b_keep(b_spare);\n\treturn ops->stop(p);');
    const { got, want } = await compare(root, cache);
    expect(got).toEqual(want);
  });

  for (const [what, fixture, step, reason] of FULL) {
    it(`resolves in full after an edit of ${what}`, async () => {
      const { root, cache } = await indexed(fixture);
      edit(root, ...step);
      const { incremental, why, got, want } = await compare(root, cache);
      expect(got).toEqual(want);
      expect(incremental).toBe(false);
      expect(why).toMatch(reason);
      // -v names the edited file once, with the line when it has one.
      expect(why.split(step[0]).length - 1, why).toBe(1);
    });
  }
});
