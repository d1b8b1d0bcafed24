import { readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeStats, openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

const chain = (p: Project, from: string, to: string): string[] => p.findPaths({ start: from, target: to }).paths[0]?.nodes.map((n) => n.name) ?? [];
const defines = (p: Project, name: string): boolean => p.index.nodesNamed(name).length > 0;

/** A C file with a NUL byte in it: not text, whatever else it holds. */
const BINARY = Buffer.concat([Buffer.from('void blob_fn(void)\n{\n\tvfs_write(0, 0, 0, 0);\n}\n'), Buffer.from([0, 1, 2, 0xff, 0])]);

describe('files that cannot be read', () => {
  it('skips a file that vanishes while the tree is indexed, and counts it', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-vanish-');
    const last = 'net/socket.c';
    let removed = false;
    const { project, report } = await openTreeReport({
      root,
      jobs: 1,
      cache: join(dir, 'cache'),
      facts: true,
      // The first progress event comes after the first file is parsed: net/socket.c is listed, then gone before it is read.
      onProgress: () => {
        if (removed) return;
        removed = true;
        unlinkSync(join(root, last));
      },
    });
    expect(report.unreadable).toEqual([{ path: last, reason: 'ENOENT' }]);
    expect(computeStats(project).unreadable).toEqual([{ path: last, reason: 'ENOENT' }]);
    expect(defines(project, 'sock_write_iter')).toBe(false);
    expect(chain(project, 'ksys_write', 'vfs_write')).toEqual(['ksys_write', 'vfs_write']);
  });

  it('skips a file that is not text in the parse threads too', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-binary-jobs-');
    // Enough files for the parse threads to be used.
    for (let i = 0; i < 70; i++) writeFileSync(join(root, `lib_${String(i).padStart(2, '0')}.c`), `int pad_${i}(void)\n{\n\treturn ${i};\n}\n`);
    writeFileSync(join(root, 'drivers/blob.c'), BINARY);
    const { project, report } = await openTreeReport({ root, jobs: 2, facts: true });
    expect(report.unreadable).toEqual([{ path: 'drivers/blob.c', reason: 'not-text' }]);
    expect(defines(project, 'blob_fn')).toBe(false);
    expect(defines(project, 'pad_69')).toBe(true);
  });

  it('skips a file that is not text (has a NUL byte), lists it through the cache, and indexes it once it is text', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-binary-');
    const cache = join(dir, 'cache');
    writeFileSync(join(root, 'drivers/blob.c'), BINARY);
    const first = await openTreeReport({ root, cache });
    expect(first.report.unreadable).toEqual([{ path: 'drivers/blob.c', reason: 'not-text' }]);
    expect(defines(first.project, 'blob_fn')).toBe(false);
    expect(chain(first.project, 'ksys_write', 'drv_wake_tx_queue').length).toBeGreaterThan(30);

    // The graph alone, from the cache: still listed.
    const cached = await openTreeReport({ root, cache });
    expect(cached.report.fromGraphCache).toBe(true);
    expect(cached.report.unreadable).toEqual([{ path: 'drivers/blob.c', reason: 'not-text' }]);
    // With the facts, from the cache (what stats opens): listed, in the stats too, and nothing parsed again.
    const withFacts = await openTreeReport({ root, cache, facts: true });
    expect(withFacts.report.parsed).toBe(0);
    expect(computeStats(withFacts.project).unreadable).toEqual([{ path: 'drivers/blob.c', reason: 'not-text' }]);

    writeFileSync(join(root, 'drivers/blob.c'), 'void blob_fn(void)\n{\n\tvfs_write(0, 0, 0, 0);\n}\n');
    const fixed = await openTreeReport({ root, cache });
    expect(fixed.report.unreadable).toEqual([]);
    expect(chain(fixed.project, 'blob_fn', 'vfs_write')).toEqual(['blob_fn', 'vfs_write']);
  });

  it('skips a file that vanished since the cached graph, and lists it no more once it is gone from the tree', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-gone-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    rmSync(join(root, 'kernel/sys.c'));
    const after = await openTreeReport({ root, cache, facts: true });
    expect(after.report.unreadable).toEqual([]);
    expect(defines(after.project, 'do_prlimit')).toBe(false);
  });

  it('rewrites a corrupt graph cache on the next run, a file that is not text in the tree or not', async () => {
    for (const binary of [true, false]) {
      const { dir, root } = copyFixture('minikernel', 'pathfind-corrupt-graph-');
      if (binary) writeFileSync(join(root, 'fs/bin.c'), BINARY);
      const cache = join(dir, 'cache');
      const notes: string[] = [];
      const open = () => openTreeReport({ root, jobs: 1, cache, onNote: (m) => notes.push(m) });
      await open();
      const graphFile = readdirSync(cache).find((f) => f.endsWith('.graph'))!;
      writeFileSync(join(cache, graphFile), 'garbage');
      const rebuilt = await open();
      expect(rebuilt.report.fromGraphCache).toBe(false);
      expect(notes.filter((m) => /graph is unreadable; rebuilding it/.test(m))).toHaveLength(1);
      const again = await open();
      expect(again.report.fromGraphCache, `with a binary file: ${binary}`).toBe(true);
      expect(again.report.unreadable).toEqual(binary ? [{ path: 'fs/bin.c', reason: 'not-text' }] : []);
      expect(notes).toHaveLength(1);
      expect(chain(again.project, 'ksys_write', 'vfs_write')).toEqual(['ksys_write', 'vfs_write']);
    }
  });

  it('lists no file when every file reads', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-clean-');
    const { project, report } = await openTreeReport({ root, facts: true });
    expect(report.unreadable).toEqual([]);
    expect(computeStats(project).unreadable).toEqual([]);
  });
});
