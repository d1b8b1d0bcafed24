import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * Symbolized stacks as bug reports paste them, checked against fixtures/minikernel: syzbot lists
 * the names a system call's definer macro gives one function as frames of their own
 * (`__do_sys_write fs/read_write.c:649 [inline]`, `__se_sys_write ... [inline]`,
 * `__x64_sys_write+0x73/0xb0`), and scripts/decode_stacktrace.sh ends a module's frame with the
 * module's bare name (`e1000_watchdog (drivers/.../netdev.c:5183) e1000e`).
 */
let tree: Project;
beforeAll(async () => {
  tree = await openTree({ root: 'fixtures/minikernel', jobs: 1, cache: false });
});

const findings = (name: string, text: string): string[] => verifyClaims(tree, readDocument(name, text), [name]).findings.map((f) => `${f.line}: ${f.severity}: ${f.rule}: ${f.message.split(';')[0]}`);

describe('symbolized stacks', () => {
  it("a system call's names, each a frame of syzbot's, are one function: no step between them", () => {
    const syz = 'Call Trace:\n <TASK>\n ksys_write+0x12b/0x250 fs/read_write.c:90\n __do_sys_write fs/read_write.c:97 [inline]\n __se_sys_write fs/read_write.c:95 [inline]\n __x64_sys_write+0x73/0xb0 fs/read_write.c:95\n do_syscall_64+0x38/0xb0 arch/x86/entry/syscall_64.c:40\n </TASK>\n';
    expect(readDocument('syz.txt', syz).length).toBe(4);
    expect(findings('syz.txt', syz)).toEqual([]);
  });

  it("decode_stacktrace.sh's frames of modules, the module's name after the place, are read", () => {
    const decoded = 'Call Trace:\n <TASK>\n ksys_write (fs/read_write.c:90) e1000\n __x64_sys_write (fs/read_write.c:95)\n do_syscall_64 (arch/x86/entry/syscall_64.c:40)\n </TASK>\n';
    const claims = readDocument('decoded.txt', decoded);
    expect(claims.map((c) => `${c.from.name}>${c.to.name}${c.to.module ? ` [${c.to.module}]` : ''}`)).toEqual(['__x64_sys_write>ksys_write [e1000]', 'do_syscall_64>__x64_sys_write']);
  });
});
