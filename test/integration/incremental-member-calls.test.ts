import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph, EDIT_KINDS, seededRandom, write } from '../support/tree-edits.js';

// Through EDIT_KINDS: member-call-edits.ts reads tree-edits.ts's helpers, which must load first.
const memberCallRemoved = EDIT_KINDS['member call removed']!;

/**
 * A call through a struct member taken out of a body: its edges, its place in the binding record
 * and any signature fallback of its site go, and the graph is patched, not resolved in full; one
 * given other arguments keeps its edges when its member's bindings made them. Each step is
 * compared with a fresh index of the same tree.
 */

async function indexed(fixture: string): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture(fixture, 'pathfind-member-calls-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** The tree opened through its cache (with the -v trace's graph line) and from scratch. */
async function compare(root: string, cache: string): Promise<{ incremental: boolean; why: string; got: string[]; want: string[] }> {
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  return { incremental: cached.report.incremental, why: trace.find((m) => m.includes('graph')) ?? '', got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project) };
}

/** Takes out line `line` (1-based) of `path`, which must hold `text`. */
function removeLine(root: string, path: string, line: number, text: string): void {
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  expect(lines[line - 1]).toContain(text);
  lines.splice(line - 1, 1);
  write(root, path, lines.join('\n'));
}

/** Replaces the first `from` in `path` (which must hold it) with `to`. */
function replaceIn(root: string, path: string, from: string, to: string): void {
  const text = readFileSync(join(root, path), 'utf8');
  expect(text).toContain(from);
  write(root, path, text.replace(from, to));
}

