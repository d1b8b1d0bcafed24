import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../support/fixtures.js';
import { cliOn, runCli } from '../support/run-cli.js';

/**
 * What the build leaves out is marked wherever a chain or a picture shows it, not only on paths
 * and trees (fixtures/unbuilt: vfs_write's `.write` is tty_write, built, or raw3215_write of an
 * s390 console driver only arch/s390/Makefile enters; the NMI flow handler is bound only by an
 * arm64 interrupt controller).
 */
const MARK = 'not built with arch/x86/configs/x86_64_defconfig';
const BINDING_MARK = 'bound only in files not built with arch/x86/configs/x86_64_defconfig';

type End = { name: string; notBuilt?: string };

describe('marks of unbuilt code in chains and pictures', () => {
  it("explain marks the functions and pointer steps the build leaves out: its nearest path, and each call it lists, in text and JSON", () => {
    // Callers that keep their frames (a call then more work), so explain offers the nearest path.
    const { root, dir } = copyFixture('unbuilt');
    writeFileSync(join(root, 'fs/kernel_write.c'), '#include <linux/fs.h>\n\nstatic long written;\n\nstatic void file_start_write(struct file *file)\n{\n\twritten++;\n}\n\nssize_t kernel_write(struct file *file, const char *buf, size_t count)\n{\n\tssize_t ret;\n\n\tfile_start_write(file);\n\tret = vfs_write(file, buf, count);\n\twritten += ret;\n\treturn ret;\n}\n');
    // In a file of its own: a short function called from its own file may be inlined.
    writeFileSync(join(root, 'fs/coredump.c'), '#include <linux/fs.h>\n\nssize_t kernel_write(struct file *file, const char *buf, size_t count);\nstatic long emitted;\n\nssize_t dump_emit(struct file *file, const char *buf, size_t count)\n{\n\tssize_t n = kernel_write(file, buf, count);\n\n\temitted += n;\n\treturn n;\n}\n');
    writeFileSync(join(root, 'fs/Makefile'), 'obj-y := read_write.o kernel_write.o coredump.o\n');
    writeFileSync(join(root, 'arch/x86/kernel/entry.c'), '#include <linux/irqdesc.h>\n\nvoid common_interrupt(struct irq_desc *desc);\nvoid irq_enter(void);\n\nvoid do_irq(struct irq_desc *desc)\n{\n\tirq_enter();\n\tcommon_interrupt(desc);\n\tdesc->irq = 0;\n}\n');
    writeFileSync(join(root, 'arch/x86/kernel/entry_64.c'), '#include <linux/irqdesc.h>\n\nvoid do_irq(struct irq_desc *desc);\n\nvoid irq_entry(struct irq_desc *desc)\n{\n\tunsigned int irq = desc->irq;\n\n\tdo_irq(desc);\n\tdesc->irq = irq;\n}\n');
    writeFileSync(join(root, 'arch/x86/kernel/Makefile'), 'obj-y := setup.o irq.o entry.o entry_64.o\n');
    const cli = (...args: string[]) => runCli('--cache', join(dir, 'cache'), '-C', root, ...args);
    for (let run = 0; run < 2; run++) {
      const text = cli('-q', 'explain', 'dump_emit', 'raw3215_write');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('dump_emit reaches raw3215_write in 3 calls, 1 of them through pointers: dump_emit -> kernel_write -> vfs_write -> raw3215_write [not built]\n');
      expect(text.stdout).toContain('\nraw3215_write (drivers/s390/char/con3215.c) is not built: folder drivers/s390/ is built for another architecture only (arch/s390/Makefile:3)\n');
      const irq = cli('-q', 'explain', 'irq_entry', 'handle_percpu_devid_fasteoi_nmi');
      expect(irq.stdout).toContain('-> generic_handle_irq_desc -> handle_percpu_devid_fasteoi_nmi [bound only in files not built]\n');
      const json = JSON.parse(cli('-q', '--json', 'explain', 'dump_emit', 'raw3215_write').stdout) as { nearestPath: { from: End; to: End }[] };
      expect(json.nearestPath.map((e) => `${e.from.name}:${e.from.notBuilt ?? ''} ${e.to.name}:${e.to.notBuilt ?? ''}`)).toEqual(['dump_emit: kernel_write:', 'kernel_write: vfs_write:', `vfs_write: raw3215_write:${MARK}`]);
      const irqJson = JSON.parse(cli('-q', '--json', 'explain', 'irq_entry', 'handle_percpu_devid_fasteoi_nmi').stdout) as { nearestPath: { to: End; unbuiltBinding?: string }[] };
      expect(irqJson.nearestPath.map((e) => e.unbuiltBinding ?? '')).toEqual(['', '', '', '', BINDING_MARK]);
      // The calls explain lists (here those of a chain a trace folds) carry the marks a path's steps do.
      const folded = cli('-q', 'explain', 'ksys_write', 'raw3215_write').stdout;
      expect(folded).toContain(`fs/read_write.c:8  vfs_write -> raw3215_write  ops-initializer  [${MARK}]\n`);
      expect(cli('-q', 'explain', 'handle_irq', 'handle_percpu_devid_fasteoi_nmi').stdout).toContain(`generic_handle_irq_desc -> handle_percpu_devid_fasteoi_nmi  ops-assignment  [${BINDING_MARK}]\n`);
    }
  });

  it('a chain a trace folds goes through built code only, though longer', () => {
    const cli = cliOn('unbuilt');
    const text = cli('-q', 'explain', 'vfs_write', 'panic_flush').stdout;
    expect(text.split('\n').filter((l) => l.includes(' -> ')).map((l) => l.trim().split(/ {2}/)[1])).toEqual(['vfs_write -> tty_write', 'tty_write -> tty_flush_all', 'tty_flush_all -> uart_flush', 'uart_flush -> panic_flush']);
    // With no such chain through built code (tty_write keeps its frame: calls on two lines), explain offers the nearest path, which prefers built code too.
    const { root, dir } = copyFixture('unbuilt');
    writeFileSync(join(root, 'drivers/tty/tty_io.c'), readFileSync(join(root, 'drivers/tty/tty_io.c'), 'utf8').replace('\ttty_flush_all();\n', '\ttty_flush_all();\n\ttty_audit_add(count);\n'));
    const copy = runCli('--cache', join(dir, 'cache'), '-C', root, '-q', 'explain', 'vfs_write', 'panic_flush').stdout;
    expect(copy).not.toContain('raw3215_write');
    expect(copy).toContain('vfs_write reaches panic_flush in 4 calls, 1 of them through pointers: vfs_write -> tty_write -> tty_flush_all -> uart_flush -> panic_flush\n');
  });

  it("explain's note of a path longer than its nearest path names the unbuilt functions on it", () => {
    // A chain of 9 plain calls through functions that keep their frames (7 lines each, work after each call), the last in the s390 folder: past explain's nearest path.
    const { root, dir } = copyFixture('unbuilt');
    const chain = Array.from({ length: 8 }, (_, i) => `void hop${i}(void)\n{\n\thop${i + 1}();\n\thop_count++;\n\thop_count *= 2;\n\thop_count--;\n}\n`).join('');
    writeFileSync(join(root, 'fs/hops.c'), `int hop_count;\nvoid hop8(void);\n${Array.from({ length: 8 }, (_, i) => `void hop${i + 1}(void);\n`).join('')}${chain}`);
    writeFileSync(join(root, 'drivers/s390/char/hop8.c'), 'void raw3215_note(void);\nvoid hop8(void)\n{\n\traw3215_note();\n\thop8_count();\n}\n');
    writeFileSync(join(root, 'drivers/s390/char/Makefile'), readFileSync(join(root, 'drivers/s390/char/Makefile'), 'utf8').replace(/\n?$/, '\nobj-y += hop8.o\n'));
    writeFileSync(join(root, 'fs/Makefile'), `${readFileSync(join(root, 'fs/Makefile'), 'utf8').trimEnd()} hops.o\n`);
    writeFileSync(join(root, 'kernel/note.c'), 'void raw3215_note(void)\n{\n}\n');
    const cli = (...args: string[]) => runCli('--cache', join(dir, 'cache'), '-C', root, ...args);
    const text = cli('-q', 'explain', 'hop0', 'raw3215_note').stdout;
    // A fresh user's finding: the hint named --built-only as if explain took it; it is the path query's option.
    expect(text).toContain(`hop0 reaches raw3215_note only in more than 8 calls (9 on the shortest path, through hop8 [not built])\n  pathfind -s hop0 -t raw3215_note shows each step's call site; add --built-only for a path through built code\n`);
    const json = JSON.parse(cli('-q', '--json', 'explain', 'hop0', 'raw3215_note').stdout) as { fartherPath: unknown };
    expect(json.fartherPath).toEqual({ calls: 9, beyond: 8, notBuilt: ['hop8'] });
  });

  it('a callers or callees tree marks its root when the build leaves it out', () => {
    const cli = cliOn('unbuilt');
    expect(cli('-q', 'callers', 'raw3215_write').stdout).toMatch(/^raw3215_write {2}defined at drivers\/s390\/char\/con3215\.c:4 {2}\[not built with arch\/x86\/configs\/x86_64_defconfig\] {2}called by:\n/);
  });

  it('a stack step folds only functions the build makes: a chain a trace folds through unbuilt code breaks the step', () => {
    // tty_write keeps its frame (calls on two lines): the one chain vfs_write -> panic_flush that folds is the s390 console's.
    const { root, dir } = copyFixture('unbuilt');
    writeFileSync(join(root, 'drivers/tty/tty_io.c'), readFileSync(join(root, 'drivers/tty/tty_io.c'), 'utf8').replace('\ttty_flush_all();\n', '\ttty_flush_all();\n\ttty_audit_add(count);\n'));
    writeFileSync(join(dir, 'oops.log'), 'Call Trace:\n <TASK>\n panic_flush+0x10/0x20\n vfs_write+0x30/0x40\n ksys_write+0x50/0x60\n </TASK>\n');
    const r = runCli('--cache', join(dir, 'cache'), '-C', root, 'check', join(dir, 'oops.log'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('vfs_write does not call panic_flush');
    expect(r.stdout).toContain('panic_flush is 4 calls away, 1 of them through pointers: vfs_write -> tty_write -> tty_flush_all -> uart_flush -> panic_flush\n');
    // The unmodified fixture's tty chain folds (each function a tail call or a static one of its file): the step holds.
    writeFileSync(join(dir, 'built.log'), 'Call Trace:\n <TASK>\n panic_flush+0x10/0x20\n vfs_write+0x30/0x40\n </TASK>\n');
    expect(cliOn('unbuilt')('check', join(dir, 'built.log')).code).toBe(0);
  });

  it("check's current path of a broken step marks what the build leaves out", () => {
    const cli = cliOn('unbuilt');
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-unbuilt-check-'));
    writeFileSync(join(dir, 'doc.md'), '# Writes\n\n```pathfind\nksys_write -> raw3215_write\n```\n');
    const r = cli('check', join(dir, 'doc.md'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('now ksys_write -> vfs_write -> raw3215_write [not built]');
  });

  it('pictures mark what the build leaves out and keep built functions first under --max-nodes', () => {
    const cli = cliOn('unbuilt');
    for (let run = 0; run < 2; run++) {
      // Both .write targets: the s390 one is drawn grey, named so in its label's second line and its tooltip, and counted in the caption.
      const both = cli('-q', 'callees', 'vfs_write', '--depth', '1', '--format', 'dot');
      expect(both.code).toBe(0);
      const node = (name: string): string => both.stdout.split('\n').find((l) => l.includes(`label="${name}`))!;
      expect(node('raw3215_write')).toMatch(/label="raw3215_write( \+)?\\nnot built"/);
      expect(node('raw3215_write')).toContain(`[${MARK}]`);
      expect(node('raw3215_write')).toMatch(/class="[^"]*\bnot-built"/);
      expect(node('tty_write')).not.toContain('not built');
      expect(both.stdout).toContain('1 not built with arch/x86/configs/x86_64_defconfig (grey)');
      // One node beside the root: the built target, though the other comes first by name.
      const one = cli('-q', 'callees', 'vfs_write', '--depth', '1', '--format', 'dot', '--max-nodes', '2');
      expect(one.stdout).toContain('label="tty_write');
      expect(one.stdout).not.toContain('label="raw3215_write');
      // A pointer step bound only by unbuilt code: its edge is grey, and says why in its tooltip.
      const flows = cli('-q', 'callees', 'generic_handle_irq_desc', '--depth', '1', '--format', 'dot');
      const edge = flows.stdout.split('\n').find((l) => l.includes('-> ') && l.includes('handle_percpu_devid_fasteoi_nmi'))!;
      expect(edge).toContain(`[${BINDING_MARK}]`);
      expect(edge).toMatch(/class="[^"]*\bnot-built\b/);
      // Paths pictures too, and Mermaid.
      const path = cli('-q', '-s', 'ksys_write', '-t', 'raw3215_write', '--format', 'mermaid');
      expect(path.code).toBe(0);
      expect(path.stdout).toMatch(/class n\d+ pfNotBuilt/);
      expect(path.stdout).toContain('not built');
    }
  });
});
