import { describe, expect, it } from 'vitest';
import { whatChanged } from '../../src/cache/change-words.js';
import { textExtractor } from '../../src/parse/file-parser.js';
import { genericProfile } from '../../src/profiles/generic.js';

const facts = (text: string) => textExtractor(genericProfile, 'scan')('drivers/x.c', text);

describe('what a file changed, for -v', () => {
  const base = 'struct ops { int (*open)(int); };\nstatic int a_open(int x) { return x; }\nstatic int b_open(int x) { return -x; }\n';
  it('names the kind of fact changed, not what moved with its lines', () => {
    const before = facts(`${base}static struct ops o = { .open = a_open };\nint f(void)\n{\n\treturn 0;\n}\n`);
    // A line inserted at the top moves every fact below it: only the initializer changed.
    const after = facts(`\n\n${base}static struct ops o = { .open = b_open };\nint f(void)\n{\n\treturn 0;\n}\n`);
    expect(whatChanged(before, after)).toBe('initializers or assignments of function pointers');
    const member = facts(`${base.replace('int (*open)(int);', 'int (*open)(int); void (*close)(int);')}static struct ops o = { .open = a_open };\nint f(void)\n{\n\treturn 0;\n}\n`);
    expect(whatChanged(before, member)).toBe('struct definitions');
  });

  it("names stores of a call's result apart from initializers and assignments", () => {
    const head = 'typedef long ssize_t;\nssize_t g(void);\nssize_t f(void)\n{\n\tssize_t ret = 0;\n';
    const before = facts(`${head}\tret = g();\n\treturn ret;\n}\n`);
    const after = facts(`${head}\tret = g() + 1;\n\treturn ret;\n}\n`);
    expect(before.bindings.some((b) => b.call)).toBe(true);
    expect(whatChanged(before, after)).toBe("stores of a call's result");
  });

  it('names the functions whose linkage, signature or #if condition changed, and how', () => {
    const body = '{\n\treturn x;\n}\n';
    const before = facts(`static int f(int x)\n${body}int g(int x)\n${body}`);
    expect(whatChanged(before, facts(`int f(int x)\n${body}int g(int x)\n${body}`))).toBe('the linkage of f (static to global)');
    expect(whatChanged(before, facts(`static int f(int x)\n${body}static int g(int x)\n${body}`))).toBe('the linkage of g (global to static)');
    expect(whatChanged(before, facts(`static int f(long x)\n${body}int g(int x)\n${body}`))).toBe('the signature of f');
    expect(whatChanged(before, facts(`#ifdef CONFIG_F\nstatic int f(int x)\n${body}#endif\nint g(int x)\n${body}`))).toBe('the #if condition around f');
    expect(whatChanged(before, facts(`int f(int x)\n${body}static int g(int x)\n${body}`))).toBe('the linkage of f (static to global) and g (global to static)');
  });
});
