import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync, utimesSync } from 'node:fs';
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
  it('bin/pathfind.js loads the bundle (one module of ours) and, of the packages, commander alone; the answers are those of the modules one by one', () => {
    for (const query of QUERIES) {
      const args = ['--cache', cache, '-q', '-C', tree, ...query];
      const bundled = loads(bin, args);
      const ours = bundled.modules.filter((m) => m.includes('/dist/'));
      expect(ours, query.join(' ')).toEqual([expect.stringMatching(/\/dist\/pathfind\.js$/)]);
      expect(bundled.modules.filter((m) => m.includes('/node_modules/') && !m.includes('/node_modules/commander/')), query.join(' ')).toEqual([]);
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
    const copy = mkdtempSync(join(tmpdir(), 'pathfind-stale-bundle-'));
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(repo, part), join(copy, part), { recursive: true });
    symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(copy, 'dist/pathfind.js'), old, old);
    const r = loads(join(copy, 'bin/pathfind.js'), ['--version']);
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.endsWith('/dist/cli/main.js'))).toBe(true);
    expect(r.modules.some((m) => m.endsWith('/dist/pathfind.js'))).toBe(false);
  });
});
