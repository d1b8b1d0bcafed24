import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as pathfind } from '../support/run-cli.js';

/**
 * A user's finding on Linux 6.1: `-s run_timer_softirq -t e1000_watchdog` ended at e1000e's
 * e1000_watchdog (e1000 has one too), and only the file after the name said so. A path query whose
 * start or target names several functions says which it took and how to choose.
 */
const samename = join(import.meta.dirname, '../../fixtures/samename');

describe('a path query naming one of several same-named functions', () => {
  it('notes the definitions, the one the path took, and path:name', () => {
    const r = pathfind('--no-cache', '-C', samename, '-s', 'foo_probe', '-t', 'setup_hw');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'pathfind: note: -t setup_hw names 2 functions (drivers/bar/bar_main.c:4, drivers/foo/foo_main.c:4); the path ends at drivers/foo/foo_main.c:4; write -t drivers/bar/bar_main.c:setup_hw to take the other\n',
    );
    const start = pathfind('--no-cache', '-C', samename, '-s', 'setup_hw', '-t', 'bar_reset');
    expect(start.stderr).toBe(
      'pathfind: note: -s setup_hw names 2 functions (drivers/bar/bar_main.c:4, drivers/foo/foo_main.c:4); the path starts at drivers/bar/bar_main.c:4; write -s drivers/foo/foo_main.c:setup_hw to take the other\n',
    );
  });

  it('says nothing when the name is written with its file', () => {
    const r = pathfind('--no-cache', '-C', samename, '-s', 'foo_probe', '-t', 'drivers/foo/foo_main.c:setup_hw');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
