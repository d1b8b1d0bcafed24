import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { CallGraph } from '../../src/graph/call-graph.js';
import { rowsOf } from '../../src/graph/graph-rows.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph, EDIT_KINDS, seededRandom } from '../support/tree-edits.js';
import { settleWrites } from '../../src/cache/write-behind.js';

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

  it('are made by the query that patched the graph cache for an edit, and used by the next', async () => {
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
    expect(readFileSync(rows!).equals(before)).toBe(false);
    expect(next.project.graph(SYNC).fromRows).toBe(true);
    expect(arrays(next.project)).toEqual(arrays(fresh));
    expect(next.project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
  });

  it.each(['minikernel', 'incr/bindings'])('made on each patched graph of %s fit it: edits in a row, each query on rows of the last, equal folding', async (fixture) => {
    const { dir, root } = copyFixture(fixture, 'pathfind-rows-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const random = seededRandom(1307);
      let facts = (await openTreeReport({ root, cache: false })).project.index.files;
      const kinds = ['body', 'function added', 'function removed', 'struct member appended', 'initializer', 'plain file added', 'plain file deleted'];
      const filters = [{ noDeferred: true }, {}];
      let fromRows = 0;
      const done: string[] = [];
      for (let step = 0; step < 10; step++) {
        // Every other step opens the tree unchanged (the graph as the last patch wrote it).
        const what = step % 2 === 0 ? EDIT_KINDS[kinds[Math.floor(random() * kinds.length)]!]!({ root, facts, random, serial: step + 1, plain: true }) : 'no edit';
        if (!what) continue;
        done.push(what);
        let prepared: Project | null = null;
        // As the command line opens a tree: listed in a worker thread, the call graphs made meanwhile, a patched graph written behind.
        const opened = await openTreeReport({ root, cache, discoverInWorker: true, writeBehind: true }, (p) => {
          prepared = p;
          filters.forEach((f) => p.graph(f));
        });
        const made = (prepared as Project | null)?.graph(SYNC).madeBy;
        if (made === 'rows') fromRows++;
        const scratchOpen = (await openTreeReport({ root, cache: false })).project;
        for (const f of filters) {
          const g = opened.project.graph(f);
          expect(rowsOf(g), `${done.join('; ')}: call graph ${g.madeBy}`).toEqual(rowsOf(new CallGraph(g.index, g.edges, g.keep, g.withDeferred)));
          expect(arrays(opened.project, f), done.join('; ')).toEqual(arrays(scratchOpen, f));
        }
        expect(canonicalGraph(opened.project), done.join('; ')).toEqual(canonicalGraph(scratchOpen));
        facts = scratchOpen.index.files;
      }
      // Each query after the first made its call graphs from the rows the one before kept, patched or not.
      expect(fromRows).toBeGreaterThanOrEqual(done.length - 1);
    } finally {
      // A patched graph may still be being written by the worker thread: its write is waited for before the folder goes.
      settleWrites();
      rmSync(dir, { recursive: true, force: true });
    }
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
