import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * A user's finding: x86's interrupt and exception entries, defined by the DEFINE_IDTENTRY macros
 * (arch/x86/include/asm/idtentry.h) with their bodies written after them, were indexed as functions
 * named after the macro (`DEFINE_IDTENTRY_RAW_ERRORCODE`), so `exc_page_fault` was an external
 * name and `__sysvec_apic_timer_interrupt` unknown. The Linux profile reads them as definers.
 */
const FAULT_C = `// SPDX-License-Identifier: MIT
struct pt_regs;

static void do_user_addr_fault(struct pt_regs *regs, unsigned long error_code)
{
}

static void handle_page_fault(struct pt_regs *regs, unsigned long error_code)
{
	do_user_addr_fault(regs, error_code);
}

DEFINE_IDTENTRY_RAW_ERRORCODE(exc_page_fault)
{
	handle_page_fault(regs, error_code);
}
`;

const APIC_C = `// SPDX-License-Identifier: MIT
struct pt_regs;

static void local_apic_timer_interrupt(void)
{
}

DEFINE_IDTENTRY_SYSVEC(sysvec_apic_timer_interrupt)
{
	local_apic_timer_interrupt();
}

DEFINE_IDTENTRY(exc_divide_error)
{
	local_apic_timer_interrupt();
}
`;

function tree(): string {
  const { root } = copyFixture('unbuilt');
  mkdirSync(join(root, 'arch/x86/mm'), { recursive: true });
  writeFileSync(join(root, 'arch/x86/mm/fault.c'), FAULT_C);
  writeFileSync(join(root, 'arch/x86/kernel/apic.c'), APIC_C);
  return root;
}

describe('x86 interrupt and exception entries (DEFINE_IDTENTRY*)', () => {
  for (const extractor of ['scan', 'tree-sitter'] as const) {
    it(`are functions of the entry's name with the body after the macro (${extractor})`, async () => {
      const p = await openTree({ root: tree(), cache: false, extractor });
      const callees = (name: string): string[] => p.tree(name, 1, 'callees')[0]!.root.children.map((c) => c.node.name);
      expect(callees('exc_page_fault')).toEqual(['handle_page_fault']);
      expect(p.findPaths({ start: 'exc_page_fault', target: 'do_user_addr_fault' }).paths[0]!.nodes.map((n) => `${n.name} ${n.file}:${n.line}`)).toEqual([
        'exc_page_fault arch/x86/mm/fault.c:13',
        'handle_page_fault arch/x86/mm/fault.c:8',
        'do_user_addr_fault arch/x86/mm/fault.c:4',
      ]);
      // The forms whose body is `__func`'s: that name, and the entry's names it too.
      expect(callees('__sysvec_apic_timer_interrupt')).toEqual(['local_apic_timer_interrupt']);
      expect(callees('sysvec_apic_timer_interrupt')).toEqual(['local_apic_timer_interrupt']);
      expect(callees('exc_divide_error')).toEqual(['local_apic_timer_interrupt']);
      expect(p.index.nodesNamed('DEFINE_IDTENTRY_RAW_ERRORCODE')).toEqual([]);
    });
  }
});
