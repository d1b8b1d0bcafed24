import { describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { explainEdge } from '../../src/api/explain.js';
import { noPathHint } from '../../src/api/no-path-hint.js';
import { renderExplainText } from '../../src/render/text.js';
import { join } from 'node:path';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFixture } from '../support/fixtures.js';
import { verifyClaims } from '../../src/check/verify.js';
import { claim } from '../support/claims.js';

/**
 * Calls written inside `#if`/`#ifdef` blocks of a function body (fixtures/ifdefcall, kernel
 * idioms: schedule_debug's CONFIG_SCHED_STACK_END_CHECK panic, request_threaded_irq's
 * CONFIG_DEBUG_SHIRQ_FIXME call of the handler) count only when the block may be compiled under
 * the configuration and the translation unit's own macros.
 */
const ROOT = 'fixtures/ifdefcall';

async function open(root = ROOT, config?: string): Promise<Project> {
  return openTree({ root, facts: true, cache: false, ...(config ? { config } : {}) });
}

/** The names `caller` calls, each with the line of the call site, sorted. */
function callees(p: Project, caller: string): string[] {
  const [tree] = p.tree(caller, 1, 'callees');
  return tree!.root.children.map((c) => `${c.node.name}:${c.edge!.line}`).sort();
}

describe('calls inside #ifdef blocks of a body', () => {
  it('drops a call under an option the configuration leaves unset, keeps one under a set option or one the tree alone cannot decide', async () => {
    const p = await open();
    // panic under CONFIG_SCHED_STACK_END_CHECK (not set) and dump_stack under SCHED_QUIET (no file defines it) are gone;
    // printk under CONFIG_SMP && SCHED_VERBOSE (defined at the top of the file) stays.
    expect(callees(p, 'schedule_debug')).toEqual(['in_atomic:37', 'might_resched:38', 'printk:32']);
    // #ifndef CONFIG_SMP's arm is off with CONFIG_SMP=y, its #else is on; CONFIG_STACKPROTECTOR hangs on a compiler test: kept.
    expect(callees(p, 'pick_next')).toEqual(['dump_stack:49', 'printk:46']);
    // A static inline function of a header: its #else arm under CONFIG_SMP=y is off.
    expect(callees(p, 'might_resched')).toEqual(['dump_stack:11']);
  });

  it('drops a call through a parameter under an option no Kconfig defines, keeps one through a member under a set option', async () => {
    const p = await open();
    expect(callees(p, 'request_threaded_irq')).toEqual([]);
    // A caller passing its handler is no caller of the handler (the call of the parameter is left out).
    expect(callees(p, 'nic_open_threaded')).toEqual(['request_threaded_irq:29']);
    expect(callees(p, 'nic_open')).toEqual(['request_irq:14']);
    expect(callees(p, 'free_irq')).toEqual(['nic_intr:26']);
    expect(callees(p, 'handle_irq_event')).toEqual(['nic_intr:35']);
  });

  it('keeps the calls when the configuration sets the option', async () => {
    const { root } = copyFixture('ifdefcall');
    const config = join(root, 'stack-end.config');
    writeFileSync(config, 'CONFIG_SMP=y\nCONFIG_DEBUG_SHIRQ=y\nCONFIG_SCHED_STACK_END_CHECK=y\n');
    expect(callees(await open(root, config), 'schedule_debug')).toEqual(['in_atomic:37', 'might_resched:38', 'panic:29', 'printk:32']);
  });

  it('check says a documented call sits under a condition the configuration leaves out', async () => {
    const [f] = verifyClaims(await open(), [claim('schedule_debug', 'panic')], ['doc.md']).findings;
    expect(f?.rule).toBe('broken-call');
    expect(f?.message).toContain('its call at kernel/sched/core.c:29 is under defined(CONFIG_SCHED_STACK_END_CHECK): CONFIG_SCHED_STACK_END_CHECK is not set');
  });

  it('explain says which condition leaves the call out', async () => {
    const p = await open();
    const text = renderExplainText(explainEdge(p, 'schedule_debug', 'panic'), { color: false });
    expect(text).toContain('kernel/sched/core.c:29');
    expect(text).toContain('CONFIG_SCHED_STACK_END_CHECK');
    expect(text).toMatch(/not (compiled|set)/);
  });

  it('explain names the condition of a call it finds inside an #if block, and what the configuration makes of it', async () => {
    const p = await open();
    const held = explainEdge(p, 'schedule_debug', 'printk');
    expect(held.edges.map((e) => e.under)).toEqual([{ cond: 'defined(CONFIG_SMP) && defined(SCHED_VERBOSE)', holds: 'yes', why: 'it holds with arch/x86/configs/x86_64_defconfig' }]);
    expect(renderExplainText(held, { color: false })).toContain('kernel/sched/core.c:32  direct\n    under defined(CONFIG_SMP) && defined(SCHED_VERBOSE): it holds with arch/x86/configs/x86_64_defconfig');
    // CONFIG_STACKPROTECTOR hangs on a compiler test the model does not make: the call counts, and explain says why.
    const open_ = explainEdge(p, 'pick_next', 'dump_stack');
    expect(open_.edges.map((e) => e.under?.holds)).toEqual(['unknown']);
    expect(open_.edges[0]!.under!.why).toMatch(/CONFIG_STACKPROTECTOR.*, so the call counts$/);
    // A call outside any #if block has no condition.
    expect(explainEdge(p, 'schedule_debug', 'in_atomic').edges.map((e) => e.under)).toEqual([undefined]);
  });

  it('a path query that finds no path names the call of the target the configuration leaves out, the start\'s own or one near the target', async () => {
    const p = await open();
    expect(noPathHint(p, 'schedule_debug', 'panic', {})).toBe('; schedule_debug calls panic at kernel/sched/core.c:29 under defined(CONFIG_SCHED_STACK_END_CHECK), which the configuration leaves out: CONFIG_SCHED_STACK_END_CHECK is not set');
    // Nothing calls panic: the call left out in a function of its folder is named, with the explain that shows it.
    expect(noPathHint(p, 'in_atomic', 'panic', {})).toBe('; schedule_debug calls panic at kernel/sched/core.c:29 under defined(CONFIG_SCHED_STACK_END_CHECK), which the configuration leaves out: CONFIG_SCHED_STACK_END_CHECK is not set (pathfind explain schedule_debug panic)');
    // A target given with its file is looked for by its name in the calls.
    expect(noPathHint(p, 'schedule_debug', 'kernel/sched/core.c:panic', {})).toContain('schedule_debug calls kernel/sched/core.c:panic at kernel/sched/core.c:29 under defined(CONFIG_SCHED_STACK_END_CHECK)');
    // __do_softirq is called (by do_softirq_own_stack): a call left out elsewhere is not why in_atomic does not reach it.
    expect(noPathHint(p, 'in_atomic', '__do_softirq', {})).toBe('');
  });

  // A helper's finding: a path from a function the configuration leaves out said only that nothing reaches the target.
  it('a path query that finds no path says when the start or the target is defined only where the configuration leaves it out', async () => {
    const { root } = copyFixture('ifdefcall');
    appendFileSync(join(root, 'kernel/softirq.c'), '\n#ifdef CONFIG_PREEMPT_RT\nvoid softirq_rt_stats(void)\n{\n}\n#endif\n');
    const p = await open(root);
    const rt = 'defined(CONFIG_PREEMPT_RT) with CONFIG_PREEMPT_RT is not set';
    expect(noPathHint(p, 'softirq_lock', '__do_softirq', {})).toBe(`; softirq_lock (kernel/softirq.c:14) is left out by the configuration (${rt}): its calls are not compiled`);
    expect(noPathHint(p, 'do_softirq', 'softirq_rt_stats', {})).toBe(`; softirq_rt_stats (kernel/softirq.c:59) is left out by the configuration (${rt}): no call binds to it`);
    // The same start by its file: its definitions are those of the file.
    expect(noPathHint(p, 'kernel/softirq.c:softirq_lock', '__do_softirq', {})).toContain('softirq_lock (kernel/softirq.c:14) is left out by the configuration');
    // One definition of several left out (__local_bh_enable_ip's two arms): the other stands, nothing is said of it.
    expect(noPathHint(p, '__local_bh_enable_ip', 'in_atomic', {})).not.toContain('left out by the configuration');
    // A call of the target left out names the call, which says more than the definition.
    expect(noPathHint(p, 'do_softirq', 'softirq_lock', {})).toContain('__local_bh_enable_ip calls softirq_lock at kernel/softirq.c:21 under defined(CONFIG_PREEMPT_RT)');
  });

  it('explain says that no configuration was read when it finds a call inside an #ifdef of a tree without one', async () => {
    const { root } = copyFixture('ifdefcall');
    rmSync(join(root, 'arch/x86/configs'), { recursive: true });
    const x = explainEdge(await open(root), 'schedule_debug', 'panic');
    expect(x.edges.map((e) => `${e.line} ${e.under?.cond}: ${e.under?.why}`)).toEqual(['29 defined(CONFIG_SCHED_STACK_END_CHECK): no configuration was read (no .config, no defconfig of the architecture), so the call counts']);
    expect(renderExplainText(x, { color: false })).toContain('under defined(CONFIG_SCHED_STACK_END_CHECK): no configuration was read');
  });

  it('explain lists the pointer calls left out when nothing else explains a missing step, and a call by name left out beside a chain a trace folds', async () => {
    const p = await open();
    const x = explainEdge(p, 'irq_debug_shared', 'nic_intr');
    expect(x.edges).toEqual([]);
    expect(x.leftOut).toEqual([{ file: 'kernel/irq/manage.c', line: 44, call: '.handler', cond: 'defined(CONFIG_DEBUG_SHIRQ_FIXME)', why: expect.stringContaining('CONFIG_DEBUG_SHIRQ_FIXME') }]);
    expect(renderExplainText(x, { color: false })).toContain('->handler(...) under defined(CONFIG_DEBUG_SHIRQ_FIXME)');
    // schedule_debug reaches dump_stack through might_resched (a static inline a trace folds); its own call under SCHED_QUIET is left out.
    const folded = explainEdge(p, 'schedule_debug', 'dump_stack');
    expect(folded.throughInlined.length).toBeGreaterThan(0);
    expect(folded.leftOut?.map((l) => `${l.line} ${l.call} ${l.cond}`)).toEqual(['35 dump_stack defined(SCHED_QUIET)']);
    expect(renderExplainText(folded, { color: false })).toContain('schedule_debug calls dump_stack itself inside #if blocks the configuration leaves out:');
  });
});

