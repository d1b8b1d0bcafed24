import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-cache-');
  return { root, cache: join(dir, 'cache') };
}

const chain = (p: Awaited<ReturnType<typeof openTreeReport>>['project'], from: string, to: string): string[] =>
  p.findPaths({ start: from, target: to }).paths[0]?.nodes.map((n) => n.name) ?? [];

describe('index cache', () => {
  it('loads an unchanged tree from the graph cache, with the same answers', async () => {
    const { root, cache } = scratch();
    const first = await openTreeReport({ root, cache });
    expect(first.report.parsed).toBe(first.project.index.files.length);
    const second = await openTreeReport({ root, cache });
    expect(second.report).toMatchObject({ parsed: 0, fromGraphCache: true });
    expect(second.project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' })).toEqual(first.project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }));
  });

  it('parses only the edited file again, and sees the edit', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const file = join(root, 'fs/read_write.c');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('new_sync_write(');
    // vfs_write no longer calls new_sync_write: the path must change.
    writeFileSync(file, text.replace(/ret = new_sync_write\(/, 'ret = do_nothing_write('));
    const after = await openTreeReport({ root, cache });
    expect(after.report).toMatchObject({ parsed: 1, fromGraphCache: false });
    expect(chain(after.project, 'ksys_write', 'sock_write_iter')).toEqual([]);
  });

  it('reuses facts of a file whose mtime moved but whose content did not', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'net/socket.c'), later, later);
    const after = await openTreeReport({ root, cache });
    // Nothing is parsed and nothing resolved: the cached graph is kept as it is, its manifest brought up to date.
    expect(after.report).toMatchObject({ parsed: 0, fromGraphCache: true, incremental: false, touched: 1 });
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(true);
    expect(chain(after.project, 'ksys_write', 'drv_wake_tx_queue').length).toBeGreaterThan(30);
  });

  it('rebuilds a corrupt cache with a one-line note', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), 'not a cache');
    const notes: string[] = [];
    const again = await openTreeReport({ root, cache, onNote: (m) => notes.push(m) });
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(notes.every((n) => /unreadable; rebuilding/.test(n) && !n.includes('\n'))).toBe(true);
    expect(chain(again.project, 'ksys_write', 'drv_wake_tx_queue').length).toBeGreaterThan(30);
    const third = await openTreeReport({ root, cache, onNote: (m) => notes.push(m) });
    expect(third.report.fromGraphCache).toBe(true);
  });

  it('rebuilds a cache written by another version of pathfind, with a note', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    // What an older pathfind would have written: the same magic, another format number.
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), Buffer.concat([Buffer.from('PFND'), Buffer.from([1, 0, 0, 0]), serialize([])]));
    const notes: string[] = [];
    const again = await openTreeReport({ root, cache, onNote: (m) => notes.push(m) });
    expect(notes.some((n) => /from another version of pathfind; rebuilding/.test(n))).toBe(true);
    expect(again.report.parsed).toBe(again.project.index.files.length);
  });

  it('falls back to the user cache folder when .pathfind cannot be created in the tree', async () => {
    const { root } = scratch();
    const xdg = mkdtempSync(join(tmpdir(), 'pathfind-xdg-'));
    writeFileSync(join(root, '.pathfind'), 'a file where the cache folder would go');
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = xdg;
    try {
      await openTreeReport({ root, cache: true });
      expect(readdirSync(join(xdg, 'pathfind', 'trees'))).toHaveLength(1);
      expect((await openTreeReport({ root, cache: true })).report.fromGraphCache).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});
