import { describe, expect, it } from 'vitest';
import { cliOn, runCli } from '../support/run-cli.js';

const pathfind = cliOn('minikernel');

describe('the first words of a command line', () => {
  it('prints the help on stderr with exit 2 when there are no arguments', () => {
    const r = runCli();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: pathfind /);
    expect(r.stderr).toMatch(/callees/);
  });

  it('reports a misspelt command as an unknown command with the closest commands, exit 2', () => {
    const r = pathfind('calees', 'vfs_write');
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: "pathfind: unknown command 'calees' (did you mean callees, callers?)\n" });
    const far = pathfind('frobnicate');
    expect(far.code).toBe(2);
    expect(far.stderr).toBe("pathfind: unknown command 'frobnicate' (commands: callees, callers, explain, stats, index, check, or -s START -t TARGET; see 'pathfind --help')\n");
  });

  it('keeps the missing -s/-t error for an existing path, and the missing-path error when -s/-t are given', () => {
    expect(pathfind('net').stderr).toBe("pathfind: missing -s/--start and -t/--target: a path query needs a start and a target (see 'pathfind --help')\n");
    const r = pathfind('-s', 'ksys_write', '-t', 'vfs_write', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/unknown command/);
  });
});

describe('-k and --distinct-by', () => {
  it('says in one stderr line when fewer than N paths exist', () => {
    const few = pathfind('-s', 'ksys_write', '-t', 'vfs_write', '-k', '5');
    expect(few.code).toBe(0);
    expect(few.stdout).not.toMatch(/# path 2/);
    expect(few.stderr).toBe('pathfind: only 1 path exists (-k 5)\n');
    expect(pathfind('-s', 'ksys_write', '-t', 'vfs_write', '-k', '5', '--format', 'json').stderr).toBe('');
  });

  // A user's finding: with --distinct-by dispatch the note spoke of "the first pointer call" of a path that makes none.
  it('says when the paths --distinct-by found make no pointer call, or one of them makes none', () => {
    const none = pathfind('-s', 'ksys_write', '-t', 'vfs_write', '-k', '3', '--distinct-by', 'dispatch');
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/\[indirect|# path 2/);
    expect(none.stderr).toBe('pathfind: only 1 path exists, and it makes no pointer call whose targets --distinct-by dispatch could vary (-k 3)\n');
    const mixed = pathfind('-s', 'sock_sendmsg_nosec', '-t', 'iov_iter_count', '-k', '3', '--distinct-by', 'dispatch');
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toMatch(/# path 2 of 2/);
    expect(mixed.stderr).toBe('pathfind: only 2 paths through different targets of the first pointer call exist, one of them making no pointer call (-k 3)\n');
  });

  it('notes that --distinct-by has no effect with -k 1', () => {
    const r = pathfind('-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '--distinct-by', 'dispatch');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('pathfind: note: --distinct-by dispatch chooses among several paths; with -k 1 (the default) it has no effect\n');
    // -k 1 written out is no default.
    const written = pathfind('-s', 'ksys_write', '-t', 'drv_wake_tx_queue', '-k', '1', '--distinct-by', 'dispatch');
    expect(written.stderr).toBe('pathfind: note: --distinct-by dispatch chooses among several paths; with -k 1 it has no effect\n');
  });

  // A user's finding: a callers tree of its root alone said nothing (exit 0), as if cut short.
  it('notes a callers tree with no caller (still exit 0)', () => {
    const r = pathfind('callers', 'net_rx_action');
    expect([r.code, r.stdout.split('\n').length]).toEqual([0, 2]);
    // The line registering it is named: what it puts the handler in may be how it is called.
    expect(r.stderr).toBe('pathfind: note: no call of net_rx_action is found in the indexed files; net/core/dev.c:301 names it without calling it (`open_softirq(NET_RX_SOFTIRQ, net_rx_action);`): a call through where that puts it, which pathfind did not bind, may be how it is called\n');
    const fed = pathfind('callers', 'ksys_write');
    expect([fed.code, fed.stderr]).toEqual([0, '']);
  });
});

describe('no path in JSON', () => {
  it('prints an empty list of paths on stdout, the message on stderr, exit 1', () => {
    const r = pathfind('-s', 'drv_wake_tx_queue', '-t', 'ksys_write', '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ version: 2, paths: [] });
    expect(r.stderr).toBe('pathfind: no call path from drv_wake_tx_queue to ksys_write; drv_wake_tx_queue makes 1 pointer call pathfind does not bind, which may be the missing step (->wake_tx_queue(...) at net/mac80211/driver-ops.h:39): pathfind explain drv_wake_tx_queue ksys_write lists it\n');
  });
});

describe('no path within --max-depth', () => {
  it('counts the calls in the singular for a depth of 1, in the plural above', () => {
    const one = pathfind('-s', 'ksys_write', '-t', '__wake_up', '--max-depth', '1');
    expect([one.code, one.stderr]).toEqual([1, 'pathfind: no call path from ksys_write to __wake_up within 1 call\n']);
    const two = pathfind('-s', 'ksys_write', '-t', '__wake_up', '--max-depth', '2');
    expect([two.code, two.stderr]).toEqual([1, 'pathfind: no call path from ksys_write to __wake_up within 2 calls\n']);
  });
});
