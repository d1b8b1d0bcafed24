import { describe, expect, it } from 'vitest';
import { openTree, type Project } from '../../src/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture } from '../support/fixtures.js';
import { explainEdge } from '../../src/api/explain.js';
import { computeStats } from '../../src/api/stats.js';
import { renderExplainText } from '../../src/render/text.js';

/**
 * Binding by name under include visibility and the config (fixtures/scope, kernel idioms): the
 * tree's own include graph, Kconfig, Kbuild makefiles and defconfig, or a full config.
 */
const ROOT = 'fixtures/scope';

/** The tree under its defconfig, or `config` (relative to ROOT); `scoped` false: the rule by name alone (no visibility, every definition active). */
async function open(config?: string, scoped = true): Promise<Project> {
  return openTree({ root: ROOT, facts: true, ...(config ? { config: join(ROOT, config) } : {}), ...(scoped ? {} : { bindingScope: () => ({}) }) });
}

/** The callees of `caller` named `name`: `file:line` of each, sorted, with the config-dependent mark. */
function callees(p: Project, caller: string, name: string): string[] {
  const [tree] = p.tree(caller, 1, 'callees');
  return tree!.root.children
    .filter((c) => c.node.name === name)
    .map((c) => `${c.node.file}:${c.node.line}${c.edge!.configDependent ? ' config-dependent' : ''}`)
    .sort();
}

describe('binding by name with include visibility and the defconfig', () => {
  it('binds pr_info to the macro of the header the caller includes, not to one it does not', async () => {
    const p = await open();
    expect(callees(p, 'igb_init_module', 'pr_info')).toEqual(['include/linux/printk.h:7']);
    const unscoped = await open(undefined, false);
    expect(callees(unscoped, 'igb_init_module', 'pr_info')).toHaveLength(2);
  });

  it('binds pci_register_driver to the macro of the active branch, not the static inline stub', async () => {
    const p = await open();
    expect(callees(p, 'igb_init_module', 'pci_register_driver')).toEqual(['include/linux/pci.h:10']);
  });

  it('binds kfree to the file Kbuild builds (obj-$(CONFIG_SLUB))', async () => {
    expect(callees(await open(), 'igb_probe', 'kfree')).toEqual(['mm/slub.c:7']);
  });

  it('keeps both branches of an #ifdef over an unknown option, marked config-dependent', async () => {
    expect(callees(await open(), 'igb_probe', 'igb_sysfs_init')).toEqual(['drivers/net/igb/igb_main.c:16 config-dependent', 'drivers/net/igb/igb_main.c:21 config-dependent']);
  });

  it('counts a macro and a function of one name among the definitions a config-dependent call binds to', async () => {
    const { root } = copyFixture('scope');
    mkdirSync(join(root, 'include/linux'), { recursive: true });
    writeFileSync(join(root, 'include/linux/foo.h'), '#ifdef CONFIG_IGB_HWMON\nvoid foo_real(void);\n#define foo_do() foo_real()\n#else\nstatic inline void foo_do(void) { }\n#endif\n');
    writeFileSync(join(root, 'kernel/foo_user.c'), '#include <linux/foo.h>\nvoid foo_real(void) { }\nvoid foo_user(void) { foo_do(); }\n');
    const p = await openTree({ root, facts: true, cache: false });
    const [tree] = p.tree('foo_user', 1, 'callees');
    expect(tree!.root.children.map((c) => `${c.node.file}:${c.node.line} ${c.edge!.kind} ${c.edge!.configDependent ? `one of ${c.edge!.definitions}` : ''}`).sort()).toEqual([
      'include/linux/foo.h:3 macro one of 2',
      'include/linux/foo.h:5 direct one of 2',
    ]);
  });

  it('breaks a tie between global functions by the prototype seen through the includes', async () => {
    const p = await open();
    expect(callees(p, 'rtl8192_tx', 'ieee80211_xmit')).toEqual(['drivers/staging/rtl8192u/ieee80211_tx.c:3']);
  });

  it('binds by name when no definition is visible, and counts the site', async () => {
    const p = await open();
    expect(callees(p, 'igb_watchdog', 'dev_warn')).toEqual(['include/linux/dev_printk.h:7']);
    const stats = computeStats(p);
    // igb_sysfs_init: two #ifdef branches over an option the defconfig model does not decide.
    // noneVisible: dev_warn, and __WARN_FLAGS called in the body of the generic WARN_ON_ONCE: a macro's body
    // expands in its user's unit, and asm-generic/bug.h itself includes no arch header.
    expect(stats.binding).toMatchObject({ noneVisible: 2, configDependent: 1, multiple: 1 });
  });

  it('decides conditions over macros defined in code in the caller\'s translation unit: the arch\'s WARN_ON_ONCE, not the generic fallback; no memset of lib/string.c where the arch has its own', async () => {
    const p = await open();
    expect(callees(p, 'igb_watchdog', 'WARN_ON_ONCE')).toEqual(['include/asm-generic/bug.h:8']);
    const warn = explainEdge(p, 'igb_watchdog', 'WARN_ON_ONCE').edges[0]!.choice!;
    expect(warn.find((c) => !c.chosen)!.reason).toBe('inactive: !(defined(WARN_ON_ONCE)) with WARN_ON_ONCE defined in code');
    expect(callees(p, 'igb_watchdog', 'memset')).toEqual(['arch/x86/boot/string.c:2']);
    const memset = explainEdge(p, 'igb_watchdog', 'memset').edges[0]!.choice!;
    expect(memset.find((c) => c.file === 'lib/string.c')).toMatchObject({ chosen: false, reason: 'inactive: !(defined(__HAVE_ARCH_MEMSET)) with __HAVE_ARCH_MEMSET defined in code' });
    // Without the translation unit's macros (the rule by name alone) the generic fallback and lib/string.c are taken too.
    const unscoped = await open(undefined, false);
    expect(callees(unscoped, 'igb_watchdog', 'WARN_ON_ONCE')).toHaveLength(2);
  });

  it('explains the choice: one line per same-named definition', async () => {
    const p = await open();
    const pci = explainEdge(p, 'igb_init_module', 'pci_register_driver').edges[0]!.choice!;
    expect(pci.map((c) => `${c.chosen ? '+' : '-'} ${c.file}:${c.line} ${c.reason}`)).toEqual([
      '+ include/linux/pci.h:10 macro included from drivers/net/igb/igb_main.c via include/linux/pci.h',
      '- include/linux/pci.h:12 inactive: !(defined(CONFIG_PCI)) with CONFIG_PCI=y',
    ]);
    const pr = explainEdge(p, 'igb_init_module', 'pr_info').edges[0]!.choice!;
    expect(pr.find((c) => !c.chosen)!.reason).toBe('not included from drivers/net/igb/igb_main.c');
    const kfree = explainEdge(p, 'igb_probe', 'kfree').edges[0]!.choice!;
    expect(kfree.find((c) => !c.chosen)!.reason).toBe('not built: CONFIG_SLAB is not set (mm/Makefile:1)');
  });
});

