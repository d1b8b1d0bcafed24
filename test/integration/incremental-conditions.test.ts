import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { compareWithFresh, editFile, type EditStep, expectEachPatched, putFile } from '../support/edit-files.js';

/**
 * Edits of code that preprocessor conditions decide. Calls the configuration leaves out (inside an
 * `#ifdef` block it leaves out, or in a function defined under one) are neutral: adding or
 * removing one changes no edge, and is patched (a call added to lkdtm's check_stackleak_irqoff,
 * under CONFIG_GCC_PLUGIN_STACKLEAK, resolved the whole kernel again). Conditions over macros the
 * code defines (`#ifndef io_read_be` before `#define io_read_be`, as lib/iomap.c writes it) are
 * decided with the definitions the graph's record keeps (BuildRecord.macroDefs), each at its
 * line: a definition later in the same file than a test is not seen by it. An edit that moves
 * lines moves those definitions; the patch must decide the edited file's conditions at their new
 * lines, or a macro defined under `#ifndef` of its own name reads as defined before itself and its
 * calls are dropped (which made any edit of lib/iomap.c resolve in full). A file that defines a
 * tested macro anew changes what conditions elsewhere see.
 */

const IO_H = '#ifndef _IO_H\n#define _IO_H\nint io_read(int p);\nint swab(int v);\n#endif\n';
const IO_C = [
  '#include <linux/kernel.h>',
  '#include "io.h"',
  '',
  '#ifndef io_read_be',
  '#define io_read_be(p) swab(io_read(p))',
  '#endif',
  '',
  'int io_read(int p)',
  '{',
  '\treturn p;',
  '}',
  '',
  'int swab(int v)',
  '{',
  '\treturn v;',
  '}',
  '',
  'int ioread_be(int p)',
  '{',
  '\treturn io_read_be(p);',
  '}',
  '',
].join('\n');

async function indexed(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('ifdefcall', 'pathfind-incr-macro-lines-');
  putFile(root, 'drivers/net/io.h', IO_H);
  putFile(root, 'drivers/net/io.c', IO_C);
  putFile(root, 'drivers/net/Makefile', 'obj-y += nic.o\nobj-y += io.o\n');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

const PATCHED: [string, EditStep[]][] = [
  // Calls the configuration leaves out are handed out neutral (index/inactive-calls.ts): adding or removing one changes no edge.
  ['a call added to, then removed from, a function whose whole definition the configuration leaves out (CONFIG_PREEMPT_RT)', [
    ['kernel/softirq.c', '\tsoftirq_lock();\n', '\tsoftirq_lock();\n\tpanic("rt");\n'],
    ['kernel/softirq.c', '\tpanic("rt");\n', ''],
  ]],
  ['a call added inside an #ifdef block of a body that the configuration leaves out', [['kernel/sched/core.c', '\t\tpanic("corrupted stack end detected inside scheduler\\n");\n', '\t\tpanic("corrupted stack end detected inside scheduler\\n");\n\tdump_stack();\n']]],
  ['a line added between the test and the definition', [['drivers/net/io.c', '#ifndef io_read_be\n', '#ifndef io_read_be\n/* the big-endian reader */\n']]],
  ['an #include line added above the macro', [['drivers/net/io.c', '#include <linux/kernel.h>\n', '#include <linux/kernel.h>\n#include <linux/interrupt.h>\n']]],
];

describe('edits of code under preprocessor conditions', () => {
  it('patches a line added above a macro defined under #ifndef of its own name, and keeps its calls', async () => {
    const { root, cache } = await indexed();
    for (const top of ['/* one */\n', '/* two */\n/* three */\n']) {
      editFile(root, 'drivers/net/io.c', '#include <linux/kernel.h>\n', `${top}#include <linux/kernel.h>\n`);
      const { incremental, why, got, want } = await compareWithFresh(root, cache);
      expect(got).toEqual(want);
      expect(incremental, why).toBe(true);
      expect(got.some((line) => line.startsWith('edge io_read_be@') && line.includes('-> swab@')), got.join('\n')).toBe(true);
    }
  });

  for (const [what, steps] of PATCHED) {
    it(`patches ${what}`, async () => {
      const { root, cache } = await indexed();
      await expectEachPatched(root, cache, steps);
    });
  }

  it('equals a fresh index when the edit defines a tested macro before its test', async () => {
    const { root, cache } = await indexed();
    editFile(root, 'drivers/net/io.c', '#ifndef io_read_be\n', '#define io_read_be(p) io_read(p)\n#ifndef io_read_be\n');
    const { got, want } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
  });
});
