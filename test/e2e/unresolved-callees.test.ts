import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOn } from '../support/run-cli.js';

const pathfind = cliOn('minikernel');

/**
 * A user's finding: `callees` listed only resolved calls, so a pointer call nothing binds
 * (`file->f_op->write(...)` in vfs_write, no `.write` initializer in the tree) vanished from the
 * tree and only `explain` told of it. Each expanded function now lists them after its callees.
 */
describe('unresolved pointer calls in callees trees', () => {
  it('lists them in text after the callees of each function the tree expands, with their call sites', () => {
    const r = pathfind('callees', 'vfs_write', '--depth', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['vfs_write  defined at fs/read_write.c:60', '├─ new_sync_write  fs/read_write.c:69', '└─ ? ->write(...)  fs/read_write.c:67  [unresolved: no function is bound to it]', ''].join('\n'));
    // One level up, vfs_write is expanded at depth 2 but not at depth 1 (a leaf lists nothing).
    expect(pathfind('callees', 'ksys_write', '--depth', '1').stdout).not.toMatch(/unresolved/);
    expect(pathfind('callees', 'ksys_write', '--depth', '2').stdout).toMatch(/\n   └─ \? ->write\(\.\.\.\)  fs\/read_write\.c:67  \[unresolved: no function is bound to it\]\n/);
  });

  it('gives them in JSON, by caller', () => {
    const json = JSON.parse(pathfind('callees', 'vfs_write', '--depth', '1', '--format', 'json').stdout) as { trees: { unresolved?: unknown[] }[] };
    expect(json.trees[0]!.unresolved).toEqual([{ from: { name: 'vfs_write', file: 'fs/read_write.c', line: 60 }, file: 'fs/read_write.c', line: 67, call: '->write(...)' }]);
    expect(JSON.parse(pathfind('callees', 'new_sync_write', '--depth', '1', '--format', 'json').stdout).trees[0]).not.toHaveProperty('unresolved');
  });

  it('lists none with --no-indirect (the resolved pointer calls are hidden too), and none in callers trees', () => {
    expect(pathfind('callees', 'vfs_write', '--depth', '1', '--no-indirect').stdout).not.toMatch(/unresolved/);
    expect(pathfind('callers', 'vfs_write', '--depth', '2').stdout).not.toMatch(/unresolved/);
  });

  it('check reads a saved tree with such lines as the calls it shows', () => {
    const doc = join(mkdtempSync(join(tmpdir(), 'pathfind-unresolved-')), 'tree.txt');
    writeFileSync(doc, pathfind('callees', 'ksys_write', '--depth', '2').stdout);
    const r = pathfind('check', doc);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/checked [1-9]\d* steps in 1 document/);
    expect(r.code).toBe(0);
  });
});

/**
 * A user's finding: `callees call_timer_fn` showed nothing for `fn(timer)`, a call of its own
 * parameter (bound at its callers, so no edge leaves it), and a reader concluded it calls nothing.
 * Each expanded function now lists such calls after its callees (fixtures/callback: bus_for_each_dev).
 */
describe('calls of a function parameter in callees trees', () => {
  const callback = cliOn('callback');

  it('lists them in text after the callees, at their call sites, below any depth that expands the function', () => {
    expect(callback('callees', 'bus_for_each_dev', '--depth', '1').stdout).toBe(
      ['bus_for_each_dev  defined at drivers/base/bus.c:12', '└─ ? fn(...)  drivers/base/bus.c:17  [calls its parameter fn: bound where each caller passes a function]', ''].join('\n'),
    );
    const tree = callback('callees', 'driver_attach', '--depth', '2').stdout;
    expect(tree).toMatch(/\n└─ bus_for_each_dev  drivers\/base\/dd\.c:20\n   └─ \? fn\(\.\.\.\)  drivers\/base\/bus\.c:17  \[calls its parameter fn: /);
    // A leaf at the depth limit is not expanded: nothing listed under it.
    expect(callback('callees', 'driver_attach', '--depth', '1').stdout).not.toMatch(/calls its parameter/);
  });

  it('gives them in JSON, by caller, and check reads a saved tree with them', () => {
    const json = JSON.parse(callback('callees', 'bus_for_each_dev', '--depth', '1', '--format', 'json').stdout) as { trees: { parameterCalls?: unknown[] }[] };
    expect(json.trees[0]!.parameterCalls).toEqual([{ from: { name: 'bus_for_each_dev', file: 'drivers/base/bus.c', line: 12 }, file: 'drivers/base/bus.c', line: 17, call: 'fn(...)', parameter: 'fn' }]);
    const doc = join(mkdtempSync(join(tmpdir(), 'pathfind-parameter-')), 'tree.txt');
    writeFileSync(doc, callback('callees', 'driver_attach', '--depth', '2').stdout);
    const r = callback('check', doc);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/checked 2 steps in 1 document/);
    expect(r.code).toBe(0);
  });
});