describe('a call through a member taken out of a body, or given other arguments', () => {
  it('is patched: its edges go, and the graph equals a fresh index', async () => {
    const { root, cache } = await indexed('minikernel');
    const before = await openTreeReport({ root, cache });
    const edgeOf = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge tcp_v4_do_rcv@') && r.includes(' at 49 '));
    // sk->sk_data_ready(sk) in tcp_v4_do_rcv binds through struct sock's member (an assignment in the fixture).
    expect(edgeOf(canonicalGraph(before.project)).length).toBeGreaterThan(0);
    removeLine(root, 'net/ipv4/tcp_ipv4.c', 49, 'sk->sk_data_ready(sk);');
    const first = await compare(root, cache);
    expect(first.got).toEqual(first.want);
    expect(first.incremental, first.why).toBe(true);
    // Two at once, one of them in a header's inline function, and a call by name kept between them.
    removeLine(root, 'net/mac80211/driver-ops.h', 17, 'local->ops->tx(&local->hw, control, skb);');
    removeLine(root, 'fs/read_write.c', 67, 'ret = file->f_op->write(file, buf, count, pos);');
    const second = await compare(root, cache);
    expect(second.got).toEqual(second.want);
    expect(second.incremental, second.why).toBe(true);
  });

  it('is patched when the function making it is removed', async () => {
    const { root, cache } = await indexed('minikernel');
    // tcp_v4_do_rcv (net/ipv4/tcp_ipv4.c:46-51) calls sk->sk_data_ready(sk); its one caller calls it at line 68.
    const path = 'net/ipv4/tcp_ipv4.c';
    const lines = readFileSync(join(root, path), 'utf8').split('\n');
    expect(lines[45]).toBe('static int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)');
    expect(lines[67]).toContain('tcp_v4_do_rcv(sk, skb)');
    lines[67] = lines[67]!.replace('tcp_v4_do_rcv(sk, skb)', '0');
    lines.splice(45, 7);
    write(root, path, lines.join('\n'));
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('tcp_v4_do_rcv'))).toBe(false);
    expect(incremental, why).toBe(true);
  });

  it('is patched when its arguments change and the member binds it (the site keeps its edges)', async () => {
    const { root, cache } = await indexed('minikernel');
    const edit = (path: string, from: string, to: string): void => replaceIn(root, path, from, to);
    edit('net/ipv4/tcp_ipv4.c', 'sk->sk_data_ready(sk);', 'sk->sk_data_ready(NULL);');
    const first = await compare(root, cache);
    expect(first.got).toEqual(first.want);
    expect(first.incremental, first.why).toBe(true);
    // Its arguments changed, a call by name added before it on a line of its own, and another member call's arguments changed in the same file.
    edit('net/ipv4/af_inet.c', '\t\terr = sk->sk_prot->connect(sk, uaddr, addr_len);', '\t\tinet_send_prepare(sk);\n\t\terr = sk->sk_prot->connect(sk, NULL, addr_len + 1);');
    edit('net/ipv4/af_inet.c', 'return sk->sk_prot->init(sk);', 'return sk->sk_prot->init(NULL);');
    const second = await compare(root, cache);
    expect(second.got).toEqual(second.want);
    expect(second.incremental, second.why).toBe(true);
  });

  // A helper's finding: a call through a member given other arguments and moved after a call by name, the only site reading its
  // member, was said to be "added" with "nothing the graph shows binds that member", though its member is bound. The site taken
  // out lends its edges to the one added since (cache/moved-member-runs.ts); incremental-moved-member-calls has the refusal's words.
  it('is patched when it moves among its caller\'s calls and no other site reads its member', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-member-moved-'));
    try {
      const root = join(dir, 'tree');
      const cache = join(dir, 'cache');
      mkdirSync(join(root, 'drivers'), { recursive: true });
      const body = (calls: string): string => `struct dev;\nstruct dev_ops {\n\tint (*run)(struct dev *d, int n);\n};\nstruct dev {\n\tstruct dev_ops *ops;\n\tvoid *buf;\n};\nvoid kfree(void *p);\nstatic int a_run(struct dev *d, int n)\n{\n\treturn n;\n}\nstatic struct dev_ops a_ops = {\n\t.run = a_run,\n};\nint a_go(struct dev *d)\n{\n\tvoid *copy = d->buf;\n${calls}\treturn 0;\n}\n`;
      write(root, 'drivers/a.c', body('\td->ops->run(d, 1);\n\tkfree(copy);\n'));
      await openTreeReport({ root, cache });
      write(root, 'drivers/a.c', body('\tkfree(copy);\n\td->ops->run(d, 2);\n'));
      const moved = await compare(root, cache);
      expect(moved.got).toEqual(moved.want);
      expect(moved.incremental, moved.why).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is resolved in full when its arguments change and the signature fallback bound it (its arguments choose)', async () => {
    const { root, cache } = await indexed('signature');
    const before = await openTreeReport({ root, cache });
    // h->rx in run_member: a member of a known struct nothing binds, its declared type and arguments pick the candidates.
    expect(canonicalGraph(before.project).some((r) => r.startsWith('edge run_member@run.c:') && r.includes(' signature at 6 '))).toBe(true);
    replaceIn(root, 'run.c', 'return h->rx(p, n);', 'return h->rx(p, n, 0);');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(false);
  });

  it('is patched when added through an expression another call site of the tree reached the member by', async () => {
    const { root, cache } = await indexed('minikernel');
    const path = 'net/ipv4/tcp_ipv4.c';
    // tcp_v4_do_rcv calls sk->sk_data_ready(sk) in this file; af_inet.c calls sk->sk_prot->init(sk), bound by tcp_prot's initializer.
    replaceIn(root, path, '\treturn tcp_connect(sk);\n}', '\tsk->sk_data_ready(sk);\n\tsk->sk_prot->init(sk);\n\treturn tcp_connect(sk);\n}');
    const first = await compare(root, cache);
    expect(first.got).toEqual(first.want);
    expect(first.got.some((r) => r.startsWith('edge tcp_v4_connect@') && r.includes(' ops-initializer at 44 '))).toBe(true);
    expect(first.incremental, first.why).toBe(true);
    // A member no call site reaches through that expression: resolved in full, and equal.
    replaceIn(root, path, '\tsk->sk_prot->init(sk);\n', '\tsk->sk_prot->init(sk);\n\tsk->sk_prot->hash(sk);\n');
    const second = await compare(root, cache);
    expect(second.got).toEqual(second.want);
    expect(second.incremental, second.why).toBe(false);
    expect(second.why).toContain('no call site of the tree calls hash of struct proto');
    // A receiver one of whose steps no call site took (no call reads sk_socket of a struct sock here), but the resolution
    // noted it among the members leading to members some binding filled (resolve/member-steps.ts): patched.
    replaceIn(root, path, '\tsk->sk_prot->hash(sk);\n', '\tsk->sk_socket->ops->connect(sk->sk_socket, uaddr, addr_len, 0);\n');
    const third = await compare(root, cache);
    expect(third.got).toEqual(third.want);
    expect(third.incremental, third.why).toBe(true);
    // One step neither took: struct net holds a net_device, whose own members hold the members bound (three levels down). -v names the step.
    replaceIn(root, path, '\tsk->sk_socket->ops->connect(sk->sk_socket, uaddr, addr_len, 0);\n', '\tsk->sk_net->loopback_dev->netdev_ops->ndo_open(0);\n');
    const fourth = await compare(root, cache);
    expect(fourth.got).toEqual(fourth.want);
    expect(fourth.incremental).toBe(false);
    expect(fourth.why).toContain('no call site of the tree reads sk_net of struct sock as its receiver does');
  });

  it('is patched when added through a receiver made of steps other call sites took', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-member-calls-');
    // A call site reads sk_socket of a struct sock (then sk of its struct socket); socket.c reads ops of a struct socket, then connect of a struct proto_ops.
    writeFileSync(join(root, 'net/pf_steps.c'), '#include <net/sock.h>\n\nint pf_steps(struct sock *sk)\n{\n\treturn sk->sk_socket->sk->sk_prot->init(sk);\n}\n');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    // sk->sk_socket->ops->connect: no site calls through sk->sk_socket->ops, but each of its steps was taken.
    replaceIn(root, 'net/ipv4/tcp_ipv4.c', '\treturn tcp_connect(sk);\n}', '\tsk->sk_socket->ops->connect(sk->sk_socket, uaddr, addr_len, 0);\n\treturn tcp_connect(sk);\n}');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(got.some((r) => r.startsWith('edge tcp_v4_connect@') && r.includes(' at 43 ') && r.includes('inet_stream_connect'))).toBe(true);
    expect(incremental, why).toBe(true);
  });

  it('is patched in a function added', async () => {
    const { root, cache } = await indexed('minikernel');
    // A new function calling through struct sock's members, as tcp_v4_do_rcv and inet_init_sock do.
    replaceIn(root, 'net/ipv4/tcp_ipv4.c', '\nint tcp_v4_rcv(struct sk_buff *skb)\n', '\nstatic int pf_ready(struct sock *sk)\n{\n\tsk->sk_data_ready(sk);\n\treturn sk->sk_prot->init(sk);\n}\n\nint tcp_v4_rcv(struct sk_buff *skb)\n');
    const { incremental, why, got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(got.some((r) => r.startsWith('edge pf_ready@') && r.includes(' ops-initializer '))).toBe(true);
    expect(incremental, why).toBe(true);
  });

  it('is patched when added through a tag several files define only where its file evaluated that receiver before', async () => {
    const { root, cache } = await indexed('sametag');
    // struct nic_hw is alpha's in alpha's files and beta's in beta's: alpha_reset calls hw->mac.ops.reset_hw in alpha_main.c.
    replaceIn(root, 'drivers/net/alpha/alpha_main.c', '\treturn hw->mac.ops.check_for_link(hw);', '\thw->mac.ops.reset_hw(hw);\n\treturn hw->mac.ops.check_for_link(hw);');
    const first = await compare(root, cache);
    expect(first.got).toEqual(first.want);
    expect(first.got.some((r) => r.startsWith('edge alpha_has_link@') && r.includes('-> alpha_reset_hw@') && r.includes(' at 5 '))).toBe(true);
    expect(first.incremental, first.why).toBe(true);
    // In a file that never evaluated it: resolved in full.
    replaceIn(root, 'drivers/net/alpha/alpha_mac.c', '\thw->mac.ops = alpha_mac_ops;', '\thw->mac.ops = alpha_mac_ops;\n\thw->mac.ops.reset_hw(hw);');
    const second = await compare(root, cache);
    expect(second.got).toEqual(second.want);
    expect(second.incremental, second.why).toBe(false);
    // In the file that did, with an #include line added that moves no definition of the tag: patched. One that would is resolved in full (include-edit.ts).
    replaceIn(root, 'drivers/net/alpha/alpha_main.c', '#include "alpha_hw.h"\n', '#include "alpha_hw.h"\n#include <linux/kernel.h>\n');
    replaceIn(root, 'drivers/net/alpha/alpha_main.c', '\treturn hw->mac.ops.reset_hw(hw);', '\thw->mac.ops.check_for_link(hw);\n\treturn hw->mac.ops.reset_hw(hw);');
    const third = await compare(root, cache);
    expect(third.got).toEqual(third.want);
    expect(third.incremental, third.why).toBe(true);
    replaceIn(root, 'drivers/net/alpha/alpha_main.c', '#include <linux/kernel.h>\n', '#include "../beta/beta_hw.h"\n');
    replaceIn(root, 'drivers/net/alpha/alpha_main.c', '\treturn hw->mac.ops.reset_hw(hw);', '\thw->mac.ops.reset_hw(hw);\n\treturn hw->mac.ops.reset_hw(hw);');
    const fourth = await compare(root, cache);
    expect(fourth.got).toEqual(fourth.want);
  });

  it('adds no edge for one added where the configuration leaves it out', async () => {
    const { root, cache } = await indexed('ifdefcall');
    const path = 'kernel/irq/manage.c';
    // handle_irq_event calls action->handler, bound by request_threaded_irq's store; the defconfig sets CONFIG_SMP.
    replaceIn(root, path, '\treturn action->handler(irq, action->dev_id);', '#ifndef CONFIG_SMP\n\taction->handler(irq, 0);\n#endif\n\treturn action->handler(irq, action->dev_id);');
    const { got, want } = await compare(root, cache);
    expect(got).toEqual(want);
    expect(got.some((r) => r.startsWith('edge handle_irq_event@') && r.includes(' at 36 '))).toBe(false);
    expect(got.some((r) => r.startsWith('edge handle_irq_event@') && r.includes(' at 38 '))).toBe(true);
  });

  it('keeps the graph equal to a fresh index through random removals, additions and argument changes among binding and body edits', async () => {
    // Initializer and assignment edits after a removal read the binding record it patched; body edits move the sites left; functions removed may call through members.
    const others = ['initializer', 'assignment removed', 'initializer added', 'body', 'member call added', 'member call added', 'function removed', 'member call arguments changed', 'member call arguments changed'];
    let patched = 0;
    let removals = 0;
    let argumentsPatched = 0;
    let addedPatched = 0;
    for (const [i, fixture] of ['minikernel', 'incr/bindings', 'fallback', 'fieldcopy', 'ptrvar/param-load', 'deferred', 'sametag', 'macrodef/ops'].entries()) {
      const random = seededRandom(400 + i);
      const { root, cache } = await indexed(fixture);
      let facts = (await openTreeReport({ root, cache: false })).project.index.files;
      const done: string[] = [];
      for (let step = 0; step < 8; step++) {
        const remove = random() < 0.4;
        const kind = remove ? 'member call removed' : others[Math.floor(random() * others.length)]!;
        const what = (remove ? memberCallRemoved : EDIT_KINDS[kind]!)({ root, facts, random, serial: step + 1 });
        if (!what) continue;
        done.push(what);
        const { incremental, got, want } = await compare(root, cache);
        expect(got, `${fixture}: ${done.join('; ')}`).toEqual(want);
        if (remove) {
          removals++;
          patched += incremental ? 1 : 0;
        }
        if (kind === 'member call arguments changed') argumentsPatched += incremental ? 1 : 0;
        if (kind === 'member call added') addedPatched += incremental ? 1 : 0;
        facts = (await openTreeReport({ root, cache: false })).project.index.files;
      }
    }
    // Most removals are patched (one in a function a binding edit touched first, say, may not be).
    expect(patched).toBeGreaterThan(removals / 2);
    // Calls given other arguments, or added through an expression some site reached the member by, are patched too when their members bind them.
    expect(argumentsPatched).toBeGreaterThan(0);
    expect(addedPatched).toBeGreaterThan(0);
  });
});
