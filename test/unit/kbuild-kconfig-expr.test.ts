import { describe, expect, it } from 'vitest';
import { evalAll, evalKconfig } from '../../src/parse/kbuild/kconfig-expr.js';

const values: Record<string, string> = { CONFIG_Y: 'y', CONFIG_M: 'm', CONFIG_N: 'n', CONFIG_HZ: '250', CONFIG_STR: 'lz4' };
const lookup = (o: string) => values[o];
const tri = (e: string) => evalKconfig(e, lookup, { ARCH: 'x86' }).tri;

describe('Kconfig expressions', () => {
  it('computes tristate logic: && is min, || is max, ! is 2 - x', () => {
    expect([tri('Y'), tri('M'), tri('N'), tri('y'), tri('m'), tri('n')]).toEqual([2, 1, 0, 2, 1, 0]);
    expect([tri('Y && M'), tri('Y || M'), tri('!M'), tri('!Y'), tri('N || (M && Y)')]).toEqual([1, 2, 1, 0, 1]);
  });

  it('compares values as text (= !=) and numbers (< > <= >=)', () => {
    expect([tri('M = m'), tri('M != y'), tri('STR = "lz4"'), tri('HZ > 100'), tri('HZ <= 100'), tri('"$(ARCH)" = "x86"')]).toEqual([2, 2, 2, 2, 0, 2]);
  });

  it('keeps unknowns unknown except where n decides && and y decides ||', () => {
    expect([tri('UNKNOWN'), tri('UNKNOWN && N'), tri('UNKNOWN || Y'), tri('UNKNOWN && Y'), tri('!UNKNOWN'), tri('UNKNOWN = y')]).toEqual([null, 0, 2, null, null, null]);
    expect([tri('"$(CC_VERSION_TEXT)" = "gcc"'), tri('$(success,true)'), tri('Y &&'), tri('')]).toEqual([null, null, null, null]);
    expect(evalAll(['Y', 'M'], lookup)).toBe(1);
    expect(evalAll(['UNKNOWN', 'N'], lookup)).toBe(0);
    expect(evalAll([], lookup)).toBe(2);
  });

  it('gives the text of a value', () => {
    expect(evalKconfig('HZ', lookup).text).toBe('250');
    expect(evalKconfig('"$(ARCH)" != "i386"', lookup, { ARCH: 'x86' }).text).toBe('y');
  });
});
