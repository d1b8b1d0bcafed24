import { describe, expect, it } from 'vitest';
import { SetAsideFacts } from '../../src/cache/set-aside-facts.js';
import { isVariadic, plainlyNamed, signatureMark } from '../../src/index/signature-marks.js';
import { profileOf } from '../../src/resolve/fallback-query.js';
import type { FileFacts, FunctionFact, MacroFact } from '../../src/types/facts.js';

/** A function fact named `name` with this signature text (the rest as the fallback reads it: no parameter, returning void). */
const fn = (name: string, signature: string): FunctionFact => ({ name, line: 1, endLine: 2, signature, returns: 'void', params: [], calls: [] });

/** A file's facts holding these functions, two #include lines, a macro with a body and member calls, one without, and, when given, macro invocations. */
function file(path: string, functions: FunctionFact[], invocations?: FileFacts['invocations']): FileFacts {
  const includes = [{ path: 'linux/kernel.h', system: true, line: 1 }, { path: `local-${path}.h`, system: false, line: 2, cond: 'defined(CONFIG_X)' }];
  const macros: MacroFact[] = [
    { name: 'DEFINE_X', line: 3, params: ['n'], calls: [], body: 'int n(void) { return 0; }', memberCalls: ['(p)->ops->run'] },
    { name: 'plain', line: 4, params: [], calls: [] },
  ];
  return { path, hash: '', parseErrors: 0, functions, macros, structs: [], typedefs: [], globals: [], prototypes: [], bindings: [], includes, fieldAliases: [], ...(invocations ? { invocations } : {}) };
}

describe('signature marks', () => {
  const texts = ['void f(int a)', 'void *f(int a)', 'f(int a)', 'int f(const char *fmt, ...)', 'static void f(struct s *p, ...)', 'struct f_ops *f(void)', 'SYSCALL_DEFINE3(write, unsigned int, fd)'];

  it('read the same two bits from a mark as from the text it stands for', () => {
    for (const signature of texts) {
      const f = fn(signature.startsWith('SYSCALL') ? 'ksys_write' : 'f', signature);
      const marked = { ...f, signature: signatureMark(f) };
      expect([isVariadic(marked), plainlyNamed(marked)], signature).toEqual([isVariadic(f), plainlyNamed(f)]);
      expect(signatureMark(marked)).toBe(marked.signature);
    }
  });

  it('tell a variadic function and one returning nothing apart', () => {
    expect([isVariadic(fn('f', 'int f(const char *fmt, ...)')), plainlyNamed(fn('f', 'void f(int a)')), plainlyNamed(fn('f', 'void *f(int a)')), plainlyNamed(fn('f', 'f(int a)'))]).toEqual([true, true, false, false]);
  });

  it('give the signature fallback the same profile', () => {
    const f = fn('f', 'static void *f(struct s *p, ...)');
    expect(profileOf({ ...f, signature: signatureMark(f) }, () => '')).toEqual(profileOf(f, () => ''));
  });
});

describe('SetAsideFacts', () => {
  /** Many files (more than one block), some with invocations, some with a configured copy of a function. */
  function tree(): FileFacts[] {
    return Array.from({ length: 600 }, (_, i) =>
      file(`f${i}.c`, [fn(`a${i}`, `void a${i}(int x)`), fn(`b${i}`, `int *b${i}(const char *s, ...)`)], i % 7 === 0 ? [{ name: 'DEFINE_X', args: [`x${i}`], line: 3 }] : undefined),
    );
  }

  it('sets aside signatures and invocations, and puts back facts whose JSON is as before', () => {
    const raw = tree();
    const before = JSON.stringify(raw);
    const aside = new SetAsideFacts([raw]);
    expect(raw[0]!.functions[0]!.signature).not.toBe('void a0(int x)');
    expect(raw[0]!.invocations).toBeUndefined();
    expect(raw.map((f) => f.functions.map((g) => [isVariadic(g), plainlyNamed(g)]))).toEqual(tree().map((f) => f.functions.map((g) => [isVariadic(g), plainlyNamed(g)])));
    expect([raw[5]!.includes, raw[5]!.macros[0]!.body, raw[5]!.macros[0]!.memberCalls]).toEqual([undefined, undefined, undefined]);
    expect('body' in raw[5]!.macros[1]!).toBe(false);
    aside.resolved();
    // Put back when the graph is resolved: the directives and the macros; the signatures wait for the save.
    expect([raw[5]!.includes, raw[5]!.macros[0]!.body, raw[5]!.macros[0]!.memberCalls]).toEqual([tree()[5]!.includes, 'int n(void) { return 0; }', ['(p)->ops->run']]);
    expect(raw[0]!.functions[0]!.signature).not.toBe('void a0(int x)');
    aside.restore();
    expect(JSON.stringify(raw)).toBe(before);
    aside.restore();
    expect(JSON.stringify(raw)).toBe(before);
  });

  it('sets aside and puts back the copies a configured view holds too, leaving a file without invocations without the key', () => {
    const raw = tree();
    const copyOf = (f: FileFacts): FileFacts => ({ ...f, functions: [{ ...f.functions[0]!, calls: [] }, f.functions[1]!], macros: [{ ...f.macros[0]!, calls: [] }, f.macros[1]!] });
    const view = raw.map((f, i) => (i % 3 === 0 ? copyOf(f) : f));
    const [rawBefore, viewBefore] = [JSON.stringify(raw), JSON.stringify(view)];
    const aside = new SetAsideFacts([raw, view]);
    expect(view[3]!.functions[0]!.signature).toBe(signatureMark(fn('a3', 'void a3(int x)')));
    expect([view[3]!.invocations, view[3]!.includes, view[3]!.macros[0]!.body]).toEqual([undefined, undefined, undefined]);
    expect('invocations' in raw[1]!).toBe(false);
    aside.restore();
    expect([JSON.stringify(raw), JSON.stringify(view)]).toEqual([rawBefore, viewBefore]);
    // The repeated strings put back are one copy again.
    expect(raw[1]!.includes[0]!.path).toBe(raw[2]!.includes[0]!.path);
    expect('invocations' in raw[1]!).toBe(false);
  });
});
