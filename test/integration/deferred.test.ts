import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, openTreeReport, type PathResult, type Project, type TreeItem } from '../../src/index.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Deferred execution is not a call: fixtures/deferred has a bh-enable path that runs the softirq
 * handlers (`h->action(h)`), one of which runs tasklets (`t->callback(t)`) that reach the target,
 * beside a longer synchronous path to the same target; IRQ dispatch and NAPI polling too.
 */
const fixture = join(import.meta.dirname, '../../fixtures/deferred');

/** The synchronous path sock_sendmsg -> drv_wake_queue, through the transmit functions. */
const SYNC = ['sock_sendmsg', 'tcp_sendmsg', 'tcp_push', 'tcp_write_xmit', 'ip_queue_xmit', 'ip_output', 'dev_queue_xmit', 'dev_hard_start_xmit', 'wifi_start_xmit', 'wifi_queue_skb', 'wifi_schedule_txq', 'drv_wake_queue'];
/** The shorter one that leaves through release_sock and the softirq dispatch. */
const VIA_SOFTIRQ = ['sock_sendmsg', 'tcp_sendmsg', 'release_sock', 'spin_unlock_bh', 'local_bh_enable', 'do_softirq', '__do_softirq', 'tasklet_action', 'tasklet_action_common', 'wifi_wake_txqs', 'drv_wake_queue'];

const names = (p: PathResult | undefined): string[] => p?.nodes.map((n) => n.name) ?? [];
const deferredSteps = (p: PathResult | undefined): string[] => p?.edges.filter((e) => e.deferred).map((e) => `${e.from.name}>${e.to.name}`) ?? [];

/** Every deferred edge of a project as `from>to@file:line`, sorted. */
function deferredEdges(p: Project): string[] {
  const { index, edges } = p;
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    if (edges.isDeferred(e)) out.push(`${index.name(edges.from.get(e))}>${index.name(edges.to.get(e))}@${index.file(edges.from.get(e))}:${edges.line.get(e)}`);
  }
  return out.sort();
}

let project: Project;
beforeAll(async () => {
  project = await openTree({ root: fixture, jobs: 1 });
});

