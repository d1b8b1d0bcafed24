import { mkdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TreeBuild } from '../../src/cache/tree-build.js';
import { detectProfile } from '../../src/profiles/index.js';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * The check that a cached graph's build record still holds (cache/tree-build.ts): unchangedSoon,
 * whose stat() calls run in libuv's thread pool, answers as unchanged does for every kind of
 * change to the paths the record names; and an open that lists the tree meanwhile (where the
 * check runs that way) resolves the graph again when a build file changed.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the miniature kernel, its cache folder, and the build record of its graph. */
async function recorded(): Promise<{ root: string; cache: string; build: TreeBuild; record: Parameters<TreeBuild['unchanged']>[0] }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-build-record-');
  dirs.push(dir);
  // net/Makefile entering net/core/: the record names a found Makefile below the top.
  writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/\n');
  const { project } = await openTreeReport({ root, cache: false, facts: true });
  const build = new TreeBuild(root, detectProfile(root), '');
  project.index.bindingScope = build.scopeFor(project.index);
  return { root, cache: join(dir, 'cache'), build, record: build.record(project.index) };
}

/** Both answers for `record` on a fresh TreeBuild of the tree (as a later run makes one). */
async function answers(root: string, record: Parameters<TreeBuild['unchanged']>[0]): Promise<{ sync: boolean; soon: boolean }> {
  const build = new TreeBuild(root, detectProfile(root), '');
  return { sync: build.unchanged(record), soon: await build.unchangedSoon(record) };
}

describe('the build record check', () => {
  it('answers in the thread pool as it does in series, for each kind of change', async () => {
    const { root, record } = await recorded();
    expect(record!.files.length).toBeGreaterThan(2);
    expect(record!.absent.length).toBeGreaterThan(3);
    expect(await answers(root, record)).toEqual({ sync: true, soon: true });
    expect(await answers(root, undefined)).toEqual({ sync: false, soon: false });
    expect(await answers(root, { ...record!, config: '/elsewhere/.config' })).toEqual({ sync: false, soon: false });
    // A record naming no path holds.
    expect(await answers(root, { ...record!, files: [], absent: [] })).toEqual({ sync: true, soon: true });
    // A path the model looked for and did not find appears (a folder's Kbuild), then goes again.
    const absent = record!.absent.find((p) => !p.startsWith('/'))!;
    mkdirSync(join(root, absent, '..'), { recursive: true });
    writeFileSync(join(root, absent), '# appeared\n');
    expect(await answers(root, record)).toEqual({ sync: false, soon: false });
    unlinkSync(join(root, absent));
    expect(await answers(root, record)).toEqual({ sync: true, soon: true });
    // A build file the record names is gone.
    expect(await answers(root, { ...record!, files: [...record!.files, { path: 'gone/Makefile', size: 1, mtimeMs: 1 }] })).toEqual({ sync: false, soon: false });
    // A build file of another size, then one touched (its mtime moved).
    const at = join(root, 'net/Makefile');
    writeFileSync(at, 'obj-y += core/ socket.o\n');
    expect(await answers(root, record)).toEqual({ sync: false, soon: false });
    writeFileSync(at, 'obj-y += core/\n');
    utimesSync(at, new Date(), new Date(Date.now() + 5000));
    expect(await answers(root, record)).toEqual({ sync: false, soon: false });
  });

  it('resolves the graph again when a build file changed, with the tree listed meanwhile', async () => {
    const { root, cache } = await recorded();
    const open = async (): Promise<string> => {
      const trace: string[] = [];
      await openTreeReport({ root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m) }, (p) => void p.graph({}));
      return trace.find((m) => m.startsWith('graph'))!.replace(/\s*\(\d+(\.\d+)? s\)$/, '');
    };
    expect(await open()).toMatch(/^graph: resolved in full/);
    expect(await open()).toBe('graph: loaded from the cache: no file changed');
    writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/ socket.o\n');
    expect(await open()).toBe('graph: resolved in full: a build file or the configuration changed');
    expect(await open()).toBe('graph: loaded from the cache: no file changed');
  });
});
