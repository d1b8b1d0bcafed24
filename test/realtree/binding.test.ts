import { beforeAll, describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { computeStats, openTree, type Project } from '../../src/index.js';

/**
 * The real-kernel tier for binding by name (PATHFIND_LINUX: an unpacked Linux 6.1 tree), under the
 * x86_64 defconfig model: the cases issue 11 found bound to several definitions. Indexes only the
 * folders they cross, with facts.
 */
const tree = process.env.PATHFIND_LINUX;
const parts = ['drivers/net/ethernet/intel/igb', 'drivers/pci', 'include', 'arch/x86/include', 'mm', 'lib'];

describe.skipIf(!tree)('Linux 6.1 binding by name', () => {
  let project: Project;

  beforeAll(async () => {
    project = await openTree({ root: tree!, paths: parts, jobs: 2, facts: true });
  }, 600_000);

  /** The definitions (file, macro mark) a function's calls to `name` bind to. */
  const targets = (caller: string, name: string): string[] => {
    const [t] = project.tree(caller, 1, 'callees');
    return [...new Set(t!.root.children.filter((c) => c.node.name === name).map((c) => `${c.node.file}${c.node.macro ? ' (macro)' : ''}`))].sort();
  };

  it('igb_init_module -> pci_register_driver is the macro of CONFIG_PCI, not the !CONFIG_PCI stub', () => {
    expect(targets('igb_init_module', 'pci_register_driver')).toEqual(['include/linux/pci.h (macro)']);
    const choice = explainEdge(project, 'igb_init_module', 'pci_register_driver').edges[0]!.choice!;
    expect(choice.find((c) => !c.chosen)!.reason).toMatch(/^inactive: .*CONFIG_PCI=y/);
  });

  it('pr_info in igb_main.c is the macro of printk.h, not the one of genl_magic_func.h it never includes', () => {
    expect(targets('igb_init_module', 'pr_info')).toEqual(['include/linux/printk.h (macro)']);
  });

  it('the allocator the defconfig builds: kfree of slab_common.c (not slob.c), kmem_cache_free of slub.c (not slab.c, slob.c); WARN_ON_ONCE once', () => {
    expect(targets('igb_probe', 'kfree')).toEqual(['mm/slab_common.c']);
    expect(targets('radix_tree_node_rcu_free', 'kmem_cache_free')).toEqual(['mm/slub.c']);
    const warns = project.index.nodesNamed('WARN_ON_ONCE').length;
    expect(warns).toBeGreaterThan(1);
    const [t] = project.tree('alloc_nodes_groups', 1, 'callees');
    const calls = t!.root.children.filter((c) => c.node.name === 'WARN_ON_ONCE');
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((c) => `${c.node.file}:${c.node.line}`)).size).toBe(1);
  });

  it('stats: at most 2% of the call sites by name bind to more than one definition', () => {
    const { binding } = computeStats(project);
    expect(binding.percentMultiple).toBeLessThanOrEqual(2);
    expect(binding.multiple).toBeGreaterThan(0);
  });
});
