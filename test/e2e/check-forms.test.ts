import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, cliEnv } from '../support/run-cli.js';

const repo = join(import.meta.dirname, '../..');
const golden = join(repo, 'test/golden/check/fixture-docs.txt');

/**
 * Every document form of fixtures/docs (arrows, trees, cflow, pathfind output, mail, rST, stacks,
 * function_graph, DOT), read by the real readers and checked against the minikernel by the CLI:
 * the report is pinned in a golden file (UPDATE_GOLDEN=1 writes it again). broken.dot is no DOT
 * at all: an input error, exit 2.
 */
describe('pathfind check over every document form', () => {
  const docs = readdirSync(join(repo, 'fixtures/docs'))
    .filter((f) => f.includes('.') && f !== 'broken.dot')
    .sort()
    .map((f) => `fixtures/docs/${f}`);
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'check', '-C', 'fixtures/minikernel', '--no-cache', '-q', ...args], { cwd: repo, encoding: 'utf8', env: cliEnv() });

  it('reports what each document gets wrong, compiler style, exit 1', () => {
    const r = run(...docs);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, r.stdout);
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
    // Every form made steps, and the documents written to hold hold.
    expect(r.stdout).toMatch(new RegExp(`checked \\d+ steps in ${docs.length} documents`));
    for (const holds of ['arrows.md', 'fenced.md', 'literal.rst', 'mail.txt', 'pathfind-output.md', 'function-graph.txt', 'ftrace-stack.txt', 'cflow2dot.dot']) expect(r.stdout).not.toContain(`fixtures/docs/${holds}:`);
  });

  it('takes a document that is no DOT as an input error, exit 2', () => {
    const r = run('fixtures/docs/broken.dot');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^pathfind: fixtures\/docs\/broken\.dot:\d+:\d+: not a DOT graph: .*\n$/);
  });
});
