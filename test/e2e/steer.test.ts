import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, cliOn } from '../support/run-cli.js';

const pathfind = cliOn('minikernel');

describe('steering hints and --distinct-by', () => {
  it('prints a hint line under a step through a pointer call with many targets', () => {
    const r = pathfind('-s', 'ksys_write', '-t', 'drv_wake_tx_queue');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /└─ sock_write_iter  include\/linux\/fs\.h:\d+/.test(l));
    expect(at).toBeGreaterThan(0);
    // Aligned under the step's name, plain text without colour.
    const indent = lines[at]!.indexOf('sock_write_iter');
    expect(lines[at + 1]).toBe(`${' '.repeat(indent)}one of 5 targets of file->f_op->write_iter; steer with --via or --avoid`);
    // Steps through pointer calls with fewer targets get no hint.
    expect(r.stdout.match(/steer with/g)).toHaveLength(1);
  });

  it('counts the targets left by the edge filter, and gives targets and via in JSON', () => {
    const r = pathfind('-s', 'ksys_write', '-t', 'tty_write', '--min-confidence', 'ops-initializer', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { paths: { edges: ({ to: { name: string } } & Record<string, unknown>)[] }[] };
    const step = json.paths[0]!.edges.find((e) => e.to.name === 'tty_write')!;
    // zero_fops.write_iter is bound by an assignment, which ops-initializer leaves out.
    expect(step).toMatchObject({ kind: 'ops-initializer', targets: 4, via: 'file->f_op->write_iter' });
    expect(Object.keys(step)).toEqual(['from', 'to', 'kind', 'file', 'line', 'targets', 'via', 'evidence']);
    expect(pathfind('-s', 'ksys_write', '-t', 'tty_write', '--min-confidence', 'ops-initializer').stdout).toMatch(/one of 4 targets of file->f_op->write_iter/);
    expect(pathfind('-s', 'ksys_write', '-t', 'tty_write').stdout).toMatch(/one of 5 targets of file->f_op->write_iter/);
  });

  it('-k N --distinct-by dispatch gives paths through different targets of the first pointer call', () => {
    const plain = pathfind('-s', 'ksys_write', '-t', '__wake_up', '-k', '3');
    const distinct = pathfind('-s', 'ksys_write', '-t', '__wake_up', '-k', '3', '--distinct-by', 'dispatch');
    expect(distinct.code).toBe(0);
    const chosen = (out: string): string[] => [...out.matchAll(/└─ (\w+)  include\/linux\/fs\.h:\d+/g)].map((m) => m[1]!);
    expect(chosen(plain.stdout)).toEqual(['tty_write', 'pipe_write', 'pipe_write']);
    expect(chosen(distinct.stdout)).toEqual(['tty_write', 'pipe_write', 'sock_write_iter']);
    expect(distinct.stdout).toMatch(/# path 3 of 3/);
  });

  it('rejects an unknown --distinct-by with exit 2, and documents the option', () => {
    const bad = pathfind('-s', 'ksys_write', '-t', '__wake_up', '-k', '3', '--distinct-by', 'callee');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--distinct-by/);
    expect(bad.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/--distinct-by <what>/);
  });
});
