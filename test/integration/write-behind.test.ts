import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph, EDIT_KINDS, seededRandom } from '../support/tree-edits.js';
import { settleWrites } from '../../src/cache/write-behind.js';

/**
 * A patched graph written in a worker thread (OpenOptions.writeBehind, cache/write-behind.ts):
 * each open after an edit returns before its graph file is written, and the next open (of the
 * next edit, at once) must read what that write left: patches in a row equal a fresh index at
 * every step, and once the edits stop the cache holds the last graph as it is (loaded, not patched).
 */
describe('write-behind of patched graphs', () => {
  it.each(['minikernel', 'incr/bindings'])('patches in a row on %s equal a fresh index, each reading the graph the last one wrote', async (fixture) => {
    const { dir, root } = copyFixture(fixture, 'pathfind-write-behind-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const random = seededRandom(1301);
      let facts = (await openTreeReport({ root, cache: false })).project.index.files;
      const kinds = ['body', 'function added', 'function removed', 'struct member appended', 'initializer', 'plain file added', 'plain file deleted'];
      let patched = 0;
      const done: string[] = [];
      for (let step = 0; step < 8; step++) {
        const what = EDIT_KINDS[kinds[Math.floor(random() * kinds.length)]!]!({ root, facts, random, serial: step + 1, plain: true });
        if (!what) continue;
        done.push(what);
        const trace: string[] = [];
        const cached = await openTreeReport({ root, cache, writeBehind: true, onTrace: (m) => trace.push(m) });
        if (cached.report.incremental) expect(trace.find((m) => m.startsWith('save:'))).toMatch(/graph handed to a worker thread to write/);
        const scratch = await openTreeReport({ root, cache: false });
        expect(canonicalGraph(cached.project), done.join('; ')).toEqual(canonicalGraph(scratch.project));
        patched += cached.report.incremental ? 1 : 0;
        facts = scratch.project.index.files;
      }
      expect(patched).toBeGreaterThan(0);
      // The last write is waited for, and holds: the graph is loaded as stored.
      const last = await openTreeReport({ root, cache });
      expect(last.report.fromGraphCache).toBe(true);
      expect(canonicalGraph(last.project)).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
      expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      // A patched graph may still be being written by the worker thread: its write is waited for before the folder goes.
      settleWrites();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
