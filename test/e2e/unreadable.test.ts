import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, openToAll } from '../support/fixtures.js';
import { bin, type CliRun, cliEnv } from '../support/run-cli.js';

const isRoot = process.getuid?.() === 0;

/**
 * Runs the built CLI as a user whom file permissions apply to: as root (CI), as user nobody
 * through setpriv; as any other user, as that user (the owner of a mode-000 file cannot read it either).
 */
function runUnprivileged(home: string, ...args: string[]): CliRun {
  const command = isRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, bin, ...args] : [process.execPath, bin, ...args];
  const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', env: { ...cliEnv(), HOME: home, XDG_CACHE_HOME: home } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Every folder under `dir` 0755 and every file 0644, so that any user may read the tree. */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) readableByAll(join(dir, e.name));
    else chmodSync(join(dir, e.name), 0o644);
  }
}

describe('files that cannot be read, the CLI run by an unprivileged user', () => {
  it('skips an unreadable file and folder with one note, lists them in stats, keeps them through the cache, and indexes them once readable', () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-nobody-');
    openToAll(dir);
    readableByAll(root);
    const cache = join(dir, 'cache');
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const home = join(dir, 'home');
    mkdirSync(home);
    chmodSync(home, 0o777);
    chmodSync(join(root, 'kernel/sys.c'), 0o000);
    chmodSync(join(root, 'drivers/misc'), 0o000);
    const run = (...args: string[]): CliRun => runUnprivileged(home, '--cache', cache, '-C', root, ...args);
    const query = ['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'];

    // First run: the whole index; then the same query from the cached graph.
    for (const when of ['indexed', 'cached']) {
      const r = run(...query);
      expect({ when, code: r.code, stderr: r.stderr }).toEqual({ when, code: 0, stderr: 'pathfind: 1 file and 1 folder could not be read; see pathfind stats\n' });
      expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/drv_wake_tx_queue  net\/mac80211\/\S+:\d+/);
    }

    const stats = run('stats');
    expect(stats.code).toBe(0);
    expect(stats.stderr).toBe('');
    expect(stats.stdout).toMatch(/^files not read\s+2$/m);
    expect(stats.stdout).toMatch(/^ {2}drivers\/misc\/\s+permission denied \(EACCES\)$/m);
    expect(stats.stdout).toMatch(/^ {2}kernel\/sys\.c\s+permission denied \(EACCES\)$/m);
    const json = JSON.parse(run('stats', '--json').stdout) as { unreadable: unknown };
    expect(json.unreadable).toEqual([
      { path: 'drivers/misc/', reason: 'EACCES' },
      { path: 'kernel/sys.c', reason: 'EACCES' },
    ]);
    expect(run('callees', 'do_prlimit').code).toBe(2);

    // A file edited since the cache (its mtime moved) that cannot be read any more.
    chmodSync(join(root, 'net/core/utils.c'), 0o000);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'net/core/utils.c'), later, later);
    const edited = run(...query);
    expect({ code: edited.code, stderr: edited.stderr }).toEqual({ code: 0, stderr: 'pathfind: 2 files and 1 folder could not be read; see pathfind stats\n' });

    // Readable again (their mtimes unchanged): indexed on the next run, with no note.
    readableByAll(root);
    for (const fn of ['do_prlimit', 'broken_op', 'helper_flush']) {
      const r = run('callees', fn, '--depth', '1');
      expect({ fn, code: r.code, stderr: r.stderr }).toEqual({ fn, code: 0, stderr: '' });
    }
    expect(run('stats').stdout).toMatch(/^files not read\s+0$/m);
  });
});

describe('a corrupt graph cache beside a file that is not text', () => {
  it('is rebuilt once, noted once, and then loads', () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-e2e-corrupt-');
    writeFileSync(join(root, 'fs/bin.c'), Buffer.from('int a;\0\n'));
    const cache = join(dir, 'cache');
    const run = (): CliRun => {
      const r = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', root, '-s', 'ksys_write', '-t', 'vfs_write'], { encoding: 'utf8', env: cliEnv() });
      return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
    };
    expect(run().code).toBe(0);
    const graph = join(cache, readdirSync(cache).find((f) => f.endsWith('.graph'))!);
    writeFileSync(graph, 'garbage');
    const first = run();
    expect(first.code).toBe(0);
    // Once: the second process the full resolution is handed to (cli/young-generation.ts) meets the same file and says nothing.
    expect(first.stderr.match(/graph is unreadable; rebuilding it/g)).toHaveLength(1);
    expect(readFileSync(graph).subarray(0, 7).toString()).not.toBe('garbage');
    const second = run();
    expect(second.stderr).toBe('pathfind: 1 file could not be read; see pathfind stats\n');
    expect(second.stdout).toBe(first.stdout);
  });
});
