import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * The graph cache and build files that were absent when the graph was resolved: a Makefile or
 * Kbuild appearing in a folder that had none, a defconfig, a Kconfig file a `source` line names,
 * a folder a Kconfig glob matches, `$KBUILD_OUTPUT/.config`. Each one appearing, changing or
 * going away must make the cached graph resolve again, so that the cached answer is always the
 * answer of an open without the cache.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const savedOutput = process.env.KBUILD_OUTPUT;
afterEach(() => {
  if (savedOutput === undefined) delete process.env.KBUILD_OUTPUT;
  else process.env.KBUILD_OUTPUT = savedOutput;
});

const DEFCONFIG = 'arch/x86/configs/x86_64_defconfig';

/**
 * A private copy of the miniature kernel with two global `dupfn` definitions (net/core/utils.c
 * and net/core/sock.c, which net/core/dev.c calls from `dupcaller`) and net/Makefile entering net/core/.
 */
function dupTree(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-buildfiles-');
  dirs.push(dir);
  appendFileSync(join(root, 'net/core/utils.c'), '\nint dupfn(int x)\n{\n\treturn x + 1;\n}\n');
  appendFileSync(join(root, 'net/core/sock.c'), '\nint dupfn(int x)\n{\n\treturn x + 2;\n}\n');
  appendFileSync(join(root, 'net/core/dev.c'), '\nint dupcaller(int x)\n{\n\treturn dupfn(x);\n}\n');
  writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/\n');
  return { root, cache: join(dir, 'cache') };
}

/** The definitions of dupfn that dupcaller's call reaches, as file:line. */
const dupTargets = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge dupcaller@')).map((r) => r.replace(/^.* -> dupfn@(\S+) .*$/, '$1'));

/** Opens through the cache and without it: the cached graph, the graph without cache, and the verbose line on how the graph was had. */
async function both(root: string, cache: string): Promise<{ got: string[]; want: string[]; fromCache: boolean; why: string }> {
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  const why = trace.find((m) => m.startsWith('graph'))?.replace(/\s*\(\d+(\.\d+)? s\)$/, '') ?? '';
  return { got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project), fromCache: cached.report.fromGraphCache, why };
}

