import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncludeGraph } from '../../src/index/include-graph.js';
import { openTree, type Project } from '../../src/index.js';
import { copyFixture, fixturesDir } from '../support/fixtures.js';

/** fixtures/include-mini: a small tree laid out as the kernel's include folders, indexed for x86. */
describe('include graph of fixtures/include-mini', () => {
  let project: Project;
  let paths: string[];
  const id = (p: string): number => {
    const i = paths.indexOf(p);
    if (i < 0) throw new Error(`${p} is not indexed`);
    return i;
  };
  const closure = (p: string): string[] => Array.from(project.index.includeGraph.closureOf(id(p)), (f) => paths[f]!).sort();

  beforeAll(async () => {
    project = await openTree({ root: join(fixturesDir, 'include-mini'), facts: true });
    paths = project.index.files.map((f) => f.path);
  });

  it('takes x86 as the arch and leaves the other arch folders out', () => {
    expect(project.index.arch).toBe('x86');
    expect(paths).not.toContain('arch/arm/include/asm/barrier.h');
  });

  it('gives a driver the closure a compiler would open for x86: forced includes, <...> on the include path, "..." beside it, asm-generic fallback, through a wrapper header with no definitions', () => {
    expect(closure('drivers/foo/foo_main.c')).toEqual([
      'arch/x86/include/asm/alternative.h',
      'arch/x86/include/asm/barrier.h',
      'arch/x86/include/uapi/asm/types.h',
      'drivers/common/common.h',
      'drivers/foo/foo.h',
      'drivers/foo/foo_main.c',
      'include/asm-generic/barrier.h',
      'include/asm-generic/rwonce.h',
      'include/asm-generic/types.h',
      'include/linux/compiler-version.h',
      'include/linux/compiler.h',
      'include/linux/compiler_attributes.h',
      'include/linux/compiler_types.h',
      'include/linux/kconfig.h',
      'include/linux/kern_levels.h',
      'include/linux/kernel.h',
      'include/linux/mm_types.h',
      'include/linux/pci-iov.h',
      'include/linux/pci.h',
      'include/linux/printk.h',
      'include/linux/sched.h',
      'include/linux/types.h',
      'include/uapi/linux/types.h',
    ]);
  });

  it('shows which definitions of a name a file can see: pr_info of printk.h in the driver, of genl_magic_func.h in bar.c', () => {
    const { index } = project;
    const graph = index.includeGraph;
    const defining = (name: string, caller: string): string[] => index.nodesNamed(name).filter((n) => graph.sees(id(caller), index.nodeFile[n]!)).map((n) => index.file(n));
    expect(index.nodesNamed('pr_info').map((n) => index.file(n)).sort()).toEqual(['include/linux/genl_magic_func.h', 'include/linux/printk.h']);
    expect(defining('pr_info', 'drivers/foo/foo_main.c')).toEqual(['include/linux/printk.h']);
    expect(defining('pr_info', 'kernel/panic.c')).toEqual(['include/linux/printk.h']);
    expect(defining('pr_info', 'drivers/bar/bar.c')).toEqual(['include/linux/genl_magic_func.h']);
    expect(defining('smp_mb', 'kernel/panic.c')).toEqual(['include/asm-generic/barrier.h']);
    expect(defining('barrier', 'drivers/bar/bar.c')).toEqual(['include/linux/compiler_types.h']);
  });

  it('finds a quoted include of a subfolder\'s file in a parent folder (the stand-in for per-folder -I flags)', () => {
    expect(closure('drivers/foo/sub/foo_extra.c')).toContain('drivers/foo/foo.h');
    expect(closure('drivers/foo/sub/foo_extra.c')).toContain('drivers/common/common.h');
  });

  it('explains a visible header by one include chain, through the wrapper header', () => {
    const via = project.index.includeGraph.includedVia(id('kernel/panic.c'), id('include/asm-generic/barrier.h'));
    expect(via?.map((f) => paths[f])).toEqual(['kernel/panic.c', 'include/linux/kernel.h', 'arch/x86/include/asm/barrier.h', 'include/asm-generic/barrier.h']);
    expect(project.index.includeGraph.includedVia(id('kernel/panic.c'), id('include/linux/pci.h'))).toBeNull();
  });

  it('leaves generated and system headers unresolved', () => {
    const { index } = project;
    const unresolved: string[] = [];
    index.files.forEach((f, i) => {
      const targets = index.includeGraph.includesOf(i);
      f.includes.forEach((inc, k) => {
        if (targets[k]! < 0) unresolved.push(`${f.path}: ${inc.path}`);
      });
    });
    expect(unresolved.sort()).toEqual(['drivers/bar/bar.c: stdio.h', 'include/linux/kconfig.h: generated/autoconf.h', 'include/linux/kernel.h: stdarg.h']);
  });

  it('leaves out what a conditional include brings when a graph built with a predicate is installed', () => {
    const { index } = project;
    const foo = id('drivers/foo/foo_main.c');
    const before = index.includeGraph;
    expect(before.sees(foo, id('include/linux/pci-iov.h'))).toBe(true);
    index.useIncludeGraph(IncludeGraph.build(index.files, index.profile, index.arch, (cond) => cond !== 'defined(CONFIG_PCI_IOV)'));
    expect(index.includeGraph.sees(foo, id('include/linux/pci-iov.h'))).toBe(false);
    expect(index.includeGraph.sees(foo, id('include/linux/pci.h'))).toBe(true);
    index.useIncludeGraph(before);
  });

  it('builds the same graph for an index loaded from the graph cache, reading the facts on demand', async () => {
    const { dir, root } = copyFixture('include-mini');
    const cache = join(dir, 'cache');
    await openTree({ root, cache });
    const lazy = await openTree({ root, cache, facts: 'lazy' });
    expect(lazy.index.hasFacts).toBe(false);
    const lazyPaths = lazy.index.files.map((f) => f.path);
    expect(lazyPaths).toEqual(paths);
    for (let f = 0; f < paths.length; f++) expect(Array.from(lazy.index.includeGraph.closureOf(f))).toEqual(Array.from(project.index.includeGraph.closureOf(f)));
  });
});
