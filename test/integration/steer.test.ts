import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type PathResult, type Project } from '../../src/index.js';
import { steerHint } from '../../src/render/text.js';
import { copyFixture } from '../support/fixtures.js';

const root = join(import.meta.dirname, '../../fixtures/minikernel');

let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1 });
});

/** The target chosen at a path's first pointer call (its first edge that is not a plain or macro call). */
const firstDispatch = (p: PathResult): string | undefined => p.edges.find((e) => e.kind !== 'direct' && e.kind !== 'macro')?.to.name;

describe('steering through pointer calls with many targets', () => {
  it('tells, for each pointer call on a path, how many targets it binds and how it is written', () => {
    const [path] = project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }).paths;
    const step = path!.edges.find((e) => e.to.name === 'sock_write_iter')!;
    // socket_file_ops, pipefifo_fops, tty_fops and null_fops bind .write_iter by initializers, zero_fops by an assignment.
    expect(step).toMatchObject({ targets: 5, via: 'file->f_op->write_iter' });
    const hinted = path!.edges.find((e) => e.to.name === 'inet_sendmsg')!;
    expect(hinted).toMatchObject({ kind: 'indirect-hint', via: 'sock->ops->sendmsg' });
    expect(hinted.targets).toBeGreaterThanOrEqual(1);
    for (const e of path!.edges.filter((x) => x.kind === 'direct' || x.kind === 'macro')) {
      expect(e.targets).toBeUndefined();
      expect(e.via).toBeUndefined();
    }
  });

  it('reads the expression back from the source when the graph comes from the cache, without facts', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-steer-'));
    await openTree({ root, jobs: 1, cache });
    const cached = await openTree({ root, jobs: 1, cache });
    expect(cached.index.hasFacts).toBe(false);
    const step = cached.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }).paths[0]!.edges.find((e) => e.to.name === 'inet_sendmsg')!;
    expect(step).toMatchObject({ via: 'sock->ops->sendmsg' });
    expect(cached.findPaths({ start: 'ksys_write', target: 'tty_write' }).paths[0]!.edges.at(-1)).toMatchObject({ targets: 5, via: 'file->f_op->write_iter' });
  });

  it('counts the targets the query keeps after its edge filter', () => {
    const all = project.findPaths({ start: 'ksys_write', target: 'tty_write' }).paths[0]!;
    expect(all.edges.at(-1)).toMatchObject({ targets: 5 });
    const strict = project.findPaths({ start: 'ksys_write', target: 'tty_write', minConfidence: 'ops-initializer' }).paths[0]!;
    expect(strict.edges.at(-1)).toMatchObject({ targets: 4 });
  });

  it('-k with distinctBy dispatch gives paths through different targets of the first pointer call', () => {
    const plain = project.findPaths({ start: 'ksys_write', target: '__wake_up', k: 3 }).paths;
    expect(new Set(plain.map(firstDispatch)).size).toBeLessThan(3);
    const distinct = project.findPaths({ start: 'ksys_write', target: '__wake_up', k: 3, distinctBy: 'dispatch' }).paths;
    expect(distinct).toHaveLength(3);
    expect(distinct.map(firstDispatch).sort()).toEqual(['pipe_write', 'sock_write_iter', 'tty_write']);
    expect(distinct[0]).toEqual(plain[0]);
    const all = project.findPaths({ start: 'ksys_write', target: '__wake_up', k: 10, distinctBy: 'dispatch' }).paths;
    expect(all.map(firstDispatch).sort()).toEqual(['pipe_write', 'sock_write_iter', 'tty_write']);
  });

  it('rejects an unknown distinctBy', () => {
    expect(() => project.findPaths({ start: 'ksys_write', target: '__wake_up', k: 2, distinctBy: 'site' as 'dispatch' })).toThrow(/distinct/);
  });
});

