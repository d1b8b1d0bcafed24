import { describe, expect, it } from 'vitest';
import { macroFact } from '../../src/parse/extract-macros.js';

const callees = (value: string, params: string[] = []): (string | number | undefined)[] => macroFact('m', params, value, 1, 1).calls.map((c) => c.name ?? c.param);

describe('calls found in a function-like macro body', () => {
  it('reads no callee inside asm statements or attributes', () => {
    expect(callees('__asm__ __volatile__("" : : : "memory")')).toEqual([]);
    expect(callees('asm volatile goto("jmp %l[l]" : : "i"(key) : : l)')).toEqual([]);
    expect(callees('static initcall_t __initcall_##fn __attribute__((__used__, __section__(".initcall" #level))) = fn')).toEqual([]);
  });

  // Linux 6.1's arch/x86/include/asm/irq_stack.h: call_on_stack runs `call %P[__func]` from a template its caller
  // passes, with `[__func] "i" (func)`; so do_softirq_own_stack calls __do_softirq. alternative_call calls either function.
  it('reads a parameter an asm statement takes as an immediate ("i") operand as a call of it, nothing else in the asm', () => {
    const onStack = 'register void *tos asm("r11"); tos = ((void *)(stack)); asm_inline volatile("movq %%rsp, (%[tos])\\n" asm_call "popq %%rsp\\n" : "+r" (tos), ASM_CALL_CONSTRAINT : [__func] "i" (func), [tos] "r" (tos) argconstr : "cc", "memory");';
    expect(macroFact('m', ['stack', 'func', 'asm_call', 'argconstr'], onStack, 1, 5).calls).toEqual([{ line: 5, col: 0, param: 1, args: [] }]);
    expect(callees('asm_inline volatile (ALTERNATIVE("call %P[old]", "call %P[new]", feature) : output : [old] "i" (oldfunc), [new] "i" (newfunc), ## input)', ['oldfunc', 'newfunc', 'feature', 'output', 'input'])).toEqual([0, 1]);
    // An immediate that is no bare parameter, and a parameter in a register operand, are no calls.
    expect(callees('asm volatile("ud2" : : "i" (sizeof(x)), "i" (KEY), "r" (fn), "i" (&(ops.op)))', ['x', 'fn', 'op'])).toEqual([]);
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
