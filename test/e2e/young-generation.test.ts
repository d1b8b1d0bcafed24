import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPOSE_GC_FLAG, HEAP_GROWING_FLAG, inLargerYoungGeneration, LAUNCHER_TUNABLES, MALLOC_TUNABLE, SEMI_SPACE_FLAG, tunablesWith } from '../../src/cli/young-generation.js';
import { copyFixture } from '../support/fixtures.js';
import { bin, cliEnv } from '../support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pathfind-young-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script that records its V8 flags and arguments in `out`, then ends as `how` says. */
function script(how: string): { path: string; out: string } {
  const path = join(dir, `s${Math.random().toString(36).slice(2)}.mjs`);
  const out = `${path}.json`;
  writeFileSync(path, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(out)}, JSON.stringify({ execArgv: process.execArgv, args: process.argv.slice(2), tunables: process.env.GLIBC_TUNABLES }));\n${how}\n`);
  return { path, out };
}

describe('a cold index in a node process with a larger young generation', () => {
  it('runs the same command again with the semi-space flag and gives its exit code', async () => {
    const s = script('process.exitCode = 3;');
    expect(await inLargerYoungGeneration([process.execPath, s.path, 'index', '-C', 'x'])).toBe(3);
    const seen = JSON.parse(readFileSync(s.out, 'utf8')) as { execArgv: string[]; args: string[] };
    expect(seen.execArgv).toContain(SEMI_SPACE_FLAG);
    expect(seen.execArgv).toContain(HEAP_GROWING_FLAG);
    expect(seen.execArgv).toContain(EXPOSE_GC_FLAG);
    expect(seen.args).toEqual(['index', '-C', 'x']);
  });

  it("runs it with glibc's malloc in one arena and in small pages, a tunable of the user's after it (bin/pathfind.js's huge pages dropped)", async () => {
    const s = script('');
    const before = process.env.GLIBC_TUNABLES;
    try {
      process.env.GLIBC_TUNABLES = `${LAUNCHER_TUNABLES}:glibc.malloc.arena_max=4`;
      expect(await inLargerYoungGeneration([process.execPath, s.path])).toBe(0);
      expect((JSON.parse(readFileSync(s.out, 'utf8')) as { tunables: string }).tunables).toBe(`${MALLOC_TUNABLE}:glibc.malloc.arena_max=4`);
      delete process.env.GLIBC_TUNABLES;
      expect(await inLargerYoungGeneration([process.execPath, s.path])).toBe(0);
      expect((JSON.parse(readFileSync(s.out, 'utf8')) as { tunables: string }).tunables).toBe(MALLOC_TUNABLE);
    } finally {
      if (before === undefined) delete process.env.GLIBC_TUNABLES;
      else process.env.GLIBC_TUNABLES = before;
    }
    expect(tunablesWith('a=1')).toBe(`${MALLOC_TUNABLE}:a=1`);
    expect(MALLOC_TUNABLE.split(':')).toContain('glibc.malloc.hugetlb=0');
    // What bin/pathfind.js's first line makes of no tunable of the user's, and of one that asks for huge pages itself: none of the launcher's is kept.
    expect(tunablesWith(`${LAUNCHER_TUNABLES}:`)).toBe(MALLOC_TUNABLE);
    expect(tunablesWith(LAUNCHER_TUNABLES)).toBe(MALLOC_TUNABLE);
    expect(tunablesWith(`${LAUNCHER_TUNABLES}:glibc.malloc.hugetlb=1`)).toBe(`${MALLOC_TUNABLE}:glibc.malloc.hugetlb=1`);
  });

  it('a second process started so does not start a third, nor does one given a size of its own', async () => {
    const s = script(`import { inLargerYoungGeneration } from ${JSON.stringify(join(import.meta.dirname, '../../dist/cli/young-generation.js'))};\nconst again = await inLargerYoungGeneration(process.argv);\nif (again !== null) process.exitCode = 9;`);
    expect(await inLargerYoungGeneration([process.execPath, s.path])).toBe(0);
    const own = spawnSync(process.execPath, ['--max-semi-space-size=32', s.path], { encoding: 'utf8' });
    expect(own.status).toBe(0);
    expect((JSON.parse(readFileSync(s.out, 'utf8')) as { execArgv: string[] }).execArgv).toEqual(['--max-semi-space-size=32']);
  });

  it('a second process ended by a signal gives 128 + its number', async () => {
    const s = script("process.kill(process.pid, 'SIGTERM');");
    expect(await inLargerYoungGeneration([process.execPath, s.path])).toBe(143);
  });

  it("a tree's first query (no graph cache in its cache folder) runs there too, with the same answer; a later one, or one without a cache, does not", () => {
    const { root } = copyFixture('minikernel', 'pathfind-young-query-');
    const cache = join(dir, `cache-${Math.random().toString(36).slice(2)}`);
    // Each node process of the command appends whether it is the second one (young-generation.ts MARK) and its V8 flags.
    const log = join(dir, `processes-${Math.random().toString(36).slice(2)}.txt`);
    const report = join(dir, 'report-process.cjs');
    writeFileSync(report, `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ second: process.env.PATHFIND_SEMI_SPACE === '1', flags: process.execArgv }) + '\\n');\n`);
    const run = (...args: string[]) => {
      writeFileSync(log, '');
      const r = spawnSync(process.execPath, [bin, '-q', '-C', root, ...args, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'], { encoding: 'utf8', env: { ...cliEnv(), NODE_OPTIONS: `--require ${report}` } });
      const processes = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { second: boolean; flags: string[] });
      return { ...r, processes };
    };
    const first = run('--cache', cache);
    expect(first.status, first.stderr).toBe(0);
    expect(first.processes.map((p) => p.second)).toEqual([false, true]);
    expect(first.processes[1]!.flags).toContain(SEMI_SPACE_FLAG);
    const again = run('--cache', cache);
    expect(again.processes.map((p) => p.second)).toEqual([false]);
    expect(again.stdout).toBe(first.stdout);
    const none = run('--no-cache');
    expect(none.processes.map((p) => p.second)).toEqual([false]);
    expect(none.stdout).toBe(first.stdout);
    // Another scope of the same tree (path limits): its cache folder holds the tree's graph, not this scope's, which the
    // first process finds (no graph cache) and hands over to the second (open-options.ts resolveElsewhere).
    const limited = run('--cache', cache, 'fs', 'net', 'include', 'drivers');
    expect(limited.processes.map((p) => p.second)).toEqual([false, true]);
    expect(limited.status, limited.stderr).toBe(0);
    // A query of an index export reads no tree: it runs here, though no cache folder holds a graph.
    const exported = join(dir, `export-${Math.random().toString(36).slice(2)}.json`);
    expect(spawnSync(process.execPath, [bin, '-q', '-C', root, '--no-cache', 'index', '--export', exported], { encoding: 'utf8', env: cliEnv() }).status).toBe(0);
    writeFileSync(log, '');
    const fromExport = spawnSync(process.execPath, [bin, '-q', '--index', exported, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'], { encoding: 'utf8', cwd: dir, env: { ...cliEnv(), NODE_OPTIONS: `--require ${report}` } });
    expect(fromExport.status, fromExport.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { second: boolean }).second)).toEqual([false]);
    // A note the command writes before the tree is opened is written once: by the second process alone.
    const fresh = join(dir, `cache-${Math.random().toString(36).slice(2)}`);
    const noted = spawnSync(process.execPath, [bin, '-q', '-C', root, '--cache', fresh, 'callees', '__dev_queue_xmit', '--cluster', 'dir'], { encoding: 'utf8', env: cliEnv() });
    expect(noted.status, noted.stderr).toBe(0);
    expect(noted.stderr.split('\n').filter((l) => l.startsWith('pathfind: note:'))).toEqual(['pathfind: note: --cluster only changes pictures (--format dot, svg, mermaid or html); ignored with text output']);
  });

  it('pathfind index gives the same answer and exit codes through it', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'index', '--no-cache', '-q', ...args], { encoding: 'utf8', env: cliEnv() });
    const ok = run('-C', 'fixtures/minikernel', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).files).toBeGreaterThan(50);
    const direct = spawnSync(process.execPath, [SEMI_SPACE_FLAG, bin, 'index', '--no-cache', '-q', '-C', 'fixtures/minikernel', '--json'], { encoding: 'utf8', env: cliEnv() });
    expect(ok.stdout).toBe(direct.stdout);
    const bad = run('-C', join(dir, 'absent'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`pathfind: no such directory: ${join(dir, 'absent')}\n`);
    // A file where the tree should be is said as such.
    const file = run('-C', 'fixtures/minikernel/Makefile');
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/^pathfind: not a directory: \S*fixtures\/minikernel\/Makefile\n$/);
  });
});
