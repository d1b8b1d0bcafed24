import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cacheHome, runCli } from '../support/run-cli.js';

const tree = join(import.meta.dirname, '../../fixtures/minikernel');

/** Runs the built CLI as a user would, without colour, with the user cache folder in a temporary place. */
const pathfind = runCli;

describe('pathfind CLI', () => {
  it('prints the chain with call sites and evidence, exit 0', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ksys_write  defined at fs\/read_write\.c:\d+$/);
    expect(lines[lines.length - 1]).toMatch(/drv_wake_tx_queue  net\/mac80211\/\S+:\d+/);
    expect(r.stdout).toMatch(/sock_write_iter  include\/linux\/fs\.h:\d+  \[ops-initializer: net\/socket\.c:\d+ \.write_iter = sock_write_iter in struct file_operations socket_file_ops\]/);
  });

  it('says once on stderr that nothing is indexed when the tree or the path limits hold no C file; the answer is unchanged', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pathfind-empty-'));
    const stats = pathfind('--no-cache', '-C', empty, 'stats', '--json');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ files: 0, functions: 0 });
    expect(stats.stderr).toBe(`pathfind: no C file (.c or .h) is indexed under ${empty}: every answer is empty (check -C and the path limits)\n`);
    mkdirSync(join(empty, 'docs'));
    writeFileSync(join(empty, 'docs', 'notes.txt'), 'no C here\n');
    writeFileSync(join(empty, 'a.c'), 'void a(void) { }\n');
    const limited = pathfind('--no-cache', '-C', empty, 'callees', 'a', 'docs');
    expect(limited.code).toBe(2);
    expect(limited.stderr.split('\n')[0]).toBe(`pathfind: no C file (.c or .h) is indexed under ${empty} (path limits: docs): every answer is empty (check -C and the path limits)`);
    // check has nothing to check documents against: an input error, not broken chains.
    writeFileSync(join(empty, 'docs', 'chain.md'), '```pathfind\na -> b\n```\n');
    const checked = pathfind('--no-cache', '-C', join(empty, 'docs'), 'check', join(empty, 'docs'));
    expect([checked.code, checked.stdout, checked.stderr]).toEqual([2, '', `pathfind: no C file (.c or .h) is indexed under ${join(empty, 'docs')}: there is nothing to check the documents against (check -C and the path limits)\n`]);
    const whole = pathfind('--no-cache', '-C', empty, 'callees', 'a');
    expect([whole.code, whole.stderr]).toEqual([0, '']);
  });

  it('finds the same chain with the tree-sitter extractor, and rejects an unknown one', () => {
    const args = ['-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '--format', 'json'];
    const scan = pathfind('--cache', join(cacheHome, 'mk'), ...args);
    const ts = pathfind('--cache', join(cacheHome, 'mk-ts'), '--parser', 'tree-sitter', ...args);
    expect(ts.code).toBe(0);
    expect(JSON.parse(ts.stdout)).toEqual(JSON.parse(scan.stdout));
    const bad = pathfind('--no-cache', '-C', tree, '--parser', 'clang', '-s', 'ksys_write', '-t', 'vfs_write');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--parser/);
  });

  it('prints JSON paths in the documented shape', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, '-s', 'sys_write', '-t', 'vfs_write', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { version: number; paths: { nodes: { name: string }[]; edges: Record<string, unknown>[] }[] };
    expect(json.version).toBe(2);
    expect(json.paths).toHaveLength(1);
    expect(json.paths[0]!.nodes.map((n) => n.name)).toEqual(['sys_write', 'ksys_write', 'vfs_write']);
    expect(Object.keys(json.paths[0]!.edges[0]!)).toEqual(['from', 'to', 'kind', 'file', 'line']);
    expect(json.paths[0]!.edges[0]!.to).toEqual(json.paths[0]!.nodes[1]);
  });

  it('prints callees and callers trees, text and JSON', () => {
    const text = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, 'callees', 'vfs_write', '--depth', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/└─ new_sync_write  fs\/read_write\.c:\d+|├─ new_sync_write  fs\/read_write\.c:\d+/);
    const json = JSON.parse(pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, 'callers', 'ksys_write', '--format', 'json').stdout) as { direction: string; trees: { function: { name: string }; edges: unknown[] }[] };
    expect(json.direction).toBe('callers');
    expect(json.trees[0]!.function.name).toBe('ksys_write');
    expect(json.trees[0]!.edges).toContainEqual(expect.objectContaining({ from: expect.objectContaining({ name: 'sys_write' }), to: expect.objectContaining({ name: 'ksys_write' }), kind: 'direct' }));
  });

  it('explains an indirect edge', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, 'explain', '__napi_poll', 'igb_poll');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/param-to-field/);
    expect(r.stdout).toMatch(/igb_poll passed by igb_alloc_q_vector to netif_napi_add/);
  });

  it('lists the files with parse errors under the stats table', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, 'stats');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nparse errors \(unbalanced brackets or blocks outside any definition, recovered from; the rest of each file is indexed\):\n  drivers\/misc\/broken\.c  1\n/);
  });

  it('prints stats as JSON', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, 'stats', '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { files: number; callSites: { direct: number } };
    expect(s.files).toBeGreaterThan(10);
    expect(s.callSites.direct).toBeGreaterThan(50);
  });

  it('exits 1 with a clear message when there is no path', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, '-s', 'drv_wake_tx_queue', '-t', 'ksys_write');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('pathfind: no call path from drv_wake_tx_queue to ksys_write; drv_wake_tx_queue makes 1 pointer call pathfind does not bind, which may be the missing step (->wake_tx_queue(...) at net/mac80211/driver-ops.h:39): pathfind explain drv_wake_tx_queue ksys_write lists it\n');
  });

  it('names every constraint the search was under when there is no path', () => {
    const run = (...args: string[]) => pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, '-s', 'ksys_write', '-t', 'inet_sendmsg', ...args);
    expect(run().code).toBe(0);
    const strong = run('--min-confidence', 'direct');
    expect(strong.code).toBe(1);
    expect(strong.stderr).toBe('pathfind: no call path from ksys_write to inet_sendmsg through edges of kind direct or stronger (--min-confidence)\n');
    expect(run('--no-indirect').stderr).toBe('pathfind: no call path from ksys_write to inet_sendmsg through direct calls and macros only (--no-indirect)\n');
  });

  it('says which of -s and -t is missing', () => {
    const run = (...args: string[]) => pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, ...args);
    expect(run('-s', 'ksys_write').stderr).toBe("pathfind: missing -t/--target: a path query needs a start and a target (see 'pathfind --help')\n");
    expect(run('-t', 'ksys_write').stderr).toBe("pathfind: missing -s/--start: a path query needs a start and a target (see 'pathfind --help')\n");
    expect(run().stderr).toBe("pathfind: missing -s/--start and -t/--target: a path query needs a start and a target (see 'pathfind --help')\n");
  });

  it('exits 2 naming the closest functions for an unknown one', () => {
    const r = pathfind('--cache', join(cacheHome, 'mk'), '-C', tree, '-s', 'ksys_wrte', '-t', 'vfs_write');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^pathfind: unknown function 'ksys_wrte' \(did you mean ksys_write/);
  });

  it('exits 2 on bad options and bad input, never with a stack trace', () => {
    for (const args of [['--bogus'], ['-s', 'a'], ['--no-cache', '-C', tree, '-s', 'a', '-t', 'b', '-k', 'x'], ['-C', '/nonexistent', 'stats'], ['--no-cache', '-C', tree, 'stats', 'no/such/dir'], ['--no-cache', '-C', tree, '--arch', 'vax', 'stats']]) {
      const r = pathfind(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('pathfind index and the cache', () => {
  it('index re-parses every file and prints stats', () => {
    const r = pathfind('--cache', join(cacheHome, 'idx'), '-C', tree, 'index');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^indexed \d+ files in [\d.]+s\n/);
    expect(r.stdout).toMatch(/\nfunctions\s+\d+/);
  });

  it('two processes indexing the same tree at once leave a valid cache', async () => {
    const { spawn } = await import('node:child_process');
    const dir = join(cacheHome, 'race');
    const run = (): Promise<number> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [bin, '--cache', dir, '-C', tree, '-s', 'ksys_write', '-t', 'vfs_write'], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    const after = pathfind('--cache', dir, '-C', tree, '-s', 'ksys_write', '-t', 'vfs_write');
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
  });
});

describe('pathfind on UTF-8 identifiers', () => {
  const utf8 = join(import.meta.dirname, '../../fixtures/utf8');

  it('takes UTF-8 names from argv and prints them intact, in text and JSON', () => {
    const text = pathfind('--cache', join(cacheHome, 'utf8'), '-C', utf8, '-s', '日本_entrée', '-t', 'brûler_grains');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^日本_entrée  defined at comptoir\.c:30\n└─ commande  comptoir\.c:32\n  └─ brûler_grains  comptoir\.c:25  \[ops-initializer: comptoir\.c:15 \.brûler = brûler_grains in struct café_ops comptoir_ops\]\n$/);
    const json = pathfind('--cache', join(cacheHome, 'utf8'), '-C', utf8, 'callees', 'caf\\u00e9', '--format', 'json');
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('"name": "café"');
    const callers = pathfind('--cache', join(cacheHome, 'utf8'), '-C', utf8, 'callers', 'café', '--depth', '1', '--format', 'json');
    const [tree] = (JSON.parse(callers.stdout) as { trees: { function: { name: string }; edges: { from: { name: string }; kind: string }[] }[] }).trees;
    expect(tree!.function.name).toBe('café');
    expect(tree!.edges.map((e) => `${e.from.name} ${e.kind}`).sort()).toEqual(['PRÉPARER macro', 'brûler_grains direct', 'commande direct', 'ÉCRIRE macro']);
  });

  it('suggests the UTF-8 name for a misspelt one, exit 2', () => {
    const r = pathfind('--cache', join(cacheHome, 'utf8'), '-C', utf8, 'callees', 'cafè');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("pathfind: unknown function 'cafè' (did you mean café?)\n");
  });
});
