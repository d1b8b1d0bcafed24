import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { bin, cliEnv, runCli, runCliClosingPipe } from '../support/run-cli.js';

const tree = join(import.meta.dirname, '../../fixtures/minikernel');
const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

/** The clean failure every usage error must be: exit 2, one line naming pathfind, no stack trace. */
function expectUsageError(r: { code: number; stderr: string; stdout: string }, what: string): void {
  expect(r.code, what).toBe(2);
  expect(r.stdout, what).toBe('');
  expect(r.stderr, what).toMatch(/^pathfind: [^\n]+\n$/);
  expect(r.stderr, what).not.toMatch(/\bat .+:\d+:\d+/);
}

describe('CLI conventions', () => {
  it('prints the version of package.json with --version and -V', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli(flag);
      expect(r.code, flag).toBe(0);
      expect(r.stdout, flag).toBe(`${pkg.version}\n`);
      expect(r.stderr, flag).toBe('');
    }
  });

  it('exits 2 with one line when the current folder was removed and no -C names the tree', () => {
    const gone = mkdtempSync(join(tmpdir(), 'pathfind-gone-'));
    const r = spawnSync('sh', ['-c', `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${bin}" stats`], { encoding: 'utf8', env: cliEnv() });
    expectUsageError({ code: r.status ?? -1, stderr: r.stderr, stdout: r.stdout }, 'removed cwd');
    expect(r.stderr).toMatch(/current folder no longer exists/);
  });

  it('exits 2 with one line for every usage error, subcommands included', () => {
    const cases = [
      ['callees'],
      ['callers'],
      ['callees', 'vfs_write', '--depth', '0'],
      ['callers', 'vfs_write', '-d', 'x'],
      ['callees', 'vfs_write', '--dpeth', '3'],
      ['explain', 'vfs_write'],
      ['explain'],
      ['stats', '--bogus'],
      ['index', '--format', 'xml'],
      ['callees', 'vfs_write', '--min-confidence', 'sure'],
      ['--vai', 'vfs_write', '-s', 'a', '-t', 'b'],
      ['-s', 'a', '-t', 'b', '-k', '0'],
      ['-s', 'a'],
    ];
    for (const args of cases) expectUsageError(runCli('--no-cache', '-C', tree, ...args), args.join(' '));
  });

  it('rejects a single-valued option given twice with different values, and options that contradict each other; repeatable options and repeated flags are fine', () => {
    const cases: [string[], string][] = [
      [['-s', 'a', '-s', 'b', '-t', 'c'], "option '-s, --start' is given twice (a, then b): give it once"],
      [['--format', 'json', '--format=text', '-s', 'a', '-t', 'b'], "option '--format' is given twice (json, then text): give it once"],
      [['-C', 'elsewhere', 'callees', 'vfs_write'], `option '-C, --root' is given twice (${tree}, then elsewhere): give it once`],
      [['--cache', '/tmp/pathfind-nowhere', '-s', 'a', '-t', 'b'], "'--no-cache' and '--cache /tmp/pathfind-nowhere' contradict each other: give one of them"],
      [['stats', '--json', '--format', 'text'], "'--json' and '--format text' contradict each other: give one of them"],
      [['-s', 'ksys_write', '-t', 'sock_write_iter', '--via', 'vfs_write', '--avoid', 'vfs_write'], '--avoid vfs_write contradicts --via vfs_write: a path cannot both pass through and avoid it'],
      [['-s', 'ksys_write', '-t', 'sock_write_iter', '--avoid', 'ksys_write'], '--avoid ksys_write contradicts -s ksys_write: a path cannot both pass through and avoid it'],
      // A user's finding: this printed a path of no call and said 0 (found).
      [['-s', 'vfs_write', '-t', 'vfs_write'], "-s and -t name the same function (vfs_write): a path query needs two; 'callees vfs_write' or 'callers vfs_write' shows its neighbours"],
    ];
    for (const [args, message] of cases) {
      const r = runCli('--no-cache', '-C', tree, ...args);
      expectUsageError(r, args.join(' '));
      expect(r.stderr, args.join(' ')).toBe(`pathfind: ${message}\n`);
    }
    // The same folder written two ways is the same value.
    const slash = runCli('--no-cache', '-C', tree, '-C', `${tree}/`, '-q', 'callees', 'vfs_write', '--depth', '1');
    expect([slash.code, slash.stderr]).toEqual([0, '']);
    const fine = runCli('--no-cache', '-C', tree, '-q', '-q', '-C', tree, '--via', 'vfs_write', '--via', 'new_sync_write', '-s', 'ksys_write', '-t', 'sock_write_iter');
    expect([fine.code, fine.stderr]).toEqual([0, '']);
  });

  it('takes --json as --format json on every command that prints JSON, before or after the subcommand', () => {
    const queries: [string[], string[]][] = [
      [['--json', 'stats'], ['stats', '--format', 'json']],
      [['--json', '-s', 'ksys_write', '-t', 'sock_write_iter'], ['--format', 'json', '-s', 'ksys_write', '-t', 'sock_write_iter']],
      [['--json', 'callees', 'vfs_write', '--depth', '1'], ['callees', 'vfs_write', '--depth', '1', '--format', 'json']],
      [['callers', 'vfs_write', '--json', '--depth', '1'], ['callers', 'vfs_write', '--depth', '1', '--format', 'json']],
      [['explain', 'ksys_write', 'vfs_write', '--json'], ['--format', 'json', 'explain', 'ksys_write', 'vfs_write']],
    ];
    for (const [short, long] of queries) {
      const a = runCli('--no-cache', '-q', '-C', tree, ...short);
      const b = runCli('--no-cache', '-q', '-C', tree, ...long);
      expect([a.code, a.stderr], short.join(' ')).toEqual([0, '']);
      expect(a.stdout, short.join(' ')).toBe(b.stdout);
      expect(() => JSON.parse(a.stdout), short.join(' ')).not.toThrow();
    }
    const r = runCli('--no-cache', '-C', tree, '--json', '-s', 'a', '-t', 'b', '--format', 'dot');
    expectUsageError(r, '--json --format dot');
    expect(r.stderr).toBe("pathfind: '--json' and '--format dot' contradict each other: give one of them\n");
    // check's report: --json wherever it is written (check's own --format defaults to text).
    const doc = join(mkdtempSync(join(tmpdir(), 'pathfind-json-')), 'doc.md');
    writeFileSync(doc, '`ksys_write -> vfs_write`\n');
    const report = runCli('--no-cache', '-q', '-C', tree, 'check', doc, '--format', 'json');
    expect([report.code, report.stderr]).toEqual([0, '']);
    for (const args of [['check', doc, '--json'], ['check', '--json', doc], ['--json', 'check', doc]]) {
      const a = runCli('--no-cache', '-q', '-C', tree, ...args);
      expect([a.code, a.stderr, a.stdout], args.join(' ')).toEqual([0, '', report.stdout]);
    }
    const both = runCli('--no-cache', '-q', '-C', tree, 'check', doc, '--json', '--format', 'sarif');
    expectUsageError(both, 'check --json --format sarif');
    expect(both.stderr).toBe("pathfind: '--json' and '--format sarif' contradict each other: give one of them\n");
  });

  it('rejects an option written before a subcommand that the subcommand does not take, as it does after it', () => {
    const cases: [string[], string][] = [
      [['-o', 'x.svg', 'stats'], "option '-o, --output' does not apply to stats (see 'pathfind stats --help')"],
      [['-s', 'vfs_write', 'callees', 'vfs_write'], "option '-s, --start' does not apply to callees (see 'pathfind callees --help')"],
      [['-k', '2', '--deferred', 'explain', 'a', 'b'], "options '-k', '--deferred' do not apply to explain (see 'pathfind explain --help')"],
      [['--theme', 'dark', 'index'], "option '--theme' does not apply to index (see 'pathfind index --help')"],
    ];
    for (const [args, message] of cases) {
      const r = runCli('--no-cache', '-C', tree, ...args);
      expectUsageError(r, args.join(' '));
      expect(r.stderr, args.join(' ')).toBe(`pathfind: ${message}\n`);
    }
    // The same options written after the subcommand's name get the same message, not "unknown option".
    const afterName: [string[], string][] = [
      [['callees', 'vfs_write', '--via', 'x'], "option '--via' does not apply to callees (see 'pathfind callees --help')"],
      [['stats', '-o', 'x.svg'], "option '-o' does not apply to stats (see 'pathfind stats --help')"],
      [['explain', 'a', 'b', '--deferred'], "option '--deferred' does not apply to explain (see 'pathfind explain --help')"],
      [['index', '--start=vfs_write'], "option '--start' does not apply to index (see 'pathfind index --help')"],
    ];
    for (const [args, message] of afterName) {
      const r = runCli('--no-cache', '-C', tree, ...args);
      expectUsageError(r, args.join(' '));
      expect(r.stderr, args.join(' ')).toBe(`pathfind: ${message}\n`);
    }
    // A subcommand's option on a path query names the subcommands that take it, and the path query's own limit for --depth.
    const onPath: [string[], string][] = [
      [['-s', 'ksys_write', '-t', 'vfs_write', '--depth', '3'], "unknown option '--depth' (callees and callers take it, after their names; a path query's limit is --max-depth)"],
      [['-s', 'ksys_write', '-t', 'vfs_write', '--max-gap', '1'], "unknown option '--max-gap' (check takes it, after its name)"],
      [['-s', 'ksys_write', '-t', 'vfs_write', '--dpeth', '3'], "unknown option '--dpeth'"],
    ];
    for (const [args, message] of onPath) {
      const r = runCli('--no-cache', '-C', tree, ...args);
      expectUsageError(r, args.join(' '));
      expect(r.stderr, args.join(' ')).toBe(`pathfind: ${message}\n`);
    }
    // Options the subcommand shares with the program still go either side of its name.
    const before = runCli('--no-cache', '-q', '-C', tree, '--min-confidence', 'direct', 'callees', 'vfs_write', '--depth', '1');
    const after = runCli('--no-cache', 'callees', 'vfs_write', '--depth', '1', '-q', '-C', tree, '--min-confidence', 'direct');
    expect(before.code).toBe(0);
    expect(before.stdout).toBe(after.stdout);
    expect(before.stdout).toMatch(/^vfs_write/);
  });

  it('keeps a suggestion on the same line as the error', () => {
    const r = runCli('--no-cache', '-C', tree, 'callees', 'vfs_write', '--dpeth', '3');
    expect(r.stderr).toBe("pathfind: unknown option '--dpeth' (did you mean --depth?)\n");
  });

  it('says where an unknown function with no close name may be', () => {
    const r = runCli('--no-cache', '-C', tree, '-s', 'zzqqxxvv', '-t', 'vfs_write');
    expectUsageError(r, 'unknown function');
    expect(r.stderr).toMatch(/^pathfind: unknown function 'zzqqxxvv': no indexed function has a close name/);
    // A fresh user's finding: "outside the indexed paths" with no path limits read as if some were set; it says which files are never read.
    expect(r.stderr).toMatch(/it may be defined outside the indexed files \(pathfind reads the tree's \.c and \.h files except those under tools\/, Documentation\/, scripts\/, samples\/ and usr\/\)/);
    expect(r.stderr).toMatch(/pathfind stats/);
    // A user's finding: with no path limit given, it said to check the path limits.
    expect(r.stderr).not.toMatch(/path limits/);
    // A close name is still offered as before.
    expect(runCli('--no-cache', '-C', tree, 'callees', 'vfs_wrte').stderr).toMatch(/^pathfind: unknown function 'vfs_wrte' \(did you mean vfs_write/);
  });

  it('says that a function may lie outside the path limits given, even when a close name exists', () => {
    // sock_write_iter is in net/socket.c; with fs/ alone indexed, fs's call_write_iter is no answer.
    const r = runCli('--no-cache', '-C', tree, 'callees', 'sock_write_iter', 'fs');
    expectUsageError(r, 'outside limits');
    expect(r.stderr).toMatch(/^pathfind: unknown function 'sock_write_iter' \(did you mean [^)]*\? It may also lie outside the path limits: fs\)$/m);
    // Without limits it is found.
    expect(runCli('--no-cache', '-C', tree, 'callees', 'sock_write_iter', '--depth', '1').code).toBe(0);
    // With no close name, the limits are named where the definition may be.
    expect(runCli('--no-cache', '-C', tree, 'callees', 'tcp_sendmsg_locked', 'fs').stderr).toMatch(/no indexed function has a close name; it may be defined outside the path limits \(fs\)/);
  });

  it('says that a function defined in assembly is not indexed, and which C functions it calls', () => {
    // A user's finding: `-s entry_SYSCALL_64` said it may be under another architecture's folder.
    const { root } = copyFixture('minikernel');
    writeFileSync(join(root, 'arch/x86/entry/entry_64.S'), '/* SPDX-License-Identifier: MIT */\n#include <linux/linkage.h>\n\nSYM_CODE_START(entry_SYSCALL_64)\n\tmovq\t%rsp, %rdi\n\tcall\tdo_syscall_64\t\t/* returns with IRQs disabled */\n\tcall\tno_such_function\n\tsysretq\nSYM_CODE_END(entry_SYSCALL_64)\n');
    const r = runCli('--no-cache', '-C', root, '-s', 'entry_SYSCALL_64', '-t', 'ksys_write');
    expectUsageError(r, 'assembly');
    expect(r.stderr).toBe("pathfind: unknown function 'entry_SYSCALL_64': defined in assembly (arch/x86/entry/entry_64.S:4, SYM_CODE_START), which pathfind does not index; it calls do_syscall_64: start there\n");
    // check says the same of a chain naming it (a fresh user's finding: it said no indexed function had a close name).
    writeFileSync(join(root, 'entry.md'), '```\nentry_SYSCALL_64() -> do_syscall_64()\n```\n');
    const c = runCli('--no-cache', '-C', root, 'check', join(root, 'entry.md'));
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('error: entry_SYSCALL_64 is not in the tree: defined in assembly (arch/x86/entry/entry_64.S:4, SYM_CODE_START), which pathfind does not index; it calls do_syscall_64: start there');
  });

  it('points to --arch for a function another architecture defines', () => {
    // arch/arm64/kernel/entry.c defines arm64_flush_thing; the index keeps arch/x86 only.
    const r = runCli('--no-cache', '-C', tree, '-s', 'arm64_flush_thing', '-t', 'vfs_write');
    expectUsageError(r, 'other arch');
    expect(r.stderr).toMatch(/unknown function 'arm64_flush_thing': defined in arch\/arm64\/kernel\/entry\.c:6, which the index leaves out \(it keeps arch\/x86: try --arch arm64\)/);
    // Indexed with that architecture, the name is known.
    expect(runCli('--no-cache', '-C', tree, '--arch', 'arm64', 'callers', 'arm64_flush_thing').code).toBe(0);
    // A name of that architecture's prefix it does not define gets the hint without a place.
    const prefixed = runCli('--no-cache', '-C', tree, 'callees', 'arm64_zzqqxxvv');
    expectUsageError(prefixed, 'prefixed');
    expect(prefixed.stderr).toMatch(/the index keeps arch\/x86 only: a function of arch\/arm64 needs --arch arm64/);
    // A user's finding: an arm64 oops's frames (el0_svc, invoke_syscall) carry no prefix; one other
    // architecture defining the name is named all the same.
    const { root: copy } = copyFixture('minikernel', 'pathfind-bare-arch-');
    writeFileSync(join(copy, 'arch/arm64/kernel/syscall.c'), '// SPDX-License-Identifier: MIT\nstatic void invoke_syscall(int nr)\n{\n}\n\nvoid el0_svc_common(int nr)\n{\n\tinvoke_syscall(nr);\n}\n');
    const bare = runCli('--no-cache', '-C', copy, 'callees', 'invoke_syscall');
    expectUsageError(bare, 'bare name');
    expect(bare.stderr).toMatch(/unknown function 'invoke_syscall': defined in arch\/arm64\/kernel\/syscall\.c:2, which the index leaves out \(it keeps arch\/x86: try --arch arm64\)/);
    // check of that architecture's stack trace says the same of each frame.
    const oops = join(copy, 'oops.log');
    writeFileSync(oops, 'Call trace:\n invoke_syscall+0x50/0x120\n el0_svc_common.constprop.0+0x4c/0xf4\n');
    const checked = runCli('--no-cache', '-C', copy, 'check', oops);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/error: invoke_syscall is not in the tree: defined in arch\/arm64\/kernel\/syscall\.c:2, which the index leaves out \(it keeps arch\/x86: try --arch arm64\)/);
    expect(checked.stdout).toMatch(/error: el0_svc_common is not in the tree: defined in arch\/arm64\/kernel\/syscall\.c:6/);
    // With no close name, the other architectures are named among the places a definition may be.
    expect(runCli('--no-cache', '-C', tree, 'callees', 'zzqqxxvv').stderr).toMatch(/another architecture's folder \(the index keeps arch\/x86 only; --arch all keeps every one\)/);
  });
});

