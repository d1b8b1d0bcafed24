import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_KINDS, openTree, openTreeReport, type Project } from '../../src/index.js';
import { calleeKinds, edgeEvidence as evidence } from '../support/callees.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * fixtures/macrostore: statement macros that store a function into a member (INIT_WORK and
 * kin, issue 12 kind 5), reached through chains of macros that pass their parameters on.
 */
const fixture = join(import.meta.dirname, '../../fixtures/macrostore/work');

const open = (root = fixture): Promise<Project> => openTree({ root, jobs: 1, cache: false });

describe('stores in macro bodies', () => {
  it('binds work->func(work) to the functions stored by a chain of macros, and nothing else', async () => {
    const p = await open();
    expect(calleeKinds(p, 'process_work')).toEqual(['plain_fn param-to-field', 'stat_update param-to-field', 'wrapped_fn param-to-field']);
    expect(evidence(p, 'process_work', 'stat_update')).toEqual([
      'users.c:16 stat_update passed by start_stat to INIT_DEFERRABLE_WORK, through __INIT_DELAYED_WORK, INIT_WORK, __INIT_WORK, stored in struct work_struct.func by __INIT_WORK_KEY (include/workqueue.h:20)',
    ]);
    expect(evidence(p, 'process_work', 'wrapped_fn')).toEqual([
      'users.c:32 wrapped_fn passed by start_wrapped to queue_setup, through INIT_WORK, __INIT_WORK, stored in struct work_struct.func by __INIT_WORK_KEY (include/workqueue.h:20)',
    ]);
  });

  it('binds a timer through a setup macro, a store in the macro (typed by its members), a name in a body and a cast', async () => {
    const p = await open();
    expect(calleeKinds(p, 'run_timer')).toEqual(['default_timer_fn ops-assignment', 'delayed_work_timer_fn param-to-field', 'fast_fn param-to-field', 'tick_fn param-to-field']);
    expect(evidence(p, 'run_timer', 'default_timer_fn')).toEqual(['include/workqueue.h:53 (t)->function = default_timer_fn in timer_setup_default (struct timer_list)']);
    expect(evidence(p, 'run_timer', 'delayed_work_timer_fn')).toEqual([
      'include/workqueue.h:36 delayed_work_timer_fn passed by __INIT_DELAYED_WORK to __init_timer, stored in struct timer_list.function by init_timer_key (workqueue.c:7)',
    ]);
    expect(calleeKinds(p, 'run_cb')).toEqual(['cb_fn param-to-field']);
  });

  it('records nothing for a holder whose type stays ambiguous, nor for a struct with the same members', async () => {
    const p = await open();
    expect(calleeKinds(p, 'run_irq')).toEqual([]);
    expect(calleeKinds(p, 'run_shadow')).toEqual([]);
  });

  it('gives the same graph with the tree-sitter extractor', async () => {
    const text = (q: Project): string[] => ['process_work', 'run_timer', 'run_cb', 'run_irq', 'run_shadow'].flatMap((f) => calleeKinds(q, f).map((c) => `${f} ${c}`));
    const ts = await openTree({ root: fixture, jobs: 1, cache: false, extractor: 'tree-sitter' });
    expect(text(ts)).toEqual(text(await open()));
  });
});

describe('incremental re-index of macro stores', () => {
  it('re-resolves when an edit changes what a macro stores, as a full index would', async () => {
    const { dir, root } = copyFixture(fixture, 'pathfind-macrostore-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const header = join(root, 'include/workqueue.h');
    const before = readFileSync(header, 'utf8');
    const after = before.replace('(t)->function = (fn); (t)->flags = 0;', '(t)->flags = 0;');
    expect(after).not.toBe(before);
    writeFileSync(header, after);
    const cached = await openTreeReport({ root, cache });
    expect(cached.report).toMatchObject({ parsed: 1, incremental: false });
    expect(calleeKinds(cached.project, 'run_timer')).toEqual(['default_timer_fn ops-assignment', 'delayed_work_timer_fn param-to-field', 'tick_fn param-to-field']);
    const scratch = await openTree({ root, jobs: 1, cache: false });
    const graph = (q: Project): string[] => {
      const rows: string[] = [];
      for (let e = 0; e < q.edges.length; e++) rows.push(`${q.index.name(q.edges.from.get(e))} -> ${q.index.name(q.edges.to.get(e))} ${EDGE_KINDS[q.edges.kind.get(e)]}`);
      return rows.sort();
    };
    expect(graph(cached.project)).toEqual(graph(scratch));
  });

  it('moves the evidence of a macro store when lines above it shift, as a full index would', async () => {
    const { dir, root } = copyFixture(fixture, 'pathfind-macrostore-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const header = join(root, 'include/workqueue.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('struct list_head { struct list_head *next, *prev; };', '\nstruct list_head { struct list_head *next, *prev; };'));
    const cached = await openTreeReport({ root, cache });
    expect(cached.report).toMatchObject({ parsed: 1, incremental: true });
    expect(evidence(cached.project, 'process_work', 'stat_update')[0]).toContain('(include/workqueue.h:21)');
    expect(evidence(cached.project, 'run_timer', 'default_timer_fn')).toEqual(['include/workqueue.h:54 (t)->function = default_timer_fn in timer_setup_default (struct timer_list)']);
  });
});
