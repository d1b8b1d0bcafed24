import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, fixturesDir } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });

describe('the index cache folder inside a tree', () => {
  it('is left out of git status in a git checkout of the tree', () => {
    const { root } = copyFixture('minikernel', 'pathfind-e2e-gitignore-');
    git(root, 'init', '-q');
    const before = git(root, 'status', '--porcelain', '--untracked-files=all');
    expect(before).toMatch(/net\/ipv4\/tcp\.c/);
    const r = runCli('-C', root, 'callees', 'vfs_write', '--depth', '1');
    expect(r.code, r.stderr).toBe(0);
    // The cache was written in the tree, and git does not see it.
    expect(readdirSync(join(root, '.pathfind')).some((f) => f.endsWith('.graph'))).toBe(true);
    expect(git(root, 'status', '--porcelain', '--untracked-files=all')).toBe(before);
  });

  it('a --cache folder pathfind makes inside a git checkout is left out of git status too; one of the user\'s is left as it is', () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-e2e-gitignore-cache-');
    git(root, 'init', '-q');
    const before = git(root, 'status', '--porcelain', '--untracked-files=all');
    const made = runCli('-C', root, '--cache', join(root, 'build/pathfind'), 'callees', 'vfs_write', '--depth', '1');
    expect(made.code, made.stderr).toBe(0);
    expect(readdirSync(join(root, 'build/pathfind')).some((f) => f.endsWith('.graph'))).toBe(true);
    expect(git(root, 'status', '--porcelain', '--untracked-files=all')).toBe(before);
    // A folder of the user's: the cache is written in it, and nothing else.
    const own = join(dir, 'own');
    mkdirSync(own);
    writeFileSync(join(own, 'notes.txt'), 'mine\n');
    expect(runCli('-C', root, '--cache', own, 'callees', 'vfs_write', '--depth', '1').code).toBe(0);
    const files = readdirSync(own);
    expect(files.some((f) => f.endsWith('.graph'))).toBe(true);
    expect(files).toContain('notes.txt');
    expect(files).not.toContain('.gitignore');
  });

  it('is not made in a folder that holds no C file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-e2e-no-c-'));
    writeFileSync(join(dir, 'README'), 'no C here\n');
    for (const args of [['stats'], ['-s', 'a', '-t', 'b'], ['callees', 'a']]) runCli('-C', dir, ...args);
    const r = runCli('-C', dir, 'stats', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files).toBe(0);
    expect(readdirSync(dir)).toEqual(['README']);
    // With C files, the first query makes it.
    writeFileSync(join(dir, 'a.c'), 'void a(void)\n{\n}\n');
    expect(runCli('-C', dir, 'callees', 'a').code).toBe(0);
    expect(readdirSync(join(dir, '.pathfind'))).toContain('.gitignore');
  });

  it('keeps at most four query scopes, the one just used among them', () => {
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-e2e-scopes-'));
    const tree = join(fixturesDir, 'minikernel');
    const limits = ['fs', 'net', 'init', 'kernel', 'drivers', 'include'];
    // Each scope is written an hour after the one before (a scope written in the last ten minutes is never removed).
    const age = (): void => {
      for (const f of readdirSync(cache)) {
        const t = statSync(join(cache, f)).mtimeMs / 1000 - 3600;
        utimesSync(join(cache, f), t, t);
      }
    };
    for (const limit of limits) {
      age();
      expect(runCli('-C', tree, '--cache', cache, 'stats', limit).code).toBe(0);
    }
    const scopes = (): string[] => [...new Set(readdirSync(cache).map((f) => f.split('.')[0]!))];
    expect(scopes()).toHaveLength(4);
    // The oldest scopes went first: running 'fs' again indexes it afresh, and it is kept.
    age();
    const again = runCli('-C', tree, '--cache', cache, '-v', 'stats', 'fs');
    expect(again.stderr).toMatch(/graph: resolved in full/);
    expect(scopes()).toHaveLength(4);
    expect(runCli('-C', tree, '--cache', cache, '-v', 'stats', 'fs').stderr).toMatch(/graph: loaded from the cache/);
  });
});

// A helper's finding: with a cache folder it could not make (its parent a file, or a folder it cannot enter), pathfind printed its answer,
// then died on a temporary file it could not remove, with a stack trace and exit 1.
describe('a cache folder that cannot be made', () => {
  it('answers every command with its own exit code and one note, no stack trace', () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-e2e-no-cache-dir-');
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x\n');
    const cache = join(file, 'cache');
    const note = `pathfind: cannot write the index cache in ${cache} (ENOTDIR: not a directory, mkdir '${cache}'); continuing without it\n`;
    for (const [args, code] of [
      [['-s', 'ksys_write', '-t', 'pipe_write'], 0],
      [['callers', 'pipe_write'], 0],
      [['callees', 'vfs_write', '--depth', '2'], 0],
      [['explain', 'vfs_write', 'new_sync_write'], 0],
      [['stats'], 0],
      [['-s', 'pipe_write', '-t', 'ksys_write'], 1],
    ] as const) {
      const r = runCli('-C', root, '--cache', cache, ...args);
      expect([r.code, r.stderr.split('\n').filter((l) => !l.startsWith('pathfind: no call path'))], args.join(' ')).toEqual([code, [note.trimEnd(), '']]);
    }
    // --verbose does not say the cache was written.
    const verbose = runCli('-C', root, '--cache', cache, '-v', '-s', 'ksys_write', '-t', 'pipe_write').stderr;
    expect(verbose).toMatch(/^pathfind: save facts: not written \(the cache cannot be written\)/m);
    expect(verbose).toMatch(/^pathfind: save: not written \(the cache cannot be written\)/m);
    expect(verbose).not.toMatch(/written \(\d/);
  });
});
