import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, openTreeReport, type Project } from '../../src/index.js';
import { compareWithFresh, editFile } from '../support/edit-files.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * A user's finding on Linux 6.1: `BUG_ON` of include/asm-generic/bug.h calls `BUG()`, which that
 * header defines under `#ifndef HAVE_ARCH_BUG`; x86's asm/bug.h defines HAVE_ARCH_BUG and its own
 * `BUG()` before including it. The call in BUG_ON's body was bound once, as the generic header
 * alone sees it (its own BUG, which panics), so every BUG_ON led to panic. A translation unit
 * expanding BUG_ON sees x86's BUG: fixtures/macrounit.
 */
const root = join(import.meta.dirname, '../../fixtures/macrounit');

/** The callees of `name` one level down, as `name file`. */
function callees(p: Project, name: string): string[] {
  return p.tree(name, 1, 'callees')[0]!.root.children.map((c) => `${c.node.name} ${c.node.file}`);
}

describe("a macro body's call binds as the expanding unit sees it", () => {
  for (const extractor of ['scan', 'tree-sitter'] as const) {
    it(`binds BUG_ON's BUG to the architecture's BUG in a file that sees HAVE_ARCH_BUG (${extractor})`, async () => {
      const p = await openTree({ root, cache: false, extractor });
      expect(callees(p, 'tcp_write_timer')).toEqual(['BUG arch/x86/include/asm/bug.h', 'BUG_ON include/asm-generic/bug.h', 'memset arch/x86/include/asm/string_64.h']);
      expect(p.findPaths({ start: 'tcp_write_timer', target: 'panic' }).paths).toEqual([]);
      expect(p.findPaths({ start: 'tcp_write_timer', target: 'trap_ud2' }).paths[0]!.nodes.map((n) => `${n.name} ${n.file}`)).toEqual([
        'tcp_write_timer net/ipv4/tcp_timer.c',
        'BUG arch/x86/include/asm/bug.h',
        'trap_ud2 arch/x86/kernel/traps.c',
      ]);
    });
  }

  it("makes no edge from the macro itself to a definition the expanding units decide", async () => {
    const p = await openTree({ root, cache: false });
    expect(callees(p, 'BUG_ON')).toEqual([]);
  });

  it('explains the choice with each candidate as the expanding file sees it', async () => {
    const p = await openTree({ root, cache: false });
    const [edge] = explainEdge(p, 'tcp_write_timer', 'BUG').edges;
    expect(edge!.evidence!.map((b) => b.text)).toEqual(['BUG called in the body of BUG_ON (include/asm-generic/bug.h:11), expanded here: bound in net/ipv4/tcp_timer.c']);
    expect(edge!.choice!.map((c) => `${c.chosen ? 'chosen' : 'left out'} ${c.file}:${c.line} ${c.reason}`)).toEqual([
      'chosen arch/x86/include/asm/bug.h:8 macro included from net/ipv4/tcp_timer.c via include/linux/bug.h, arch/x86/include/asm/bug.h',
      'left out include/asm-generic/bug.h:8 inactive: !(defined(HAVE_ARCH_BUG)) with HAVE_ARCH_BUG defined in code',
    ]);
  });

  it('binds the generic BUG where the unit does not see HAVE_ARCH_BUG', async () => {
    const { root: tree } = copyFixture('macrounit', 'pathfind-macrounit-');
    editFile(tree, 'arch/x86/include/asm/bug.h', '#define HAVE_ARCH_BUG\n', '');
    const p = await openTree({ root: tree, cache: false });
    expect(p.findPaths({ start: 'tcp_write_timer', target: 'panic' }).paths[0]!.nodes.map((n) => n.name)).toEqual(['tcp_write_timer', 'BUG', 'panic']);
  });
});

