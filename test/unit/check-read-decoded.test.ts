import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/check/read-traces.js';
import type { Claim } from '../../src/types/claims.js';

/**
 * Stacks whose addresses a symbolizer has turned into source places, the form bug reports paste
 * most: syzbot's (`vfs_read+0x4e1/0x930 fs/read_write.c:470`, inlined functions on lines of their
 * own: `new_sync_read fs/read_write.c:389 [inline]`) and scripts/decode_stacktrace.sh's
 * (`vfs_read (fs/read_write.c:470)`). Each frame's file says which same-named definition it is.
 */
const steps = (claims: Claim[]): string[] => claims.map((c) => `${c.from.name}${c.from.defined ? `@${c.from.defined.file}` : ''}>${c.to.name}${c.to.defined ? `@${c.to.defined.file}` : ''}`);

const SYZBOT = `BUG: KASAN: use-after-free in pipe_read+0x1f2/0x8a0 fs/pipe.c:251
Read of size 8 at addr ffff88801d2b4a40 by task syz-executor.0/3610

CPU: 1 PID: 3610 Comm: syz-executor.0 Not tainted 6.1.0-syzkaller #0
Call Trace:
 <TASK>
 __dump_stack lib/dump_stack.c:88 [inline]
 dump_stack_lvl+0xd9/0x150 lib/dump_stack.c:106
 kasan_report+0xb0/0x130 mm/kasan/report.c:495
 pipe_read+0x1f2/0x8a0 fs/pipe.c:251
 call_read_iter include/linux/fs.h:2199 [inline]
 new_sync_read fs/read_write.c:389 [inline]
 vfs_read+0x4e1/0x930 fs/read_write.c:470
 ksys_read+0x12b/0x250 fs/read_write.c:613
 do_syscall_x64 arch/x86/entry/common.c:50 [inline]
 do_syscall_64+0x38/0xb0 arch/x86/entry/common.c:80
 entry_SYSCALL_64_after_hwframe+0x63/0xcd
RIP: 0033:0x7f3a2b1c4d5e
 </TASK>
`;

const DECODED = `Call Trace:
 <TASK>
 dump_stack_lvl (lib/dump_stack.c:107)
 pipe_read (fs/pipe.c:251)
 ? __pfx_pipe_read (fs/pipe.c:229)
 vfs_read (fs/read_write.c:470 (discriminator 1))
 ksys_read (fs/read_write.c:613)
 do_syscall_64 (arch/x86/entry/common.c:50 arch/x86/entry/common.c:80)
 entry_SYSCALL_64_after_hwframe (arch/x86/entry/entry_64.S:120)
 </TASK>
`;

describe('symbolized stacks', () => {
  it("syzbot's: every frame, inlined ones too, each placed in its file", () => {
    expect(steps(readTraceFile('syz.txt', SYZBOT))).toEqual([
      'dump_stack_lvl@lib/dump_stack.c>__dump_stack@lib/dump_stack.c',
      'kasan_report@mm/kasan/report.c>dump_stack_lvl@lib/dump_stack.c',
      // pipe_read -> kasan_report is the compiler's call: no claim (COMPILER_INSERTED).
      'call_read_iter@include/linux/fs.h>pipe_read@fs/pipe.c',
      'new_sync_read@fs/read_write.c>call_read_iter@include/linux/fs.h',
      'vfs_read@fs/read_write.c>new_sync_read@fs/read_write.c',
      'ksys_read@fs/read_write.c>vfs_read@fs/read_write.c',
      'do_syscall_x64@arch/x86/entry/common.c>ksys_read@fs/read_write.c',
      'do_syscall_64@arch/x86/entry/common.c>do_syscall_x64@arch/x86/entry/common.c',
    ]);
  });

  it("decode_stacktrace.sh's: places in parentheses, `?` entries skipped", () => {
    expect(steps(readTraceFile('decoded.txt', DECODED))).toEqual([
      'pipe_read@fs/pipe.c>dump_stack_lvl@lib/dump_stack.c',
      'vfs_read@fs/read_write.c>pipe_read@fs/pipe.c',
      'ksys_read@fs/read_write.c>vfs_read@fs/read_write.c',
      'do_syscall_64@arch/x86/entry/common.c>ksys_read@fs/read_write.c',
    ]);
  });
});

describe('what is no symbolized frame', () => {
  it('a word in parentheses after a name is prose, which ends the stack', () => {
    expect(steps(readTraceFile('x.txt', 'Call Trace:\n vfs_read (fs/read_write.c:470)\n ksys_read (see above)\n do_syscall_64 (arch/x86/entry/common.c:80)\n'))).toEqual([]);
  });
});

describe('calls the compiler inserts', () => {
  it("a sanitizer's runtime above an instrumented function claims no call from it; its own calls stay", () => {
    const kasan = 'Call Trace:\n <TASK>\n print_report+0x16e/0x5a0 mm/kasan/report.c:395\n kasan_report+0xb0/0x130 mm/kasan/report.c:495\n pipe_write+0x1f2/0x8a0 fs/pipe.c:451\n vfs_write+0x4e1/0x930 fs/read_write.c:584\n </TASK>\n';
    expect(steps(readTraceFile('kasan.txt', kasan)).map((s) => s.replace(/@[^>]*/g, ''))).toEqual(['kasan_report>print_report', 'vfs_write>pipe_write']);
    const ubsan = 'Call Trace:\n dump_stack_lvl+0x1/0x2\n __ubsan_handle_shift_out_of_bounds+0x1/0x2\n tcp_ack+0x1/0x2\n tcp_rcv_established+0x1/0x2\n';
    expect(steps(readTraceFile('ubsan.txt', ubsan))).toEqual(['__ubsan_handle_shift_out_of_bounds>dump_stack_lvl', 'tcp_rcv_established>tcp_ack']);
  });
});
