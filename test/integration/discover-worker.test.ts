import { chmodSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles, type DiscoverOptions, type SourceFile } from '../../src/index/discover-files.js';
import { openTree } from '../../src/api/open-tree.js';
import { discoverFilesInWorker, discoveryThreadsAlive } from '../../src/index/discover-in-worker.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { UnreadableFile } from '../../src/types/facts.js';
import { copyFixture } from '../support/fixtures.js';

/** Both discoveries of the same tree, with what each reported unreadable. */
async function both(root: string, options: Omit<DiscoverOptions, 'onUnreadable'> = {}): Promise<{ here: SourceFile[]; there: SourceFile[]; unreadHere: UnreadableFile[]; unreadThere: UnreadableFile[] }> {
  const profile = detectProfile(root);
  const unreadHere: UnreadableFile[] = [];
  const unreadThere: UnreadableFile[] = [];
  const here = discoverFiles(root, profile, { ...options, onUnreadable: (f) => unreadHere.push(f) });
  const there = await discoverFilesInWorker(root, profile, { ...options, onUnreadable: (f) => unreadThere.push(f) });
  return { here, there, unreadHere, unreadThere };
}

/** The UsageError message a discovery throws, or null. */
async function usageOf(run: () => Promise<unknown> | unknown): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (err) {
    expect((err as Error).name).toBe('UsageError');
    return (err as Error).message;
  }
}

describe('discovery in a worker thread', () => {
  it('finds the same files, in the same order, with the same sizes and mtimes', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-discover-');
    const { here, there } = await both(root);
    expect(here.length).toBeGreaterThan(20);
    expect(there).toEqual(here);
  });

  it('sees a file added, removed and touched, as the thread in place does', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-discover-');
    const before = (await both(root)).there;
    writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n');
    rmSync(join(root, 'fs/read_write.c'));
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(root, 'net/socket.c'), later, later);
    const { here, there } = await both(root);
    expect(there).toEqual(here);
    const paths = there.map((f) => f.path);
    expect(paths).toContain('net/added.c');
    expect(paths).not.toContain('fs/read_write.c');
    expect(there.find((f) => f.path === 'net/socket.c')!.mtimeMs).not.toBe(before.find((f) => f.path === 'net/socket.c')!.mtimeMs);
  });

  it('keeps path limits and the arch, and reports folders it cannot list the same way', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-discover-');
    const limited = await both(root, { paths: ['net', 'fs/read_write.c'] });
    expect(limited.there).toEqual(limited.here);
    expect(limited.there.every((f) => f.path.startsWith('net/') || f.path === 'fs/read_write.c')).toBe(true);
    mkdirSync(join(root, 'net/locked'));
    writeFileSync(join(root, 'net/locked/x.c'), 'int x;\n');
    chmodSync(join(root, 'net/locked'), 0);
    try {
      const locked = await both(root);
      expect(locked.there).toEqual(locked.here);
      expect(locked.unreadThere).toEqual(locked.unreadHere);
    } finally {
      chmodSync(join(root, 'net/locked'), 0o755);
    }
  });

  it('throws the same usage errors for a missing path limit and an unknown arch', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-discover-');
    const profile = detectProfile(root);
    for (const options of [{ paths: ['no/such/dir'] }, { arch: 'vax' }]) {
      const here = await usageOf(() => discoverFiles(root, profile, options));
      const there = await usageOf(() => discoverFilesInWorker(root, profile, options));
      expect(there).toEqual(here);
    }
  });

  it('has written its folder listings when an open without write-behind returns, so the cache folder can be removed at once', async () => {
    const { root, dir } = copyFixture('minikernel', 'pathfind-discover-');
    const cache = join(dir, 'cache');
    await openTree({ root, cache, discoverInWorker: true });
    for (let round = 0; round < 3; round++) {
      // A folder added makes the thread list afresh and write its listings after it answered.
      mkdirSync(join(root, `added${round}`));
      writeFileSync(join(root, `added${round}`, 'n.c'), `int added${round}(void)\n{\n\treturn ${round};\n}\n`);
      await openTree({ root, cache, discoverInWorker: true });
      expect(discoveryThreadsAlive(), `round ${round}`).toBe(0);
    }
    rmSync(cache, { recursive: true });
  });
});