describe("a macro body's call bound per unit, cached", () => {
  it('follows edits of the caller, of the macro and of its headers as a fresh index does', async () => {
    const { dir, root: tree } = copyFixture('macrounit', 'pathfind-macrounit-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: tree, cache });
    const step = async (what: string, claimed: boolean): Promise<void> => {
      const r = await compareWithFresh(tree, cache);
      expect(r.got, what).toEqual(r.want);
      if (claimed) expect(r.incremental, `${what}: ${r.why}`).toBe(true);
    };
    editFile(tree, 'net/ipv4/tcp_timer.c', '\tsk->state = 0;\n', '\tsk->state = 0;\n\tBUG_ON(sk->state);\n');
    await step('a second expansion in the caller', true);
    editFile(tree, 'net/ipv4/tcp_timer.c', '\tBUG_ON(!sk);\n', '');
    await step('an expansion removed', true);
    editFile(tree, 'arch/x86/include/asm/bug.h', '#define HAVE_ARCH_BUG\n', '');
    await step('the architecture no longer says it has its own BUG', false);
    editFile(tree, 'arch/x86/include/asm/bug.h', '#define BUG()', '#define HAVE_ARCH_BUG\n#define BUG()');
    await step('and says so again', false);
    editFile(tree, 'include/asm-generic/bug.h', 'if (condition) BUG();', 'if (condition) { BUG(); panic("twice"); }');
    await step("the macro's body calls more", false);
  });
});

/**
 * A user's finding: `DEFINE_IDTENTRY_SYSVEC(sysvec_apic_timer_interrupt) { ... }` defines the entry
 * (the macro's body: the entry hooks around a call of `__sysvec_apic_timer_interrupt` on the IRQ
 * stack) and opens `__sysvec_apic_timer_interrupt`, whose body is written after the invocation.
 * Both were one function (the entry an alias of the handler), so the entry's own calls were
 * missing. fixtures/macrounit's arch/x86/include/asm/idtentry.h mimics the forms.
 */
describe('a macro heading a function defines the functions its body makes before the head', () => {
  for (const extractor of ['scan', 'tree-sitter'] as const) {
    it(`makes the entry a function of its own, at the invocation, calling the handler on the IRQ stack (${extractor})`, async () => {
      const p = await openTree({ root, cache: false, extractor });
      expect(callees(p, 'sysvec_apic_timer_interrupt')).toEqual(['instr_sysvec_apic_timer_interrupt arch/x86/kernel/apic.c', 'irqentry_enter kernel/entry/common.c', 'irqentry_exit kernel/entry/common.c']);
      expect(callees(p, 'instr_sysvec_apic_timer_interrupt')).toEqual(['__sysvec_apic_timer_interrupt arch/x86/kernel/apic.c', 'run_sysvec_on_irqstack_cond arch/x86/include/asm/irq_stack.h']);
      expect(callees(p, '__sysvec_apic_timer_interrupt')).toEqual(['local_apic_timer_interrupt arch/x86/kernel/apic.c']);
      expect(p.nodes('sysvec_apic_timer_interrupt').map((n) => `${p.index.name(n)} ${p.index.file(n)}:${p.index.nodeLine[n]}`)).toEqual(['sysvec_apic_timer_interrupt arch/x86/kernel/apic.c:16']);
      expect(p.findPaths({ start: 'sysvec_apic_timer_interrupt', target: 'local_apic_timer_interrupt' }).paths[0]!.nodes.map((n) => n.name)).toEqual([
        'sysvec_apic_timer_interrupt',
        'instr_sysvec_apic_timer_interrupt',
        // The handler is passed to the IRQ-stack switch, which passes it on to the one calling it.
        'run_sysvec_on_irqstack_cond',
        'call_on_irqstack_cond',
        '__sysvec_apic_timer_interrupt',
        'local_apic_timer_interrupt',
      ]);
      // The other forms: with a vector, and the plain one; the raw form heads the entry itself.
      expect(callees(p, 'common_interrupt')).toEqual(['__common_interrupt arch/x86/kernel/apic.c', 'irqentry_enter kernel/entry/common.c', 'irqentry_exit kernel/entry/common.c', 'run_irq_on_irqstack_cond arch/x86/include/asm/irq_stack.h']);
      expect(callees(p, '__common_interrupt')).toEqual(['handle_irq arch/x86/kernel/apic.c']);
      expect(callees(p, 'exc_divide_error')).toEqual(['__exc_divide_error arch/x86/kernel/apic.c', 'irqentry_enter kernel/entry/common.c', 'irqentry_exit kernel/entry/common.c']);
      expect(callees(p, 'exc_int3')).toEqual(['handle_irq arch/x86/kernel/apic.c']);
    });
  }

  it('follows edits of the handler, of the invocation and of the macro as a fresh index does', async () => {
    const { dir, root: tree } = copyFixture('macrounit', 'pathfind-macrounit-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root: tree, cache });
    const step = async (what: string): Promise<void> => {
      const r = await compareWithFresh(tree, cache);
      expect(r.got, what).toEqual(r.want);
    };
    editFile(tree, 'arch/x86/kernel/apic.c', '{\n\tlocal_apic_timer_interrupt();\n}\n\nDEFINE_IDTENTRY_IRQ', '{\n\tlocal_apic_timer_interrupt();\n\thandle_irq(0);\n}\n\nDEFINE_IDTENTRY_IRQ');
    await step("the handler's body");
    editFile(tree, 'arch/x86/kernel/apic.c', 'DEFINE_IDTENTRY_IRQ(common_interrupt)', 'DEFINE_IDTENTRY_SYSVEC(common_interrupt)');
    await step('another form invoked');
    editFile(tree, 'arch/x86/include/asm/idtentry.h', '\tinstr_##func(regs);\t', '\tirq_enter_rcu();\t\t\t\t\t\t\\\n\tinstr_##func(regs);\t');
    await step("the macro's entry calls more");
  });
});

/**
 * A user's finding: memset on x86. lib/string.c's is under `#ifndef __HAVE_ARCH_MEMSET`, the KASAN
 * macro of asm/string_64.h under a config that is off, mm/kasan is not built: every C candidate is
 * inactive, and explain said lib/string.c's was "shadowed by the macro". The one linked is
 * written in assembly (arch/x86/lib/memset_64.S), which explain now names.
 */
describe('a call whose every C definition is inactive', () => {
  it("explains each candidate by its own inactivity and names the built assembly definition", async () => {
    const p = await openTree({ root, cache: false });
    const [edge] = explainEdge(p, 'tcp_write_timer', 'memset').edges;
    expect(edge!.choice!.map((c) => `${c.chosen ? 'chosen' : c.assembly ? 'assembly' : 'left out'} ${c.file}:${c.line} ${c.reason.replace(/ via .*;/, ';')}`)).toEqual([
      'chosen arch/x86/include/asm/string_64.h:11 macro included from net/ipv4/tcp_timer.c; inactive: defined(CONFIG_KASAN) && !defined(__SANITIZE_ADDRESS__) with CONFIG_KASAN is not set, __SANITIZE_ADDRESS__ unknown (a macro defined in code) (no active definition is indexed)',
      'left out lib/string.c:5 inactive: !(defined(__HAVE_ARCH_MEMSET)) with __HAVE_ARCH_MEMSET defined in code',
      'left out mm/kasan/shadow.c:5 not built: CONFIG_KASAN is not set (mm/Makefile:1)',
      'assembly arch/x86/lib/memset_64.S:9 defined in assembly (SYM_FUNC_ALIAS_WEAK), built: no C definition is active, so the call links to it',
    ]);
  });

  // A user's finding on Linux 6.1: arch/x86/boot/string.h and asm/string_32.h define memset macros
  // no unit of the kernel proper includes; being active where they are included, they kept
  // explain from seeing that every definition the call can bind is inactive.
  it('names the assembly definition when the only active C ones are macros the caller does not include', async () => {
    const { root: tree } = copyFixture('macrounit', 'pathfind-macrounit-');
    writeFileSync(join(tree, 'arch/x86/include/asm/string_32.h'), '#define memset(s, c, n) __builtin_memset(s, c, n)\n');
    const p = await openTree({ root: tree, cache: false });
    const [edge] = explainEdge(p, 'tcp_write_timer', 'memset').edges;
    expect(edge!.choice!.filter((c) => c.chosen || c.assembly).map((c) => `${c.file}:${c.line}`)).toEqual(['arch/x86/include/asm/string_64.h:11', 'arch/x86/lib/memset_64.S:9']);
    expect(edge!.choice!.find((c) => c.file.endsWith('string_32.h'))!.reason).toBe('not included from net/ipv4/tcp_timer.c');
  });

  it('names no assembly definition while a C one is active', async () => {
    const { root: tree } = copyFixture('macrounit', 'pathfind-macrounit-');
    editFile(tree, 'arch/x86/include/asm/string_64.h', '#define __HAVE_ARCH_MEMSET\n', '');
    const p = await openTree({ root: tree, cache: false });
    const [edge] = explainEdge(p, 'tcp_write_timer', 'memset').edges;
    expect(edge!.choice!.filter((c) => c.chosen || c.assembly).map((c) => `${c.file}:${c.line}`)).toEqual(['lib/string.c:5']);
  });
});
