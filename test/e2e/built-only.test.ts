import { describe, expect, it } from 'vitest';
import { cliOn } from '../support/run-cli.js';

/**
 * --built-only keeps answers to code the configuration builds (fixtures/unbuilt: vfs_write's
 * `.write` is tty_write, built, or raw3215_write of an s390 console driver only arch/s390/Makefile
 * enters; handle_percpu_devid_fasteoi_nmi is built but bound to `desc->handle_irq` only by an arm64
 * interrupt controller).
 */
const CONFIG = 'arch/x86/configs/x86_64_defconfig';

describe('--built-only', () => {
  it('leaves out of callees and callers trees the functions and pointer calls the build leaves out, and says how many', () => {
    const cli = cliOn('unbuilt');
    for (let run = 0; run < 2; run++) {
      const all = cli('-q', 'callees', 'vfs_write', '--depth', '2');
      expect(all.stdout).toContain('raw3215_write');
      const built = cli('-q', 'callees', 'vfs_write', '--depth', '2', '--built-only');
      expect(built.code).toBe(0);
      expect(built.stdout).not.toContain('raw3215_write');
      expect(built.stdout).not.toContain('not built');
      expect(built.stdout).toContain('└─ tty_write  fs/read_write.c:8');
      expect(built.stdout).toContain('tty_flush_all');
      expect(built.stderr).toBe(`pathfind: note: --built-only left out 1 call of code not built with ${CONFIG}\n`);
      // A built function a pointer call reaches only through bindings in unbuilt files.
      const irq = cli('-q', 'callees', 'generic_handle_irq_desc', '--depth', '1', '--built-only');
      expect(irq.stdout).toContain('handle_fasteoi_irq');
      expect(irq.stdout).not.toContain('handle_percpu_devid_fasteoi_nmi');
      const callers = cli('-q', 'callers', 'panic_flush', '--built-only');
      expect(callers.stdout).toContain('uart_flush');
      expect(callers.stdout).not.toContain('raw3215_write');
      expect(callers.stdout).not.toContain('ksys_write');
      const json = JSON.parse(cli('-q', '--json', 'callees', 'vfs_write', '--depth', '1', '--built-only').stdout) as { trees: { edges: { to: { name: string } }[] }[] };
      expect(json.trees[0]!.edges.map((e) => e.to.name)).toEqual(['tty_write']);
      const dot = cli('-q', 'callees', 'vfs_write', '--depth', '1', '--built-only', '--format', 'dot');
      expect(dot.code).toBe(0);
      expect(dot.stdout).toContain('tty_write');
      expect(dot.stdout).not.toContain('raw3215_write');
      // With nothing left out, no note.
      expect(cli('-q', 'callees', 'tty_write', '--built-only').stderr).toBe('');
    }
  });

  it('a tree lists the calls the build makes first under each function, then the others, each by name', () => {
    const cli = cliOn('unbuilt');
    // By name alone raw3215_write would come first.
    const lines = (args: string[]) => cli('-q', ...args).stdout.split('\n').filter((l) => /[├└]─/.test(l)).map((l) => l.replace(/^[│ ]*[├└]─ /, '').split(' ')[0]);
    expect(lines(['callees', 'vfs_write', '--depth', '1'])).toEqual(['tty_write', 'raw3215_write']);
    expect(lines(['callers', 'panic_flush', '--depth', '1'])).toEqual(['uart_flush', 'raw3215_write']);
    // A call bound only in unbuilt files goes after the built one too (handle_fasteoi_irq < handle_percpu_devid_fasteoi_nmi by name as well).
    expect(lines(['callees', 'generic_handle_irq_desc', '--depth', '1'])).toEqual(['handle_fasteoi_irq', 'handle_percpu_devid_fasteoi_nmi']);
  });

  it('a text tree mostly of unbuilt code says that --built-only leaves it out', () => {
    const cli = cliOn('unbuilt');
    // raw3215_write and tty_write: one of the two functions below the root is not built.
    expect(cli('-q', 'callees', 'vfs_write', '--depth', '1').stderr).toBe(`pathfind: note: 1 of the 2 functions in the tree of vfs_write is not built with ${CONFIG}; --built-only leaves such code out\n`);
    // Pictures draw them grey and count them in the caption; JSON readers have the marks.
    expect(cli('-q', '--json', 'callees', 'vfs_write', '--depth', '1').stderr).toBe('');
    expect(cli('-q', 'callees', 'tty_write').stderr).toBe('');
  });

  it('paths go through built code only: -k lists no path through unbuilt code, and a target only unbuilt code reaches has none (exit 1)', () => {
    const cli = cliOn('unbuilt');
    const all = cli('-q', '-s', 'ksys_write', '-t', 'panic_flush', '-k', '3');
    expect(all.stdout).toContain('raw3215_write');
    const built = cli('-q', '-s', 'ksys_write', '-t', 'panic_flush', '-k', '3', '--built-only');
    expect(built.code).toBe(0);
    expect(built.stdout).not.toContain('raw3215_write');
    expect(built.stdout).toContain('tty_write');
    expect(built.stderr).toContain('only 1 path exists');
    const dispatch = cli('-q', '-s', 'ksys_write', '-t', 'panic_flush', '-k', '2', '--distinct-by', 'dispatch', '--built-only');
    expect(dispatch.stdout).not.toContain('raw3215_write');
    const unbuilt = cli('-q', '-s', 'ksys_write', '-t', 'raw3215_write', '--built-only');
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.stderr).toBe(`pathfind: no call path from ksys_write to raw3215_write through code built with ${CONFIG} (--built-only): raw3215_write is not built\n`);
    const irq = cli('-q', '-s', 'handle_irq', '-t', 'handle_percpu_devid_fasteoi_nmi');
    expect(irq.code).toBe(0);
    const irqBuilt = cli('-q', '-s', 'handle_irq', '-t', 'handle_percpu_devid_fasteoi_nmi', '--built-only');
    expect(irqBuilt.code).toBe(1);
    expect(irqBuilt.stderr).toBe(`pathfind: no call path from handle_irq to handle_percpu_devid_fasteoi_nmi through code built with ${CONFIG} (--built-only)\n`);
    const json = JSON.parse(cli('-q', '--json', '-s', 'ksys_write', '-t', 'raw3215_write', '--built-only').stdout) as { paths: unknown[] };
    expect(json.paths).toEqual([]);
  });

  it('a pointer step counts the targets the build makes: --built-only leaves out those of unbuilt files', () => {
    const cli = cliOn('unbuilt');
    // file->f_op->read binds four read functions of the tty driver and three of s390 consoles.
    const all = cli('-q', '-s', 'ksys_read', '-t', 'tty_read');
    expect(all.stdout).toContain('one of 7 targets of file->f_op->read');
    const built = cli('-q', '-s', 'ksys_read', '-t', 'tty_read', '--built-only');
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('one of 4 targets of file->f_op->read');
    type Paths = { paths: { edges: { to: { name: string }; targets?: number }[] }[] };
    const step = (args: string[]) => (JSON.parse(cli('-q', '--json', '-s', 'ksys_read', '-t', 'tty_read', ...args).stdout) as Paths).paths[0]!.edges.find((e) => e.to.name === 'tty_read')!;
    expect(step([]).targets).toBe(7);
    expect(step(['--built-only']).targets).toBe(4);
    // A path picture says both: the count in the step's tooltip, the filter in its caption.
    const dot = cli('-q', '-s', 'ksys_read', '-t', 'tty_read', '--built-only', '--format', 'dot').stdout;
    expect(dot).toContain('one of 4 targets of file->f_op->read');
    expect(dot).toContain(`through code built with ${CONFIG} only (--built-only)`);
    expect(cli('-q', '-s', 'ksys_read', '-t', 'tty_read', '--format', 'dot').stdout).not.toContain('--built-only');
  });

  it('a picture says in its caption what --built-only left out, and counts only calls within --depth', () => {
    const cli = cliOn('unbuilt');
    const dot = cli('-q', 'callees', 'vfs_write', '--depth', '1', '--built-only', '--format', 'dot');
    expect(dot.stdout).toContain('1 call of code not built left out (--built-only)');
    expect(dot.stderr).toBe(`pathfind: note: --built-only left out 1 call of code not built with ${CONFIG}\n`);
    // ksys_write's one call is built; raw3215_write is one level past --depth 1 (the picture asks that level only to mark cut nodes).
    for (const format of ['dot', 'mermaid', 'text']) {
      const past = cli('-q', 'callees', 'ksys_write', '--depth', '1', '--built-only', '--format', format);
      expect(past.code).toBe(0);
      expect(past.stderr).toBe('');
      expect(past.stdout).not.toContain('left out');
    }
    const callers = cli('-q', 'callers', 'panic_flush', '--depth', '1', '--built-only', '--format', 'dot');
    expect(callers.stdout).toContain('1 call of code not built left out (--built-only)');
  });

  it('a function whose every call --built-only left out says so, and is not said to have no callers', () => {
    const cli = cliOn('unbuilt');
    // handle_percpu_devid_fasteoi_nmi is built, but only an arm64 interrupt controller binds it to desc->handle_irq.
    const tree = cli('-q', 'callers', 'e1000_intr', '--depth', '3', '--built-only');
    expect(tree.stdout).toMatch(/└─ handle_percpu_devid_fasteoi_nmi {2}kernel\/irq\/chip\.c:34 .*\[1 call left out: not built\]\n$/);
    // At the depth limit nothing is said: the tree did not look further.
    expect(cli('-q', 'callers', 'e1000_intr', '--depth', '1', '--built-only').stdout).not.toContain('left out');
    const root = cli('-q', 'callers', 'handle_percpu_devid_fasteoi_nmi', '--built-only');
    expect(root.code).toBe(0);
    expect(root.stdout).toBe('handle_percpu_devid_fasteoi_nmi  defined at kernel/irq/chip.c:30  called by:  [1 call left out: not built]\n');
    expect(root.stderr).toBe(`pathfind: note: --built-only left out 1 call of code not built with ${CONFIG}\n`);
    // A callees tree says it of a function whose every call is to unbuilt code.
    expect(cli('-q', 'callees', 'ksys_write', '--depth', '3', '--built-only').stdout).not.toContain('left out');
  });

  it('a pointer step lists only the bindings of code the build makes', () => {
    const cli = cliOn('unbuilt');
    // handle_fasteoi_irq is bound to desc->handle_irq by x86's I/O APIC and by an arm64 interrupt controller.
    type Paths = { paths: { edges: { to: { name: string }; evidence?: { file: string }[] }[] }[] };
    const files = (args: string[]) => (JSON.parse(cli('-q', '--json', '-s', 'common_interrupt', '-t', 'handle_fasteoi_irq', ...args).stdout) as Paths).paths[0]!.edges.at(-1)!.evidence!.map((b) => b.file);
    expect(files([])).toEqual(expect.arrayContaining(['arch/x86/kernel/irq.c', 'drivers/irqchip/irq-gic-v3.c']));
    expect(files(['--built-only'])).toEqual(['arch/x86/kernel/irq.c']);
    expect(cli('-q', '-s', 'common_interrupt', '-t', 'handle_fasteoi_irq').stdout).toContain('+1 more binding');
    expect(cli('-q', '-s', 'common_interrupt', '-t', 'handle_fasteoi_irq', '--built-only').stdout).not.toContain('more binding');
    const tree = cli('-q', 'callees', 'generic_handle_irq_desc', '--depth', '1', '--built-only');
    expect(tree.stdout).toContain('handle_fasteoi_irq');
    expect(tree.stdout).not.toContain('more binding');
  });

  it('a tree without a build model (no Kbuild) takes --built-only and leaves nothing out', () => {
    const cli = cliOn('callback');
    const r = cli('-q', 'callees', 'for_each_dev_wrapped', '--built-only');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bus_for_each_dev');
    expect(r.stderr).toBe('');
  });
});