describe('deferred edges', () => {
  it('marks the edges of calls through the members the Linux profile declares, the softirqs raised by number, the tasklets scheduled by object, and no others', () => {
    expect(deferredEdges(project).map((e) => e.split('@')[0])).toEqual([
      '__do_softirq>net_rx_action',
      '__do_softirq>tasklet_action',
      // schedule_work(&local->tx_work), filed by INIT_WORK(&the_local.tx_work, ...).
      'hw_kick9>wifi_tx_work',
      'napi_schedule>net_rx_action',
      'sk_run_pending>wifi_tx_work',
      'sk_run_pending>wifi_watchdog',
      'tasklet_action_common>wifi_wake_txqs',
      'tasklet_schedule>tasklet_action',
      // tasklet_schedule(&local->wake_txqs_tasklet), filed by tasklet_setup(&the_local.wake_txqs_tasklet, ...) (object-hand-offs.test.ts).
      'wifi_interrupt>wifi_wake_txqs',
    ]);
  });

  // A user's finding: from an interrupt handler's inner function to a timer callback, the path went
  // through code x86 does not build, as the softirq the handler raises was no step.
  it('steps from a raise of a softirq by number to the handler open_softirq registered under it, with both places', () => {
    const edge = explainEdge(project, 'napi_schedule', 'net_rx_action').edges;
    expect(edge.map((e) => `${e.file}:${e.line} ${e.kind}${e.deferred ? ' deferred' : ''} ${e.evidence?.map((b) => `${b.file}:${b.line} ${b.text}`).join('; ')}`)).toEqual([
      'net/core/dev.c:29 dispatch-table deferred net/core/dev.c:49 open_softirq(NET_RX_SOFTIRQ, net_rx_action)',
    ]);
    // raise_softirq's own body passes its parameter on: no key, no edge.
    expect(deferredEdges(project).filter((e) => e.startsWith('raise_softirq>'))).toEqual([]);
    // The interrupt handler schedules NAPI and a tasklet: its path to the poll function leaves through the raise.
    const result = project.findPaths({ start: 'wifi_interrupt', target: 'wifi_poll' });
    expect(result.onlyDeferred).toBe(true);
    expect(names(result.paths[0])).toEqual(['wifi_interrupt', 'napi_schedule', 'net_rx_action', 'wifi_poll']);
    expect(deferredSteps(result.paths[0])).toEqual(['napi_schedule>net_rx_action']);
  });

  it('prefers a synchronous path to a shorter one through a deferred hop', () => {
    const result = project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue' });
    expect(names(result.paths[0])).toEqual(SYNC);
    expect(deferredSteps(result.paths[0])).toEqual([]);
    expect(result.onlyDeferred).toBeUndefined();
  });

  it('says when a path through deferred hops takes at most half the calls of the long synchronous one shown, in text and JSON', () => {
    // A user's finding on Linux 6.1: `-s napi_schedule -t igb_poll` showed 40 calls through notifier chains; --deferred gives 4.
    const result = project.findPaths({ start: 'wifi_reset', target: 'wifi_poll' });
    expect(names(result.paths[0])).toEqual(['wifi_reset', ...Array.from({ length: 20 }, (_, k) => `wifi_reset_stage${k + 1}`), 'wifi_poll']);
    expect(result.shorterDeferred).toEqual({ calls: 3 });
    expect(project.findPaths({ start: 'wifi_reset', target: 'wifi_poll', deferred: true }).paths.map(names)).toEqual([['wifi_reset', 'napi_schedule', 'net_rx_action', 'wifi_poll']]);
    // Eleven calls, short of a detour's length (and ten through the softirq): no note.
    expect(project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue' }).shorterDeferred).toBeUndefined();
    const cli = cliOn('deferred');
    // --no-deferred keeps to synchronous calls, and says how short the path through deferred hops is.
    const text = cli('-q', '-s', 'wifi_reset', '-t', 'wifi_poll', '--no-deferred');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('# a path through deferred hops takes 3 calls (this one 21): --deferred shows it');
    expect(JSON.parse(cli('-q', '--json', '-s', 'wifi_reset', '-t', 'wifi_poll', '--no-deferred').stdout).shorterDeferred).toEqual({ calls: 3 });
    expect(cli('-q', '-s', 'sock_sendmsg', '-t', 'drv_wake_queue').stdout).not.toContain('deferred hops');
  });

  it('a path query shows the path through deferred hops when the synchronous one is a detour at least twice as long, and says so', () => {
    // A user's finding on Linux 6.1: e1000_intr -> e1000_clean took 32 synchronous calls through the scheduler and 9p; through the NET_RX softirq, 6.
    const result = project.findPaths({ start: 'wifi_reset', target: 'wifi_poll', deferredWhenShorter: true });
    expect(result.paths.map(names)).toEqual([['wifi_reset', 'napi_schedule', 'net_rx_action', 'wifi_poll']]);
    expect(result.longerSynchronous).toEqual({ calls: 21 });
    expect(result.shorterDeferred).toBeUndefined();
    // A synchronous path short of a detour's length stays.
    const short = project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue', deferredWhenShorter: true });
    expect(short.longerSynchronous).toBeUndefined();
    expect(short.paths[0]!.edges.some((e) => e.deferred)).toBe(false);
    const cli = cliOn('deferred');
    const text = cli('-q', '-s', 'wifi_reset', '-t', 'wifi_poll');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('# through deferred hops: the shortest synchronous path takes 21 calls (--no-deferred shows it)');
    expect(text.stdout).toContain('[deferred]');
    expect(JSON.parse(cli('-q', '--json', '-s', 'wifi_reset', '-t', 'wifi_poll').stdout).longerSynchronous).toEqual({ calls: 21 });
    expect(cli('-q', '-s', 'wifi_reset', '-t', 'wifi_poll', '--format', 'dot').stdout).toContain('through deferred hops: a synchronous path takes 21 calls');
    // --no-deferred with no synchronous path at all: none, exit 1.
    const none = cli('-q', '-s', 'wifi_interrupt', '-t', 'wifi_poll', '--no-deferred');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^pathfind: no synchronous call path from wifi_interrupt to wifi_poll/);
  });

  it('keeps a synchronous detour when the shorter path through deferred hops runs through code the build leaves out, and says how long that one is', () => {
    // wifi_recover's deferred route (7 calls) enters four functions of drivers/net/wifi/compat, which no Makefile names:
    // costed, it comes after the 21-call synchronous path, so that one is the answer and no "through deferred hops" line heads it.
    const result = project.findPaths({ start: 'wifi_recover', target: 'wifi_poll', deferredWhenShorter: true });
    expect(result.paths[0]!.edges.some((e) => e.deferred)).toBe(false);
    expect(result.paths[0]!.edges.length).toBe(21);
    expect(result.longerSynchronous).toBeUndefined();
    expect(result.shorterDeferred).toEqual({ calls: 7, ranksLower: true });
    const cli = cliOn('deferred');
    const text = cli('-q', '-s', 'wifi_recover', '-t', 'wifi_poll');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('# a path through deferred hops takes 7 calls (this one 21) but ranks lower: it enters code not built or error reporting (--deferred with a larger -k lists it)');
    expect(JSON.parse(cli('-q', '--json', '-s', 'wifi_recover', '-t', 'wifi_poll').stdout).shorterDeferred).toEqual({ calls: 7, ranksLower: true });
    // --no-deferred's note has no rank to speak of.
    expect(cli('-q', '-s', 'wifi_recover', '-t', 'wifi_poll', '--no-deferred').stdout.split('\n')[0]).toBe('# a path through deferred hops takes 7 calls (this one 21): --deferred shows it');
    // As the note says, --deferred with a larger -k lists the deferred path through the compat layer after the detour.
    const deferred = project.findPaths({ start: 'wifi_recover', target: 'wifi_poll', deferred: true, k: 2 });
    expect(deferred.paths[0]!.edges.length).toBe(21);
    expect(names(deferred.paths[1])).toEqual(['wifi_recover', 'compat_napi_kick', 'compat_kick_stage2', 'compat_kick_stage3', 'compat_kick_stage4', 'napi_schedule', 'net_rx_action', 'wifi_poll']);
  });

  // A review user's finding on Linux 6.1: e1000_intr -> tcp_v4_rcv showed 27 synchronous calls through panic and code not
  // built, with no note, as the NET_RX path's 15 calls are more than half of 27; counted by cost, the detour is far dearer.
  it("halves the synchronous path's cost, not its calls: a detour through code not built gives way to a deferred path a little over half as long", () => {
    const result = project.findPaths({ start: 'wifi_recover_hw', target: 'drv_wake_queue', deferredWhenShorter: true });
    expect(result.paths[0]!.edges.length).toBe(11);
    expect(result.paths[0]!.edges.some((e) => e.deferred)).toBe(true);
    expect(result.longerSynchronous).toEqual({ calls: 20 });
    // --no-deferred shows the detour, with the note.
    const sync = project.findPaths({ start: 'wifi_recover_hw', target: 'drv_wake_queue', synchronousOnly: true });
    expect([sync.paths[0]!.edges.length, sync.shorterDeferred]).toEqual([20, { calls: 11 }]);
  });

  it('keeps to synchronous paths for -k when any exists', () => {
    const result = project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue', k: 3 });
    expect(result.paths.length).toBeGreaterThan(0);
    for (const p of result.paths) {
      expect(deferredSteps(p)).toEqual([]);
      expect(names(p)).not.toContain('__do_softirq');
    }
  });

  it('takes deferred hops when no synchronous path exists, and says so', () => {
    const result = project.findPaths({ start: 'release_sock', target: 'drv_wake_queue' });
    expect(names(result.paths[0])).toEqual(VIA_SOFTIRQ.slice(2));
    expect(deferredSteps(result.paths[0])).toEqual(['__do_softirq>tasklet_action', 'tasklet_action_common>wifi_wake_txqs']);
    expect(result.onlyDeferred).toBe(true);
    // A --via that only a deferred path meets falls back the same way.
    const via = project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue', via: ['wifi_wake_txqs'] });
    expect(names(via.paths[0])).toEqual(VIA_SOFTIRQ);
    expect(via.onlyDeferred).toBe(true);
  });

  // A user's finding: sctp's `q->immediate.func(...)` bound every work function as a plain call, so paths skipped the workqueue's hop.
  it("counts a direct call of a work item's or a timer's function as a deferred hop: it binds every function any of them holds", () => {
    const result = project.findPaths({ start: 'sock_close', target: 'drv_wake_queue' });
    expect(result.onlyDeferred).toBe(true);
    expect(names(result.paths[0])).toEqual(['sock_close', 'sk_run_pending', 'wifi_tx_work', 'drv_wake_queue']);
    expect(deferredSteps(result.paths[0])).toEqual(['sk_run_pending>wifi_tx_work']);
    expect(deferredEdges(project).filter((e) => e.startsWith('sk_run_pending>'))).toEqual(['sk_run_pending>wifi_tx_work@net/core/sock.c:30', 'sk_run_pending>wifi_watchdog@net/core/sock.c:31']);
  });

  // A user's finding: explain of a function and the callback it registers said only that there is no edge.
  it('explain says where the caller hands the callee over and which function calls it then (text and JSON)', () => {
    const x = explainEdge(project, 'wifi_probe', 'wifi_wake_txqs');
    expect(x.edges).toEqual([]);
    expect(x.handedOver?.map((h) => `${h.file}:${h.line} ${h.calledBy.from.name} ${h.calledBy.file}:${h.calledBy.line} ${h.calledBy.kind}${h.calledBy.deferred ? ' deferred' : ''}`)).toEqual([
      'drivers/net/wifi/main.c:73 tasklet_action_common kernel/softirq.c:70 param-to-field deferred',
      'drivers/net/wifi/main.c:73 wifi_interrupt drivers/net/wifi/main.c:54 dispatch-table deferred',
    ]);
    // Twice: the second answer comes from the index cache, whose facts are read per file when needed.
    const cli = cliOn('deferred');
    cli('explain', 'wifi_probe', 'wifi_wake_txqs');
    const text = cli('explain', 'wifi_probe', 'wifi_wake_txqs');
    expect(text.code).toBe(1);
    expect(text.stdout).toBe(
      [
        'no edge from wifi_probe to wifi_wake_txqs',
        'wifi_probe makes no unresolved indirect call',
        'wifi_probe hands wifi_wake_txqs over, and another function calls it:',
        '  drivers/net/wifi/main.c:73  wifi_wake_txqs passed by wifi_probe to tasklet_setup, stored in struct tasklet_struct.callback by tasklet_setup (kernel/softirq.c:54)',
        '    called by tasklet_action_common at kernel/softirq.c:70  param-to-field  [deferred]',
        '  drivers/net/wifi/main.c:73  tasklet_setup(&struct wifi_local.wake_txqs_tasklet, wifi_wake_txqs)',
        '    called by wifi_interrupt at drivers/net/wifi/main.c:54  dispatch-table  [deferred]',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(cliOn('deferred')('explain', '--json', 'wifi_probe', 'wifi_wake_txqs').stdout);
    expect(json.handedOver.map((h: { file: string; line: number; calledBy: { from: { name: string } } }) => `${h.file}:${h.line} ${h.calledBy.from.name}`)).toEqual(['drivers/net/wifi/main.c:73 tasklet_action_common', 'drivers/net/wifi/main.c:73 wifi_interrupt']);
    // A function that calls the callee has no such lines.
    expect(explainEdge(project, 'tasklet_action_common', 'wifi_wake_txqs')).not.toHaveProperty('handedOver');
  });

  it('takes deferred hops like any call with deferred: true', () => {
    const result = project.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue', deferred: true });
    expect(names(result.paths[0])).toEqual(VIA_SOFTIRQ);
    expect(deferredSteps(result.paths[0])).toEqual(['__do_softirq>tasklet_action', 'tasklet_action_common>wifi_wake_txqs']);
    expect(result.onlyDeferred).toBeUndefined();
  });

  it('shows deferred edges in callees and callers trees, marked; a NAPI poll from the softirq handler stays synchronous', () => {
    const [callees] = project.tree('__do_softirq', 4, 'callees');
    const flat: string[] = [];
    const walk = (item: TreeItem): void => {
      for (const c of item.children) {
        flat.push(`${c.edge!.from.name}>${c.edge!.to.name}${c.edge!.deferred ? ' deferred' : ''}`);
        walk(c);
      }
    };
    walk(callees!.root);
    expect(flat).toEqual([
      '__do_softirq>net_rx_action deferred',
      'net_rx_action>wifi_poll',
      'wifi_poll>netif_receive_skb',
      '__do_softirq>tasklet_action deferred',
      'tasklet_action>tasklet_action_common',
      'tasklet_action_common>wifi_wake_txqs deferred',
      'wifi_wake_txqs>drv_wake_queue',
    ]);
    const [callers] = project.tree('wifi_interrupt', 1, 'callers');
    // A hard interrupt handler runs on the interrupt's stack, called by the dispatcher: a plain step (an oops shows it).
    expect(callers!.root.children.map((c) => [c.node.name, c.edge!.deferred])).toEqual([['handle_irq_event', undefined]]);
  });

  // A user's finding on Linux 6.1: `-s common_interrupt -t e1000_intr` went through printk, netconsole and
  // netpoll (all synchronous) rather than the IRQ dispatch, whose handler step was deferred.
  it('reaches an interrupt handler from the interrupt entry through the dispatch, no step deferred', () => {
    const result = project.findPaths({ start: 'common_interrupt', target: 'wifi_interrupt' });
    expect(names(result.paths[0])).toEqual(['common_interrupt', 'handle_irq_event', 'wifi_interrupt']);
    expect(deferredSteps(result.paths[0])).toEqual([]);
  });

  it('comes from the profile: a tree without the Linux markers has no deferred edge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-deferred-generic-'));
    cpSync(fixture, dir, { recursive: true });
    rmSync(join(dir, 'MAINTAINERS'));
    const generic = await openTree({ root: dir, jobs: 1 });
    expect(deferredEdges(generic)).toEqual([]);
    expect(names(generic.findPaths({ start: 'sock_sendmsg', target: 'drv_wake_queue' }).paths[0])).toEqual(VIA_SOFTIRQ);
  });
});

