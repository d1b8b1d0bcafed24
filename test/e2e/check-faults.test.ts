import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cliEnv } from '../support/run-cli.js';

/**
 * `pathfind check` on documents a fresh user writes: calls through macros (which no trace or
 * person shows), pathfind's own DOT pictures, and documents in which check finds nothing.
 */
const repo = join(import.meta.dirname, '../..');
const minikernel = join(repo, 'fixtures/minikernel');
const cache = mkdtempSync(join(tmpdir(), 'pathfind-check-faults-'));
/** Every temporary folder made here, removed when the file's tests end. */
const made: string[] = [cache];
const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Runs `pathfind -q --cache C -C minikernel ARGS` in `cwd`. */
function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', minikernel, ...args], { encoding: 'utf8', cwd, env: { ...cliEnv(), GITHUB_STEP_SUMMARY: '' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** A fresh folder holding the given documents (name -> text). */
function docs(files: Record<string, string>): string {
  const dir = tempDir('pathfind-check-docs-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('check: a call through a macro holds in every document form', () => {
  // release_sock() calls wake_up(), a macro of include/linux/wait.h expanding to __wake_up().
  const forms = {
    'stack.txt': ['Call Trace:', ' __wake_up+0x1c/0x40', ' release_sock.isra.0+0x20/0x80 [tcp]', ''].join('\n'),
    'graph.txt': [' 0)               |  release_sock() {', ' 0)   0.210 us    |    __wake_up();', ' 0)   1.020 us    |  }', ''].join('\n'),
    'chain.md': ['# Waking', '', '```', 'release_sock() -> __wake_up()', '```', ''].join('\n'),
    'named.md': ['# Waking, the macro named', '', '```', 'release_sock() -> wake_up() -> __wake_up()', '```', ''].join('\n'),
  };

  for (const [name, text] of Object.entries(forms)) {
    it(`${name}: every step holds, with no note, in every report format`, () => {
      const dir = docs({ [name]: text });
      const r = run(['check', name], dir);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^checked [1-9]\d* steps? in 1 document: every step holds\n$/);
      expect(r.code).toBe(0);
      const json = JSON.parse(run(['check', '--format', 'json', name], dir).stdout) as { findings: unknown[] };
      expect(json.findings).toEqual([]);
    });
  }

  it('a step the macro does not bridge stays broken, and says "does not call" (the checker cannot know it ever did)', () => {
    const dir = docs({ 'wrong.md': ['```', 'release_sock() -> tcp_sendmsg()', '```', ''].join('\n') });
    for (const format of ['text', 'json', 'github', 'sarif']) {
      const r = run(['check', '--format', format, 'wrong.md'], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('release_sock does not call tcp_sendmsg');
      expect(r.stdout).not.toContain('no longer');
    }
  });
});

// A user's finding: a callers tree saved without the command line that printed it was read as a
// callees tree (17 errors in 18 lines). The root line of a callers tree now says `called by:`.
describe("check: pathfind's own text output, saved alone, checks clean against the tree it came from", () => {
  it('paths (-k 1, -k 3), a callees tree and a callers tree', () => {
    const dir = tempDir('pathfind-check-text-');
    mkdirSync(join(dir, 'docs'));
    const outputs: [string, string[]][] = [
      ['path', ['-s', 'ksys_write', '-t', '__wake_up']],
      ['paths', ['-s', 'ksys_write', '-t', '__wake_up', '-k', '3']],
      ['callees', ['callees', 'tcp_sendmsg', '--depth', '3']],
      ['callers', ['callers', '__wake_up', '--depth', '4']],
    ];
    for (const [name, args] of outputs) {
      const printed = run(args, dir);
      expect(printed.code, printed.stderr).toBe(0);
      writeFileSync(join(dir, 'docs', `${name}.txt`), printed.stdout);
    }
    const r = run(['check', 'docs/'], dir);
    expect(r.stdout).toMatch(/^checked [1-9]\d* steps in 4 documents: every step holds\n$/);
    expect(r.code).toBe(0);
  });
});

