import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { calleeKinds, edgeEvidence } from '../support/callees.js';

/**
 * fixtures/fieldcopy: function addresses copied from member to member (directly, through a local,
 * with a `?:` fallback, in a cycle), and members or locals passed to functions that call or store
 * their parameter (issue 12, kind 4). One tree.
 */
const root = join(import.meta.dirname, '../../fixtures/fieldcopy');

let project: Promise<Project> | undefined;
const open = (): Promise<Project> => (project ??= openTree({ root, jobs: 1, cache: false }));

/** Evidence texts of the edges from `caller` to `callee` in the fixture, sorted. */
const evidence = async (caller: string, callee: string): Promise<string[]> => edgeEvidence(await open(), caller, callee);

const callees = async (caller: string): Promise<string[]> => calleeKinds(await open(), caller);

describe('field-to-field copies', () => {
  it('binds the worker member to everything the work member holds, and nothing else', async () => {
    expect(await callees('process_one_work')).toEqual(['flush_backlog ops-assignment', 'stat_update ops-initializer']);
    expect(await callees('fire_timer')).toEqual(['timer_expired ops-initializer']);
  });

  it('shows the chain: the copy, then the binding of the source member', async () => {
    expect(await evidence('process_one_work', 'stat_update')).toEqual([
      'work.c:27 .func = stat_update in struct work_struct stat_work',
      'work.c:38 worker->current_func = work->func in process_one_work (struct worker)',
    ]);
    expect(await evidence('process_one_work', 'flush_backlog')).toEqual([
      'work.c:32 w->func = flush_backlog in queue_flush (struct work_struct)',
      'work.c:38 worker->current_func = work->func in process_one_work (struct worker)',
    ]);
  });

  it('ends on a copy cycle, each side holding what the other holds', async () => {
    expect(await callees('run_a')).toEqual(['ping ops-initializer', 'pong ops-assignment']);
    expect(await callees('run_b')).toEqual(['ping ops-initializer', 'pong ops-assignment']);
    expect(await evidence('run_a', 'pong')).toEqual(['cycle.c:24 a->cb = b->cb in swap_out (struct pipe_a)', 'cycle.c:29 b->cb = pong in set_b (struct pipe_b)']);
    expect(await evidence('run_b', 'ping')).toEqual(['cycle.c:14 .cb = ping in struct pipe_a first', 'cycle.c:19 b->cb = a->cb in swap_in (struct pipe_b)']);
  });

  it('binds both sides of a `?:` fallback into a nested member', async () => {
    expect(await callees('strp_abort')).toEqual(['default_abort ops-assignment', 'my_abort ops-initializer']);
    expect(await evidence('strp_abort', 'my_abort')).toEqual([
      'fallback.c:18 .abort_parser = my_abort in struct parser_cb my_cbs',
      'fallback.c:22 strp->ops.abort = cb->abort_parser ?: default_abort in strp_init (struct strp_ops)',
    ]);
    expect(await evidence('strp_abort', 'default_abort')).toEqual(['fallback.c:22 strp->ops.abort = cb->abort_parser ?: default_abort in strp_init (struct strp_ops)']);
  });

  it('copies through a local, and through both arms of a conditional', async () => {
    expect(await callees('br_push')).toEqual(['vcc_push ops-initializer']);
    expect(await evidence('br_push', 'vcc_push')).toEqual([
      'fallback.c:45 .push = vcc_push in struct vcc plain_vcc',
      'fallback.c:51 fp = atmvcc->push in br_attach',
      'fallback.c:52 brvcc->old_push = fp in br_attach (struct br_vcc)',
    ]);
    expect(await callees('lec_send')).toEqual(['lec_push ops-assignment', 'vcc_push ops-initializer']);
  });
});

describe('members and locals passed to a function that calls or stores them', () => {
  it('binds the call of the parameter to what the member or the local holds, at the call site', async () => {
    expect(await callees('run_job')).toEqual(['job_done callback-arg', 'run direct']);
    expect(await callees('run_local')).toEqual(['run direct', 'tick callback-arg']);
    expect(await callees('run_macro')).toEqual(['RUN_CB macro', 'job_done callback-arg']);
    expect(await evidence('run_job', 'job_done')).toEqual([
      'args.c:15 .cb = job_done in struct job the_job',
      'args.c:32 struct job.cb passed to run, which calls it (args.c:22)',
    ]);
    expect(await evidence('run_local', 'tick')).toEqual(['args.c:39 fp = tick in run_local', 'args.c:40 fp passed to run, which calls it (args.c:22)']);
    expect(await evidence('run_macro', 'job_done')).toEqual(['args.c:15 .cb = job_done in struct job the_job', 'args.c:45 struct job.cb passed to RUN_CB, which calls it (args.c:18)']);
  });

  it('binds a member stored by the function it is passed to to what the member or local holds', async () => {
    expect(await callees('keep_job')).toEqual(['keep direct']);
    expect(await callees('keep_local')).toEqual(['keep direct']);
    expect(await callees('fire')).toEqual(['job_done ops-initializer', 'never_passed ops-initializer', 'tock ops-initializer']);
    expect(await evidence('fire', 'job_done')).toEqual([
      'args.c:15 .cb = job_done in struct job the_job',
      'args.c:50 struct job.cb passed by keep_job to keep, stored in struct holder.saved by keep (args.c:27)',
    ]);
    expect(await evidence('fire', 'tock')).toEqual(['args.c:55 fp = tock in keep_local', 'args.c:57 fp passed by keep_local to keep, stored in struct holder.saved by keep (args.c:27)']);
  });
});
