import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { verifyClaims } from '../../src/check/verify.js';
import { NodeFlag } from '../../src/index/code-index.js';
import { openTree, openTreeReport, type Project } from '../../src/index.js';
import type { Claim } from '../../src/types/claims.js';
import { claim } from '../support/claims.js';
import { editFile } from '../support/edit-files.js';
import { copyFixture, fixturesDir } from '../support/fixtures.js';
import { bin, cliEnv } from '../support/run-cli.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * Functions whose every call is a tail call leave no frame on a stack taken below them, on
 * whatever lines the calls stand (fixtures/tailcalls): the syscall switch x64_sys_call (its cases
 * come from a generated header: its edges are the syscall table's), an ioctl dispatcher, a
 * wrapper calling through an ops pointer on two lines. A function with one call that is no tail
 * call keeps its frame.
 */
const root = join(fixturesDir, 'tailcalls');
let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1, cache: false });
});

const check = (claims: Claim[], on = project) => verifyClaims(on, claims, ['doc.md']).findings.map((f) => f.rule);
const tailOnly = (on: Project, name: string): boolean => on.nodes(name).every((n) => (on.index.nodeFlags[n]! & NodeFlag.TailCalls) !== 0);
const steps = (caller: string, callee: string, on = project) => explainEdge(on, caller, callee).throughInlined.map((e) => `${e.from.name} -> ${e.to.name} ${e.kind}`);

/**
 * A copy of fixtures/tailcalls indexed into a cache of its own, and `compare`: opens it from that
 * cache (patched after an edit) and checks the graph equals a fresh index's, returning the cached open.
 */
