import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const root = join(import.meta.dirname, '../../fixtures/viawalk');

/**
 * --via in an order the calls do not take can only be met by a walk that comes back to a function
 * (a user's `--via do_writepages --via __writeback_single_inode` on Linux 6.1 passed the target
 * ext4_writepages and came back to it): the answer says so on stderr, as a note.
 */
describe('a path that passes a function twice', () => {
  it('is noted, naming the function and how many times', () => {
    const r = runCli('-C', root, '--no-cache', '-s', 'start', '-t', 'target', '--via', 'step_c', '--via', 'step_b');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.includes('step_b'))).toHaveLength(2);
    expect(r.stderr).toBe('pathfind: note: the path passes through step_b 2 times and step_c 2 times: no path meets the --via functions in the order given without coming back\n');
  });

  it('is not noted for a path that passes each function once', () => {
    const r = runCli('-C', root, '--no-cache', '-s', 'start', '-t', 'target', '--via', 'step_b', '--via', 'step_c');
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

/**
 * A function-name option followed by another option (`--via --built-only`) took the option as the
 * name and answered `unknown function --built-only` (a user's finding): a name never starts with `-`.
 */
describe('a function-name option followed by another option', () => {
  it('is a usage error that says the value is missing, for each option taking a function name', () => {
    for (const [flag, rest] of [['--via', ['-s', 'start', '-t', 'target']], ['--avoid', ['-s', 'start', '-t', 'target']], ['-s', ['-t', 'target']], ['-t', ['-s', 'start']]] as const) {
      const r = runCli('-C', root, '--no-cache', ...rest, flag, '--built-only');
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(new RegExp(`^pathfind: option '${flag}[^']*' argument '--built-only' is invalid\\. expected a function name, not an option\\n$`));
    }
  });
});
