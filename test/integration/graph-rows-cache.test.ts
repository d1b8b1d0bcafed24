import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-rows-');
  return { root, cache: join(dir, 'cache') };
}

const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue' };
const SYNC = { noDeferred: true };

/** Opens the tree as a path query does (listing in a worker thread, its call graph made meanwhile), and the rows file after it. */
async function openAsQuery(root: string, cache: string): Promise<{ project: Project; rows: string | null }> {
  const { project } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => void p.graph(SYNC));
  const name = readdirSync(cache).find((f) => f.endsWith('.rows'));
  return { project, rows: name ? join(cache, name) : null };
}

const arrays = (p: Project, filter: { noDeferred?: boolean } = SYNC) => {
  const g = p.graph(filter);
  return { outStart: [...g.outStart], outTo: [...g.outTo], outEdge: [...g.outEdge] };
};

describe('call graph rows kept beside the graph cache', () => {
  it('are written by the first query on a cached graph and used by the next, with the same answers', async () => {
    const { root, cache } = scratch();
    const fresh = (await openTreeReport({ root, cache })).project;
    const first = await openAsQuery(root, cache);
    expect(first.rows).not.toBeNull();
    expect(first.project.graph(SYNC).fromRows).toBe(false);
    const second = await openAsQuery(root, cache);
    expect(second.project.graph(SYNC).fromRows).toBe(true);
    expect(arrays(second.project)).toEqual(arrays(fresh));
    expect(second.project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
    // A callees tree (deferred edges kept) adds its rows to the same file.
    const { project: third } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => void p.graph({}));
    expect(third.graph({}).fromRows).toBe(false);
    const { project: fourth } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => void p.graph({}));
    expect(fourth.graph({}).fromRows).toBe(true);
    expect(fourth.tree('ksys_write', 4, 'callees')).toEqual(fresh.tree('ksys_write', 4, 'callees'));
    expect(arrays(fourth, {})).toEqual(arrays(fresh, {}));
  });

  it('are not used once the graph cache is rewritten for an edit, and are made again for it', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const { rows } = await openAsQuery(root, cache);
    const before = readFileSync(rows!);
    const file = join(root, 'fs/read_write.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/ret = new_sync_write\(/, 'ret = do_nothing_write('));
    const patched = await openAsQuery(root, cache);
    const fresh = (await openTreeReport({ root })).project;
    expect(arrays(patched.project)).toEqual(arrays(fresh));
    const next = await openAsQuery(root, cache);
    expect(next.project.graph(SYNC).fromRows).toBe(false);
    expect(arrays(next.project)).toEqual(arrays(fresh));
    expect(readFileSync(rows!).equals(before)).toBe(false);
    const last = await openAsQuery(root, cache);
    expect(last.project.graph(SYNC).fromRows).toBe(true);
    expect(last.project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
  });

  it('that are damaged are ignored and replaced', async () => {
    const { root, cache } = scratch();
    const fresh = (await openTreeReport({ root, cache })).project;
    const { rows } = await openAsQuery(root, cache);
    writeFileSync(rows!, 'not rows');
    const damaged = await openAsQuery(root, cache);
    expect(damaged.project.graph(SYNC).fromRows).toBe(false);
    expect(damaged.project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
    expect(statSync(rows!).size).toBeGreaterThan(8);
    expect((await openAsQuery(root, cache)).project.graph(SYNC).fromRows).toBe(true);
  });
});
