import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeStats, openTree, type Project, UsageError } from '../../src/index.js';
import { missingEdges, readChains, shownChain } from '../support/chains.js';

const root = join(import.meta.dirname, '../../fixtures/minikernel');
const chains = readChains(join(import.meta.dirname, '../../fixtures/minikernel.chains.json'));

let project: Project;
beforeAll(async () => {
  project = await openTree({ root, jobs: 1 });
});

describe('minikernel chains', () => {
  for (const chain of chains) {
    it(`${chain.id}: every edge is found`, () => {
      const missing = missingEdges(project, chain);
      expect(missing, missing.join('; ')).toEqual([]);
    });

    it(`${chain.id}: the shortest path is the hand-verified one, with exact call sites`, () => {
      const [path] = project.findPaths({ start: chain.start, target: chain.target }).paths;
      // A step through a callback parameter shows the function it is passed to (ChainEdge.through).
      const shown = shownChain(chain);
      expect(path?.nodes.map((n) => n.name)).toEqual(shown.nodes);
      expect(path?.edges.map((e) => `${e.from.name}>${e.to.name} ${e.file}:${e.line}`)).toEqual(shown.steps);
    });
  }
});

describe('direct-call view', () => {
  it('stops at the first function pointer without indirect edges', () => {
    expect(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', noIndirect: true }).paths).toEqual([]);
    const direct = project.findPaths({ start: 'ksys_write', target: 'call_write_iter', noIndirect: true }).paths[0]!;
    expect(direct.edges.every((e) => e.kind === 'direct')).toBe(true);
  });

  it('indexes one architecture and leaves tools/ out', () => {
    const files = project.index.files.map((f) => f.path);
    expect(files.some((f) => f.startsWith('arch/x86/'))).toBe(true);
    expect(files.some((f) => f.startsWith('arch/arm64/'))).toBe(false);
    expect(files.some((f) => f.startsWith('tools/'))).toBe(false);
    expect(project.nodes('ksys_write').map((n) => project.index.file(n))).toEqual(['fs/read_write.c']);
  });

  it('knows a syscall by all its names', () => {
    for (const name of ['sys_write', '__x64_sys_write', '__se_sys_write', '__do_sys_write']) {
      expect(project.findPaths({ start: name, target: 'vfs_write' }).paths[0]?.nodes[1]?.name).toBe('ksys_write');
    }
  });

  // arch/arm64/include/asm/syscall_wrapper.h and arch/s390/include/asm/syscall_wrapper.h of Linux 6.1
  // name the same SYSCALL_DEFINE body __arm64_sys_write and __s390x_sys_write: an arm64 oops's frame.
  it("knows a syscall by the names other architectures' wrappers give it", () => {
    for (const name of ['__arm64_sys_write', '__s390x_sys_write', '__s390_sys_write']) {
      expect(project.findPaths({ start: name, target: 'vfs_write' }).paths[0]?.nodes[1]?.name, name).toBe('ksys_write');
    }
  });

  it('suggests close names for an unknown function', () => {
    expect(() => project.nodes('ksys_wirte')).toThrow(UsageError);
    expect(() => project.nodes('ksys_wirte')).toThrow(/did you mean ksys_write/);
  });

  it('suggests the qualified names when path:name names a file that does not define it', () => {
    expect(() => project.nodes('fs/read_write.c:helper_flush')).toThrow("unknown function 'helper_flush' in fs/read_write.c (did you mean net/core/utils.c:helper_flush, net/ipv4/tcp.c:helper_flush?)");
    expect(() => project.nodes('fs/nosuch.c:helper_flush')).toThrow("unknown function 'helper_flush' in fs/nosuch.c, which is no indexed file (did you mean net/core/utils.c:helper_flush, net/ipv4/tcp.c:helper_flush?)");
    // A misspelt name with a file: the close names come qualified when each has one file.
    expect(() => project.nodes('fs/read_write.c:ksys_wirte')).toThrow(/did you mean fs\/read_write\.c:ksys_write/);
  });

  it('callees and callers trees reach the chain neighbours', () => {
    const [callees] = project.tree('vfs_write', 1, 'callees');
    expect(callees!.root.children.map((c) => c.node.name)).toContain('new_sync_write');
    const [callers] = project.tree('vfs_write', 2, 'callers');
    const names = callers!.root.children.flatMap((c) => [c.node.name, ...c.children.map((g) => g.node.name)]);
    expect(names).toContain('ksys_write');
    expect(names).toContain('sys_write');
  });
});

describe('stats', () => {
  it('counts files, functions, call sites and parse errors', () => {
    const s = computeStats(project);
    expect(s.files).toBe(project.index.files.length);
    expect(s.functions).toBeGreaterThan(50);
    expect(s.callSites.total).toBe(s.callSites.direct + s.callSites.indirect + s.callSites.throughParameter);
    expect(s.filesWithParseErrors).toBeGreaterThanOrEqual(1);
    expect(s.indirect.resolved).toBeGreaterThan(5);
    expect(s.indirect.resolved + s.indirect.unresolved).toBeLessThanOrEqual(s.callSites.indirect);
  });
});

describe('path constraints on the minikernel', () => {
  const names = (r: { paths: { nodes: { name: string }[] }[] }): string[][] => r.paths.map((p) => p.nodes.map((n) => n.name));

  it('gives k distinct paths, cheapest first', () => {
    const r = project.findPaths({ start: 'sys_write', target: 'tcp_sendmsg', k: 3 });
    const paths = names(r);
    expect(paths.length).toBeGreaterThanOrEqual(1);
    expect(new Set(paths.map((p) => p.join(' '))).size).toBe(paths.length);
    for (const p of paths) expect([p[0], p[p.length - 1]]).toEqual(['sys_write', 'tcp_sendmsg']);
    const lengths = r.paths.map((p) => p.edges.length);
    expect(lengths[0]).toBe(Math.min(...lengths));
  });

  it('honours --via, --avoid and --max-depth', () => {
    const via = names(project.findPaths({ start: 'net_rx_action', target: 'tcp_v4_rcv', via: ['ip_rcv_finish'] }))[0]!;
    expect(via).toContain('ip_rcv_finish');
    const plain = names(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' }))[0]!;
    const avoided = plain[Math.floor(plain.length / 2)]!;
    const around = names(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', avoid: [avoided] }));
    for (const p of around) expect(p).not.toContain(avoided);
    expect(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', maxDepth: plain.length - 2 }).paths).toEqual([]);
    expect(names(project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', maxDepth: plain.length - 1 }))[0]).toEqual(plain);
  });

  it('drops weaker kinds with minConfidence', () => {
    const strict = project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue', minConfidence: 'ops-initializer' });
    // ip_output is bound by an assignment (ops-assignment) and reached as an INDIRECT_CALL hint,
    // ip_finish_output only as a callback: dropping callback-arg must cut this path.
    expect(strict.paths.every((p) => p.edges.every((e) => ['direct', 'macro', 'dispatch-table', 'indirect-hint', 'ops-initializer'].includes(e.kind)))).toBe(true);
    const all = project.findPaths({ start: 'ksys_write', target: 'drv_wake_tx_queue' });
    expect(all.paths[0]!.edges.some((e) => e.kind === 'callback-arg')).toBe(true);
    expect(strict.paths).toEqual([]);
  });
});

describe('same-named functions', () => {
  it('binds each call to the static of its own file and names the file in text output', async () => {
    const { renderTreeText } = await import('../../src/render/text.js');
    const [tcp] = project.tree('tcp_sendmsg_locked', 1, 'callees');
    const local = tcp!.root.children.find((c) => c.node.name === 'helper_flush');
    expect(local?.node.file).toBe('net/ipv4/tcp.c');
    expect(renderTreeText([tcp!], { color: false })).toMatch(/helper_flush \(net\/ipv4\/tcp\.c\)  net\/ipv4\/tcp\.c:\d+/);
    const [utils] = project.tree('net_utils_sync', 1, 'callees');
    expect(utils!.root.children.find((c) => c.node.name === 'helper_flush')?.node.file).toBe('net/core/utils.c');
    expect(project.tree('helper_flush', 1, 'callers').map((t) => t.function.file).sort()).toEqual(['net/core/utils.c', 'net/ipv4/tcp.c']);
  });
});