describe('a closed output pipe', () => {
  it('ends quietly with exit 0 for every command and format when the reader closes at once', async () => {
    const commands = [
      ['-s', 'ksys_write', '-t', 'drv_wake_tx_queue'],
      ['-s', 'drv_wake_tx_queue', '-t', 'ksys_write'],
      ['callees', 'ksys_write', '--depth', '50'],
      ['callers', 'drv_wake_tx_queue', '--depth', '50'],
      ['explain', '__napi_poll', 'igb_poll'],
      ['explain', 'vfs_write', 'igb_poll'],
      ['stats'],
      ['index'],
    ];
    for (const command of commands) {
      for (const format of ['text', 'json']) {
        const args = ['--no-cache', '-C', tree, ...command, '--format', format];
        const r = await runCliClosingPipe(args, 0);
        // A defined negative answer (no path) writes nothing to stdout in text and keeps its exit code;
        // in JSON it writes an empty list of paths, which the closed pipe cuts short like any output.
        const noPath = command[1] === 'drv_wake_tx_queue' && command[0] === '-s';
        const negative = noPath && format === 'text';
        expect({ code: r.code, stderr: noPath ? '' : r.stderr }, args.join(' ')).toEqual({ code: negative ? 1 : 0, stderr: '' });
      }
    }
  });

  it('ends quietly with exit 0 when the reader stops after the first bytes of a large output', async () => {
    // One function calling 6000 others: its callees tree is about 400 KB of text, several times what a pipe holds.
    const { root } = copyFixture('minikernel', 'pathfind-pipe-');
    mkdirSync(join(root, 'lib'), { recursive: true });
    const leaf = (i: number): string => `leaf_function_with_a_rather_long_name_${String(i).padStart(4, '0')}`;
    const leaves = Array.from({ length: 6000 }, (_, i) => `void ${leaf(i)}(void)\n{\n}\n`).join('');
    const calls = Array.from({ length: 6000 }, (_, i) => `\t${leaf(i)}();\n`).join('');
    writeFileSync(join(root, 'lib/fan.c'), `${leaves}void fan_out(void)\n{\n${calls}}\n`);
    for (const format of ['text', 'json']) {
      const r = await runCliClosingPipe(['--no-cache', '-C', root, 'callees', 'fan_out', '--format', format], 100);
      expect(r.read, format).toBeGreaterThanOrEqual(100);
      expect({ code: r.code, stderr: r.stderr }, format).toEqual({ code: 0, stderr: '' });
    }
  });
});
