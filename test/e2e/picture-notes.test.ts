import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cliEnv } from '../support/run-cli.js';

const tree = join(import.meta.dirname, '../../fixtures/minikernel');
const cache = join(mkdtempSync(join(tmpdir(), 'pathfind-picture-notes-')), 'cache');

function run(args: string[]): { stdout: string; stderr: string; code: number } {
  const r = spawnSync(process.execPath, [bin, '--cache', cache, '-q', '-C', tree, ...args], { encoding: 'utf8', env: cliEnv() });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}
const notes = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('pathfind: note: '));

describe('options that do not apply are said once on stderr', () => {
  it('picture options with text or JSON output: one note naming the ones written', () => {
    const r = run(['callees', '__dev_queue_xmit', '--cluster', 'dir', '--theme', 'dark', '--exclude', 'kfree*']);
    expect(r.code).toBe(0);
    // A text tree takes --exclude (test/e2e/tree-exclude.test.ts).
    expect(notes(r.stderr)).toEqual(['pathfind: note: --cluster, --theme only change pictures (--format dot, svg, mermaid or html); ignored with text output', 'pathfind: note: --exclude left out 1 call']);
    // A path query in text does not.
    expect(notes(run(['-s', 'ksys_write', '-t', 'vfs_write', '--exclude', 'x*']).stderr)).toEqual(['pathfind: note: --exclude only changes pictures (--format dot, svg, mermaid or html); ignored with text output']);
    const j = run(['-s', 'ksys_write', '-t', 'vfs_write', '--format', 'json', '--no-default-excludes', '--max-nodes', '5', '--rankdir', 'LR', '--source-url', 'https://e.org/{file}']);
    expect(notes(j.stderr)).toEqual(['pathfind: note: --rankdir, --source-url, --max-nodes, --no-default-excludes only change pictures (--format dot, svg, mermaid or html); ignored with json output']);
  });

  it('tree-only options on a path picture', () => {
    const r = run(['-s', 'ksys_write', '-t', 'vfs_write', '--format', 'dot', '--max-nodes', '5', '--exclude', 'x*', '--no-default-excludes']);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toEqual(['pathfind: note: --max-nodes, --exclude, --no-default-excludes only apply to callees and callers pictures; a path is drawn whole']);
  });

  it('one option alone is named in the singular', () => {
    expect(notes(run(['callees', '__dev_queue_xmit', '--cluster', 'dir']).stderr)).toEqual(['pathfind: note: --cluster only changes pictures (--format dot, svg, mermaid or html); ignored with text output']);
    expect(notes(run(['-s', 'ksys_write', '-t', 'vfs_write', '--format', 'dot', '--max-nodes', '5']).stderr)).toEqual(['pathfind: note: --max-nodes only applies to callees and callers pictures; a path is drawn whole']);
  });

  it('--theme where it changes nothing: DOT is drawn for light pages unless --theme dark', () => {
    expect(notes(run(['callees', '__dev_queue_xmit', '--format', 'dot', '--theme', 'auto']).stderr)).toEqual([
      'pathfind: note: --theme auto has no effect on DOT (black ink, as with light; only --theme dark changes it)',
    ]);
    expect(notes(run(['callees', '__dev_queue_xmit', '--format', 'dot', '--theme', 'dark']).stderr)).toEqual([]);
    expect(notes(run(['callees', '__dev_queue_xmit', '--format', 'mermaid', '--theme', 'light']).stderr)).toEqual([]);
  });

  it('an --exclude pattern that matched nothing in the picture', () => {
    const r = run(['callees', '__dev_queue_xmit', '--format', 'dot', '--exclude', 'nothing_like_this*', '--exclude', 'kfree*', '--exclude', 'none?']);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toEqual(["pathfind: note: --exclude 'nothing_like_this*', 'none?' matched no function in the picture"]);
  });

  it('an --output whose extension names another format than --format: the file is written as asked, with a note', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pathfind-out-')), 'x.svg');
    const r = run(['-s', 'ksys_write', '-t', 'vfs_write', '-o', out, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(notes(r.stderr)).toEqual([`pathfind: note: ${out} is written in json (--format), not the svg its extension says`]);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: 2 });
    expect(notes(run(['-s', 'ksys_write', '-t', 'vfs_write', '-o', out.replace(/svg$/, 'gv'), '--format', 'dot']).stderr)).toEqual([]);
  });

  it('--arch on a tree that is no Linux tree (no arch/ to choose from)', () => {
    const plain = join(import.meta.dirname, '../../fixtures/callback');
    const r = spawnSync(process.execPath, [bin, '--no-cache', '-q', '-C', plain, '--arch', 'arm64', 'stats'], { encoding: 'utf8', env: cliEnv() });
    expect(r.status).toBe(0);
    expect(notes(r.stderr)).toEqual([`pathfind: note: --arch arm64 is ignored: ${plain} is no Linux tree (no arch/ folder of architectures)`]);
    expect(notes(run(['--arch', 'x86', 'callees', '__dev_queue_xmit']).stderr)).toEqual([]);
  });

  it('no note for defaults nobody wrote', () => {
    for (const args of [['callees', '__dev_queue_xmit'], ['callees', '__dev_queue_xmit', '--format', 'dot'], ['-s', 'ksys_write', '-t', 'vfs_write', '--format', 'mermaid']]) {
      expect(notes(run(args).stderr), args.join(' ')).toEqual([]);
    }
  });
});

describe('--source-url', () => {
  it('must hold {file}: a usage error otherwise', () => {
    const r = run(['callees', '__dev_queue_xmit', '--format', 'dot', '--source-url', 'https://e.org/src#L{line}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pathfind: --source-url must contain {file} (and may contain {line}), e.g. 'https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}'\n");
  });

  it('must give a valid URL: spaces and other characters a URL cannot hold are refused, naming them', () => {
    const r = run(['callees', '__dev_queue_xmit', '--format', 'dot', '--source-url', 'https://e.org/my tree/{file}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pathfind: --source-url holds ' ', which a URL cannot hold: percent-encode it (a space is %20)\n");
    for (const bad of ['https://e.org/{file}#L{line}"', 'https://e.org/<{file}>', 'javascript:alert({file})', 'https://e.org/{file}%zz']) {
      const x = run(['callees', '__dev_queue_xmit', '--format', 'dot', '--source-url', bad]);
      expect(x.code, bad).toBe(2);
      expect(x.stderr, bad).toMatch(/^pathfind: --source-url [^\n]*\n$/);
    }
  });

  it('a valid template links as before, percent-encoded where it needs it', () => {
    const r = run(['callees', '__dev_queue_xmit', '--format', 'dot', '--source-url', 'https://e.org/a%20b/{file}?l={line}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('URL="https://e.org/a%20b/net/core/dev.c?l=');
    expect(run(['callees', '__dev_queue_xmit', '--format', 'dot', '--source-url', '../src/{file}#L{line}']).code).toBe(0);
  });
});
