import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/index/discover-files.js';
import { listWithFind } from '../../src/index/discover-find.js';
import { dropEarlyListing, LISTING_HINT, listingRequest, startEarlyListing } from '../../src/index/early-listing.js';
import { detectProfile } from '../../src/profiles/index.js';
import { userCacheDir } from '../../src/util/user-cache-dir.js';
import { copyFixture } from '../support/fixtures.js';

/** A find that logs each start (one line in `log`) and then runs the real find with its arguments. */
function loggingFind(): { command: string; starts: () => number; started: (n: number) => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-early-'));
  const log = join(dir, 'starts');
  const command = join(dir, 'find');
  writeFileSync(command, `#!/bin/sh\necho started >> '${log}'\nexec find "$@"\n`);
  chmodSync(command, 0o755);
  const starts = (): number => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0);
  // A run killed at once may not have logged its start yet: wait for it.
  const started = async (n: number): Promise<void> => {
    for (let waited = 0; starts() < n && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { command, starts, started };
}

afterEach(() => dropEarlyListing());

describe('the early listing (index/early-listing.ts)', () => {
  it('reads the tree and cache folder of a command line as commander does', () => {
    const cwd = '/work';
    expect(listingRequest(['-s', 'a', '-t', 'b'], cwd)).toEqual({ root: '/work', cacheDirs: ['/work/.pathfind', userCacheDir('/work')] });
    expect(listingRequest(['callees', 'x', '-C', 'linux', '--cache', '/c'], cwd)).toEqual({ root: '/work/linux', cacheDirs: ['/c'] });
    expect(listingRequest(['-Clinux', '--cache=c', '--root=/src/k', '-s', 'a'], cwd)).toEqual({ root: '/src/k', cacheDirs: ['/work/c'] });
    // The last one given wins; nothing after `--` is an option.
    expect(listingRequest(['-C', 'a', '-C', 'b', '--', '-C', 'c'], cwd)?.root).toBe('/work/b');
    for (const quiet of [['--no-cache', '-s', 'a'], ['--help'], ['-V'], ['help', 'callees'], ['--index', 'x.json', '-s', 'a'], ['--index=x.json', '-s', 'a']]) expect(listingRequest(quiet, cwd)).toBeNull();
  });

  it('is taken over by the listing whose arguments it was started with, and gives the same files', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-early-');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-early-cache-'));
    const profile = detectProfile(root);
    const find = loggingFind();
    const first = await listWithFind(root, profile, {}, find.command, cache);
    expect(find.starts()).toBe(1);
    expect(JSON.parse(readFileSync(join(cache, LISTING_HINT), 'utf8'))).toMatchObject({ root, command: find.command });
    startEarlyListing(['-C', root, '--cache', cache, '-s', 'ksys_write'], '/');
    const second = await listWithFind(root, profile, {}, find.command, cache);
    // The early run was the listing: find started once more, not twice.
    expect(find.starts()).toBe(2);
    expect(second!.digest).toBe(first!.digest);
    expect(second!.files()).toEqual(discoverFiles(root, profile));
  });

  it('is killed and run anew when the listing asks other arguments, or is dropped', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-early-');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-early-cache-'));
    const profile = detectProfile(root);
    const find = loggingFind();
    await listWithFind(root, profile, { arch: 'all' }, find.command, cache);
    startEarlyListing(['--cache', cache, '-s', 'ksys_write'], root);
    await find.started(2);
    const other = await listWithFind(root, profile, {}, find.command, cache);
    expect(find.starts()).toBe(3);
    expect(other!.files()).toEqual(discoverFiles(root, profile));
    // The hint now names the arguments of the last listing: an early run and then none taken.
    startEarlyListing(['-C', root, '--cache', cache], '/');
    await find.started(4);
    dropEarlyListing();
    expect((await listWithFind(root, profile, {}, find.command))!.files()).toEqual(discoverFiles(root, profile));
    expect(find.starts()).toBe(5);
  });

  it('starts nothing for another tree than the hint names, or without a hint', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-early-');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-early-cache-'));
    const find = loggingFind();
    startEarlyListing(['-C', root, '--cache', cache], '/');
    await listWithFind(root, detectProfile(root), {}, find.command, cache);
    startEarlyListing(['-C', join(root, 'net'), '--cache', cache], '/');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(find.starts()).toBe(1);
  });
});