/** The callers of `callee` one level up, each as `name (file):line` of the call site, sorted. */
function callers(p: Project, callee: string): string[] {
  const [tree] = p.tree(callee, 1, 'callers');
  return tree!.root.children.map((c) => `${c.node.name} (${c.node.file}):${c.edge!.line}`).sort();
}

describe('calls of a definition the configuration leaves out', () => {
  // kernel/softirq.c defines __local_bh_enable_ip in both arms of #ifdef CONFIG_PREEMPT_RT (the
  // defconfig sets PREEMPT_VOLUNTARY, another member of the choice), and asm-generic's header
  // defines an inline do_softirq_own_stack under the #else of CONFIG_SOFTIRQ_ON_OWN_STACK (=y).
  it('a function whose own #if arm is not compiled calls nothing: it is no caller of what its body names', async () => {
    const p = await open();
    expect(callers(p, '__do_softirq')).toEqual(['do_softirq_own_stack (kernel/softirq.c):45']);
    expect(callers(p, 'do_softirq')).toEqual(['__local_bh_enable_ip (kernel/softirq.c):37']);
  });

  it('a function-like macro whose own #if arm is not compiled calls nothing either', async () => {
    // include/linux/kernel.h defines stack_end_check calling panic under CONFIG_SCHED_STACK_END_CHECK (not set), empty otherwise.
    expect(callers(await open(), 'panic')).toEqual([]);
    const { root } = copyFixture('ifdefcall');
    const config = join(root, 'stack-end.config');
    writeFileSync(config, 'CONFIG_SMP=y\nCONFIG_SCHED_STACK_END_CHECK=y\n');
    expect(callers(await open(root, config), 'panic')).toEqual(['schedule_debug (kernel/sched/core.c):29', 'stack_end_check (include/linux/kernel.h):18']);
  });

  it('check rejects a step only the left-out definition makes, naming its condition; explain lists the call as left out', async () => {
    const p = await open();
    const [f] = verifyClaims(p, [claim('__local_bh_enable_ip', '__do_softirq')], ['doc.md']).findings;
    expect(f?.rule).toBe('broken-call');
    expect(f?.message).toContain('CONFIG_PREEMPT_RT is not set');
    const x = explainEdge(p, '__local_bh_enable_ip', '__do_softirq');
    expect(x.edges).toEqual([]);
    expect(x.leftOut?.map((l) => `${l.file}:${l.line} ${l.call} ${l.cond}`)).toEqual(['kernel/softirq.c:23 __do_softirq defined(CONFIG_PREEMPT_RT)']);
    // Of the two definitions, the real-time one is not compiled, and explain says why.
    expect(x.callerDefinitions?.map((d) => `${d.line} ${d.notCompiled ?? 'compiled'}`)).toEqual(['19 under defined(CONFIG_PREEMPT_RT): CONFIG_PREEMPT_RT is not set', '34 compiled']);
    expect(renderExplainText(x, { color: false })).toContain('kernel/softirq.c:19  does not call __do_softirq; not compiled: under defined(CONFIG_PREEMPT_RT): CONFIG_PREEMPT_RT is not set');
  });

  it('the same definitions make their calls when the configuration selects the real-time model', async () => {
    const { root } = copyFixture('ifdefcall');
    const config = join(root, 'rt.config');
    writeFileSync(config, 'CONFIG_SMP=y\nCONFIG_PREEMPT_RT=y\nCONFIG_HAVE_SOFTIRQ_ON_OWN_STACK=y\n');
    const p = await open(root, config);
    expect(callers(p, '__do_softirq')).toEqual(['__local_bh_enable_ip (kernel/softirq.c):23', 'do_softirq_own_stack (include/asm-generic/softirq_stack.h):13', 'do_softirq_own_stack (kernel/softirq.c):45']);
    expect(callers(p, 'do_softirq')).toEqual([]);
  });
});