async function cachedCopy(): Promise<{ copy: string; compare: () => ReturnType<typeof openTreeReport> }> {
  const { dir, root: copy } = copyFixture('tailcalls', 'pathfind-tail-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root: copy, cache });
  const compare = async () => {
    const cached = await openTreeReport({ root: copy, cache });
    const fresh = await openTreeReport({ root: copy, cache: false });
    expect(canonicalGraph(cached.project)).toEqual(canonicalGraph(fresh.project));
    return cached;
  };
  return { copy, compare };
}

describe('functions making tail calls only', () => {
  it('are flagged from their facts, whatever lines their calls are on', () => {
    for (const name of ['x64_sys_call', 'widget_ioctl', 'widget_call', 'sys_write', 'sys_sendto', 'widget_touch', 'widget_pick']) expect(tailOnly(project, name), name).toBe(true);
    // widget_check calls widget_busy in an `if`; widget_nested passes widget_busy's result on; do_syscall_64 calls in statements;
    // widget_either tests what widget_get returns.
    for (const name of ['widget_check', 'widget_nested', 'do_syscall_64', 'ksys_write', 'widget_poll', 'widget_either']) expect(tailOnly(project, name), name).toBe(false);
  });

  it('explain shows the syscall chain a write oops shows as one step (do_syscall_64 -> ksys_write)', () => {
    expect(steps('do_syscall_64', 'ksys_write')).toEqual(['do_syscall_64 -> do_syscall_x64 direct', 'do_syscall_x64 -> x64_sys_call direct', 'x64_sys_call -> sys_write dispatch-table', 'sys_write -> ksys_write direct']);
    expect(steps('do_syscall_64', '__sys_sendto')).toEqual(['do_syscall_64 -> do_syscall_x64 direct', 'do_syscall_x64 -> x64_sys_call direct', 'x64_sys_call -> sys_sendto dispatch-table', 'sys_sendto -> __sys_sendto direct']);
  });

  it('a stack step may skip them (a switch of tail calls, a tail call through a pointer on two lines), not a function called through a pointer with a call that is no tail call', () => {
    expect(check([claim('widget_poll', 'widget_get', { mayInline: true })])).toEqual([]);
    expect(check([claim('widget_poll', 'widget_set', { mayInline: true })])).toEqual([]);
    expect(check([claim('widget_poll', 'widget_run', { mayInline: true })])).toEqual([]);
    // widget_check is short and called by name in its own file: inlined into widget_poll, whatever its calls.
    expect(check([claim('widget_poll', 'widget_busy', { mayInline: true })])).toEqual([]);
    expect(steps('widget_poll', 'widget_busy')).toEqual(['widget_poll -> widget_check direct', 'widget_check -> widget_busy direct']);
    // widget_slow's frame stays while widget_busy runs: static, but called through w->ops->run only,
    // and a call through a pointer is never inlined.
    expect(check([claim('widget_call', 'widget_busy', { mayInline: true })])).toEqual(['broken-call']);
    expect(steps('widget_call', 'widget_busy')).toEqual([]);
    // Only a stack step skips frames: a written call chain does not.
    expect(check([claim('widget_poll', 'widget_get')])).toEqual(['broken-call']);
  });

  // A user's finding: `__x64_sys_openat -> do_sys_openat2` was broken for check, as do_sys_open (global) calls build_open_how before its tail call.
  it('a stack step may skip a short global function called by name in its own file (inlined there), not one called from another file', () => {
    expect(tailOnly(project, 'do_sys_open')).toBe(false);
    expect(check([claim('sys_openat', 'do_sys_openat2', { mayInline: true })])).toEqual([]);
    expect(steps('sys_openat', 'do_sys_openat2')).toEqual(['sys_openat -> do_sys_open direct', 'do_sys_open -> do_sys_openat2 direct']);
    // ksys_write spans more lines than a short function: the skip is a note (a compiler may still
    // inline a function of 12 lines or fewer into its own file); do_sys_open is inlined only into callers of its own file.
    expect(check([claim('sys_write', 'vfs_write', { mayInline: true })])).toEqual(['skipped-calls']);
    expect(check([claim('kernel_openat', 'do_sys_openat2', { mayInline: true })])).toEqual(['broken-call']);
  });

  // Linux 6.1's interrupt stacks read `__irq_exit_rcu <- sysvec_apic_timer_interrupt`: irq_exit_rcu's last statement,
  // lockdep_hardirq_exit(), expands to nothing without CONFIG_TRACE_IRQFLAGS, so its call of __irq_exit_rcu is a tail call.
  it('a stack step may skip a wrapper whose only other calls are of macros that expand to no call, not one whose macros call', async () => {
    expect(check([claim('sysvec_apic_timer_interrupt', '__irq_exit_rcu', { mayInline: true })])).toEqual([]);
    expect(steps('sysvec_apic_timer_interrupt', '__irq_exit_rcu')).toEqual(['sysvec_apic_timer_interrupt -> instr_sysvec_apic_timer_interrupt direct', 'instr_sysvec_apic_timer_interrupt -> irq_exit_rcu direct', 'irq_exit_rcu -> __irq_exit_rcu direct']);
    // irq_exit's account_irq_exit() calls irq_account_exit_time after __irq_exit_rcu returns: its frame stays.
    expect(check([claim('sysvec_reschedule_ipi', '__irq_exit_rcu', { mayInline: true })])).toEqual(['broken-call']);
    const trace = ' <IRQ>\n do_softirq_pending+0x1c/0x40\n __irq_exit_rcu+0x9d/0xc0\n sysvec_apic_timer_interrupt+0x6e/0x90\n </IRQ>\n';
    const r = spawnSync(process.execPath, [bin, '-q', '--no-cache', '-C', root, 'check', '-'], { encoding: 'utf8', env: cliEnv(), input: trace });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'checked 2 steps in 1 document: every step holds\n', '']);
    // With CONFIG_TRACE_IRQFLAGS the annotation calls lockdep_count_hardirq_exit: irq_exit_rcu keeps its frame.
    const { root: traced } = copyFixture('tailcalls', 'pathfind-tail-');
    writeFileSync(join(traced, '.config'), 'CONFIG_NET=y\nCONFIG_TRACE_IRQFLAGS=y\n');
    const withTrace = await openTree({ root: traced, jobs: 1, cache: false });
    expect(check([claim('sysvec_apic_timer_interrupt', '__irq_exit_rcu', { mayInline: true })], withTrace)).toEqual(['broken-call']);
  });

  // The miniature kernel's vfs_write calls file->f_op->write(...) on one line, bound to nothing, and new_sync_write on another:
  // its only edges stand on one line, but it makes calls on two, so its frame stays (a wrapper is read from its call sites, not its edges).
  it('a stack step does not skip a function whose edges stand on one line when a call through a pointer bound to nothing stands on another', async () => {
    const mini = join(fixturesDir, 'minikernel');
    const { dir, root: copy } = copyFixture('minikernel', 'pathfind-tail-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: copy, cache });
    for (const on of [await openTree({ root: mini, jobs: 1, cache: false, facts: 'lazy' }), await openTree({ root: copy, cache, facts: 'lazy' })]) {
      expect(steps('ksys_write', 'pipe_write', on).some((s) => s.startsWith('vfs_write ->'))).toBe(false);
      expect(check([claim('ksys_write', 'new_sync_write', { mayInline: true })], on)).toEqual(['broken-call']);
    }
  });

  // Linux 6.1's softirq stacks read `__do_softirq <- do_softirq`: do_softirq_own_stack's call_on_stack calls it from an asm template.
  it('a function an asm statement calls by its immediate operand, in a macro passed it, is called: explain shows the chain, a stack step holds', () => {
    expect(steps('do_softirq', '__do_softirq')).toEqual([]);
    const x = explainEdge(project, 'do_softirq', '__do_softirq');
    expect(x.throughMacros?.map((e) => `${e.from.name} -> ${e.to.name} ${e.kind}`)).toEqual(['do_softirq -> do_softirq_own_stack macro', 'do_softirq_own_stack -> __do_softirq callback-arg']);
    expect(check([claim('do_softirq', '__do_softirq', { mayInline: true })])).toEqual([]);
    // The call is made on the interrupt stack, so do_softirq's return address is there too: its frame comes before </IRQ>.
    const trace = 'Call Trace:\n <IRQ>\n __do_softirq+0x10/0x30\n do_softirq+0x61/0x80\n </IRQ>\n <TASK>\n irq_exit+0x9/0x20\n </TASK>\n';
    const r = spawnSync(process.execPath, [bin, '-q', '--no-cache', '-C', root, 'check', '-'], { encoding: 'utf8', env: cliEnv(), input: trace });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'checked 1 step in 1 document: every step holds\n', '']);
  });

  // Debian's Linux 6.1 stacks read `tcp_sendmsg <- sock_sendmsg`: inet_sendmsg ends `return INDIRECT_CALL_2(...)`, a jump,
  // though it calls inet_send_prepare before; its frame stays only while a call that is no tail call runs.
  it('a stack step may skip a function whose call of the frame above is a tail call, whatever its other calls', () => {
    expect(tailOnly(project, 'inet_sendmsg')).toBe(false);
    expect(check([claim('sock_sendmsg', 'udp_sendmsg', { mayInline: true })])).toEqual([]);
    expect(steps('sock_sendmsg', 'udp_sendmsg')).toEqual(['sock_sendmsg -> inet_sendmsg direct', 'inet_sendmsg -> udp_sendmsg direct']);
    // inet_send_prepare and inet_recv_done return to inet_sendmsg: its frame is on the stack while they run.
    expect(check([claim('sock_sendmsg', 'inet_send_prepare', { mayInline: true })])).toEqual(['broken-call']);
    expect(check([claim('sock_sendmsg', 'inet_recv_done', { mayInline: true })])).toEqual(['broken-call']);
    // A written call chain skips nothing.
    expect(check([claim('sock_sendmsg', 'udp_sendmsg')])).toEqual(['broken-call']);
  });

  it('check takes the written oops traces of write and sendto (exit 0)', () => {
    const r = spawnSync(process.execPath, [bin, '-q', '--no-cache', '-C', root, 'check', join(root, 'oops.txt')], { encoding: 'utf8', env: cliEnv() });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'checked 2 steps in 1 document: every step holds\n', '']);
  });

  it('an edit that makes a function all tail calls, or one of its calls no tail call, is patched and flags the node as a fresh index does', async () => {
    const { copy, compare } = await cachedCopy();
    // The same calls at the same places: only the flag changes.
    editFile(copy, 'drivers/misc/widget.c', 'return (long)widget_set(w,', 'return 1 + widget_set(w,');
    let opened = await compare();
    expect(opened.report.incremental).toBe(true);
    expect(tailOnly(opened.project, 'widget_ioctl')).toBe(false);
    // The cache holds the patched flags: opened again with no edit, the tree is as patched.
    opened = await compare();
    expect([opened.report.fromGraphCache, tailOnly(opened.project, 'widget_ioctl')]).toEqual([true, false]);
    expect(check([claim('widget_poll', 'widget_set', { mayInline: true })], opened.project)).toEqual(['broken-call']);
    // widget_check's call in an `if` taken out: its one call left is a tail call.
    editFile(copy, 'drivers/misc/widget.c', '\tif (widget_busy(w))\n\t\treturn -16;\n\treturn widget_get(w, arg);', '\treturn widget_get(w, arg);');
    opened = await compare();
    expect(opened.report.incremental).toBe(true);
    expect(tailOnly(opened.project, 'widget_check')).toBe(true);
    // And back: the flags follow.
    editFile(copy, 'drivers/misc/widget.c', 'return 1 + widget_set(w,', 'return (long)widget_set(w,');
    opened = await compare();
    expect(tailOnly(opened.project, 'widget_ioctl')).toBe(true);
  });

  it("an edit that makes a call a tail call or none is patched, and a stack step reads the call's new facts, as from a fresh index", async () => {
    const { dir, root: copy } = copyFixture('tailcalls', 'pathfind-tail-');
    const cache = join(dir, 'cache');
    // As check and explain open a tree: the facts read on demand.
    const lazy = () => openTreeReport({ root: copy, cache, facts: 'lazy' });
    await lazy();
    const udp = (p: Project) => check([claim('sock_sendmsg', 'udp_sendmsg', { mayInline: true })], p);
    // The returned value kept in a variable first: no tail call, inet_sendmsg's frame stays.
    editFile(copy, 'net/ipv4/af_inet.c', '\treturn udp_sendmsg(fd, buff, len);\n', '\tint sent = udp_sendmsg(fd, buff, len);\n\n\treturn sent;\n');
    let opened = await lazy();
    expect([opened.report.incremental, udp(opened.project)]).toEqual([true, ['broken-call']]);
    expect(udp(await openTree({ root: copy, jobs: 1, cache: false }))).toEqual(['broken-call']);
    // Opened again with no edit, the cache holds the patched facts.
    opened = await lazy();
    expect([opened.report.fromGraphCache, udp(opened.project)]).toEqual([true, ['broken-call']]);
    // And back.
    editFile(copy, 'net/ipv4/af_inet.c', '\tint sent = udp_sendmsg(fd, buff, len);\n\n\treturn sent;\n', '\treturn udp_sendmsg(fd, buff, len);\n');
    opened = await lazy();
    expect([opened.report.incremental, udp(opened.project)]).toEqual([true, []]);
    // A tree opened without its facts reads none after a patch, and finds no tail call: the cache it patched is still whole.
    editFile(copy, 'net/ipv4/af_inet.c', '\tinet_recv_done(fd);\n', '\tinet_recv_done(fd + 1);\n');
    const plain = await openTreeReport({ root: copy, cache });
    expect([plain.report.incremental, plain.project.index.factsReadable, udp(plain.project)]).toEqual([true, false, ['broken-call']]);
    expect(udp((await lazy()).project)).toEqual([]);
  });

  it('an edit that marks a function noinline, or takes the mark away, is patched and flags the node as a fresh index does', async () => {
    const { copy, compare } = await cachedCopy();
    const noinline = (p: Project, name: string): boolean => p.index.nodesNamed(name).some((n) => (p.index.nodeFlags[n]! & NodeFlag.NoInline) !== 0);
    editFile(copy, 'drivers/misc/widget.c', 'int widget_get(struct widget *w, unsigned long arg)', 'noinline int widget_get(struct widget *w, unsigned long arg)');
    let opened = await compare();
    expect([opened.report.incremental, noinline(opened.project, 'widget_get')]).toEqual([true, true]);
    editFile(copy, 'drivers/misc/widget.c', 'noinline int widget_get(', 'int widget_get(');
    opened = await compare();
    expect([opened.report.incremental, noinline(opened.project, 'widget_get')]).toEqual([true, false]);
  });

  it('a stack step that would fold more frames than a trace leaves out says so, and --max-gap accepts it as skipped calls', () => {
    // net/ipv4/ip_output.c: __ip_queue_xmit -> ip_local_out -> dst_output -> ip_output -> ip_finish_output -> __ip_finish_output -> ip_finish_output2, each a tail call.
    const stack = claim('__ip_queue_xmit', 'ip_finish_output2', { mayInline: true });
    const [broken] = verifyClaims(project, [stack], ['doc.md']).findings;
    expect(broken?.rule).toBe('broken-call');
    expect(broken?.message).toContain('a stack step folds at most 4 functions that leave no frame; this one would fold 5 (ip_local_out, dst_output, ip_output, ip_finish_output, __ip_finish_output): pass --max-gap 5 to accept it as skipped calls');
    const [skipped] = verifyClaims(project, [stack], ['doc.md'], { maxGap: 5 }).findings;
    expect([skipped?.rule, skipped?.severity]).toEqual(['skipped-calls', 'note']);
    // Four of them are within the limit: the step holds.
    expect(check([claim('ip_local_out', 'ip_finish_output2', { mayInline: true })])).toEqual([]);
  });
});
