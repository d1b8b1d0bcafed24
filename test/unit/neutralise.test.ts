import { describe, expect, it } from 'vitest';
import { makeNeutraliser } from '../../src/parse/neutralise.js';
import { linuxProfile } from '../../src/profiles/linux.js';

const run = (text: string) => makeNeutraliser(linuxProfile).run(text);

describe('neutraliser', () => {
  it('blanks annotations without moving any offset or line', () => {
    const src = 'static int __init inet_init(void)\n{\n\tchar __user *buf; return 0;\n}\n';
    const { text } = run(src);
    expect(text.length).toBe(src.length);
    expect(text.split('\n').length).toBe(src.split('\n').length);
    expect(text).toContain('static int        inet_init(void)');
    expect(text).toContain('char        *buf');
  });

  it('blanks annotations with arguments, across lines', () => {
    const src = 'void f(void) __releases(a->lock)\n\t__acquires(\n b)\n{ }\n';
    const { text } = run(src);
    expect(text.length).toBe(src.length);
    expect(text).not.toMatch(/__releases|__acquires|a->lock/);
    expect(text.split('\n').length).toBe(src.split('\n').length);
  });

  it('turns __always_inline into inline', () => {
    expect(run('static __always_inline int f(void);').text).toBe('static inline          int f(void);');
  });

  it('rewrites SYSCALL_DEFINEn into a definition of sys_NAME with typed parameters', () => {
    const src = 'SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf,\n\t\tsize_t, count)\n{\n\treturn ksys_write(fd, buf, count);\n}\n';
    const { text, defined } = run(src);
    expect(text.length).toBe(src.length);
    expect(text.replace(/\s+/g, ' ')).toContain('long sys_write( unsigned int fd, const char * buf, size_t count)');
    expect(defined).toEqual([{ offset: 5, name: 'sys_write', aliases: ['__do_sys_write', '__x64_sys_write', '__se_sys_write', '__ia32_sys_write', '__arm64_sys_write', '__s390x_sys_write', '__s390_sys_write'], macro: 'SYSCALL_DEFINE3' }]);
  });

  it('leaves #define lines alone', () => {
    const src = '#define __init __section(".init.text")\n';
    expect(run(src).text).toBe(src);
  });
});

describe('neutraliser on definers without parameters', () => {
  it('keeps the closing parenthesis of SYSCALL_DEFINE0', () => {
    const src = 'SYSCALL_DEFINE0(getpid)\n{\n\treturn 1;\n}\n';
    const { text, defined } = run(src);
    expect(text.length).toBe(src.length);
    expect(text.startsWith('long sys_getpid(      )\n')).toBe(true);
    expect(defined[0]?.name).toBe('sys_getpid');
  });
});

describe('loop-like macros', () => {
  it('turns a macro used as a loop statement into while, keeping offsets', () => {
    const src = 'void f(void)\n{\n\tlist_for_each_entry(pos, &head, list) {\n\t\tg(pos);\n\t}\n\tfor_each_cpu(cpu, mask)\n\t\th(cpu);\n\tnot_a_loop(x);\n}\n';
    const { text } = run(src);
    expect(text.length).toBe(src.length);
    expect(text).toContain('\twhile              (pos, &head, list) {');
    expect(text).toContain('\twhile       (cpu, mask)\n');
    expect(text).toContain('\tnot_a_loop(x);');
  });

  it('leaves calls inside expressions alone', () => {
    const src = 'int f(void)\n{\n\treturn a +\n\t\tcompute(b)\n\t\t+ c;\n}\n';
    expect(run(src).text).toBe(src);
  });
});
