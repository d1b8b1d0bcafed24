import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { MIN_COLUMN } from '../../src/cache/column-handoff.js';
import { copyFixture } from '../support/fixtures.js';
import { EDIT_KINDS, seededRandom } from '../support/tree-edits.js';
import { settleWrites } from '../../src/cache/write-behind.js';

/**
 * A patched graph is handed to the worker thread that writes it (cache/write-behind.ts) by
 * postMessage, whose structured clone copies every typed array not in shared memory, on the
 * thread that is about to answer the query: on a kernel, the patch's mention table and binding
 * rows alone were 14 MB, 60 ms of the edit's critical path. So every column the patch makes
 * (an array long enough to be stored as a column, MIN_COLUMN bytes) is made in shared memory, and
 * the job handed over holds none that is not, whatever the kind of edit.
 */

/** The typed arrays of `value` of at least MIN_COLUMN bytes, by path, and whether each is in shared memory. */
function columnsOf(value: unknown): { path: string; shared: boolean }[] {
  const out: { path: string; shared: boolean }[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.byteLength >= MIN_COLUMN) out.push({ path, shared: v.buffer instanceof SharedArrayBuffer });
      return;
    }
    for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(value, 'frames');
  return out;
}

describe('a patched graph handed to the writer thread', () => {
  it.each(['minikernel', 'incr/bindings'])('holds every column in shared memory, for every kind of edit (%s)', async (fixture) => {
    const { dir, root } = copyFixture(fixture, 'pathfind-handoff-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const random = seededRandom(4807);
      let facts = (await openTreeReport({ root, cache: false })).project.index.files;
      let handed = 0;
      let patched = 0;
      const unshared = new Set<string>();
      for (const [serial, [kind, edit]] of Object.entries(EDIT_KINDS).entries()) {
        const what = edit({ root, facts, random, serial: serial + 1, plain: true });
        if (!what) continue;
        const jobs: unknown[] = [];
        const post = Worker.prototype.postMessage;
        vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, message: unknown, transfer?: Parameters<Worker['postMessage']>[1]) {
          if (message && typeof message === 'object' && 'frames' in message) jobs.push((message as { frames: unknown }).frames);
          return post.call(this, message, transfer);
        });
        const cached = await openTreeReport({ root, cache, writeBehind: true });
        vi.restoreAllMocks();
        if (cached.report.incremental) patched++;
        for (const frames of jobs) {
          const columns = columnsOf(frames);
          handed += columns.length;
          for (const c of columns) if (!c.shared) unshared.add(`${c.path} (${kind})`);
        }
        facts = (await openTreeReport({ root, cache: false })).project.index.files;
      }
      expect([...unshared]).toEqual([]);
      expect(patched).toBeGreaterThan(5);
      // Columns were handed over at all (a miniature tree's arrays are that long only with small columns).
      if (MIN_COLUMN < 4096) expect(handed).toBeGreaterThan(0);
    } finally {
      // A patched graph may still be being written by the worker thread: its write is waited for before the folder goes.
      settleWrites();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
