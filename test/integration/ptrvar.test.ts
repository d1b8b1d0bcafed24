import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, openTree, type Project } from '../../src/index.js';
import { calleeKinds, edgeEvidence } from '../support/callees.js';

/**
 * fixtures/ptrvar: function addresses kept in pointer variables (locals, globals, statics) and
 * in arrays of function pointers, then called through them (issue 12, kinds 1 and 2).
 * Each folder is its own tree.
 */
const fixture = (name: string): string => join(import.meta.dirname, '../../fixtures/ptrvar', name);

const open = (name: string): Promise<Project> => openTree({ root: fixture(name), jobs: 1, cache: false });

const callees = calleeKinds;
const evidence = edgeEvidence;

describe('pointer variables', () => {
  it('binds a local pointer call to what the function stored in it, and nothing by signature', async () => {
    const p = await open('local');
    expect(callees(p, 'main')).toEqual(['direct_target ops-assignment', 'hello_en ops-initializer']);
    expect(evidence(p, 'main', 'direct_target')).toEqual(['main.c:11 fp = direct_target in main']);
  });

  it('follows `fp = &f` called as `(*fp)()`, and an initialised local called as `(fp)()`', async () => {
    const p = await open('amp');
    expect(callees(p, 'main')).toEqual(['bark ops-assignment', 'growl ops-initializer']);
  });

  it('binds a call through a global to its stores in any file, and a static one to its own file only', async () => {
    const p = await open('global');
    expect(callees(p, 'run_hook')).toEqual(['act_a ops-assignment', 'act_c ops-assignment']);
    expect(callees(p, 'run_local')).toEqual(['act_b ops-initializer']);
    expect(evidence(p, 'run_hook', 'act_c')).toEqual(['other.c:8 hook = act_c in set_hook']);
  });

  it('counts calls through a global pointer as indirect call sites in stats, resolved by its stores', async () => {
    const stats = computeStats(await openTree({ root: fixture('global'), jobs: 1, cache: false, facts: true }));
    // hook() and local_hook(1); the calls by name to functions are none here.
    expect(stats.callSites).toEqual({ total: 2, direct: 0, indirect: 2, throughParameter: 0 });
    expect(stats.indirect.resolved).toBe(2);
    expect(stats.indirect.byKind).toEqual({ 'ops-assignment': 1, 'ops-initializer': 1 });
    expect(stats.indirect.bySite.global).toEqual({ sites: 2, unresolved: 0 });
    expect(stats.indirect.bySite.member).toEqual({ sites: 0, unresolved: 0 });
  });
});

describe('arrays of function pointers', () => {
  it('binds a call through an element to the designated, positional and assigned entries', async () => {
    const p = await open('table');
    expect(callees(p, 'handle_exit')).toEqual(['handle_hlt ops-initializer', 'handle_io ops-initializer']);
    // Two call sites, each bound to both entries.
    expect(callees(p, 'run_simple')).toEqual(['handle_one ops-initializer', 'handle_one ops-initializer', 'handle_zero ops-initializer', 'handle_zero ops-initializer']);
    expect(callees(p, 'run_late')).toEqual(['handle_late ops-assignment']);
    expect(callees(p, 'run_cast')).toEqual(['handle_hlt ops-initializer', 'handle_io ops-initializer', 'handle_late ops-assignment']);
    expect(evidence(p, 'handle_exit', 'handle_io')).toEqual(['exits.c:12 exit_handlers[EXIT_IO] = handle_io']);
  });
});

describe('field-to-local copies', () => {
  it('binds a call through a local loaded from a member to what was stored in that member', async () => {
    const p = await open('copy');
    expect(callees(p, 'runner')).toEqual(['worker_fn param-to-field']);
    expect(callees(p, 'runner_init')).toEqual(['worker_fn param-to-field']);
    expect(callees(p, 'runner_nested')).toEqual(['worker_fn param-to-field']);
    expect(evidence(p, 'runner', 'worker_fn')).toEqual([
      'thread.c:24 worker_fn passed by start_workers to make_job, stored in struct job_info.jobfn by make_job (thread.c:15)',
      'thread.c:31 jobfn = job->jobfn in runner',
    ]);
    expect(evidence(p, 'runner_init', 'worker_fn')[1]).toBe('thread.c:38 fn = job->jobfn in runner_init');
  });
});

describe('parameters given a function in the body', () => {
  // A user's finding: do_dentry_open's `if (!open) open = f->f_op->open; open(inode, f)` reached no filesystem's ->open.
  it('binds a call through a parameter to what callers pass and to what the body loads or stores into it, with both extractors', async () => {
    for (const extractor of ['scan', 'tree-sitter'] as const) {
      const p = await openTree({ root: fixture('param-load'), jobs: 1, cache: false, extractor });
      // What callers pass stays an edge from the caller (finish_open -> special_open, callback-arg).
      expect(callees(p, 'do_dentry_open')).toEqual(['ext_open ops-initializer']);
      expect(callees(p, 'finish_open')).toEqual(['do_dentry_open direct', 'special_open callback-arg']);
      expect(evidence(p, 'do_dentry_open', 'ext_open')).toEqual(['open.c:16 open = f->f_op->open in do_dentry_open', 'open.c:41 .open = ext_open in struct file_operations ext_fops']);
      expect(callees(p, 'run_done')).toEqual(['default_done ops-assignment']);
      expect(evidence(p, 'run_done', 'default_done')).toEqual(['open.c:56 done = default_done in run_done']);
      expect(callees(p, 'submit')).toEqual(['queue_done callback-arg', 'run_done direct']);
    }
  });
});

