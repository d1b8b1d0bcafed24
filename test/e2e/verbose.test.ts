import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/** The --verbose lines of one run, without their times: `graph: loaded from the cache: no file changed`. */
function traced(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('pathfind: '))
    .map((l) => l.slice('pathfind: '.length).replace(/ \(\d+\.\d\d s\)$/, ''));
}

describe('--verbose', () => {
  const work = mkdtempSync(join(tmpdir(), 'pathfind-verbose-'));
  const tree = join(work, 'tree');
  cpSync(join(fixturesDir, 'minikernel'), tree, { recursive: true });
  const cache = join(work, 'cache');
  const query = (): string[] => {
    const r = runCli('-v', '-q', '--cache', cache, '-C', tree, '-s', 'ksys_write', '-t', 'drv_wake_tx_queue');
    expect(r.code, r.stderr).toBe(0);
    // Every line on stderr is a verbose line, and each phase line carries its time.
    expect(r.stderr.split('\n').filter(Boolean).every((l) => /^pathfind: [a-z ]+: .*\(\d+\.\d\d s\)$/.test(l) || /^pathfind: graph: resolved in full: /.test(l))).toBe(true);
    return traced(r.stderr);
  };

  it('times each phase of a first index and says why the graph was resolved in full', () => {
    const lines = query();
    expect(lines.map((l) => l.split(':')[0])).toEqual(['discover', 'graph', 'facts cache', 'parse', 'expand', 'save facts', 'build', 'resolve', 'save', 'query']);
    expect(lines).toContain('graph: resolved in full: no graph cache');
    expect(lines.find((l) => l.startsWith('parse:'))).toMatch(/^parse: \d+ files parsed, 0 from the cache$/);
    expect(lines).toContain('save facts: written');
    expect(lines).toContain('save: graph written');
    // How the query made its call graph: with no graph cache to start from, by folding every edge.
    expect(lines).toContain('query: and its output, call graph folded from every edge');
  });

  it('says the graph came from the cache when nothing changed, and resolves nothing', () => {
    const lines = query();
    expect(lines.map((l) => l.split(':')[0])).toEqual(['discover', 'graph', 'query']);
    expect(lines).toContain('graph: loaded from the cache: no file changed');
  });

  it('says a callees tree made only the rows of the call graph it read', () => {
    const r = runCli('-v', '-q', '--cache', cache, '-C', tree, 'callees', 'ksys_write', '--depth', '2');
    expect(r.code, r.stderr).toBe(0);
    const line = traced(r.stderr).find((l) => l.startsWith('query:'));
    const made = Number(/^query: and its output, call graph made on demand \(([\d,]+) rows\)$/.exec(line ?? '')?.[1]?.replace(/,/g, ''));
    // The root and the callees it expands at depth 1, not every function of the tree.
    expect(made, line).toBeGreaterThan(1);
    expect(made).toBeLessThan(20);
    // A function calling nothing: its own row alone, which is one row.
    const one = runCli('-v', '-q', '--cache', cache, '-C', tree, 'callees', 'drv_wake_tx_queue', '--depth', '1');
    expect(traced(one.stderr).find((l) => l.startsWith('query:'))).toBe('query: and its output, call graph made on demand (1 row)');
  });

  // A new user's finding: a path query finding no path (exit 1) printed no query line, though the query ran and answered.
  it('ends with the query line when the answer is a defined negative one (exit 1)', () => {
    const r = runCli('-v', '-q', '--cache', cache, '-C', tree, '-s', 'drv_wake_tx_queue', '-t', 'ksys_write');
    expect(r.code, r.stderr).toBe(1);
    expect(traced(r.stderr).at(-1)).toMatch(/^query: and its output/);
  });

  it('says once how call graphs made the same way were made (explain searching for its nearest path)', () => {
    const r = runCli('-v', '-q', '--cache', cache, '-C', tree, 'explain', 'ksys_write', 'drv_wake_tx_queue');
    const line = traced(r.stderr).find((l) => l.startsWith('query:')) ?? '';
    expect(line).toMatch(/^query: and its output, (\d+ )?call graphs? /);
    // No way of making them said twice over.
    const ways = line.replace(/^query: and its output, (\d+ )?call graphs? /, '').split(', ');
    expect(new Set(ways).size, line).toBe(ways.length);
  });

  it('says the graph came from the cache when a file was touched but not changed', () => {
    const file = join(tree, 'net/socket.c');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const lines = query();
    expect(lines.map((l) => l.split(':')[0])).toEqual(['discover', 'graph', 'query']);
    expect(lines).toContain('graph: loaded from the cache: 1 file touched, none changed');
    // The new time is kept: the next open does not hash the file again.
    expect(query()).toContain('graph: loaded from the cache: no file changed');
  });

  it('says the graph was patched after a body edit', () => {
    const file = join(tree, 'net/socket.c');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/(\nvoid sock_release\([^{]*\{\n)/, '$1\tsock_map_fd(0, 0);\n'));
    expect(readFileSync(file, 'utf8')).not.toBe(text);
    const lines = query();
    expect(lines).toContain('graph: patched for 1 edited file (incremental)');
    // The patch's steps follow, each timed: the edited file parsed, the graph patched, the caches written.
    expect(lines.map((l) => l.split(':')[0])).toEqual(['discover', 'graph', 'parse', 'patch', 'save', 'query']);
    // The edited file's facts go into the graph cache's overlay: the facts file is not written again.
    expect(lines).toContain("save: facts left as they are, 1 file in the graph's overlay; graph handed to a worker thread to write");
  });

  it('says the graph was patched after a function was added', () => {
    appendFileSync(join(tree, 'net/socket.c'), '\nint pathfind_added(int x)\n{\n\treturn x;\n}\n');
    expect(query()).toContain('graph: patched for 1 edited file (incremental)');
  });

  it('says a file was added, then deleted, when the patch was made for that', () => {
    const added = join(tree, 'net/pathfind_added.c');
    writeFileSync(added, 'int pathfind_new_file(int x)\n{\n\treturn x;\n}\n');
    expect(query().find((l) => l.startsWith('graph:'))).toBe('graph: patched for 1 file added (incremental)');
    rmSync(added);
    expect(query().find((l) => l.startsWith('graph:'))).toBe('graph: patched for 1 file deleted (incremental)');
  });

  it('patches a new struct type that no call site or binding reads', () => {
    appendFileSync(join(tree, 'net/socket.c'), '\nstruct pathfind_added_ops {\n\tint (*op)(int);\n};\n');
    expect(query().find((l) => l.startsWith('graph:'))).toBe('graph: patched for 1 edited file (incremental)');
  });

  it('says why the graph was resolved in full when the patch does not apply', () => {
    // A new typedef: a call of its name would be read otherwise (resolve.ts), which no patch covers.
    appendFileSync(join(tree, 'net/socket.c'), '\ntypedef int pathfind_added_t;\n');
    const lines = query();
    // Found by this process, resolved in full by the second one (cli/young-generation.ts inFullElsewhere), told why.
    expect(lines.filter((l) => l.startsWith('graph:'))).toEqual([
      'graph: not patched: net/socket.c: typedef pathfind_added_t was added; the command runs again in a process made for resolving in full',
      'graph: resolved in full: net/socket.c: typedef pathfind_added_t was added (found by the first process, which handed the command over)',
    ]);
    expect(lines.find((l) => l.startsWith('parse:'))).toMatch(/^parse: 1 file parsed, \d+ from the cache$/);
  });
});
