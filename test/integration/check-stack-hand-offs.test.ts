import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * A stack trace or an ftrace function graph records what ran on one stack: a function that only
 * hands work over (queues a work item, arms a timer) never has the handler's frame above its own,
 * so a step of theirs holds by no hand-off edge, neither as the step itself nor beyond a folded
 * frame. fixtures/stackhop: a driver's watchdog work item re-arms its timer with a tail call
 * (`mod_timer(...)` last, as e1000e's e1000_watchdog_task does in Linux 6.1), and its timer queues
 * the work item again; a static helper the compiler may inline queues the reset work.
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: 'fixtures/stackhop', jobs: 1, cache: false });
});

const messages = (name: string, text: string, maxGap = 0): string[] =>
  verifyClaims(tree, readDocument(name, text), [name], { maxGap }).findings.map((f) => `${f.line}: ${f.severity}: ${f.rule}: ${f.message}`);
const findings = (name: string, text: string): string[] => messages(name, text).map((m) => m.split(';')[0]!);
const stack = (...frames: string[]): string => `Call Trace:\n <TASK>\n${frames.map((f) => ` ${f}+0x10/0x40\n`).join('')} </TASK>\n`;

describe('check never takes a hand-off for a frame on the stack', () => {
  it('a timer function directly under the worker is broken, though a work item it runs arms the timer by a tail call', () => {
    expect(findings('oops.txt', stack('nic_watchdog', 'process_one_work', 'worker_thread'))).toEqual(['3: error: broken-call: process_one_work does not call nic_watchdog']);
  });

  it('a handler directly above the function that queues it is broken', () => {
    expect(findings('oops.txt', stack('nic_watchdog', 'nic_watchdog_task', 'process_one_work'))).toEqual(['3: error: broken-call: nic_watchdog_task does not call nic_watchdog']);
    expect(findings('oops.txt', stack('nic_watchdog_task', 'nic_watchdog', 'call_timer_fn'))).toEqual(['3: error: broken-call: nic_watchdog does not call nic_watchdog_task']);
  });

  it('a handler above a caller of an inlined helper that queues it is broken', () => {
    expect(findings('oops.txt', stack('nic_reset_task', 'nic_open'))).toEqual(['3: error: broken-call: nic_open does not call nic_reset_task']);
  });

  it('an ftrace function graph nests no handler inside the function that queues it', () => {
    const graph = ' 0)               |  nic_watchdog_task() {\n 0)   0.100 us    |    nic_update_stats();\n 0)   0.200 us    |    nic_watchdog();\n 0)   1.000 us    |  }\n';
    expect(findings('trace.txt', graph)).toEqual(['3: error: broken-call: nic_watchdog_task does not call nic_watchdog']);
  });

  it('the frames a worker, a timer and a work item really make still hold', () => {
    expect(findings('oops.txt', stack('nic_update_stats', 'nic_watchdog_task', 'process_one_work', 'worker_thread', 'ret_from_fork'))).toEqual([]);
    expect(findings('oops.txt', stack('schedule_work', 'nic_watchdog', 'call_timer_fn', 'run_timer_softirq'))).toEqual([]);
    // The timer's function under run_timer_softirq: call_timer_fn, static and called by name, is inlined.
    expect(findings('oops.txt', stack('nic_watchdog', 'run_timer_softirq'))).toEqual([]);
    expect(findings('oops.txt', stack('schedule_work', 'nic_open'))).toEqual([]);
  });

  it('names the hand-off the current path takes, and no --max-gap skips it', () => {
    expect(messages('oops.txt', stack('nic_reset_task', 'nic_open'))).toEqual([
      '3: error: broken-call: nic_open does not call nic_reset_task; now nic_open -> nic_kick -> nic_reset_task [deferred]; nic_kick hands nic_reset_task over at drivers/net/nic/main.c:44: it runs later, on another stack',
    ]);
    expect(messages('oops.txt', stack('nic_reset_task', 'nic_open'), 3).map((m) => m.split(';')[0])).toEqual(['3: error: broken-call: nic_open does not call nic_reset_task']);
    // A dispatcher's own call may be skipped: the worker runs the work item on its stack.
    expect(messages('oops.txt', stack('nic_update_stats', 'worker_thread'), 2)).toEqual([
      '3: note: skipped-calls: worker_thread -> nic_update_stats skips 2 calls: worker_thread -> process_one_work -> nic_watchdog_task -> nic_update_stats',
    ]);
  });

  it('explain folds no hand-off into the chain a stack trace would show', () => {
    const why = explainEdge(tree, 'nic_open', 'nic_reset_task');
    expect(why.throughInlined).toEqual([]);
    expect(explainEdge(tree, 'process_one_work', 'nic_watchdog').throughInlined).toEqual([]);
  });

  it("a symbolized stack (syzbot's source places, [inline] frames) is checked the same way, each frame in its file", () => {
    const syz = (leaf: string): string =>
      `Call Trace:\n <TASK>\n ${leaf}\n nic_watchdog_task+0x10/0x40 drivers/net/nic/main.c:23\n process_one_work+0x10/0x40 kernel/workqueue.c:22\n worker_thread+0x10/0x40 kernel/workqueue.c:31\n </TASK>\n`;
    expect(findings('syz.txt', syz('nic_update_stats drivers/net/nic/main.c:14 [inline]'))).toEqual([]);
    expect(findings('syz.txt', syz('nic_watchdog+0x10/0x40 drivers/net/nic/main.c:31'))).toEqual(['3: error: broken-call: nic_watchdog_task does not call nic_watchdog']);
    // A place in a file that does not define the name: the frame is said to be elsewhere.
    expect(findings('syz.txt', syz('nic_update_stats kernel/workqueue.c:14 [inline]'))).toEqual(['3: warning: site-mismatch: nic_update_stats is defined at drivers/net/nic/main.c:12, not at kernel/workqueue.c as written']);
  });

  it('a chain a document writes may still take the hand-off, as path output shows it', () => {
    expect(findings('doc.md', 'The watchdog: `nic_watchdog_task -> nic_watchdog -> schedule_work`.\n')).toEqual([]);
  });
});
