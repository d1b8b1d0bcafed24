import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for member-to-member copies (PATHFIND_LINUX: an unpacked Linux 6.1 tree):
 * process_one_work copies `work->func` into `worker->current_func` and calls it there, so that call
 * binds to what `struct work_struct.func` holds: the functions assigned `x->work.func = fn`, and
 * those INIT_WORK and kin store through their chain of statement macros. Indexes only the folders it crosses.
 */
const tree = process.env.PATHFIND_LINUX;

describe.skipIf(!tree)('Linux 6.1 calls through a member copied from another member', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['kernel', 'fs/netfs', 'mm/vmstat.c', 'include', 'arch/x86/include'], jobs: 2, cache: false });
  }, 600_000);

  it('process_one_work -> netfs_free_request through worker->current_func = work->func, then rreq->work.func = netfs_free_request', () => {
    const { paths } = project.findPaths({ start: 'process_one_work', target: 'netfs_free_request' });
    expect(paths.length).toBeGreaterThan(0);
    const edge = paths[0]!.edges[0]!;
    expect(`${edge.from.name} -> ${edge.to.name} ${edge.kind}`).toBe('process_one_work -> netfs_free_request ops-assignment');
    const texts = edge.evidence!.map((e) => `${e.file} ${e.text}`).sort();
    expect(texts).toEqual([
      'fs/netfs/objects.c rreq->work.func = netfs_free_request in netfs_put_request (struct work_struct)',
      'kernel/workqueue.c worker->current_func = work->func in process_one_work (struct worker)',
    ]);
  });

  it('process_one_work -> vmstat_update through the copy, then INIT_DEFERRABLE_WORK\'s macro chain storing into work_struct.func', () => {
    const { paths } = project.findPaths({ start: 'process_one_work', target: 'vmstat_update' });
    expect(paths.length).toBeGreaterThan(0);
    const edge = paths[0]!.edges[0]!;
    expect(`${edge.from.name} -> ${edge.to.name} ${edge.kind}`).toBe('process_one_work -> vmstat_update param-to-field');
    const texts = edge.evidence!.map((e) => `${e.file} ${e.text}`);
    expect(texts).toContain('kernel/workqueue.c worker->current_func = work->func in process_one_work (struct worker)');
    expect(texts.some((t) => /^mm\/vmstat\.c vmstat_update passed by \w+ to INIT_DEFERRABLE_WORK, through .*INIT_WORK.*stored in struct work_struct\.func/.test(t))).toBe(true);
  });
});
