import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { smallColumns } from '../../src/cache/column-format.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { settleWrites } from '../../src/cache/write-behind.js';

/**
 * A patch that adds no file and deletes none reads each edited file's path alone from the cached
 * graph's column of paths (cache/patch-cached-graph.ts), so that the column stays unread and the
 * patched graph's writer is handed it as stored (a kernel's 43,000 paths were decoded, and
 * encoded again by the writer, at every patch). The column is one only past MIN_COLUMN paths: with
 * small columns (vitest.config.ts), a tree of 80 files has one.
 */
describe('the column of paths of a patched graph', () => {
  it('is handed to the writer as stored, unread, after a function is added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-unread-paths-'));
    try {
      const root = join(dir, 'tree');
      const cache = join(dir, 'cache');
      mkdirSync(join(root, 'lib'), { recursive: true });
      for (let i = 0; i < 80; i++) writeFileSync(join(root, `lib/f${String(i).padStart(2, '0')}.c`), `int f${i}(int x)\n{\n\treturn ${i > 0 ? `f${i - 1}(x)` : 'x'};\n}\n`);
      await openTreeReport({ root, cache });
      appendFileSync(join(root, 'lib/f40.c'), '\nint pf_added(int x)\n{\n\treturn f3(x);\n}\n');
      const jobs: unknown[] = [];
      const post = Worker.prototype.postMessage;
      vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, message: unknown, transfer?: Parameters<Worker['postMessage']>[1]) {
        if (message && typeof message === 'object' && 'frames' in message) jobs.push((message as { frames: unknown[] }).frames);
        return post.call(this, message, transfer);
      });
      const cached = await openTreeReport({ root, cache, writeBehind: true });
      vi.restoreAllMocks();
      expect(cached.report.incremental).toBe(true);
      expect(canonicalGraph(cached.project)).toEqual(canonicalGraph((await openTreeReport({ root, cache: false })).project));
      expect(jobs).toHaveLength(1);
      const payload = (jobs[0] as unknown[]).find((f) => f !== null && typeof f === 'object' && 'index' in f) as { index: { files?: unknown } } | undefined;
      const files = (payload?.index.files ?? null) as Record<string, unknown> | null;
      if (smallColumns()) {
        // A column as stored ('\u0000stored': columns.ts detachedForWriting), with no value read since.
        expect(files && '\u0000stored' in files).toBe(true);
        expect(files && 'value' in files).toBe(false);
      }
    } finally {
      // The patched graph is written by a worker thread meanwhile: its write is waited for before the folder goes.
      settleWrites();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
