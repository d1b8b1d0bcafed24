import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, openTreeReport, type PathResult, type Project } from '../../src/index.js';
import { kindId } from '../../src/resolve/edge-kind.js';
import { copyFixture, fixturesDir } from '../support/fixtures.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Work handed off by an object (Profile.objectHandOffs): fixtures/handoff is a driver that files
 * its reset work, watchdog (a delayed work), blink timer, poll timer (a global) and receive
 * tasklet under its adapter's members and queues them elsewhere, beside a protocol whose direct
 * call of a work item's function binds every work function (net/sctp `q->immediate.func(...)`).
 */
const fixture = join(fixturesDir, 'handoff');

const DISPATCH = kindId('dispatch-table');

/** Every deferred 'dispatch-table' edge as `from>to@file:line <- evidence; ...`, sorted. */
function handOffEdges(p: Project): string[] {
  const { index, edges } = p;
  const out: string[] = [];
  for (let e = 0; e < edges.length; e++) {
    if (!edges.isDeferred(e) || edges.kind.get(e) !== DISPATCH) continue;
    const to = edges.to.get(e);
    const evidence = edges.evidenceOf(e, index.file(to), index.name(to)).map((b) => `${b.file}:${b.line} ${b.text}`).join('; ');
    out.push(`${index.name(edges.from.get(e))}>${index.name(edges.to.get(e))}@${index.file(edges.from.get(e))}:${edges.line.get(e)} <- ${evidence}`);
  }
  return out.sort();
}

const names = (p: PathResult | undefined): string[] => p?.nodes.map((n) => n.name) ?? [];

let project: Project;
beforeAll(async () => {
  project = await openTree({ root: fixture, jobs: 1 });
});