describe("check: pathfind's own DOT pictures check clean against the tree they were drawn from", () => {
  const pictures: [string, string[]][] = [
    ['path-k1', ['-s', 'ksys_write', '-t', '__wake_up']],
    ['path-k2', ['-s', 'ksys_write', '-t', '__wake_up', '-k', '2']],
    ['callees', ['callees', 'tcp_sendmsg']],
    ['callers', ['callers', '__wake_up']],
    // Pictures cut by --max-nodes: summary nodes (`+24 callers (10 files)`) stand for no function.
    ['callees-cut', ['callees', 'tcp_sendmsg', '-d', '5', '--max-nodes', '3']],
    ['callers-cut', ['callers', '__wake_up', '-d', '6', '--max-nodes', '2']],
    ['path-k3', ['-s', 'ksys_write', '-t', '__wake_up', '-k', '3', '--source-url', 'https://example.org/{file}#L{line}', '--theme', 'dark', '--rankdir', 'LR']],
  ];
  for (const cluster of ['file', 'dir', 'none']) {
    it(`--cluster ${cluster}: paths (-k 1, -k 2, -k 3), callees and callers, whole and cut by --max-nodes`, () => {
      const dir = tempDir('pathfind-check-dot-');
      mkdirSync(join(dir, 'docs'));
      for (const [name, args] of pictures) {
        const drawn = run([...args, '--cluster', cluster, '-o', `docs/${name}.dot`], dir);
        expect(drawn.code, drawn.stderr).toBe(0);
      }
      const r = run(['check', 'docs/'], dir);
      expect(r.stdout).toMatch(/^checked [1-9]\d* steps in 7 documents: every step holds\n$/);
      expect(r.code).toBe(0);
    });
  }

  it('invisible edges and nodes are no calls; a visible edge beside them still is', () => {
    const dir = docs({
      'hand.dot': [
        'digraph g {',
        '  a [label="ksys_write"]; b [label="tcp_sendmsg"]; c [label="vfs_write"];',
        '  a -> b [style=invis];',
        '  hidden [label="nosuch_fn", style="invis"];',
        '  hidden -> c;',
        '  a -> c;',
        '  c -> b;',
        '}',
        '',
      ].join('\n'),
    });
    const r = run(['check', 'hand.dot'], dir);
    // Only a -> c and c -> b are claims: the invisible a -> b (ksys_write does not call tcp_sendmsg) and
    // the edge from the invisible node (an unknown name) make no finding.
    const out = r.stdout.split('\n').filter(Boolean);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^hand\.dot:7:8: error: vfs_write does not call tcp_sendmsg; tcp_sendmsg is \d+ calls away, \d+ of them through pointers: vfs_write -> /);
    expect(out[1]).toBe('checked 2 steps in 1 document: 1 error, 0 warnings, 0 notes');
    expect(r.code).toBe(1);
  });
});

describe('check: finding no call chain at all is an input error', () => {
  it('a document of a type check does not read (.mmd): exit 2, one line naming it and the forms read', () => {
    // A Mermaid picture pathfind drew: its edges join node ids (n0 --> n1), no call chain check reads.
    const dir = docs({});
    expect(run(['-s', 'ksys_write', '-t', '__wake_up', '-o', 'flow.mmd'], dir).code).toBe(0);
    const r = run(['check', 'flow.mmd'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pathfind: no call chain found in flow\.mmd \(check reads .+\)\n$/);
  });

  it('a document whose blocks are all ignored: exit 2; --allow-empty makes it pass', () => {
    const dir = docs({ 'skip.md': ['# Notes', '', '<!-- pathfind: ignore -->', '```', 'ksys_write() -> vfs_write()', '```', ''].join('\n') });
    const r = run(['check', 'skip.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pathfind: no call chain found in skip\.md \(/);
    const allowed = run(['check', '--allow-empty', 'skip.md'], dir);
    expect(allowed.stdout).toBe('checked 0 steps in 1 document: every step holds\n');
    expect(allowed.code).toBe(0);
  });

  it('one empty document beside one with chains is fine (the run found chains)', () => {
    const dir = docs({ 'a.md': '```\nksys_write() -> vfs_write()\n```\n', 'b.md': 'Only prose here.\n' });
    const r = run(['check', 'a.md', 'b.md'], dir);
    expect(r.stdout).toBe('checked 1 step in 2 documents: every step holds\n');
    expect(r.code).toBe(0);
  });
});

describe('check: a pasted oops, from a file or from stdin (-)', () => {
  // The minikernel's ip_protocol_deliver_rcu calls tcp_v4_rcv (through INDIRECT_CALL_2); e1000_clean does not call tcp_sendmsg.
  const oops = (rip: string, first: string) =>
    ['BUG: kernel NULL pointer dereference, address: 0000000000000008', `RIP: 0010:${rip}+0x5d/0xb10`, 'Code: 48 89 e5 41 57', 'RSP: 0018:ffffb6c2000c7ef8 EFLAGS: 00010246', 'Call Trace:', ' <IRQ>', ' ? __die+0x1/0x2', ` ${first}+0x3c/0x210`, ' ip_local_deliver_finish+0x77/0xa0', ' </IRQ>', ''].join('\n');
  const withInput = (args: string[], input: string) => {
    const r = spawnSync(process.execPath, [bin, '-q', '--cache', cache, '-C', minikernel, ...args], { encoding: 'utf8', input, env: { ...cliEnv(), GITHUB_STEP_SUMMARY: '' } });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
  };

  it('checks that the first frame calls the RIP function', () => {
    const dir = docs({ 'good.txt': oops('tcp_v4_rcv', 'ip_protocol_deliver_rcu'), 'bad.txt': oops('tcp_sendmsg', 'ip_protocol_deliver_rcu') });
    const good = run(['check', 'good.txt'], dir);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('checked 2 steps in 1 document');
    const bad = run(['check', 'bad.txt'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^bad\.txt:2:11: error: ip_protocol_deliver_rcu does not call tcp_sendmsg/m);
  });

  it('reads a document from stdin when it is named -, reported as <stdin>', () => {
    const bad = withInput(['check', '-'], oops('tcp_sendmsg', 'ip_protocol_deliver_rcu'));
    expect(bad.stderr).toBe('');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^<stdin>:2:11: error: ip_protocol_deliver_rcu does not call tcp_sendmsg/m);
    expect(withInput(['check', '-'], oops('tcp_v4_rcv', 'ip_protocol_deliver_rcu')).code).toBe(0);
    // Nothing on stdin holds no chain: the usual input error.
    const empty = withInput(['check', '-'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^pathfind: no call chain found in <stdin>/);
  });
});
