import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { explainEdge } from '../../src/api/explain.js';
import { buildBuildModel } from '../../src/index/build-model.js';
import { detectProfile } from '../../src/profiles/index.js';
import { Truth } from '../../src/types/build.js';
import { copyFixture } from '../support/fixtures.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Paths through code Kbuild does not build for the tree's architecture and config
 * (fixtures/unbuilt: a write reaches panic_flush through the tty driver, built, and through an
 * s390 console driver that only arch/s390/Makefile enters, in fewer calls).
 */
const ROOT = 'fixtures/unbuilt';
const S390_WHY = 'not built: folder drivers/s390/ is built for another architecture only (arch/s390/Makefile:3)';
/** The mark of a path's step: made from the build answers kept with the graph (no build model made). */
const MARK = 'not built with arch/x86/configs/x86_64_defconfig';
/** The mark of a pointer step whose every binding is in a file Kbuild does not build. */
const BINDING_MARK = 'bound only in files not built with arch/x86/configs/x86_64_defconfig';

const names = (p: { nodes: { name: string }[] }): string => p.nodes.map((n) => n.name).join(' > ');

describe('paths through code the build leaves out', () => {
  it('the build model: a folder only another architecture enters is not built, and says why', () => {
    const { model } = buildBuildModel(ROOT, detectProfile(ROOT), {});
    expect(model.built('drivers/s390/char/con3215.c')).toBe(Truth.No);
    expect(model.explainBuilt('drivers/s390/char/con3215.c')).toBe(S390_WHY);
    expect(model.built('drivers/tty/tty_io.c')).toBe(Truth.Yes);
  });

  it('a Makefile written with braces (`obj-${CONFIG_USB4} := thunderbolt.o`) names objects as one with parentheses', () => {
    const { root } = copyFixture('unbuilt');
    writeFileSync(join(root, 'drivers/Makefile'), 'obj-$(CONFIG_TTY)\t+= tty/\nobj-y\t\t+= irqchip/ net/ thunderbolt/\n');
    mkdirSync(join(root, 'drivers/thunderbolt'));
    writeFileSync(join(root, 'drivers/thunderbolt/Makefile'), 'obj-${CONFIG_USB4} := thunderbolt.o\nthunderbolt-objs := nhi.o\n');
    writeFileSync(join(root, 'drivers/thunderbolt/nhi.c'), 'int nhi_probe(void)\n{\n\treturn 0;\n}\n');
    writeFileSync(join(root, 'Kconfig'), `${readFileSync(join(root, 'Kconfig'), 'utf8')}\nconfig USB4\n\ttristate "USB4 and Thunderbolt"\n`);
    const { model } = buildBuildModel(root, detectProfile(root), {});
    expect(model.built('drivers/thunderbolt/nhi.c')).toBe(Truth.No);
  });

  it('a folder this architecture enters too is not foreign', () => {
    const { root } = copyFixture('unbuilt');
    writeFileSync(join(root, 'drivers/Makefile'), 'obj-$(CONFIG_TTY)\t+= tty/\nobj-y\t+= s390/\n');
    const { model } = buildBuildModel(root, detectProfile(root), {});
    expect(model.built('drivers/s390/char/con3215.c')).toBe(Truth.Yes);
  });

  it('prefers the path through built code, and marks the functions of the other; explain says why', async () => {
    const p = await openTree({ root: ROOT, facts: true });
    const [first, second] = p.findPaths({ start: 'ksys_write', target: 'panic_flush', k: 2 }).paths;
    expect(names(first!)).toBe('ksys_write > vfs_write > tty_write > tty_flush_all > uart_flush > panic_flush');
    expect(first!.nodes.filter((n) => n.notBuilt)).toEqual([]);
    expect(names(second!)).toBe('ksys_write > vfs_write > raw3215_write > panic_flush');
    expect(second!.nodes.map((n) => n.notBuilt ?? '')).toEqual(['', '', MARK, '']);
    // Only a path through it reaches it: still found, marked.
    const [only] = p.findPaths({ start: 'ksys_write', target: 'raw3215_write' }).paths;
    expect(only!.nodes.at(-1)!.notBuilt).toBe(MARK);
    expect(explainEdge(p, 'vfs_write', 'raw3215_write').notBuilt).toEqual([{ name: 'raw3215_write', file: 'drivers/s390/char/con3215.c', reason: S390_WHY }]);
    expect(explainEdge(p, 'vfs_write', 'tty_write')).not.toHaveProperty('notBuilt');
  });

  it('a pointer step bound only in files the build leaves out costs as much as entering one, and is marked', async () => {
    // The short route of an interrupt goes through the NMI flow handler, bound only by an arm64
    // interrupt controller; the x86 route through handle_fasteoi_irq is three calls longer.
    const p = await openTree({ root: ROOT, facts: true });
    const [first, second] = p.findPaths({ start: 'common_interrupt', target: 'e1000_intr', k: 2 }).paths;
    expect(names(first!)).toBe('common_interrupt > handle_irq > generic_handle_irq_desc > handle_fasteoi_irq > handle_irq_event > handle_irq_event_percpu > __handle_irq_event_percpu > e1000_intr');
    expect(first!.edges.filter((e) => e.unbuiltBinding)).toEqual([]);
    expect(names(second!)).toBe('common_interrupt > handle_irq > generic_handle_irq_desc > handle_percpu_devid_fasteoi_nmi > e1000_intr');
    expect(second!.edges.map((e) => e.unbuiltBinding ?? '')).toEqual(['', '', BINDING_MARK, '']);
    // The function itself is built: only its binding is not.
    expect(second!.nodes.filter((n) => n.notBuilt)).toEqual([]);
  });

  it('a pointer step with one binding in built code too costs nothing more and is not marked', async () => {
    const { root } = copyFixture('unbuilt');
    writeFileSync(join(root, 'arch/x86/kernel/nmi.c'), '#include <linux/irqdesc.h>\n\nvoid x86_nmi_setup(struct irq_desc *desc)\n{\n\tdesc->handle_irq = handle_percpu_devid_fasteoi_nmi;\n}\n');
    writeFileSync(join(root, 'arch/x86/kernel/Makefile'), 'obj-y := setup.o irq.o nmi.o\n');
    const p = await openTree({ root, cache: false });
    const [first] = p.findPaths({ start: 'common_interrupt', target: 'e1000_intr' }).paths;
    expect(names(first!)).toBe('common_interrupt > handle_irq > generic_handle_irq_desc > handle_percpu_devid_fasteoi_nmi > e1000_intr');
    expect(first!.edges.filter((e) => e.unbuiltBinding)).toEqual([]);
  });

  it('the CLI marks a step bound only in unbuilt files in text and JSON, from the index cache too', () => {
    const cli = cliOn('unbuilt');
    for (let run = 0; run < 2; run++) {
      const text = cli('-q', '-s', 'common_interrupt', '-t', 'e1000_intr', '--via', 'handle_percpu_devid_fasteoi_nmi');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`handle_percpu_devid_fasteoi_nmi  include/linux/irqdesc.h:25  [${BINDING_MARK}]  [ops-assignment: drivers/irqchip/irq-gic-v3.c:7 `);
      const json = JSON.parse(cli('-q', '--json', '-s', 'common_interrupt', '-t', 'e1000_intr', '-k', '2').stdout) as { paths: { edges: { to: { name: string }; unbuiltBinding?: string }[] }[] };
      expect(json.paths.map((path) => path.edges.filter((e) => e.unbuiltBinding).map((e) => `${e.to.name}: ${e.unbuiltBinding}`))).toEqual([[], [`handle_percpu_devid_fasteoi_nmi: ${BINDING_MARK}`]]);
    }
  });

  it('callees and callers trees mark what the build leaves out, as paths do, in text and JSON, from the index cache too', () => {
    const cli = cliOn('unbuilt');
    for (let run = 0; run < 2; run++) {
      const callees = cli('-q', 'callees', 'vfs_write', '--depth', '1');
      expect(callees.code).toBe(0);
      expect(callees.stdout).toContain(`raw3215_write  fs/read_write.c:8  [${MARK}]  [ops-initializer:`);
      expect(callees.stdout).toMatch(/tty_write {2}fs\/read_write\.c:8 {2}\[ops-initializer:/);
      const flows = cli('-q', 'callees', 'generic_handle_irq_desc', '--depth', '1');
      expect(flows.stdout).toContain(`handle_percpu_devid_fasteoi_nmi  include/linux/irqdesc.h:25  [${BINDING_MARK}]  [ops-assignment:`);
      expect(flows.stdout).toMatch(/handle_fasteoi_irq {2}include\/linux\/irqdesc\.h:25 {2}\[param-to-field:/);
      // JSON trees are lists of edges: a mark goes with the end it is about.
      type End = { name: string; notBuilt?: string };
      const marks = (name: string): string[] => {
        const json = JSON.parse(cli('-q', '--json', 'callers', name, '--depth', '2').stdout) as { trees: { edges: { from: End; to: End; unbuiltBinding?: string }[] }[] };
        return json.trees.flatMap((t) => t.edges.flatMap((e) => [e.from, e.to].filter((n) => n.notBuilt).map((n) => `${n.name}: ${n.notBuilt}`).concat(e.unbuiltBinding ? [`${e.from.name} -> ${e.to.name}: ${e.unbuiltBinding}`] : [])));
      };
      expect(marks('handle_percpu_devid_fasteoi_nmi')).toEqual([`generic_handle_irq_desc -> handle_percpu_devid_fasteoi_nmi: ${BINDING_MARK}`]);
      // raw3215_write is the caller of one edge and the callee of the next.
      expect(marks('panic_flush')).toEqual([`raw3215_write: ${MARK}`, `raw3215_write: ${MARK}`]);
    }
  });

  it('the CLI marks the step in text and JSON, from the index cache too', () => {
    const cli = cliOn('unbuilt');
    for (let run = 0; run < 2; run++) {
      const text = cli('-q', '-s', 'ksys_write', '-t', 'raw3215_write');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`raw3215_write  fs/read_write.c:8  [${MARK}]  [ops-initializer:`);
      const json = JSON.parse(cli('-q', '--json', '-s', 'ksys_write', '-t', 'panic_flush', '-k', '2').stdout) as { paths: { nodes: { name: string; notBuilt?: string }[] }[] };
      expect(cli('-q', 'explain', 'vfs_write', 'raw3215_write').stdout).toContain(`\nraw3215_write (drivers/s390/char/con3215.c) is ${S390_WHY}\n`);
      expect(json.paths.map((path) => path.nodes.filter((n) => n.notBuilt).map((n) => `${n.name}: ${n.notBuilt}`))).toEqual([[], [`raw3215_write: ${MARK}`]]);
    }
  });
});
