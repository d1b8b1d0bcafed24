import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { openTree, openTreeReport } from '../../src/index.js';
import { editFile } from '../support/edit-files.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * A user's finding on Linux 6.1: kernel/sched/idle.c's `void __weak arch_cpu_idle(void)` was bound
 * from default_idle_call (same file) though arch/x86/kernel/process.c defines arch_cpu_idle without
 * `__weak`. The linker takes the strong definition over a weak one (GCC's `weak` attribute; the
 * kernel's `__weak`, include/linux/compiler_attributes.h), so a call binds the strong one.
 */
function tree(): string {
  const { root } = copyFixture('unbuilt');
  const put = (path: string, text: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('kernel/sched/idle.c', 'void cpu_idle_poll(void)\n{\n}\n\nvoid __weak arch_cpu_idle(void)\n{\n\tcpu_idle_poll();\n}\n\nvoid default_idle_call(void)\n{\n\tarch_cpu_idle();\n}\n\nvoid __attribute__((weak)) arch_cpu_idle_enter(void)\n{\n}\n\nvoid idle_enter(void)\n{\n\tarch_cpu_idle_enter();\n}\n');
  put('kernel/sched/Makefile', 'obj-y := idle.o\n');
  put('kernel/Makefile', 'obj-y := panic.o irq/ sched/\n');
  put('arch/x86/kernel/process.c', 'void x86_idle(void)\n{\n}\n\nvoid arch_cpu_idle(void)\n{\n\tx86_idle();\n}\n');
  put('arch/x86/kernel/Makefile', 'obj-y := setup.o irq.o process.o\n');
  return root;
}

describe('weak definitions', () => {
  for (const extractor of ['scan', 'tree-sitter'] as const) {
    it(`a call binds the strong definition, not a weak one of the caller's own file (${extractor})`, async () => {
      const p = await openTree({ root: tree(), cache: false, extractor });
      const callees = (name: string): string[] => p.tree(name, 1, 'callees')[0]!.root.children.map((c) => `${c.node.name} ${c.node.file}`);
      expect(callees('default_idle_call')).toEqual(['arch_cpu_idle arch/x86/kernel/process.c']);
      // A weak definition with no strong one is the definition.
      expect(callees('idle_enter')).toEqual(['arch_cpu_idle_enter kernel/sched/idle.c']);
      const x = explainEdge(p, 'default_idle_call', 'arch_cpu_idle');
      expect(x.edges[0]!.choice!.find((c) => c.file === 'kernel/sched/idle.c')!.reason).toMatch(/^a weak definition: the strong one at arch\/x86\/kernel\/process\.c:5 overrides it/);
    });
  }

  it('an edit that makes a definition weak, or strong again, gives the index a fresh one gives', async () => {
    const root = tree();
    const cache = join(root, '..', 'cache');
    await openTreeReport({ root, cache });
    const compare = async (): Promise<string[]> => {
      const cached = await openTreeReport({ root, cache });
      const fresh = await openTreeReport({ root, cache: false });
      expect(canonicalGraph(cached.project)).toEqual(canonicalGraph(fresh.project));
      return cached.project.tree('default_idle_call', 1, 'callees')[0]!.root.children.map((c) => c.node.file);
    };
    editFile(root, 'kernel/sched/idle.c', 'void __weak arch_cpu_idle(void)', 'void arch_cpu_idle(void)');
    expect(await compare()).toEqual(['kernel/sched/idle.c']);
    editFile(root, 'arch/x86/kernel/process.c', 'void arch_cpu_idle(void)', 'void __weak arch_cpu_idle(void)');
    expect(await compare()).toEqual(['kernel/sched/idle.c']);
    editFile(root, 'kernel/sched/idle.c', 'void arch_cpu_idle(void)', 'void __weak arch_cpu_idle(void)');
    editFile(root, 'arch/x86/kernel/process.c', 'void __weak arch_cpu_idle(void)', 'void arch_cpu_idle(void)');
    expect(await compare()).toEqual(['arch/x86/kernel/process.c']);
  });
});
