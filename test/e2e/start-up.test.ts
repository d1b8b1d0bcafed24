import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cliEnv, unbundledBin } from '../support/run-cli.js';

const repo = join(import.meta.dirname, '../..');
const tree = join(repo, 'fixtures/minikernel');
const logger = ['--import', join(import.meta.dirname, '../support/log-imports.mjs'), '--require', join(import.meta.dirname, '../support/log-requires.cjs')];

/** The modules a run of `script` loaded, imported or required (by address, node's own left out), its stdout and exit code. */
function loads(script: string, args: string[]): { modules: string[]; stdout: string; code: number } {
  const r = spawnSync(process.execPath, [...logger, script, ...args], { encoding: 'utf8', env: cliEnv() });
  const modules = r.stderr.split('\n').flatMap((l) => /^(?:loaded|required) (?!node:)(.*)$/.exec(l)?.[1] ?? []);
  return { modules, stdout: r.stdout, code: r.status ?? -1 };
}

const cache = mkdtempSync(join(tmpdir(), 'pathfind-start-up-'));
const QUERIES = [
  ['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'],
  ['callees', 'tcp_sendmsg', '--depth', '3'],
  ['stats'],
  ['--version'],
];

describe('start-up: what a command loads', () => {
  it('bin/pathfind.js runs the bundle (compiled as a script, commander in it: no module of ours but the early listing\'s nor any package is loaded); the answers are those of the modules one by one', () => {
    for (const query of QUERIES) {
      const args = ['--cache', cache, '-q', '-C', tree, ...query];
      // The index cache made first: a query that finds none indexes the tree in a second node process (cli/young-generation.ts), which loads the bundle again.
      expect(spawnSync(process.execPath, [bin, ...args], { env: cliEnv() }).status).toBe(0);
      const bundled = loads(bin, args);
      // The early listing (index/early-listing.ts) is loaded before the bundle, to start find first.
      const ours = bundled.modules.filter((m) => m.includes('/dist/')).map((m) => m.slice(m.indexOf('/dist/')));
      expect(ours, query.join(' ')).toEqual(['/dist/index/early-listing.js', '/dist/util/user-cache-dir.js']);
      expect(bundled.modules.filter((m) => m.includes('/node_modules/')), query.join(' ')).toEqual([]);
      const unbundled = loads(unbundledBin, args);
      expect(unbundled.stdout, query.join(' ')).toBe(bundled.stdout);
      expect(unbundled.code, query.join(' ')).toBe(bundled.code);
    }
  });

  it('the tree-sitter addons load only for --parser tree-sitter', () => {
    const sitter = (m: string): boolean => /\/node_modules\/tree-sitter(-c)?\//.test(m);
    const warm = loads(unbundledBin, ['--cache', cache, '-q', '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue']);
    expect(warm.modules.some((m) => m.includes('/dist/parse/parser.js'))).toBe(true);
    expect(warm.modules.filter(sitter)).toEqual([]);
    const reference = loads(unbundledBin, ['--no-cache', '-q', '-C', tree, '--parser', 'tree-sitter', '-s', 'ksys_write', '-t', 'drv_wake_tx_queue']);
    expect(reference.code).toBe(0);
    expect(reference.stdout).toBe(warm.stdout);
    expect(reference.modules.filter(sitter).length).toBeGreaterThan(0);
  });

  it('a bundle older than what tsc built is not used: bin/pathfind.js loads dist/cli/main.js', () => {
    // A copy of the built package, its bundle made older than dist/cli/main.js (as after a bare tsc run).
    const copy = packageCopy('pathfind-stale-bundle-');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(copy, 'dist/pathfind.cjs'), old, old);
    const r = loads(join(copy, 'bin/pathfind.js'), ['--version']);
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(readdirSync(join(copy, 'dist')).filter((f) => f.startsWith('pathfind.cjs.'))).toEqual([]);
  });

  it("the bundle's code cache is written by the first run, used as it is by the next, and made again when rejected or made from another bundle; the answers stay the same", () => {
    const copy = packageCopy('pathfind-code-cache-');
    // No index cache: a query that makes one runs in a second node process, whose other flags give it a code cache of its own (bin/pathfind.js).
    const query = ['--no-cache', '-q', '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue'];
    const run = (): string => {
      const r = spawnSync(process.execPath, [join(copy, 'bin/pathfind.js'), ...query], { encoding: 'utf8', env: cliEnv() });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const codeCache = (): string => {
      const files = readdirSync(join(copy, 'dist')).filter((f) => /^pathfind\.cjs\..*\.v8$/.test(f));
      expect(files).toHaveLength(1);
      return join(copy, 'dist', files[0]!);
    };
    const answer = run();
    expect(answer).toContain('drv_wake_tx_queue');
    const written = readFileSync(codeCache());
    const bundle = statSync(join(copy, 'dist/pathfind.cjs'));
    // It names the bundle it was made from.
    expect(written.subarray(0, written.indexOf(10)).toString()).toBe(`${bundle.size}:${bundle.mtimeMs}:${bundle.ino}:${process.version}`);
    // Used: not written again.
    const old = new Date(Date.now() - 3600_000);
    utimesSync(codeCache(), old, old);
    const before = statSync(codeCache()).mtimeMs;
    expect(run()).toBe(answer);
    expect(statSync(codeCache()).mtimeMs).toBe(before);
    // Rejected by V8 (its data spoilt, the bundle's name kept): made again.
    const header = written.subarray(0, written.indexOf(10) + 1);
    writeFileSync(codeCache(), Buffer.concat([header, Buffer.alloc(written.length - header.length, 0x5a)]));
    expect(run()).toBe(answer);
    expect(readFileSync(codeCache()).subarray(header.length).every((b) => b === 0x5a)).toBe(false);
    // Another bundle (built again: a new mtime): the cache of the old one is not used, and is made anew for it.
    const later = new Date(Date.now() + 1000);
    utimesSync(join(copy, 'dist/pathfind.cjs'), later, later);
    expect(run()).toBe(answer);
    const rebuilt = statSync(join(copy, 'dist/pathfind.cjs'));
    const now = readFileSync(codeCache());
    expect(now.subarray(0, now.indexOf(10)).toString()).toBe(`${rebuilt.size}:${rebuilt.mtimeMs}:${rebuilt.ino}:${process.version}`);
  });

  it('the bundle is ASCII (read as latin1); a bundle with a character past ASCII is read as UTF-8, with the same answers', () => {
    const bundle = readFileSync(join(repo, 'dist/pathfind.cjs'));
    expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
    const copy = packageCopy('pathfind-utf8-bundle-');
    const query = ['--cache', join(copy, 'cache'), '-q', '-C', tree, 'callees', 'tcp_sendmsg', '--depth', '3'];
    const run = (): string => {
      const r = spawnSync(process.execPath, [join(copy, 'bin/pathfind.js'), ...query], { encoding: 'utf8', env: cliEnv() });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const answer = run();
    expect(answer).toContain('tcp_sendmsg');
    // A string of the bundle's own past ASCII (written as UTF-8): read as latin1, it would print otherwise.
    writeFileSync(join(copy, 'dist/pathfind.cjs'), Buffer.concat([bundle, Buffer.from('\nif (process.env.PATHFIND_TEST_GLYPH) process.stdout.write("\u2192 \u00e9\\n");\n', 'utf8')]));
    expect(run()).toBe(answer);
    const r = spawnSync(process.execPath, [join(copy, 'bin/pathfind.js'), '--version'], { encoding: 'utf8', env: { ...cliEnv(), PATHFIND_TEST_GLYPH: '1' } });
    expect(r.stdout).toContain('\u2192 \u00e9\n');
  });
});

/** A copy of the built package (bin, dist, package.json; node_modules linked) in a temporary folder. */
function packageCopy(prefix: string): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(repo, part), join(copy, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
  // Only the bundle: what an earlier run of the repository's copy left beside it is not this copy's.
  for (const f of readdirSync(join(copy, 'dist'))) if (f.startsWith('pathfind.cjs.')) rmSync(join(copy, 'dist', f));
  return copy;
}
