import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SEMI_SPACE_FLAG } from '../../src/cli/young-generation.js';
import { buildAnswerEdit } from '../support/build-edits.js';
import { copyFixture } from '../support/fixtures.js';
import { bin, cliEnv } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pathfind-in-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each node process of a command appends whether it is the second one (young-generation.ts MARK) and its V8 flags to `log`. */
const log = join(dir, 'processes.txt');
const report = join(dir, 'report-process.cjs');
// (--require runs in worker threads too: only main threads write.)
writeFileSync(report, `if (require('node:worker_threads').isMainThread) require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ second: process.env.PATHFIND_SEMI_SPACE === '1', flags: process.execArgv }) + '\\n');\n`);

/** The CLI run on `root` with `args`, with which node processes ran it. */
function run(root: string, cache: string | null, ...args: string[]) {
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, [bin, '-C', root, ...(cache ? ['--cache', cache] : ['--no-cache']), ...args], { encoding: 'utf8', env: { ...cliEnv(), NODE_OPTIONS: `--require ${report}` } });
  const processes = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { second: boolean; flags: string[] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, second: processes.map((p) => p.second), processes };
}

const PATH = ['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'];

describe('a query whose cached graph cannot be patched', () => {
  it('is run again in the second process, told why, which resolves the tree in full and answers; the next query loads that graph', () => {
    const { root } = copyFixture('minikernel', 'pathfind-in-full-');
    const cache = join(dir, 'cache');
    expect(run(root, cache, '-q', ...PATH).status).toBe(0);
    // An edit patched in this process: its facts go to the graph's overlay.
    const file = join(root, 'net/ipv4/route.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace('\trth->rt_is_input = 1;\n', '\trth->rt_is_input = 1;\n\tskb_dst_set(skb, &rth->dst);\n'));
    const patched = run(root, cache, '-v', ...PATH);
    expect(patched.second).toEqual([false]);
    expect(patched.stderr).toContain('graph: patched for 1 edited file (incremental)');
    // A build file edited so that an answer of Kbuild's moves: no patch follows it.
    buildAnswerEdit(root);
    const full = run(root, cache, '-v', ...PATH);
    expect(full.status, full.stderr).toBe(0);
    expect(full.second).toEqual([false, true]);
    expect(full.processes[1]!.flags).toContain(SEMI_SPACE_FLAG);
    const graphLines = full.stderr.split('\n').filter((l) => l.startsWith('pathfind: graph:'));
    expect(graphLines.map((l) => l.replace(/ \(\d+\.\d+ s\)$/, ''))).toEqual([
      'pathfind: graph: not patched: a build file or the configuration changed: Makefile changed, and whether Kbuild builds net/socket.c changed (unknown to yes); the command runs again in a process made for resolving in full',
      'pathfind: graph: resolved in full: a build file or the configuration changed: Makefile changed, and whether Kbuild builds net/socket.c changed (unknown to yes) (found by the first process, which handed the command over)',
    ]);
    // The second process did not read the cached graph: it parsed nothing, and wrote the graph anew.
    expect(full.stderr).toContain('pathfind: parse: 0 files parsed, 57 from the cache');
    expect(full.stderr).toContain('pathfind: save: graph written');
    expect(full.stdout).toBe(run(root, null, '-q', ...PATH).stdout);
    const next = run(root, cache, '-v', ...PATH);
    expect(next.second).toEqual([false]);
    expect(next.stderr).toContain('pathfind: graph: loaded from the cache: no file changed');
    expect(next.stdout).toBe(full.stdout);
  });

  it('ends with the exit code of the second process, and a note said before the tree is opened is written once', () => {
    const { root } = copyFixture('minikernel', 'pathfind-in-full-codes-');
    const cache = join(dir, 'cache-codes');
    expect(run(root, cache, '-q', ...PATH).status).toBe(0);
    buildAnswerEdit(root);
    // No path the other way: exit 1, and the line saying so once.
    const none = run(root, cache, '-s', 'drv_wake_tx_queue', '-t', 'ksys_write');
    expect(none.second).toEqual([false, true]);
    expect(none.status).toBe(1);
    expect(none.stderr.split('\n').filter((l) => l.startsWith('pathfind: no call path'))).toHaveLength(1);
    buildAnswerEdit(root);
    const noted = run(root, cache, 'callees', '__dev_queue_xmit', '--cluster', 'dir');
    expect(noted.second).toEqual([false, true]);
    expect(noted.status, noted.stderr).toBe(0);
    expect(noted.stderr.split('\n').filter((l) => l.startsWith('pathfind: note:'))).toEqual(['pathfind: note: --cluster only changes pictures (--format dot, svg, mermaid or html); ignored with text output']);
    // A command line of its own young generation resolves here.
    buildAnswerEdit(root);
    writeFileSync(log, '');
    const here = spawnSync(process.execPath, [SEMI_SPACE_FLAG, bin, '-C', root, '--cache', cache, '-v', ...PATH], { encoding: 'utf8', env: { ...cliEnv(), NODE_OPTIONS: `--require ${report}` } });
    expect(here.status, here.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(here.stderr).toContain('pathfind: graph: resolved in full: a build file or the configuration changed: Makefile changed');
    expect(here.stderr).not.toContain('runs again');
  });

  it('check reading its documents from standard input resolves in its own process (a second one could not read them again)', () => {
    const { root } = copyFixture('minikernel', 'pathfind-in-full-stdin-');
    const cache = join(dir, 'cache-stdin');
    const doc = readFileSync(join(import.meta.dirname, '../../fixtures/docs/check/holds/write-path.md'), 'utf8');
    const check = (...args: string[]) => {
      writeFileSync(log, '');
      const r = spawnSync(process.execPath, [bin, '-C', root, '--cache', cache, 'check', ...args], { encoding: 'utf8', input: doc, env: { ...cliEnv(), NODE_OPTIONS: `--require ${report}`, GITHUB_STEP_SUMMARY: '' } });
      return { ...r, second: readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { second: boolean }).second) };
    };
    // The document has one step that does not hold (`tcp_write_xmit -> made_up_function`): exit 1, said the same way after.
    const first = check('-');
    expect(first.status, first.stderr).toBe(1);
    expect(first.stdout).toContain('checked 8 steps in 1 document: 1 error');
    buildAnswerEdit(root);
    const after = check('-', '-v');
    expect(after.second).toEqual([false]);
    expect(after.status, after.stderr).toBe(1);
    expect(after.stdout).toBe(first.stdout);
    expect(after.stderr).toContain('pathfind: graph: resolved in full: a build file or the configuration changed: Makefile changed');
  });
});
