import { describe, expect, it } from 'vitest';
import { macroFact } from '../../src/parse/extract-macros.js';

const callees = (value: string, params: string[] = []): (string | number | undefined)[] => macroFact('m', params, value, 1, 1).calls.map((c) => c.name ?? c.param);

describe('calls found in a function-like macro body', () => {
  it('reads no callee inside asm statements or attributes', () => {
    expect(callees('__asm__ __volatile__("" : : : "memory")')).toEqual([]);
    expect(callees('asm volatile goto("jmp %l[l]" : : "i"(key) : : l)')).toEqual([]);
    expect(callees('static initcall_t __initcall_##fn __attribute__((__used__, __section__(".initcall" #level))) = fn')).toEqual([]);
  });

  it('keeps the calls around them, with their lines', () => {
    const fact = macroFact('m', ['x'], 'do { __asm__ volatile("nop");\\\n\tdo_it(x); } while (0) __attribute__((unused)) x(1)', 1, 3);
    expect(fact.calls.map((c) => [c.name ?? c.param, c.line])).toEqual([
      ['do_it', 4],
      [0, 4],
    ]);
  });
});

describe('pasted names in a macro body', () => {
  it('reads no callee after `##`, with or without spaces around it', () => {
    expect(callees('static int __name ## _open(int inode) { return single_open(inode); }', ['__name'])).toEqual(['single_open']);
    expect(callees('n##_handler(x)', ['n', 'x'])).toEqual([]);
  });
});