describe('locals named like macros', () => {
  it('expands a function-like macro called by the name of a local, and still binds a pointer local', async () => {
    const p = await open('shadow');
    expect(callees(p, 'chip_step')).toEqual(['chip_dbg macro', 'chip_reset ops-initializer', 'pick_max macro']);
    const stats = computeStats(await openTree({ root: fixture('shadow'), jobs: 1, cache: false, facts: true }));
    // chip_dbg(...) and pick_max(...) are calls by name; reset() is the one indirect site. The macro body's log_line is direct.
    expect(stats.callSites).toEqual({ total: 4, direct: 3, indirect: 1, throughParameter: 0 });
    expect(stats.indirect.unresolved).toBe(0);
    expect(stats.indirect.bySite.local).toEqual({ sites: 1, unresolved: 0 });
  });
});

describe('file-scope receivers', () => {
  it('types a member call through a file-scope variable by its own file\'s declaration, statics of other files aside', async () => {
    const p = await open('receivers');
    expect(callees(p, 'rcu_test_run')).toEqual(['rcu_cond_sync ops-initializer', 'rcu_sync ops-initializer']);
    expect(callees(p, 'lock_test_run')).toEqual(['lock_sync ops-initializer']);
  });

  it('types the value of a call by the file\'s own static function of that name first', async () => {
    const p = await open('receivers');
    expect(callees(p, 'rcu_test_again').filter((c) => !c.startsWith('test_ops'))).toEqual(['rcu_sync ops-initializer']);
    expect(callees(p, 'lock_test_again').filter((c) => !c.startsWith('test_ops'))).toEqual(['lock_sync ops-initializer']);
  });
});

describe('local pointers with a typedef return type', () => {
  it('reads `T (*fp)(...)` in a body as a declaration, so calls through it bind to its stores', async () => {
    const p = await open('typedef-return');
    expect(callees(p, 'attr_io')).toEqual(['match_key ops-initializer', 'quiet_irq ops-initializer', 'show_line ops-assignment', 'store_line ops-assignment']);
    expect(p.index.externalNamed('handlers')).toBe(-1);
    // No call by the names op or cmp: they are locals, not unknown functions.
    expect(p.index.externalNamed('cmp')).toBe(-1);
    expect(p.index.externalNamed('op')).toBe(-1);
  });
});

describe('casts that read like calls', () => {
  it('makes no call site of a cast to a typedef name chained on a value, or of a typeof cast; a conditional callee calls each arm', async () => {
    const stats = computeStats(await openTree({ root: fixture('typedef-return'), jobs: 1, cache: false, facts: true }));
    // store.c: three pointer calls (cmp, handlers[0], op); casts.c: mix only, by name;
    // pointer-casts.c: conditional callees, calls by each arm's name.
    expect(stats.callSites.indirect).toBe(3);
    expect(stats.indirect.bySite.expression).toEqual({ sites: 0, unresolved: 0 });
    const p = await open('typedef-return');
    expect(callees(p, 'cast_twice')).toEqual(['read_fifo direct', 'write_fifo direct']);
    expect(callees(p, 'pick_fifo')).toEqual(['read_fifo direct', 'write_fifo direct']);
  });
});

describe('conditional stores', () => {
  it('binds a pointer set from a conditional to every arm that names a function', async () => {
    const p = await open('cond');
    expect(callees(p, 'go_init')).toEqual(['run_fast ops-initializer', 'run_slow ops-initializer']);
    expect(callees(p, 'go_assign')).toEqual(['run_fast ops-assignment', 'run_safe ops-assignment', 'run_slow ops-assignment']);
    // `preferred ?: run_default`: the arm naming a function; preferred is a variable nothing stores into.
    expect(callees(p, 'go_elvis')).toEqual(['run_default ops-assignment']);
  });
});

describe('arrays of a typedef\'d function-pointer type', () => {
  it('binds calls through their entries, positional, designated and assigned', async () => {
    const p = await open('typedef-table');
    expect(callees(p, 'run_table')).toEqual(['handler_a ops-initializer', 'handler_b ops-initializer', 'handler_c ops-initializer']);
    expect(callees(p, 'run_local')).toEqual(['handler_a ops-assignment', 'handler_c ops-assignment']);
  });
});

describe('arrays of function pointers inside a struct', () => {
  it('binds a call through an element of a member array to the entries its initializers give', async () => {
    const p = await open('member-array');
    expect(callees(p, 'run_hook')).toEqual(['handle_c ops-initializer', 'handle_d ops-initializer']);
    expect(callees(p, 'run_first')).toEqual(['handle_c ops-initializer', 'handle_d ops-initializer']);
  });
});

describe('parameters in a local initializer', () => {
  it('binds a member initialised with a parameter to what callers pass, as an assignment would', async () => {
    const p = await open('param-init');
    expect(callees(p, 'run_on_cpu')).toEqual(['flush_cache_on param-to-field', 'read_msr_on param-to-field']);
  });
});

describe('struct tags written through a macro', () => {
  it('takes `struct rcu_head` for `struct callback_head` when `#define rcu_head callback_head`', async () => {
    const p = await open('tag-alias');
    expect(callees(p, 'rcu_do_batch')).toEqual(['item_free_rcu param-to-field']);
  });
});
