import { describe, expect, it } from 'vitest';
import { extractFile } from '../../src/parse/extract-file.js';
import { makeNeutraliser } from '../../src/parse/neutralise.js';
import { normaliseCondition, readPreprocessor } from '../../src/parse/preprocessor.js';
import { callRules } from '../../src/parse/rules.js';
import { scanFile } from '../../src/parse/scan/extract-scan.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import type { FileFacts } from '../../src/types/facts.js';

const rules = callRules(linuxProfile);
const extractors: [string, (text: string, path: string) => FileFacts][] = [
  ['scanner', (text, path) => scanFile(path, text, makeNeutraliser(linuxProfile, 'definers'), rules)],
  ['tree-sitter', (text, path) => extractFile(path, text, makeNeutraliser(linuxProfile), rules)],
];

/** A header in the kernel's style: include guard, includes of both kinds, config stubs. */
const HEADER = `/* SPDX: a made-up header */
#ifndef _MY_PCI_H
#define _MY_PCI_H

#include <linux/types.h>
#include "local.h"

#ifdef CONFIG_PCI
#include <linux/pci_regs.h>
int my_pci_probe(int dev);
static inline int my_pci_enabled(void) { return my_pci_probe(0); }
#define my_pci_call(d) my_pci_probe(d)
#else
static inline int my_pci_enabled(void) { return 0; }
#define my_pci_call(d) my_nop(d)
#endif /* CONFIG_PCI */

#if IS_ENABLED(CONFIG_X) && \\
    defined ( Y )
static inline int both(void) { return my_pci_enabled(); }
#elif CONFIG_LEVEL > 2
static inline int level(void) { return 2; }
#ifndef Z
static inline int no_z(void) { return 3; }
#else
static inline int with_z(void) { return 4; }
#endif
#else
static inline int neither(void) { return 5; }
#endif

static inline int plain(void) { return 1; }

#endif /* _MY_PCI_H */
`;

/** A source file: no guard, so its first `#ifndef` is a real condition. */
const SOURCE = `#ifndef CONFIG_SMP
#define CONFIG_SMP_OFF 1
int up_only(void) { return 0; }
#endif
int always(void) { return up_only(); }
`;

describe.each(extractors)('preprocessor facts (%s)', (_, extract) => {
  it('records includes as written, with the condition of one inside #ifdef, and drops the include guard', () => {
    const f = extract(HEADER, 'include/my_pci.h');
    expect(f.includes).toEqual([
      { path: 'linux/types.h', system: true, line: 5 },
      { path: 'local.h', system: false, line: 6 },
      { path: 'linux/pci_regs.h', system: true, line: 9, cond: 'defined(CONFIG_PCI)' },
    ]);
  });

  it('gives each definition and macro the condition of its branch, in normal form', () => {
    const f = extract(HEADER, 'include/my_pci.h');
    const conds = f.functions.map((fn) => [fn.name, fn.line, fn.cond ?? null]);
    expect(conds).toEqual([
      ['my_pci_enabled', 11, 'defined(CONFIG_PCI)'],
      ['my_pci_enabled', 14, '!(defined(CONFIG_PCI))'],
      ['both', 20, 'IS_ENABLED(CONFIG_X) && defined(Y)'],
      ['level', 22, '!(IS_ENABLED(CONFIG_X) && defined(Y)) && (CONFIG_LEVEL > 2)'],
      ['no_z', 24, '!(IS_ENABLED(CONFIG_X) && defined(Y)) && (CONFIG_LEVEL > 2) && !(defined(Z))'],
      ['with_z', 26, '!(IS_ENABLED(CONFIG_X) && defined(Y)) && (CONFIG_LEVEL > 2) && !(!(defined(Z)))'],
      ['neither', 29, '!(IS_ENABLED(CONFIG_X) && defined(Y)) && !(CONFIG_LEVEL > 2)'],
      ['plain', 32, null],
    ]);
    expect(f.macros.map((m) => [m.name, m.cond ?? null])).toEqual([
      ['my_pci_call', 'defined(CONFIG_PCI)'],
      ['my_pci_call', '!(defined(CONFIG_PCI))'],
    ]);
  });

  it('keeps a first #ifndef as a condition when no #define of the same name follows it', () => {
    const f = extract(SOURCE, 'kernel/up.c');
    expect(f.functions.map((fn) => [fn.name, fn.cond ?? null])).toEqual([
      ['up_only', '!(defined(CONFIG_SMP))'],
      ['always', null],
    ]);
    expect(f.includes).toEqual([]);
  });
});

describe('feature macros (readPreprocessor defines)', () => {
  it('records object-like defines whose value is empty, 1 or one identifier (kept), with their condition; not values, strings or function-like macros', () => {
    const src = [
      '#ifndef _ASM_STRING_H',
      '#define _ASM_STRING_H',
      '#define __HAVE_ARCH_MEMSET',
      '#define HAVE_ARCH_BUG 1',
      '#ifdef CONFIG_X86_64',
      '#define arch_memcpy __memcpy /* the arch copy */',
      '#endif',
      '#define REG_CTRL\t\t\t\t\t\t\t\t\t\t0x40',
      '#define NAME "x86"',
      '#define WARN_ONCE(c) (c)',
      '#define QUIET // nothing',
      '#endif',
    ].join('\n');
    expect(readPreprocessor(src).defines).toEqual([
      { name: '__HAVE_ARCH_MEMSET', line: 3 },
      { name: 'HAVE_ARCH_BUG', line: 4 },
      { name: 'arch_memcpy', line: 6, cond: 'defined(CONFIG_X86_64)', value: '__memcpy' },
      { name: 'QUIET', line: 11 },
    ]);
  });

  it('tells a feature value by what is left once comments go, whatever character the value starts with', () => {
    const values = ['0x40', '(1 << 3)', '-1', '2', '1', '10', '1 /* on */', '/* on */ 1', '/* a */ /* b */', '// off', 'FOO', '_foo', 'é', '"x"', "'x'", '\v1', '\f FOO', '\u00a0FOO', '\ufeffFOO', '\u2003FOO', 'FOO BAR', 'FOO /* c', '#x', '1x', '\\'];
    const src = values.map((v, i) => `#define M${i} ${v}`).join('\n');
    const kept = readPreprocessor(src).defines.map((d) => [values[d.line - 1], d.value ?? '']);
    expect(kept).toEqual([
      ['1', ''],
      ['1 /* on */', ''],
      ['/* on */ 1', ''],
      ['/* a */ /* b */', ''],
      ['// off', ''],
      ['FOO', 'FOO'],
      ['_foo', '_foo'],
      ['\v1', ''],
      ['\f FOO', 'FOO'],
      ['\u00a0FOO', 'FOO'],
      ['\ufeffFOO', 'FOO'],
      ['\u2003FOO', 'FOO'],
      ['FOO /* c', 'FOO'],
    ]);
  });
});

describe('normaliseCondition', () => {
  it('collapses white space, drops comments and writes defined as a call', () => {
    expect(normaliseCondition('  defined X ||\tdefined( Y ) /* why */ && !  Z // more')).toBe('defined(X) || defined(Y) && !Z');
    expect(normaliseCondition(' IS_ENABLED( CONFIG_A )\\\n  && B /* goes on')).toBe('IS_ENABLED(CONFIG_A) && B');
  });
});
