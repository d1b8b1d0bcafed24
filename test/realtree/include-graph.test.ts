import { beforeAll, describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for include closures (PATHFIND_LINUX: an unpacked Linux 6.1 tree).
 * Indexes only the folders the checks cross, with facts, for x86.
 */
const tree = process.env.PATHFIND_LINUX;
const parts = ['drivers/net/ethernet/intel/igb', 'include', 'arch/x86/include', 'net/core'];

describe.skipIf(!tree)('Linux 6.1 include closures', () => {
  let project: Project;
  let id: (path: string) => number;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: parts, jobs: 2, facts: true });
    const ids = new Map(project.index.files.map((f, i) => [f.path, i]));
    id = (p) => {
      const i = ids.get(p);
      if (i === undefined) throw new Error(`${p} is not indexed`);
      return i;
    };
  }, 600_000);

  const igb = 'drivers/net/ethernet/intel/igb/igb_main.c';

  it('igb_main.c sees printk.h and pci.h, not genl_magic_func.h', () => {
    const graph = project.index.includeGraph;
    expect(graph.sees(id(igb), id('include/linux/printk.h'))).toBe(true);
    expect(graph.sees(id(igb), id('include/linux/pci.h'))).toBe(true);
    expect(graph.sees(id(igb), id('include/linux/genl_magic_func.h'))).toBe(false);
  });

  it('of the pr_info definitions, igb_main.c sees the one of printk.h alone', () => {
    const { index } = project;
    const visible = index.nodesNamed('pr_info').filter((n) => index.includeGraph.sees(id(igb), index.nodeFile[n]!)).map((n) => index.file(n));
    expect(index.nodesNamed('pr_info').length).toBeGreaterThan(1);
    expect(visible).toEqual(['include/linux/printk.h']);
  });

  it('net/core/dev.c sees netdevice.h, through a chain of includes starting at dev.c', () => {
    const graph = project.index.includeGraph;
    const dev = id('net/core/dev.c');
    expect(graph.sees(dev, id('include/linux/netdevice.h'))).toBe(true);
    const chain = graph.includedVia(dev, id('include/linux/netdevice.h'))!;
    expect(chain[0]).toBe(dev);
    expect(chain[chain.length - 1]).toBe(id('include/linux/netdevice.h'));
    for (let k = 1; k < chain.length; k++) expect(Array.from(graph.includesOf(chain[k - 1]!))).toContain(chain[k]);
  });

  it('resolves x86 asm headers to arch/x86, and the generic-y ones to include/asm-generic', () => {
    const { index } = project;
    const graph = index.includeGraph;
    const opened = (from: string, name: string): string | undefined => {
      const k = index.files[id(from)]!.includes.findIndex((inc) => inc.path === name);
      const t = graph.includesOf(id(from))[k]!;
      return t >= 0 ? index.files[t]!.path : undefined;
    };
    // include/linux/irqflags.h: #include <asm/irqflags.h> (x86 has its own).
    expect(opened('include/linux/irqflags.h', 'asm/irqflags.h')).toBe('arch/x86/include/asm/irqflags.h');
    expect(opened('include/linux/percpu.h', 'asm/percpu.h')).toBe('arch/x86/include/asm/percpu.h');
    // include/linux/spinlock.h: #include <asm/mmiowb.h>, which x86 does not have (Kbuild generates the wrapper).
    expect(opened('include/linux/spinlock.h', 'asm/mmiowb.h')).toBe('include/asm-generic/mmiowb.h');
    expect(opened('include/linux/kconfig.h', 'generated/autoconf.h')).toBeUndefined();
  });
});
