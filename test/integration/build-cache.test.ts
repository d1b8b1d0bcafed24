import { appendFileSync, cpSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';

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

    // A Makefile edit that moves an answer (an allocator loses its rule) resolves again too; a comment alone does not (cache/build-renew.ts).
    rmSync(join(root, '.config'));
    await openTreeReport({ root, cache });
    appendFileSync(join(root, 'mm/Makefile'), '# edited\n');
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(true);
    writeFileSync(join(root, 'mm/Makefile'), 'obj-$(CONFIG_SLUB) += slub.o\n');
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(false);
  });

  it('reuses the graph when only the mtimes of build files moved (a branch checked out and back, a copy), not when their bytes changed at the same size', async () => {
    await openTreeReport({ root, cache });
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(true);
    const later = new Date(Date.now() + 60_000);
    for (const f of ['Makefile', 'mm/Makefile', 'Kconfig', 'arch/x86/configs/x86_64_defconfig']) utimesSync(join(root, f), later, later);
    const touched = await openTreeReport({ root, cache });
    expect(touched.report.fromGraphCache).toBe(true);
    expect(pciTarget(touched.project)).toEqual(['include/linux/pci.h:10 macro']);
    expect((await openTreeReport({ root, cache })).report.fromGraphCache).toBe(true);
    // A copy of the whole tree: every file and folder has a new mtime (the model lists folders too).
    const copy = join(dir, 'copy');
    cpSync(root, copy, { recursive: true });
    expect((await openTreeReport({ root: copy, cache })).report.fromGraphCache).toBe(true);
    rmSync(copy, { recursive: true });
    // The defconfig with CONFIG_PCI turned off by bytes of the same count: the build changed.
    const defconfig = join(root, 'arch/x86/configs/x86_64_defconfig');
    const text = readFileSync(defconfig, 'utf8');
    expect(text).toContain('CONFIG_PCI=y');
    writeFileSync(defconfig, text.replace('CONFIG_PCI=y', 'CONFIG_PCI=n'));
    utimesSync(defconfig, later, later);
    const changed = await openTreeReport({ root, cache });
    expect(changed.report.fromGraphCache).toBe(false);
    expect(pciTarget(changed.project)).toEqual(['include/linux/pci.h:12']);
  });
});

/**
 * The profile's dispatch tables (the syscall table) are read by the resolution, not parsed: a
 * cached graph holds only while each table holds the bytes it was resolved from.
 */
describe('the graph cache follows the dispatch tables', () => {
  const mini = copyFixture('minikernel');
  const table = join(mini.root, 'arch/x86/entry/syscalls/syscall_64.tbl');
  const miniCache = join(mini.dir, 'cache');
  afterAll(() => rmSync(mini.dir, { recursive: true, force: true }));
  const dispatched = (p: Project): string[] => p.tree('do_syscall_x64', 1, 'callees')[0]!.root.children.map((c) => c.node.name).sort();

  it('resolves again when an entry is taken out of a table, added to it, or the table goes away, and says why', async () => {
    expect(dispatched((await openTreeReport({ root: mini.root, cache: miniCache })).project)).toContain('sys_write');
    const text = readFileSync(table, 'utf8');
    writeFileSync(table, text.replace(/^1\tcommon\twrite.*\n/m, ''));
    const trace: string[] = [];
    const cut = await openTreeReport({ root: mini.root, cache: miniCache, onTrace: (m) => trace.push(m) });
    expect(cut.report.fromGraphCache).toBe(false);
    expect(trace.find((m) => m.startsWith('graph'))).toContain('arch/x86/entry/syscalls/syscall_64.tbl changed');
    expect(dispatched(cut.project)).not.toContain('sys_write');
    await expectSameAsFresh(mini.root, miniCache);

    appendFileSync(table, '1\tcommon\twrite\t\t\tsys_write\n');
    expect(dispatched((await openTreeReport({ root: mini.root, cache: miniCache })).project)).toContain('sys_write');
    await expectSameAsFresh(mini.root, miniCache);

    rmSync(table);
    const gone = await openTreeReport({ root: mini.root, cache: miniCache });
    expect(gone.report.fromGraphCache).toBe(false);
    expect(dispatched(gone.project)).not.toContain('sys_write');
    await expectSameAsFresh(mini.root, miniCache);

    // A table appearing where none was.
    writeFileSync(table, text);
    expect(dispatched((await openTreeReport({ root: mini.root, cache: miniCache })).project)).toContain('sys_write');
    await expectSameAsFresh(mini.root, miniCache);
  });
});