describe('registration macros', () => {
  it('do_one_initcall reaches what module_init registers, obsolete_checksetup what __setup registers, each with the registration as evidence', async () => {
    const p = await open();
    const [path] = p.findPaths({ start: 'do_one_initcall', target: 'igb_init_module' }).paths;
    expect(path!.edges.map((e) => `${e.from.name}>${e.to.name} ${e.kind} ${e.evidence?.map((b) => `${b.file}:${b.line} ${b.text}`).join(';')}`)).toEqual([
      'do_one_initcall>igb_init_module dispatch-table drivers/net/igb/igb_main.c:56 module_init(igb_init_module)',
    ]);
    const [setup] = p.findPaths({ start: 'obsolete_checksetup', target: 'igb_debug_setup' }).paths;
    expect(setup!.edges.map((e) => e.kind)).toEqual(['dispatch-table']);
  });
});

describe('explain text for a call site bound to several definitions', () => {
  it('names the definition each edge reaches and lists the choice once per call site', async () => {
    const text = renderExplainText(explainEdge(await open(), 'igb_probe', 'igb_sysfs_init'), { color: false });
    const lines = text.split('\n');
    expect(lines.filter((l) => / {2}direct {2}-> drivers\/net\/igb\/igb_main\.c:(16|21) {2}\[one of 2 definitions, config-dependent\]$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => l.trimStart().startsWith('chosen'))).toHaveLength(2);
    // The choice belongs to the call site, not to its first edge: it follows every edge of the site.
    const lastEdge = lines.map((l, i) => (l.includes('  direct  -> ') ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
    const firstChoice = lines.findIndex((l) => l.trimStart().startsWith('chosen'));
    expect(firstChoice).toBeGreaterThan(lastEdge);
    expect(lines[lastEdge + 1]).toBe("    this call site's choice among the definitions of igb_sysfs_init:");
  });
});

describe('binding by name with a full .config', () => {
  it('binds the other branch, the stub and the other allocator when the options are not set', async () => {
    const p = await open('configs/nopci.config');
    expect(callees(p, 'igb_init_module', 'pci_register_driver')).toEqual(['include/linux/pci.h:12']);
    expect(callees(p, 'igb_probe', 'kfree')).toEqual(['mm/slab.c:7']);
    expect(callees(p, 'igb_probe', 'igb_sysfs_init')).toEqual(['drivers/net/igb/igb_main.c:21']);
  });
});
