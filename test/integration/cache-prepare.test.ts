import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-prepare-');
  return { root, cache: join(dir, 'cache') };
}

const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue' };

/** Opens the tree with the listing in a worker thread, a prepared project recorded. */
async function openPrepared(root: string, cache: string): Promise<{ project: Project; prepared: Project[]; report: Awaited<ReturnType<typeof openTreeReport>>['report'] }> {
  const prepared: Project[] = [];
  const { project, report } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => {
    prepared.push(p);
    p.graph({ noDeferred: true });
  });
  return { project, prepared, report };
}

describe('graph cache decoded while the tree is listed in a worker thread', () => {
  it('answers as a listing in place does, with the call graph built meanwhile', async () => {
    const { root, cache } = scratch();
    const first = await openTreeReport({ root, cache });
    const { project, prepared, report } = await openPrepared(root, cache);
    expect(report).toMatchObject({ parsed: 0, fromGraphCache: true });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.index).toBe(project.index);
    // The graph the prepared project built is the one the query uses.
    expect(project.graph({ noDeferred: true })).toBe(prepared[0]!.graph({ noDeferred: true }));
    expect(project.findPaths(QUERY)).toEqual(first.project.findPaths(QUERY));
    expect(canonicalGraph(project)).toEqual(canonicalGraph(first.project));
    // Each file of the loaded index keeps its path (its facts are read on demand, not kept).
    expect(project.index.files.map((f) => f.path)).toEqual(first.project.index.files.map((f) => f.path));
  });

  it('still finds an edited, an added and a removed file, and drops what it prepared', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const file = join(root, 'fs/read_write.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/ret = new_sync_write\(/, 'ret = do_nothing_write('));
    writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n');
    rmSync(join(root, 'net/core/dev.c'), { force: true });
    const { project, prepared, report } = await openPrepared(root, cache);
    expect(report.fromGraphCache).toBe(false);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.index).not.toBe(project.index);
    const fresh = await openTreeReport({ root });
    expect(canonicalGraph(project)).toEqual(canonicalGraph(fresh.project));
    expect(project.findPaths(QUERY)).toEqual(fresh.project.findPaths(QUERY));
  });
});