describe('deferred edges in the index cache', () => {
  it('keeps them through the cached graph and through an incremental patch that moves their lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-deferred-cache-'));
    const root = join(dir, 'tree');
    const cache = join(dir, 'cache');
    cpSync(fixture, root, { recursive: true });
    const fresh = deferredEdges((await openTreeReport({ root, cache })).project);
    const cached = await openTreeReport({ root, cache });
    expect(cached.report.fromGraphCache).toBe(true);
    expect(deferredEdges(cached.project)).toEqual(fresh);

    // A simple call added above `h->action(h)` and `t->callback(t)` moves both deferred call sites down a line
    // (a call of raise_softirq would resolve in full: hand-off-edit.ts).
    const file = join(root, 'kernel/softirq.c');
    const before = readFileSync(file, 'utf8');
    const after = before.replace('\tpending = 0;\n', '\tpending = 0;\n\tdo_softirq();\n').replace('\t\tlist = list->next;\n', '\t\tlist = list->next;\n\t\tdo_softirq();\n');
    expect(after).not.toBe(before);
    writeFileSync(file, after);
    const patched = await openTreeReport({ root, cache });
    expect(patched.report.incremental).toBe(true);
    const scratch = deferredEdges(await openTree({ root }));
    expect(deferredEdges(patched.project)).toEqual(scratch);
    expect(scratch).not.toEqual(fresh);
    const again = await openTreeReport({ root, cache });
    expect(again.report.fromGraphCache).toBe(true);
    expect(deferredEdges(again.project)).toEqual(scratch);
  });

  it('follows edits of softirq raises and registrations: each edit gives what a fresh index gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-handoff-cache-'));
    const root = join(dir, 'tree');
    const cache = join(dir, 'cache');
    cpSync(fixture, root, { recursive: true });
    await openTreeReport({ root, cache });
    const edit = async (path: string, from: string, to: string): Promise<{ incremental: boolean; edges: string[] }> => {
      const file = join(root, path);
      const before = readFileSync(file, 'utf8');
      expect(before).toContain(from);
      writeFileSync(file, before.replace(from, to));
      const patched = await openTreeReport({ root, cache });
      const scratch = deferredEdges(await openTree({ root }));
      expect(deferredEdges(patched.project), `${path}: ${to}`).toEqual(scratch);
      return { incremental: patched.report.incremental, edges: scratch };
    };
    // A line above the raise moves it: patched, the hand-off edge follows.
    const moved = await edit('net/core/dev.c', '\tn->next = poll_list;\n', '\tn->weight = 64;\n\tn->next = poll_list;\n');
    expect(moved.incremental).toBe(true);
    expect(moved.edges).toContain('napi_schedule>net_rx_action@net/core/dev.c:30');
    // A raise added where none was, a raise of another number, a registration taken out.
    expect((await edit('kernel/softirq.c', '\t*lock = 0;\n', '\t*lock = 0;\n\traise_softirq(NET_RX_SOFTIRQ);\n')).edges).toContain("spin_unlock_bh>net_rx_action@kernel/softirq.c:47");
    expect((await edit('net/core/dev.c', 'raise_softirq(NET_RX_SOFTIRQ);', 'raise_softirq(TASKLET_SOFTIRQ);')).edges).toContain('napi_schedule>tasklet_action@net/core/dev.c:30');
    expect((await edit('net/core/dev.c', '\topen_softirq(NET_RX_SOFTIRQ, net_rx_action);\n', '')).edges.filter((e) => e.includes('>net_rx_action@') && !e.startsWith('__do_softirq'))).toEqual([]);
    // The handler's name defined again in another file changes what the registration binds.
    writeFileSync(join(root, 'net/core/extra.c'), '#include <linux/interrupt.h>\nvoid tasklet_action(struct softirq_action *h)\n{\n}\n');
    const patched = await openTreeReport({ root, cache });
    expect(deferredEdges(patched.project)).toEqual(deferredEdges(await openTree({ root })));
  });
});
