import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import { verifyClaims } from '../../src/check/verify.js';
import { openTree, type Project } from '../../src/index.js';

/**
 * A user's finding on Linux 6.1: in an x86 interrupt's stack trace, `common_interrupt ->
 * __common_interrupt` was neither confirmed nor questioned. common_interrupt was assembly before
 * Linux 5.8 (arch/x86/entry/entry_64.S) and check skipped it as entry code; since then
 * DEFINE_IDTENTRY_IRQ(common_interrupt) makes it a C function (arch/x86/kernel/irq.c), which a
 * stack step into or out of is checked like any other. In a tree that defines no such C
 * function (an older kernel) the name stays entry code and claims nothing.
 */
const macrounit = join(import.meta.dirname, '../../fixtures/macrounit');
let withC: Project;
let withoutC: Project;
beforeAll(async () => {
  withC = await openTree({ root: macrounit, jobs: 1, cache: false });
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-entry-frames-'));
  mkdirSync(join(dir, 'arch/x86/kernel'), { recursive: true });
  writeFileSync(join(dir, 'arch/x86/kernel/irq.c'), 'void handle_edge(int irq)\n{\n}\nint do_IRQ(int irq)\n{\n\thandle_edge(irq);\n\treturn 1;\n}\n');
  withoutC = await openTree({ root: dir, jobs: 1, cache: false });
});

const check = (p: Project, text: string): { steps: number; findings: string[] } => {
  const r = verifyClaims(p, readDocument('oops.log', text), ['oops.log']);
  return { steps: r.steps, findings: r.findings.map((f) => `${f.severity}: ${f.rule}: ${f.message.split(';')[0]}`) };
};

describe('a stack frame named like pre-5.8 x86 entry code', () => {
  it('checks the step when the tree defines the name in C', () => {
    const trace = 'Call Trace:\n <IRQ>\n handle_irq+0x10/0x20\n __common_interrupt+0x30/0x40\n common_interrupt+0x50/0x60\n asm_common_interrupt+0x1e/0x40\n';
    expect(check(withC, trace)).toEqual({ steps: 2, findings: [] });
  });

  it('calls a wrong step out of such a frame broken', () => {
    const r = check(withC, 'Call Trace:\n <IRQ>\n local_apic_timer_interrupt+0x10/0x20\n common_interrupt+0x50/0x60\n asm_common_interrupt+0x1e/0x40\n');
    expect(r.steps).toBe(1);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatch(/^error: broken-call: common_interrupt does not call local_apic_timer_interrupt/);
  });

  it('claims nothing of the name where the tree defines it in no C file', () => {
    expect(check(withoutC, 'Call Trace:\n handle_edge+0x10/0x20\n do_IRQ+0x30/0x40\n common_interrupt+0xf/0xf\n')).toEqual({ steps: 1, findings: [] });
  });
});
