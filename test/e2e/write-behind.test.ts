import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAnswerEdit } from '../support/build-edits.js';
import { fixturesDir } from '../support/fixtures.js';
import { runCli, runCliClosingPipe } from '../support/run-cli.js';

/**
 * The CLI writes a patched graph in a worker thread while the query runs (cache/write-behind.ts):
 * the answer is the one a fresh index gives, and the process ends only once the graph file is
 * written, so the next run loads it as stored.
 */
describe('a patched graph written while the query runs', () => {
  const work = mkdtempSync(join(tmpdir(), 'pathfind-write-behind-'));
  const tree = join(work, 'tree');
  cpSync(join(fixturesDir, 'minikernel'), tree, { recursive: true });
  const cache = join(work, 'cache');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const query = (...more: string[]): { out: string; trace: string[] } => {
    const r = runCli('-v', '-q', ...more, '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue');
    expect(r.code, r.stderr).toBe(0);
    return { out: r.stdout, trace: r.stderr.split('\n').map((l) => l.replace(/ \(\d+\.\d\d s\)$/, '')) };
  };

  it('answers as a fresh index does, and leaves the patched graph written when the process ends', () => {
    query('--cache', cache);
    const file = join(tree, 'net/socket.c');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/(\nvoid sock_release\([^{]*\{\n)/, '$1\tsock_map_fd(0, 0);\n'));
    const patched = query('--cache', cache);
    expect(patched.trace).toContain('pathfind: graph: patched for 1 edited file (incremental)');
    expect(patched.trace.find((l) => l.startsWith('pathfind: save:'))).toMatch(/graph handed to a worker thread to write$/);
    expect(patched.out).toBe(query('--no-cache').out);
    const next = query('--cache', cache);
    expect(next.trace).toContain('pathfind: graph: loaded from the cache: no file changed');
    expect(next.out).toBe(patched.out);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no temporary file when the patch is refused and the graph resolved in full (the temporary file of the write that resolves it is renamed)', () => {
    const file = join(tree, 'net/socket.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\nvoid sock_release\([^{]*\{\n)/, '$1\tsock_map_fd(2, 2);\n'));
    buildAnswerEdit(tree);
    const full = query('--cache', cache);
    // Found here, resolved in full by the second process (cli/young-generation.ts inFullElsewhere), which writes the graph.
    expect(full.trace).toContain('pathfind: graph: resolved in full: a build file or the configuration changed: Makefile changed, and whether Kbuild builds net/socket.c changed (unknown to yes) (found by the first process, which handed the command over)');
    expect(full.out).toBe(query('--no-cache').out);
    expect(query('--cache', cache).trace).toContain('pathfind: graph: loaded from the cache: no file changed');
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('finishes the write when a reader closes the pipe early', async () => {
    const file = join(tree, 'net/socket.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\nvoid sock_release\([^{]*\{\n)/, '$1\tsock_map_fd(1, 1);\n'));
    const closed = await runCliClosingPipe(['-q', '--cache', cache, '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'], 0);
    expect(closed.code).toBe(0);
    expect(query('--cache', cache).trace).toContain('pathfind: graph: loaded from the cache: no file changed');
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