describe('what the targets of a step are of, where there is no call expression', () => {
  it('names the dispatch table of a dispatcher generated from it (no call expression), and of a call through its array', async () => {
    const { root: copy } = copyFixture('minikernel', 'pathfind-steer-table-');
    // x64_sys_call is generated from the syscall table (a switch over it): no call expression to read back.
    writeFileSync(join(copy, 'arch/x86/entry/syscall_x64.c'), 'long x64_sys_call(const struct pt_regs *regs, unsigned int nr)\n{\n\tswitch (nr) {\n\tdefault:\n\t\treturn 0;\n\t}\n}\n');
    const p = await openTree({ root: copy, jobs: 1, cache: false });
    const [path] = p.findPaths({ start: 'x64_sys_call', target: 'ksys_write' }).paths;
    const step = path!.edges[0]!;
    expect(step.kind).toBe('dispatch-table');
    expect(step.via).toBeUndefined();
    expect(step.dispatchTable).toEqual({ name: 'syscall table', file: 'arch/x86/entry/syscalls/syscall_64.tbl' });
    expect(steerHint(step)).toBe(`one of ${step.targets} targets of the syscall table (arch/x86/entry/syscalls/syscall_64.tbl); steer with --via or --avoid`);
    expect(step.targets).toBe(5);
    // Through the table's array, the expression is there too.
    const [array] = p.findPaths({ start: 'do_syscall_x64', target: 'ksys_write' }).paths;
    expect(array!.edges[0]).toMatchObject({ kind: 'dispatch-table', via: 'sys_call_table[unr]', dispatchTable: { name: 'syscall table' } });
  });

  it('says which function takes the callbacks at a callback-arg step', () => {
    const edge = project.findPaths({ start: 'ip_output', target: 'ip_finish_output' }).paths[0]?.edges.find((e) => e.kind === 'callback-arg');
    expect(edge).toBeDefined();
    expect(edge!.via).toBeUndefined();
    expect(edge!.passedTo).toMatch(/^NF_HOOK/);
    // The step is shown from the function called, at its call of the callback; the hint says where the caller passed it.
    expect(edge!.from.name).toBe(edge!.passedTo);
    expect(steerHint({ ...edge!, targets: 7 })).toBe(`one of 7 functions passed as callbacks to ${edge!.passedTo} at ${edge!.passedAt!.file}:${edge!.passedAt!.line}; steer with --via or --avoid`);
    expect(edge!.passedAt!.file).toBe('net/ipv4/ip_output.c');
  });

  // A user's finding on Linux 6.1: do_dentry_open's step said `one of 1,792 targets of open`, the
  // name of its parameter, where the targets are those of `f->f_op->open`, loaded into it.
  it('names the member a local or a parameter called was loaded from', async () => {
    const p = await openTree({ root: join(import.meta.dirname, '../../fixtures/ptrvar/param-load'), jobs: 1, cache: false });
    const edge = p.findPaths({ start: 'vfs_open', target: 'ext_open' }).paths[0]!.edges.at(-1)!;
    expect(edge).toMatchObject({ kind: 'ops-initializer', via: 'open' });
    const load = edge.evidence!.find((b) => b.text === 'open = f->f_op->open in do_dentry_open')!;
    expect(steerHint({ ...edge, targets: 7 })).toBe(`one of 7 targets of open, loaded from f->f_op->open (${load.file}:${load.line}); steer with --via or --avoid`);
    // A call written through the member itself needs no such words.
    const direct = project.findPaths({ start: 'ksys_write', target: 'tty_write' }).paths[0]!.edges.at(-1)!;
    expect(steerHint(direct)).toBe('one of 5 targets of file->f_op->write_iter; steer with --via or --avoid');
  });

  // A user's finding on Linux 6.1: expire_timers' step to a timer's function said `one of 1,055
  // functions passed as callbacks to call_timer_fn at this call site`, not that the `fn` it passes
  // was loaded from timer->function, as a called local's step says.
  it('names the member a local passed as a callback was loaded from', async () => {
    const p = await openTree({ root: join(import.meta.dirname, '../../fixtures/ptrvar/callback-load'), jobs: 1, cache: false });
    const [call, edge] = p.findPaths({ start: 'expire_timers', target: 'watchdog_fire' }).paths[0]!.edges;
    expect(call).toMatchObject({ kind: 'direct', from: { name: 'expire_timers' }, to: { name: 'call_timer_fn' } });
    expect(edge).toMatchObject({ kind: 'callback-arg', from: { name: 'call_timer_fn' }, passedTo: 'call_timer_fn', passedAt: { file: call!.file, line: call!.line, caller: 'expire_timers' }, targets: 2 });
    const load = edge!.evidence!.find((b) => b.text === 'fn = timer->function in expire_timers')!;
    expect(steerHint({ ...edge!, targets: 7 })).toBe(`one of 7 functions passed as callbacks to call_timer_fn at ${call!.file}:${call!.line}, fn loaded from timer->function (${load.file}:${load.line}); steer with --via or --avoid`);
  });

  // A user's finding on Linux 6.1: full_proxy_write, which debugfs's FULL_PROXY_FUNC defines, calls
  // `real_fops->name(args)` in the macro's body; its step said `targets of this pointer call`
  // from a cached graph and `targets of FULL_PROXY_FUNC` with the facts at hand.
  it("reads the pointer call of a function a macro defines from the macro's body, with the invocation's arguments", async () => {
    const proxy = join(import.meta.dirname, '../../fixtures/macrodef/proxy');
    const cache = mkdtempSync(join(tmpdir(), 'pathfind-steer-proxy-'));
    await openTree({ root: proxy, jobs: 1, cache });
    for (const p of [await openTree({ root: proxy, jobs: 1, cache: false }), await openTree({ root: proxy, jobs: 1, cache })]) {
      for (const [from, to, via] of [['proxy_write', 'null_write', 'real_ops->write'], ['proxy_read', 'null_read', 'real_ops->read']] as const) {
        const edge = p.findPaths({ start: from, target: to }).paths[0]!.edges[0]!;
        expect(edge).toMatchObject({ kind: 'ops-initializer', via });
      }
      // Two pointer calls in the macro's body: no expression rather than the macro's name.
      const either = p.findPaths({ start: 'proxy_either', target: 'null_write' }).paths[0]!.edges[0]!;
      expect(either.kind).toBe('ops-initializer');
      expect(either.via).toBeUndefined();
    }
  });
});
