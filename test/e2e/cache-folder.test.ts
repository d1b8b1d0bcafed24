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
