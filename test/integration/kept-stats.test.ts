import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKept, writeKept } from '../../src/cache/kept-beside.js';
import { computeStats, keptStats, statsOpening } from '../../src/api/stats.js';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-kept-stats-');
  return { root, cache: join(dir, 'cache') };
}

const always = (v: unknown): v is unknown => v !== undefined;

describe('stats kept beside the graph cache (api/stats.ts keptStats)', () => {
  it('are those computeStats counts, kept by the first run on a stored graph and read by the next', async () => {
    const { root, cache } = scratch();
    const indexed = await openTreeReport({ root, cache, facts: 'lazy' });
    // A graph just resolved was written this run: nothing says it is the stored file's yet.
    expect(indexed.report.kept).toBeUndefined();
    const first = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(first.report.kept).toBeDefined();
    const counted = computeStats(first.project);
    expect(keptStats(first.project, first.report.kept)).toEqual(counted);
    expect(existsSync(`${first.report.kept!.base}.stats`)).toBe(true);
    const second = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(second.report.kept).toEqual(first.report.kept);
    // The same JSON, key order included.
    expect(JSON.stringify(keptStats(second.project, second.report.kept))).toBe(JSON.stringify(counted));
    // What is read is what was kept: a value kept for this graph file is taken as it is (the unreadable files are the project's).
    writeKept(second.report.kept!, 'stats', 1, { ...counted, files: 12345, unreadable: [] });
    expect(keptStats(second.project, second.report.kept).files).toBe(12345);
    expect(keptStats(second.project, second.report.kept).unreadable).toEqual(counted.unreadable);
  });

  it('are not used once the graph cache is written again for an edit', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache, facts: 'lazy' });
    const before = await openTreeReport({ root, cache, facts: 'lazy' });
    keptStats(before.project, before.report.kept);
    const file = join(root, 'fs/read_write.c');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nint added_for_stats(void) { return 0; }\n`);
    const patched = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(patched.report.kept).toBeUndefined();
    const after = await openTreeReport({ root, cache, facts: 'lazy' });
    expect(after.report.kept!.identity).not.toBe(before.report.kept!.identity);
    expect(readKept(after.report.kept!, 'stats', 1, always)).toBeNull();
    const stats = keptStats(after.project, after.report.kept);
    expect(stats).toEqual(computeStats((await openTreeReport({ root })).project));
    expect(stats.functions).toBe(computeStats(before.project).functions + 1);
  });
});

describe('stats on a graph used as stored (api/stats.ts statsOpening)', () => {
  /** Opens as the CLI's stats does: the tree listed meanwhile, the kept stats read then, the facts opened only when they are not there. */
  async function stats(root: string, cache: string) {
    const opening = statsOpening();
    const trace: string[] = [];
    const opened = await openTreeReport({ root, cache, discoverInWorker: true, facts: 'lazy', needsFacts: opening.needsFacts, onTrace: (m) => trace.push(m) }, opening.prepare);
    return { ...opened, stats: opening.stats(opened.project, opened.report.kept), graph: trace.find((m) => m.startsWith('graph'))!.replace(/\s*\(\d+(\.\d+)? s\)$/, '') };
  }

  it('never opens the facts file once the stats are kept for that graph', async () => {
    const { root, cache } = scratch();
    const counted = computeStats((await openTreeReport({ root, facts: true })).project);
    expect((await stats(root, cache)).stats).toEqual(counted);
    const kept = await stats(root, cache);
    expect(JSON.stringify(kept.stats)).toBe(JSON.stringify(counted));
    // Without its facts file, a graph whose facts are opened cannot be used as stored: this one is.
    const factsFile = readdirSync(cache).find((f) => f.endsWith('.facts'))!;
    const saved = readFileSync(join(cache, factsFile));
    rmSync(join(cache, factsFile));
    const spared = await stats(root, cache);
    expect(spared.graph).toBe('graph: loaded from the cache: no file changed');
    expect(JSON.stringify(spared.stats)).toBe(JSON.stringify(counted));
    writeFileSync(join(cache, factsFile), saved);
    // Kept stats of another graph are not taken: after an edit they are counted (with the facts) again.
    const file = join(root, 'fs/read_write.c');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nint added_for_stats(void) { return 0; }\n`);
    const edited = await stats(root, cache);
    expect(edited.stats).toEqual(computeStats((await openTreeReport({ root, facts: true })).project));
    expect(edited.stats.functions).toBe(counted.functions + 1);
    expect((await stats(root, cache)).stats).toEqual(edited.stats);
  });
});