/** Checks that after a change the cached graph is resolved again and equals the one without cache, and that the change moved the answer (from `before`). */
async function expectResolvedAgain(root: string, cache: string, before: string[], what: string): Promise<string[]> {
  const { got, want, fromCache, why } = await both(root, cache);
  expect(dupTargets(want), `${what}: the change moves the answer`).not.toEqual(before);
  expect({ what, targets: dupTargets(got), fromCache }).toEqual({ what, targets: dupTargets(want), fromCache: false });
  // The reason names the path of the build that moved first (TreeBuild.moved), and the answer that moved with it (build-renew.ts).
  expect(why, what).toMatch(/^graph: resolved in full: a build file or the configuration changed: (\S+ (changed|appeared|is gone)|the folder \S+ gained or lost entries|KBUILD_OUTPUT is another)(, and (whether Kbuild builds \S+ changed \(\w+ to \w+\)|a configuration option's value changed \(the record keeps a digest of the values, not which\)|the configuration is now .*|the include folders Makefiles add .*))?$/);
  expect(got, what).toEqual(want);
  // Once resolved again, the graph is reused until the next change.
  expect((await openTreeReport({ root, cache })).report.fromGraphCache, `${what}, then opened again`).toBe(true);
  return dupTargets(want);
}

describe('the graph cache sees build files appear, change and go away', () => {
  it('a Makefile or Kbuild added in a folder that had none, then edited, then deleted', async () => {
    const { root, cache } = dupTree();
    mkdirSync(join(root, 'arch/x86/configs'));
    writeFileSync(join(root, DEFCONFIG), 'CONFIG_NET=y\n');
    await openTreeReport({ root, cache });
    let targets = dupTargets((await both(root, cache)).want);
    expect(targets).toEqual(['net/core/sock.c:80', 'net/core/utils.c:32']);

    const makefile = join(root, 'net/core/Makefile');
    writeFileSync(makefile, 'obj-y += sock.o dev.o\nobj-$(CONFIG_NOPE) += utils.o\n');
    targets = await expectResolvedAgain(root, cache, targets, 'net/core/Makefile added: utils.c not built');
    expect(targets).toEqual(['net/core/sock.c:80']);

    writeFileSync(makefile, 'obj-y += sock.o dev.o utils.o\n');
    targets = await expectResolvedAgain(root, cache, targets, 'net/core/Makefile edited: utils.c built again');

    // Kbuild is read before Makefile in the same folder (scripts/Makefile.build).
    writeFileSync(join(root, 'net/core/Kbuild'), 'obj-y += sock.o dev.o\nobj-$(CONFIG_NOPE) += utils.o\n');
    targets = await expectResolvedAgain(root, cache, targets, 'net/core/Kbuild added beside the Makefile');
    rmSync(join(root, 'net/core/Kbuild'));
    targets = await expectResolvedAgain(root, cache, targets, 'net/core/Kbuild deleted');

    writeFileSync(makefile, 'obj-y += sock.o dev.o\nobj-$(CONFIG_NOPE) += utils.o\n');
    targets = await expectResolvedAgain(root, cache, targets, 'net/core/Makefile edited back');
    rmSync(makefile);
    await expectResolvedAgain(root, cache, targets, 'net/core/Makefile deleted');
  });

  it('a defconfig added, then deleted', async () => {
    const { root, cache } = dupTree();
    // With no config CONFIG_NET is unknown, and utils.c's dupfn, which may not be built, gives way to sock.c's; the defconfig sets it.
    writeFileSync(join(root, 'net/core/Makefile'), 'obj-y += sock.o dev.o\nobj-$(CONFIG_NET) += utils.o\n');
    await openTreeReport({ root, cache });
    const start = dupTargets((await both(root, cache)).want);
    expect(start).toEqual(['net/core/sock.c:80']);
    mkdirSync(join(root, 'arch/x86/configs'));
    writeFileSync(join(root, DEFCONFIG), 'CONFIG_NET=y\n');
    const targets = await expectResolvedAgain(root, cache, start, 'defconfig added');
    expect(targets).toEqual(['net/core/sock.c:80', 'net/core/utils.c:32']);
    rmSync(join(root, DEFCONFIG));
    expect(await expectResolvedAgain(root, cache, targets, 'defconfig deleted')).toEqual(start);
  });

  it('a Kconfig file a source line names, and one a source glob matches in a new folder', async () => {
    const { root, cache } = dupTree();
    mkdirSync(join(root, 'arch/x86/configs'));
    writeFileSync(join(root, DEFCONFIG), 'CONFIG_NET=y\n');
    writeFileSync(join(root, 'net/core/Makefile'), 'obj-y += sock.o dev.o\nobj-$(CONFIG_NOPE) += utils.o\n');
    appendFileSync(join(root, 'Kconfig'), '\nosource "net/Kconfig"\nosource "fs/*/Kconfig"\n');
    await openTreeReport({ root, cache });
    let targets = dupTargets((await both(root, cache)).want);
    expect(targets).toEqual(['net/core/sock.c:80']);

    const nope = 'config NOPE\n\tbool "Nope"\n\tdefault y\n';
    writeFileSync(join(root, 'net/Kconfig'), nope);
    targets = await expectResolvedAgain(root, cache, targets, 'net/Kconfig added: NOPE defaults to y');
    rmSync(join(root, 'net/Kconfig'));
    targets = await expectResolvedAgain(root, cache, targets, 'net/Kconfig deleted');

    mkdirSync(join(root, 'fs/newfs'));
    writeFileSync(join(root, 'fs/newfs/Kconfig'), nope);
    await expectResolvedAgain(root, cache, targets, 'fs/newfs/Kconfig added in a new folder');
  });

  it('$KBUILD_OUTPUT/.config, when KBUILD_OUTPUT is set after the graph was cached', async () => {
    const { root, cache } = dupTree();
    writeFileSync(join(root, 'net/core/Makefile'), 'obj-y += sock.o dev.o\nobj-$(CONFIG_NET) += utils.o\n');
    const out = join(root, '..', 'out');
    mkdirSync(out);
    writeFileSync(join(out, '.config'), 'CONFIG_NET=y\n');
    delete process.env.KBUILD_OUTPUT;
    await openTreeReport({ root, cache });
    const start = dupTargets((await both(root, cache)).want);
    expect(start).toEqual(['net/core/sock.c:80']);
    process.env.KBUILD_OUTPUT = out;
    const targets = await expectResolvedAgain(root, cache, start, 'KBUILD_OUTPUT set');
    expect(targets).toEqual(['net/core/sock.c:80', 'net/core/utils.c:32']);
  });
});
