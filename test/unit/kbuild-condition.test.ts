import { describe, expect, it } from 'vitest';
import { conditionEvaluator, conditionNames, configEnvironment, evaluateCondition, explainCondition } from '../../src/parse/kbuild/condition.js';
import { parseCondition } from '../../src/parse/kbuild/condition-parse.js';
import { Truth } from '../../src/types/build.js';

/** A kernel-like config: PCI built in, E1000 a module, X86_32 not set, HZ a number, a string option; anything else unknown. */
const values: Record<string, string> = {
  CONFIG_PCI: 'y',
  CONFIG_E1000: 'm',
  CONFIG_X86_32: 'n',
  CONFIG_X86_32_MODULE: 'n',
  CONFIG_PCI_MODULE: 'n',
  CONFIG_HZ: '250',
  CONFIG_HZ_MODULE: 'n',
  CONFIG_PHYS_START: '0x1000000',
  CONFIG_ONE: '1',
  CONFIG_CMDLINE: 'console=ttyS0',
};
const env = configEnvironment((o) => values[o], { __KERNEL__: '1', __GNUC__: '12' }, ['__ASSEMBLY__']);
const t = (cond: string): Truth => evaluateCondition(cond, env);

describe('condition evaluation', () => {
  it('reads defined(), ! and the kernel config tests over y, m and n options', () => {
    expect(t('defined(CONFIG_PCI)')).toBe(Truth.Yes);
    expect(t('!(defined(CONFIG_PCI))')).toBe(Truth.No);
    expect(t('defined CONFIG_PCI')).toBe(Truth.Yes);
    // m: CONFIG_E1000 undefined, CONFIG_E1000_MODULE defined (include/generated/autoconf.h)
    expect(t('defined(CONFIG_E1000)')).toBe(Truth.No);
    expect(t('defined(CONFIG_E1000_MODULE)')).toBe(Truth.Yes);
    expect(t('IS_ENABLED(CONFIG_E1000)')).toBe(Truth.Yes);
    expect(t('IS_MODULE(CONFIG_E1000)')).toBe(Truth.Yes);
    expect(t('IS_BUILTIN(CONFIG_E1000)')).toBe(Truth.No);
    expect(t('IS_BUILTIN(CONFIG_PCI)')).toBe(Truth.Yes);
    expect(t('IS_MODULE(CONFIG_PCI)')).toBe(Truth.No);
    expect(t('IS_REACHABLE(CONFIG_E1000)')).toBe(Truth.Yes);
    expect(t('IS_ENABLED(CONFIG_X86_32)')).toBe(Truth.No);
    expect(t('defined(CONFIG_X86_32_MODULE)')).toBe(Truth.No);
  });

  it('keeps unknown options unknown, in IS_ENABLED too, and a config test of a number option is its value being 1', () => {
    expect(t('defined(CONFIG_FOO)')).toBe(Truth.Unknown);
    expect(t('IS_ENABLED(CONFIG_FOO)')).toBe(Truth.Unknown);
    expect(t('IS_BUILTIN(CONFIG_FOO)')).toBe(Truth.Unknown);
    expect(t('defined(CONFIG_FOO_MODULE)')).toBe(Truth.Unknown);
    expect(t('IS_ENABLED(CONFIG_HZ)')).toBe(Truth.No);
    expect(t('IS_ENABLED(CONFIG_ONE)')).toBe(Truth.Yes);
  });

  it('applies Kleene logic to && || ! and ?:', () => {
    expect(t('defined(CONFIG_FOO) && defined(CONFIG_X86_32)')).toBe(Truth.No);
    expect(t('defined(CONFIG_X86_32) && defined(CONFIG_FOO)')).toBe(Truth.No);
    expect(t('defined(CONFIG_FOO) && defined(CONFIG_PCI)')).toBe(Truth.Unknown);
    expect(t('defined(CONFIG_FOO) || defined(CONFIG_PCI)')).toBe(Truth.Yes);
    expect(t('defined(CONFIG_FOO) || defined(CONFIG_X86_32)')).toBe(Truth.Unknown);
    expect(t('!defined(CONFIG_FOO)')).toBe(Truth.Unknown);
    expect(t('defined(CONFIG_PCI) ? 0 : 1')).toBe(Truth.No);
    expect(t('defined(CONFIG_FOO) ? 1 : 1')).toBe(Truth.Yes);
    expect(t('defined(CONFIG_FOO) ? 1 : 0')).toBe(Truth.Unknown);
  });

  it('computes integer arithmetic and comparisons with C precedence and literal suffixes', () => {
    expect(t('0')).toBe(Truth.No);
    expect(t('1')).toBe(Truth.Yes);
    expect(t('CONFIG_HZ == 250')).toBe(Truth.Yes);
    expect(t('CONFIG_HZ > 300')).toBe(Truth.No);
    expect(t('CONFIG_HZ >= 100 && CONFIG_HZ <= 300')).toBe(Truth.Yes);
    expect(t('CONFIG_PHYS_START == 0x1000000UL')).toBe(Truth.Yes);
    expect(t('010 == 8')).toBe(Truth.Yes);
    expect(t('1ULL << 40 == 0x10000000000')).toBe(Truth.Yes);
    expect(t('1 + 2 * 3 == 7')).toBe(Truth.Yes);
    expect(t('(7 % 4) - 3 != 0')).toBe(Truth.No);
    expect(t('(0xf0 & 0x0f) | (1 ^ 1)')).toBe(Truth.No);
    expect(t('~0 == -1')).toBe(Truth.Yes);
    expect(t('16 >> 4 == 1 && 9 / 2 == 4 && 3 < 4')).toBe(Truth.Yes);
    expect(t('1 / 0')).toBe(Truth.Unknown);
    expect(t('CONFIG_FOO * 0')).toBe(Truth.No);
  });

  it('reads identifiers: undefined ones as 0, predefined with their value, others (macros of the code) unknown', () => {
    expect(t('__KERNEL__')).toBe(Truth.Yes);
    expect(t('__GNUC__ >= 12')).toBe(Truth.Yes);
    expect(t('defined(__ASSEMBLY__)')).toBe(Truth.No);
    expect(t('!defined(__ASSEMBLY__) && __KERNEL__')).toBe(Truth.Yes);
    expect(t('__ASSEMBLY__ + 1 == 1')).toBe(Truth.Yes);
    expect(t('CONFIG_X86_32 == 0')).toBe(Truth.Yes); // a not-set option is an undefined identifier: 0
    expect(t('defined(MY_DRIVER_DEBUG)')).toBe(Truth.Unknown);
    expect(t('BITS_PER_LONG == 64')).toBe(Truth.Unknown);
    expect(t('defined(CONFIG_CMDLINE)')).toBe(Truth.Yes);
    expect(t('CONFIG_CMDLINE == 1')).toBe(Truth.Unknown);
  });

  it('gives Unknown for __has_attribute & co., unknown calls and unparsable text', () => {
    expect(t('__has_attribute(__fallthrough__)')).toBe(Truth.Unknown);
    expect(t('__has_builtin(__builtin_expect) && defined(CONFIG_PCI)')).toBe(Truth.Unknown);
    expect(t('__has_include(<linux/foo.h>) && defined(CONFIG_X86_32)')).toBe(Truth.No);
    expect(t("'a' == 97")).toBe(Truth.Unknown);
    expect(t('(1')).toBe(Truth.Unknown);
    expect(t('1 2')).toBe(Truth.Unknown);
    expect(t('09')).toBe(Truth.Unknown);
    expect(evaluateCondition(undefined, env)).toBe(Truth.Yes);
  });

  it('reads the joined conditions preprocessor.ts writes (#if / #ifdef / #else nesting)', () => {
    expect(t('(CONFIG_HZ > 2) && !(defined(CONFIG_PCI))')).toBe(Truth.No);
    expect(t('!(IS_ENABLED(CONFIG_PCI)) && !(defined(CONFIG_FOO))')).toBe(Truth.No);
    expect(t('!(!(defined(CONFIG_X86_32))) && defined(CONFIG_FOO)')).toBe(Truth.No);
  });

  it('parses each distinct text once and remembers truths per evaluator', () => {
    expect(parseCondition('defined(CONFIG_PCI) && 1')).toBe(parseCondition('defined(CONFIG_PCI) && 1'));
    let asked = 0;
    const counting = configEnvironment((o) => (asked++, values[o]), {}, []);
    const evalOnce = conditionEvaluator(counting);
    expect(evalOnce('defined(CONFIG_PCI)')).toBe(Truth.Yes);
    const after = asked;
    expect(evalOnce('defined(CONFIG_PCI)')).toBe(Truth.Yes);
    expect(asked).toBe(after);
  });
});

describe('explainCondition', () => {
  it('names the options that decide a condition, with their state', () => {
    expect(explainCondition('!(defined(CONFIG_PCI))', env)).toBe('CONFIG_PCI=y');
    expect(explainCondition('defined(CONFIG_X86_32) && IS_ENABLED(CONFIG_FOO)', env)).toBe('CONFIG_X86_32 is not set, CONFIG_FOO unknown');
    expect(explainCondition('IS_MODULE(CONFIG_E1000)', env)).toBe('CONFIG_E1000=m');
    expect(explainCondition('__has_attribute(x) && FOO_DEBUG', env)).toBe('FOO_DEBUG unknown (a macro defined in code), __has_attribute(...) unknown');
    expect(explainCondition('0', env)).toBe('constant');
    expect(explainCondition('(((', env)).toBe('unreadable condition: (((');
  });

  it('lists each name once, in order of appearance', () => {
    expect(conditionNames('defined(CONFIG_A) || (CONFIG_B > 1 && defined(CONFIG_A)) || IS_ENABLED(CONFIG_C)')).toEqual(['CONFIG_A', 'CONFIG_B', 'CONFIG_C']);
  });
});
