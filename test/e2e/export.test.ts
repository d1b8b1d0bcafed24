import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { bin, cliEnv } from '../support/run-cli.js';

/** `pathfind index --export F` on a copy of the minikernel, then queries of F run from a folder with no tree. */
const repo = join(import.meta.dirname, '../..');
const { dir, root } = copyFixture('minikernel', 'pathfind-export-e2e-');
const cache = join(dir, 'cache');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, '-q', ...args], { encoding: 'utf8', cwd, env: { ...cliEnv(), GITHUB_STEP_SUMMARY: '' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** The answers of the tree, then the export made, the tree deleted and a docs folder copied to a fresh working folder. */
const query = ['-s', 'sys_write', '-t', 'tcp_sendmsg', '-k', '2'];
const fromTree = {
  paths: run(['-C', root, '--cache', cache, ...query], repo),
  callers: run(['-C', root, '--cache', cache, 'callers', 'tcp_transmit_skb', '-d', '4'], repo),
  stats: run(['-C', root, '--cache', cache, 'stats', '--json'], repo),
  explain: run(['-C', root, '--cache', cache, 'explain', 'call_write_iter', 'sock_write_iter'], repo),
};
const file = join(dir, 'linux.pfx');
const indexed = run(['-C', root, '--cache', cache, 'index', '--export', file], repo);
rmSync(root, { recursive: true, force: true });
const cwd = mkdtempSync(join(tmpdir(), 'pathfind-export-cwd-'));
cpSync(join(repo, 'fixtures/docs/check'), join(cwd, 'docs'), { recursive: true });

describe('pathfind index --export, then --index with no tree', () => {
  it('index --export writes the file and says so', () => {
    expect(indexed.code).toBe(0);
    expect(indexed.stdout).toContain(`exported the index to ${file}\n`);
  });

  it('path, callers, explain and stats queries answer as the tree did', () => {
    expect(fromTree.paths.code).toBe(0);
    // The called expression is read back from the source; with no tree the hint names no expression.
    expect(fromTree.paths.stdout).toContain('one of 5 targets of file->f_op->write_iter;');
    expect(run(['--index', file, ...query], cwd)).toEqual({ ...fromTree.paths, stdout: fromTree.paths.stdout.replaceAll('targets of file->f_op->write_iter;', 'targets of this pointer call;') });
    expect(run(['callers', 'tcp_transmit_skb', '-d', '4', '--index', file], cwd)).toEqual(fromTree.callers);
    expect(run(['--index', file, 'stats', '--json'], cwd)).toEqual(fromTree.stats);
    // So is explain's: without the tree, it says how many targets, not what is called.
    expect(fromTree.explain.stdout).toContain('  through file->f_op->write_iter, one of 5 targets');
    expect(run(['--index', file, 'explain', 'call_write_iter', 'sock_write_iter'], cwd)).toEqual({ ...fromTree.explain, stdout: fromTree.explain.stdout.replace('  through file->f_op->write_iter, one of 5 targets', '  one of 5 targets') });
  });

  it('check --index: exit 0 when the chains hold, 1 when one is broken', () => {
    expect(run(['check', '--index', file, 'docs/holds'], cwd)).toEqual({ stdout: 'checked 10 steps in 2 documents: every step holds\n', stderr: '', code: 0 });
    const broken = run(['check', '--index', file, '--format', 'github', 'docs/broken'], cwd);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('::error file=docs/broken/tcp-output.md,line=8');
  });

  it('a tree, --arch or path limits with --index are usage errors; so are a file that is no export and index --index', () => {
    expect(run(['--index', file, '-C', '.', ...query], cwd)).toEqual({ stdout: '', stderr: 'pathfind: --index queries an index export, not a tree: -C/--root cannot be given with it\n', code: 2 });
    expect(run(['callees', 'vfs_write', 'net', '--index', file, '--arch', 'x86'], cwd)).toEqual({ stdout: '', stderr: 'pathfind: --index queries an index export, not a tree: --arch, path limits (net) cannot be given with it\n', code: 2 });
    expect(run(['check', '--index', file, '--limit', 'net', 'docs/holds'], cwd).code).toBe(2);
    const notExport = run(['--index', 'docs/holds/write-path.md', ...query], cwd);
    expect(notExport).toEqual({ stdout: '', stderr: "pathfind: docs/holds/write-path.md is not a pathfind index export (made by 'pathfind index --export FILE')\n", code: 2 });
    expect(run(['index', '--index', file], cwd).code).toBe(2);
  });
});