describe('work handed off by an object', () => {
  it('steps from each queueing call to the handlers filed under the same member of the same struct, with the registration as evidence', () => {
    expect(handOffEdges(project)).toEqual([
      // A tasklet filed by a helper through its parameter: keyed by the parameter's type.
      'eth_interrupt>eth_rx@drivers/net/eth/main.c:100 <- drivers/net/eth/main.c:57 tasklet_setup(&struct eth_adapter.rx_tasklet, eth_rx)',
      // A delayed work queued by the work item it wraps (`&adapter->watchdog_task.work`), and by its own address below.
      'eth_link_change>eth_watchdog@drivers/net/eth/main.c:87 <- drivers/net/eth/main.c:69 INIT_DELAYED_WORK(&struct eth_adapter.watchdog_task, eth_watchdog)',
      // A timer that is a member, and one that is a file-scope variable (keyed by its file and name).
      'eth_open>eth_blink@drivers/net/eth/main.c:93 <- drivers/net/eth/main.c:70 timer_setup(&struct eth_adapter.blink_timer, eth_blink)',
      'eth_open>eth_poll@drivers/net/eth/main.c:94 <- drivers/net/eth/main.c:71 timer_setup(&eth_poll_timer, eth_poll)',
      'eth_open>eth_watchdog@drivers/net/eth/main.c:92 <- drivers/net/eth/main.c:69 INIT_DELAYED_WORK(&struct eth_adapter.watchdog_task, eth_watchdog)',
      'eth_tx_timeout>eth_reset_task@drivers/net/eth/main.c:81 <- drivers/net/eth/main.c:68 INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)',
    ]);
  });

  it('adds nothing for an object with no handler of its own: a handler passed in by a parameter, a work item passed by a parameter', () => {
    // eth_setup_stats files the function it is given; schedule_delayed_work queues `&dwork->work`, any delayed work.
    const from = (name: string): string[] => project.tree(name, 1, 'callees')[0]!.root.children.map((c) => `${c.node.name}${c.edge!.deferred ? ' deferred' : ''}`);
    expect(from('eth_open')).not.toContain('eth_setup_stats');
    expect(from('eth_open').filter((n) => n.endsWith('deferred'))).toEqual(['eth_blink deferred', 'eth_poll deferred', 'eth_watchdog deferred']);
    expect(from('schedule_delayed_work')).toEqual(['schedule_work']);
  });

  it('keys no object a local variable names: a work item on the stack, or a pointer held in a local, is not the file-scope one of that name', async () => {
    const { dir, root } = copyFixture('handoff', 'pathfind-object-locals-');
    try {
      const c = (...lines: string[]): string => `#include <linux/workqueue.h>\n\n${lines.join('\n')}\n`;
      // A file-scope work item `w` filed with its handler; another file's functions use locals named `w`.
      writeFileSync(join(root, 'kernel/global_work.c'), c('struct work_struct w;', '', 'void global_fn(struct work_struct *work)', '{', '}', '', 'void global_init(void)', '{', '\tINIT_WORK(&w, global_fn);', '\tschedule_work(&w);', '}'));
      const onStack = ['void stack_fn(struct work_struct *work)', '{', '}', '', 'void stack_run(void)', '{', '\tstruct work_struct w;', '', '\tINIT_WORK(&w, stack_fn);', '\tschedule_work(&w);', '}'];
      const held = ['void held_run(struct work_struct *from)', '{', '\tstruct work_struct *w = from;', '', '\tschedule_work(w);', '}'];
      writeFileSync(join(root, 'drivers/net/eth/locals.c'), c(...onStack, '', ...held));
      const edges = handOffEdges((await openTreeReport({ root, cache: false })).project);
      expect(edges.filter((e) => /^(global_init|stack_run|held_run)>/.test(e))).toEqual(['global_init>global_fn@kernel/global_work.c:12 <- kernel/global_work.c:11 INIT_WORK(&w, global_fn)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The users' worst finding: e1000_tx_timeout -> e1000_reset_task went through sctp_inq_push's `q->immediate.func(...)`.
  it('gives the one-step deferred path at the queueing call, where the direct call of a work function was the route before', () => {
    const result = project.findPaths({ start: 'eth_tx_timeout', target: 'eth_reset_task', k: 2 });
    expect(result.onlyDeferred).toBe(true);
    expect(result.paths.map(names)).toEqual([
      ['eth_tx_timeout', 'eth_reset_task'],
      ['eth_tx_timeout', 'sctp_inq_push', 'eth_reset_task'],
    ]);
    const step = result.paths[0]!.edges[0]!;
    expect(`${step.file}:${step.line} ${step.kind} ${step.deferred} ${step.evidence?.map((b) => `${b.file}:${b.line} ${b.text}`).join('; ')}`).toBe(
      'drivers/net/eth/main.c:81 dispatch-table true drivers/net/eth/main.c:68 INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)',
    );
    expect(explainEdge(project, 'eth_tx_timeout', 'eth_reset_task').edges.map((e) => `${e.file}:${e.line} ${e.kind}`)).toEqual(['drivers/net/eth/main.c:81 dispatch-table']);
  });

  it('shows the step in text and JSON like other deferred edges', () => {
    const cli = cliOn('handoff');
    const text = cli('-s', 'eth_tx_timeout', '-t', 'eth_reset_task');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('└─ eth_reset_task  drivers/net/eth/main.c:81  [deferred]  [dispatch-table: drivers/net/eth/main.c:68 INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)]');
    const json = JSON.parse(cli('--json', '-s', 'eth_tx_timeout', '-t', 'eth_reset_task').stdout);
    expect(json.paths[0].edges).toEqual([
      {
        from: { name: 'eth_tx_timeout', file: 'drivers/net/eth/main.c', line: 78 },
        to: { name: 'eth_reset_task', file: 'drivers/net/eth/main.c', line: 29 },
        kind: 'dispatch-table',
        file: 'drivers/net/eth/main.c',
        line: 81,
        targets: 1,
        evidence: [{ file: 'drivers/net/eth/main.c', line: 68, text: 'INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)' }],
        deferred: true,
      },
    ]);
  });
});

describe('object hand-offs in the index cache', () => {
  it('follows edits of registrations and queueing calls: each edit gives what a fresh index gives, and an edit that keeps them is patched', async () => {
    const { dir, root } = copyFixture('handoff', 'pathfind-object-handoff-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const main = 'drivers/net/eth/main.c';
    const edit = async (from: string, to: string): Promise<{ incremental: boolean; edges: string[] }> => {
      const file = join(root, main);
      const before = readFileSync(file, 'utf8');
      expect(before).toContain(from);
      writeFileSync(file, before.replace(from, to));
      const patched = await openTreeReport({ root, cache });
      const scratch = handOffEdges(await openTree({ root }));
      expect(handOffEdges(patched.project), `${from} -> ${to}`).toEqual(scratch);
      return { incremental: patched.report.incremental, edges: scratch };
    };
    // Lines added above the registrations and the queueing calls move both: patched, edges and evidence follow.
    const moved = await edit('\thw->link_up = 0;\n', '\thw->link_up = 0;\n\thw->link_up = 1;\n');
    expect(moved.incremental).toBe(true);
    expect(moved.edges).toContain('eth_tx_timeout>eth_reset_task@drivers/net/eth/main.c:82 <- drivers/net/eth/main.c:69 INIT_WORK(&struct eth_adapter.reset_task, eth_reset_task)');
    // A queueing call added, one whose object changes, a registration taken out, one added, one whose handler changes.
    expect((await edit('\tsctp_inq_push(adapter->inq);\n', '\tsctp_inq_push(adapter->inq);\n\tmod_timer(&adapter->blink_timer, 1);\n')).edges).toContain(
      'eth_tx_timeout>eth_blink@drivers/net/eth/main.c:82 <- drivers/net/eth/main.c:71 timer_setup(&struct eth_adapter.blink_timer, eth_blink)',
    );
    expect((await edit('schedule_work(&adapter->reset_task);', 'schedule_work(&adapter->stats_task);')).edges.filter((e) => e.startsWith('eth_tx_timeout>eth_reset_task'))).toEqual([]);
    expect((await edit('\tINIT_DELAYED_WORK(&adapter->watchdog_task, eth_watchdog);\n', '')).edges.filter((e) => e.includes('>eth_watchdog@'))).toEqual([]);
    const filed = await edit('\teth_setup_stats(adapter, 0);\n', '\teth_setup_stats(adapter, 0);\n\tINIT_WORK(&adapter->stats_task, eth_watchdog);\n');
    expect(filed.edges.filter((e) => e.startsWith('eth_tx_timeout>eth_watchdog@') && e.endsWith('INIT_WORK(&struct eth_adapter.stats_task, eth_watchdog)'))).toHaveLength(1);
    expect((await edit('timer_setup(&eth_poll_timer, eth_poll, 0);', 'timer_setup(&eth_poll_timer, eth_blink, 0);')).edges.filter((e) => e.startsWith('eth_open>eth_blink'))).toHaveLength(2);
    // The handler's name defined again in another file changes nothing the registering file sees; the graph still equals a fresh one.
    writeFileSync(join(root, 'kernel/extra.c'), 'void eth_rx(void)\n{\n}\n');
    const patched = await openTreeReport({ root, cache });
    expect(handOffEdges(patched.project)).toEqual(handOffEdges(await openTree({ root })));
  });
});
