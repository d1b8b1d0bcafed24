import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { readTraceFile } from '../../src/check/read-traces.js';
import { verifyClaims } from '../../src/check/verify.js';
import { NodeFlag } from '../../src/index/code-index.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for stack traces through the syscall entry (Linux 6.1 as Debian ships it,
 * with the x64_sys_call backport: a `switch` whose cases, from a generated header, are
 * `return __x64_sys_write(regs);`). A write oops reads `ksys_write <- do_syscall_64`: the static
 * do_syscall_x64 is inlined, and x64_sys_call and sys_write (alias __x64_sys_write) make tail calls
 * only. Runs when PATHFIND_LINUX names the tree.
 */
const tree = process.env.PATHFIND_LINUX;

/** An oops and a WARN as the kernel prints them, written for this test (addresses made up). */
const OOPS = `BUG: kernel NULL pointer dereference, address: 0000000000000008
#PF: supervisor read access in kernel mode
CPU: 3 PID: 1412 Comm: writer Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1
RIP: 0010:vfs_write+0x8b/0x3c0
Call Trace:
 <TASK>
 ? __die+0x23/0x70
 ? page_fault_oops+0x17d/0x4c0
 vfs_write+0x8b/0x3c0
 ksys_write+0x6f/0xf0
 do_syscall_64+0x55/0xb0
 entry_SYSCALL_64_after_hwframe+0x6e/0xd8
 </TASK>

WARNING: CPU: 0 PID: 977 at net/socket.c:2131 __sys_sendto+0x1c4/0x1e0
Call Trace:
 <TASK>
 __sys_sendto+0x1c4/0x1e0
 __x64_sys_sendto+0x20/0x30
 do_syscall_64+0x55/0xb0
 entry_SYSCALL_64_after_hwframe+0x6e/0xd8
 </TASK>
`;

describe.skipIf(!tree)('syscall stack traces on Linux 6.1', () => {
  let project: Project;
  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: ['arch/x86/entry', 'fs/read_write.c', 'net/socket.c', 'include', 'arch/x86/include'], jobs: 2, cache: false });
  }, 900_000);

  it('flags the syscall switch and the syscall definitions as making tail calls only, not their callers', () => {
    const tailOnly = (name: string) => project.nodes(name).map((n) => (project.index.nodeFlags[n]! & NodeFlag.TailCalls) !== 0);
    expect(tailOnly('x64_sys_call')).toEqual([true]);
    expect(tailOnly('sys_write')).toEqual([true]);
    expect(tailOnly('sys_sendto')).toEqual([true]);
    expect(tailOnly('do_syscall_64')).toEqual([false]);
    expect(tailOnly('ksys_write')).toEqual([false]);
  });

  it('explain do_syscall_64 ksys_write shows the chain a stack trace shows as one step', () => {
    const x = explainEdge(project, 'do_syscall_64', 'ksys_write');
    expect(x.edges).toEqual([]);
    expect(x.throughInlined.map((e) => `${e.from.name} -> ${e.to.name} ${e.kind}`)).toEqual(['do_syscall_64 -> do_syscall_x64 direct', 'do_syscall_x64 -> x64_sys_call direct', 'x64_sys_call -> sys_write dispatch-table', 'sys_write -> ksys_write direct']);
  });

  it('check takes a write oops and a sendto WARN as they are printed', () => {
    const claims = readTraceFile('oops.log', OOPS);
    expect(claims.map((c) => `${c.from.name} -> ${c.to.name}`)).toEqual(['ksys_write -> vfs_write', 'do_syscall_64 -> ksys_write', '__x64_sys_sendto -> __sys_sendto', 'do_syscall_64 -> __x64_sys_sendto']);
    expect(verifyClaims(project, claims, ['oops.log']).findings.map((f) => f.message)).toEqual([]);
  });
});
