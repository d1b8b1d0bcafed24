import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * The graph cache and the build: a cached graph is reused only while the build it was resolved
 * under holds (the same --config, no Kconfig, Makefile or config file changed or appeared).
 */
const { dir, root } = copyFixture('scope');
const cache = join(dir, 'cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pciTarget = (p: Project): string[] => {
  const [t] = p.tree('igb_init_module', 1, 'callees');
  return t!.root.children.filter((c) => c.node.name === 'pci_register_driver').map((c) => `${c.node.file}:${c.node.line}${c.node.macro ? ' macro' : ''}`);
};

describe('the graph cache follows the build', () => {
  it('reuses the graph while nothing in the build moved, and resolves again when the config, a Kconfig or a Makefile does', async () => {
    const first = await openTreeReport({ root, cache });
    expect(pciTarget(first.project)).toEqual(['include/linux/pci.h:10 macro']);
    const again = await openTreeReport({ root, cache });
    expect(again.report.fromGraphCache).toBe(true);

    // A .config appears at the root: it replaces the defconfig model.
    writeFileSync(join(root, '.config'), '# CONFIG_PCI is not set\nCONFIG_IGB=y\n');
    const withConfig = await openTreeReport({ root, cache });
    expect(withConfig.report.fromGraphCache).toBe(false);
    expect(withConfig.report.parsed).toBe(0);
    expect(pciTarget(withConfig.project)).toEqual(['include/linux/pci.h:12']);
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(true);

    // --config names another file: a different build.
    const named = await openTreeReport({ root, cache, config: join(root, 'arch/x86/configs/x86_64_defconfig') });
    expect(named.report.fromGraphCache).toBe(false);
    expect(pciTarget(named.project)).toEqual(['include/linux/pci.h:10 macro']);

    // A Makefile edit (the allocator's folder loses its rule) resolves again too.
    rmSync(join(root, '.config'));
    await openTreeReport({ root, cache });
    appendFileSync(join(root, 'mm/Makefile'), '# edited\n');
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(false);
  });
});
