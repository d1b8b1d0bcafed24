import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel, indexed once with its cache on. */
async function indexedScratch(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-incr-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** Rewrites a file of the tree with `edit` applied; fails the test when the edit matched nothing. */
function edit(root: string, path: string, change: (text: string) => string): void {
  const file = join(root, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

/** Inserts `line` after the first line that contains `anchor`. */
const insertAfter = (anchor: string, line: string) => (text: string) => text.replace(new RegExp(`(.*${anchor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\n)`), `$1${line}\n`);

/** The whole graph as sorted text: nodes with their lines, edges with kinds, lines and every binding behind them. */
function graphText(p: Project): string[] {
  const { index, edges } = p;
  const node = (n: number): string => `${index.name(n)}@${index.file(n)}:${index.nodeLine[n]}`;
  const rows: string[] = [];
  for (let n = 0; n < index.nodeCount; n++) rows.push(`node ${node(n)}`);
  for (let e = 0; e < edges.length; e++) {
    // Every binding behind the edge, in the order they are shown.
    const ev = edges.evidenceOf(e, index.file(edges.to.get(e)));
    rows.push(`edge ${node(edges.from.get(e))} -> ${node(edges.to.get(e))} ${EDGE_KINDS[edges.kind.get(e)]} at ${edges.line.get(e)}${ev.map((b) => ` [${b.file}:${b.line} ${b.text}]`).join('')}`);
  }
  return rows.sort();
}

/** Opens the edited tree through its cache, and from scratch without one. */
async function reopen(root: string, cache: string) {
  const cached = await openTreeReport({ root, cache });
  const scratch = await openTreeReport({ root, cache: false });
  return { report: cached.report, got: graphText(cached.project), want: graphText(scratch.project) };
}

describe('incremental re-index after an edit', () => {
  it('patches the cached graph for a new simple call that shifts later lines, as a full index would', async () => {
    const { root, cache } = await indexedScratch();
    const before = await openTreeReport({ root, cache });
    // inet_dgram_connect is the first function: its ops initializers, hint calls and registrations all move down.
    edit(root, 'net/ipv4/af_inet.c', insertAfter('if (addr_len < sizeof(uaddr->sa_family))', '\t\tinet_send_prepare(NULL);\n\tsock_rps_record_flow(NULL);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true, fromGraphCache: false });
    expect(got).toEqual(want);
    expect(got.some((r) => r.startsWith('edge inet_dgram_connect@') && r.includes('-> sock_rps_record_flow@') && r.includes(' direct at 26'))).toBe(true);
    // Something later in the file did move, and its evidence with it.
    expect(graphText(before.project)).not.toEqual(got);
    expect(got.some((r) => r.includes('[net/ipv4/af_inet.c:85 .sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops] [net/ipv4/af_inet.c:92 .sendmsg = inet_sendmsg in struct proto_ops inet_dgram_ops]'))).toBe(true);
    // The caches were rewritten: the next open loads the patched graph as it is.
    const again = await openTreeReport({ root, cache });
    expect(again.report.fromGraphCache).toBe(true);
    expect(graphText(again.project)).toEqual(want);
  });

  it('patches a removed call and an added duplicate of an existing call', async () => {
    const { root, cache } = await indexedScratch();
    // inet_init calls pr_crit twice with arguments of the same kind: a third one must be told apart from the two kept.
    edit(root, 'net/ipv4/af_inet.c', (t) => t.replace('\tINIT_LIST_HEAD(&inetsw[i]);\n', '\t;\n').replace(/(\t\tpr_crit\("%s: Cannot add UDP protocol\\n", __func__\);\n)/, '$1\tpr_crit("%s: again\\n", __func__);\n'));
    const { report, got, want } = await reopen(root, cache);
    expect(report.incremental).toBe(true);
    expect(got).toEqual(want);
  });

  it('keeps the graph for a comment, moving lines when the comment adds some', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', (t) => `${t}/* appended */\n`);
    const tail = await reopen(root, cache);
    expect(tail.report).toMatchObject({ parsed: 1, incremental: true });
    expect(tail.got).toEqual(tail.want);
    edit(root, 'net/socket.c', insertAfter('file->f_flags = flags;', '\t/* a comment\n\t   of two lines */'));
    const middle = await reopen(root, cache);
    expect(middle.report).toMatchObject({ parsed: 1, incremental: true });
    expect(middle.got).toEqual(middle.want);
  });

  it('patches several edited files at once, and the facts cache follows', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/socket.c', insertAfter('struct file *file = kzalloc', '\tsock_release(NULL);'));
    edit(root, 'fs/read_write.c', insertAfter('ssize_t ret = -EBADF;', '\tno_llseek(NULL, 0, 0);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 2, incremental: true });
    expect(got).toEqual(want);
    // Facts read back from the rewritten cache are those of the edited files.
    const withFacts = await openTreeReport({ root, cache, facts: true });
    const fresh = await openTreeReport({ root, cache: false });
    expect(withFacts.report.parsed).toBe(0);
    expect(withFacts.project.index.files).toEqual(fresh.project.index.files);
  });

  it('moves the uses that callback and registration evidence names by file and line', async () => {
    const { root, cache } = await indexedScratch();
    // NF_HOOK calls its okfn at include/linux/netfilter.h:74; netif_napi_add_weight stores poll at net/core/dev.c:176.
    edit(root, 'include/linux/netfilter.h', insertAfter('struct nf_hook_state state;', '\tnf_hook_slow_list(NULL, NULL);'));
    edit(root, 'net/core/dev.c', insertAfter('spin_lock(&ptype_lock);', '\tspin_lock(&ptype_lock);\n\tspin_unlock(&ptype_lock);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 2, incremental: true });
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('passed to NF_HOOK, which calls it (include/linux/netfilter.h:75)]'))).toBe(true);
    expect(got.some((r) => r.includes('by netif_napi_add_weight (net/core/dev.c:178)]'))).toBe(true);
  });

  it('patches a new call that passes a parameter on, unless functions are followed through where it goes', async () => {
    const { root, cache } = await indexedScratch();
    // sock_release does nothing with its parameter that the graph follows.
    edit(root, 'net/socket.c', insertAfter('file->f_flags = flags;', '\tsock_release(sock);'));
    // A function passed where nothing follows it (sock_register keeps it in an array the graph does not read).
    edit(root, 'net/ipv4/af_inet.c', insertAfter('lock_sock(sock->sk);', '\tsock_register(inet_create);'));
    // A call added to a macro body, passing its parameter where nothing follows it (netif_napi_add's napi).
    edit(root, 'include/linux/kernel.h', (t) => t.replace('#define min(a, b)\t\t((a) < (b)', '#define min(a, b)\t\t(netif_napi_add(NULL, a, NULL), (a) < (b)'));
    const plain = await reopen(root, cache);
    expect(plain.report).toMatchObject({ parsed: 3, incremental: true });
    expect(plain.got.some((r) => r.startsWith('edge min@include/linux/kernel.h') && r.includes('-> netif_napi_add@') && r.includes(' macro at'))).toBe(true);
    expect(plain.got).toEqual(plain.want);
    // netif_napi_add_weight stores its poll parameter: what callers of netif_napi_add pass may now flow there twice.
    edit(root, 'include/linux/netdevice.h', insertAfter('netif_napi_add_weight(dev, napi, poll, NAPI_POLL_WEIGHT);', '\tnetif_napi_add_weight(dev, napi, poll, 1);'));
    const followed = await reopen(root, cache);
    expect(followed.report).toMatchObject({ parsed: 1, incremental: false });
    expect(followed.got).toEqual(followed.want);
    // A macro passing its parameter on as netif_napi_add's poll: what min's callers pass may now be stored.
    edit(root, 'include/linux/kernel.h', (t) => t.replace('netif_napi_add(NULL, a, NULL)', 'netif_napi_add(NULL, NULL, a)'));
    const macroPass = await reopen(root, cache);
    expect(macroPass.report).toMatchObject({ parsed: 1, incremental: false });
    expect(macroPass.got).toEqual(macroPass.want);
  });

  it('falls back to a full resolution for an edit that is not simple, with the same graph', async () => {
    for (const change of [
      // A call through a member.
      insertAfter('lock_sock(sock->sk);', '\tsock->ops->release(sock);'),
      // A member passed where functions are stored (netif_napi_add stores its third parameter through a wrapper): what it holds is not kept.
      insertAfter('lock_sock(sock->sk);', '\tnetif_napi_add(NULL, NULL, sock->ops->release);'),
    ]) {
      const { root, cache } = await indexedScratch();
      edit(root, 'net/ipv4/af_inet.c', change);
      const { report, got, want } = await reopen(root, cache);
      expect(report).toMatchObject({ parsed: 1, incremental: false, fromGraphCache: false });
      expect(got).toEqual(want);
    }
  });

  it('patches a function passed where functions are stored (netif_napi_add stores its poll through a wrapper): __napi_poll binds it, with the same graph', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', insertAfter('lock_sock(sock->sk);', '\tnetif_napi_add(NULL, NULL, inet_create);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true, fromGraphCache: false });
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('-> inet_create@') && r.includes(' param-to-field ') && r.includes('inet_create passed by inet_stream_connect to netif_napi_add'))).toBe(true);
  });

  it('patches a function passed where functions are called (NF_HOOK calls its okfn): the callback-arg edge made, with the same graph', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', insertAfter('lock_sock(sock->sk);', '\tNF_HOOK(0, 0, NULL, NULL, NULL, NULL, NULL, inet_create);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true, fromGraphCache: false });
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('-> inet_create@') && r.includes(' callback-arg '))).toBe(true);
  });

  it('patches an initializer changed to a function taken elsewhere, the one it named no longer taken (the signature fallback listed again)', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', (t: string) => t.replace('.create\t= inet_create,', '.create\t= inet_dgram_connect,'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true, fromGraphCache: false });
    expect(got).toEqual(want);
  });

  it('patches an edit that changes an include (cache/include-edit.ts), and falls back to a full resolution when it puts a definition under a condition', async () => {
    for (const [change, patched] of [
      // An include written another way: `<...>` to `"..."`, no line moved.
      [(t: string) => t.replace('#include <linux/list.h>', '#include "linux/list.h"'), true],
      // An include added.
      [insertAfter('#include <linux/list.h>', '#include <linux/extra.h>'), true],
      // A definition put under a condition.
      [(t: string) => `${t.replace('static int inet_send_prepare(', '#ifdef CONFIG_INET\nstatic int inet_send_prepare(')}#endif\n`, false],
    ] as [(t: string) => string, boolean][]) {
      const { root, cache } = await indexedScratch();
      edit(root, 'net/ipv4/af_inet.c', change);
      const { report, got, want } = await reopen(root, cache);
      expect(report).toMatchObject({ parsed: 1, incremental: patched });
      expect(got).toEqual(want);
    }
  });

  it('falls back to a full resolution when only the condition of a definition changes', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', (t) => `${t.replace('static int inet_send_prepare(', '#ifdef CONFIG_INET\nstatic int inet_send_prepare(')}#endif\n`);
    await reopen(root, cache);
    edit(root, 'net/ipv4/af_inet.c', (t) => t.replace('#ifdef CONFIG_INET', '#ifndef CONFIG_INET'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: false });
    expect(got).toEqual(want);
  });

  it('patches an edit when the facts span several cache frames, and reads the edited file\'s facts back from the cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-incr-frames-'));
    const root = join(dir, 'tree');
    // 450 files: more than two frames of facts. Each function calls the next; every tenth file also stores its own in an ops table and calls through one.
    for (let i = 0; i < 450; i++) {
      const name = `lib/f${String(i).padStart(3, '0')}.c`;
      const ops = i % 10 === 0 ? `\nstruct ops_${i} { int (*run)(int); };\nstatic const struct ops_${i} table_${i} = {\n\t.run = f${i},\n};\nint call_${i}(struct ops_${i} *o)\n{\n\treturn o->run(1);\n}\n` : '';
      mkdirSync(join(root, 'lib'), { recursive: true });
      writeFileSync(join(root, name), `int f${i}(int x)\n{\n\treturn f${(i + 1) % 450}(x);\n}\n${ops}`);
    }
    const cache = join(dir, 'cache');
    // Two parse workers: each batch of files comes back as one facts frame, stored as it was compressed.
    await openTreeReport({ root, cache, jobs: 2 });
    edit(root, 'lib/f300.c', insertAfter('{', '\tf7(NULL);\n\tf8(NULL);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true });
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('[lib/f300.c:10 .run = f300 in struct ops_300 table_300]'))).toBe(true);
    const withFacts = await openTreeReport({ root, cache, facts: true });
    expect(withFacts.report.parsed).toBe(0);
    expect(withFacts.project.index.files).toEqual((await openTreeReport({ root, cache: false })).project.index.files);
  });

  it('renames the anonymous structs an edit moves, in the evidence of other files too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-incr-anon-'));
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'include'), { recursive: true });
    mkdirSync(join(root, 'lib'), { recursive: true });
    writeFileSync(join(root, 'include/outer.h'), 'static inline int helper(int x)\n{\n\treturn x;\n}\n\nstruct outer {\n\tstruct {\n\t\tint (*cb)(int);\n\t} inner;\n};\n');
    writeFileSync(join(root, 'lib/use.c'), '#include "outer.h"\n\nint fn(int v)\n{\n\treturn v;\n}\n\nstatic struct outer o = {\n\t.inner.cb = fn,\n};\n\nint run(struct outer *p)\n{\n\treturn p->inner.cb(1);\n}\n');
    const cache = join(dir, 'cache');
    const first = await openTreeReport({ root, cache });
    expect(graphText(first.project).some((r) => r.includes('(struct <anon include/outer.h:7>.cb)]'))).toBe(true);
    edit(root, 'include/outer.h', insertAfter('{', '\tfn(NULL);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true });
    expect(got).toEqual(want);
    expect(got.some((r) => r.includes('(struct <anon include/outer.h:8>.cb)]'))).toBe(true);
  });

  it('patches a file added (cache/renumber-files.ts)', async () => {
    const { root, cache } = await indexedScratch();
    writeFileSync(join(root, 'net/extra.c'), 'void extra(void)\n{\n\tsock_release(NULL);\n}\n');
    const { report, got, want } = await reopen(root, cache);
    expect(report).toMatchObject({ parsed: 1, incremental: true });
    expect(got).toEqual(want);
  });

  it('patches a new call to a function defined in no indexed file that is already an external node', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', insertAfter('if (addr_len < sizeof(uaddr->sa_family))', '\t\tkfree(NULL);'));
    const { report, got, want } = await reopen(root, cache);
    expect(report.incremental).toBe(true);
    expect(got).toEqual(want);
    expect(want.some((r) => r.startsWith('edge inet_dgram_connect@') && r.includes('-> kfree@:0 direct at 25'))).toBe(true);
  });

  it('gives the graph a fresh index gives when an edit calls a name defined nowhere, or drops the last call to one', async () => {
    const { root, cache } = await indexedScratch();
    edit(root, 'net/ipv4/af_inet.c', insertAfter('if (addr_len < sizeof(uaddr->sa_family))', '\t\tbrand_new_helper(NULL);'));
    const added = await reopen(root, cache);
    expect(added.got).toEqual(added.want);
    expect(added.want).toContain('node brand_new_helper@:0');
    // open_softirq is called once in the tree: without that call it is no node at all.
    edit(root, 'net/core/dev.c', (t) => t.replace('\topen_softirq(NET_RX_SOFTIRQ, net_rx_action);\n', '\t;\n'));
    const removed = await reopen(root, cache);
    expect(removed.got).toEqual(removed.want);
    expect(removed.want.some((r) => r.includes('open_softirq'))).toBe(false);
    expect(added.want.some((r) => r.includes('open_softirq'))).toBe(true);
  });
});
