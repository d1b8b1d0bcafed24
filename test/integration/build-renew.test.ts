import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * Build files edited without changing what the cached graph was resolved with (cache/build-renew.ts):
 * the graph is kept (or patched for the source files edited with them) and its build record written
 * again, where it was resolved in full before; an edit that moves an answer still resolves in full,
 * saying which answer. Each open through the cache is compared with an open without it.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const DEFCONFIG = 'arch/x86/configs/x86_64_defconfig';
const MAKEFILE = 'net/core/Makefile';

/**
 * A copy of the miniature kernel with a defconfig, a Kconfig option NOPE (off), net/core/Makefile
 * building sock.c and dev.c always and utils.c under NOPE, and two global `dupfn` definitions
 * (utils.c, sock.c) that dev.c's `dupcaller` calls: Kbuild's answers decide which it binds.
 */
function tree(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-build-renew-');
  dirs.push(dir);
  appendFileSync(join(root, 'net/core/utils.c'), '\nint dupfn(int x)\n{\n\treturn x + 1;\n}\n');
  appendFileSync(join(root, 'net/core/sock.c'), '\nint dupfn(int x)\n{\n\treturn x + 2;\n}\n');
  appendFileSync(join(root, 'net/core/dev.c'), '\nint dupcaller(int x)\n{\n\treturn dupfn(x);\n}\n');
  writeFileSync(join(root, 'net/Makefile'), 'obj-y += core/\n');
  writeFileSync(join(root, MAKEFILE), 'obj-y += sock.o dev.o\nobj-$(CONFIG_NOPE) += utils.o\n');
  mkdirSync(join(root, 'arch/x86/configs'), { recursive: true });
  writeFileSync(join(root, DEFCONFIG), 'CONFIG_NET=y\n');
  appendFileSync(join(root, 'Kconfig'), '\nconfig NOPE\n\tbool "Nope"\n\tdefault n\n');
  return { root, cache: join(dir, 'cache') };
}

/** Opens through the cache and without it: the verbose line on how the graph was had, and both graphs. */
async function both(root: string, cache: string): Promise<{ why: string; trace: string[]; got: string[]; want: string[]; built: (path: string) => [number | undefined, number | undefined] }> {
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  const why = trace.find((m) => m.startsWith('graph'))?.replace(/\s*\(\d+(\.\d+)? s\)$/, '') ?? '';
  return { why, trace, got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project), built: (path) => [builtOf(cached.project, path), builtOf(scratch.project, path)] };
}

/** Whether Kbuild builds the file at `path`, as the project's binding scope answers (Truth: 0 no, 1 yes, 2 unknown). */
function builtOf(p: Project, path: string): number | undefined {
  return p.index.bindingScope?.activity?.fileBuilt?.(p.index.filePaths().indexOf(path));
}

/** The definitions of dupfn that dupcaller's call reaches, as file:line. */
const dupTargets = (rows: string[]): string[] => rows.filter((r) => r.startsWith('edge dupcaller@')).map((r) => r.replace(/^.* -> dupfn@(\S+) .*$/, '$1'));

/** A file to add: a function calling dupfn (which binds sock.c's, the built one). */
const EXTRA = 'int extra(int x)\n{\n\treturn dupfn(x) * 2;\n}\n';

const KEPT = (what: string): string => `graph: loaded from the cache: no source file changed; a build file or the configuration changed: ${what}, and the build model answers as before (its record written again)`;

describe('build files edited without changing what the graph was resolved with', () => {
  it('a comment in a Makefile, a help text in Kconfig, a rule reordered: the graph as it was, its record written again', async () => {
    const { root, cache } = tree();
    await openTreeReport({ root, cache });
    const edits: [string, () => void][] = [
      [`${MAKEFILE} changed`, () => appendFileSync(join(root, MAKEFILE), '# the core objects\n')],
      ['Kconfig changed', () => writeFileSync(join(root, 'Kconfig'), readFileSync(join(root, 'Kconfig'), 'utf8').replace('\tdefault n\n', '\tdefault n\n\thelp\n\t  Nothing at all.\n'))],
      [`${MAKEFILE} changed`, () => writeFileSync(join(root, MAKEFILE), 'obj-$(CONFIG_NOPE) += utils.o\nobj-y += dev.o sock.o\n')],
    ];
    for (const [what, edit] of edits) {
      edit();
      const { why, got, want } = await both(root, cache);
      expect(why, what).toBe(KEPT(what));
      expect(got, what).toEqual(want);
      expect(dupTargets(got), what).toEqual(['net/core/sock.c:80']);
      expect((await both(root, cache)).why, `${what}, then opened again`).toBe('graph: loaded from the cache: no file changed');
    }
  });

  it('a rule for an object no file is yet, then the file added: patched, and built as the new rule says', async () => {
    const { root, cache } = tree();
    await openTreeReport({ root, cache });
    appendFileSync(join(root, MAKEFILE), 'obj-y += extra.o\n');
    const first = await both(root, cache);
    expect(first.why).toBe(KEPT(`${MAKEFILE} changed`));
    expect(first.got).toEqual(first.want);
    // Kbuild builds the file the new rule names (answered from the rules the record now keeps).
    writeFileSync(join(root, 'net/core/extra.c'), EXTRA);
    const added = await both(root, cache);
    expect(added.why).toBe('graph: patched for 1 file added (incremental)');
    expect(added.got).toEqual(added.want);
    expect(added.built('net/core/extra.c')).toEqual([1, 1]);
  });

  it('the rule and the file in one edit, and a source file edited with a Makefile comment: patched', async () => {
    const { root, cache } = tree();
    await openTreeReport({ root, cache });
    appendFileSync(join(root, MAKEFILE), 'obj-y += extra.o\n');
    writeFileSync(join(root, 'net/core/extra.c'), EXTRA);
    const added = await both(root, cache);
    expect(added.why).toBe('graph: patched for 1 file added (incremental)');
    // -v's patch steps say the build record was carried over.
    expect(added.trace.filter((m) => m.startsWith('build: ')).map((m) => m.replace(/ \(\d+\.\d+ s\)$/, ''))).toEqual([`build: a build file or the configuration changed: ${MAKEFILE} changed, and the build model answers as before`]);
    expect(added.got).toEqual(added.want);
    expect(added.built('net/core/extra.c')).toEqual([1, 1]);
    appendFileSync(join(root, MAKEFILE), '# extra\n');
    appendFileSync(join(root, 'net/core/dev.c'), '\nint dupcaller2(int x)\n{\n\treturn dupfn(x) + 1;\n}\n');
    const edited = await both(root, cache);
    expect(edited.why).toBe('graph: patched for 1 edited file (incremental)');
    expect(edited.got).toEqual(edited.want);
    expect((await both(root, cache)).why).toBe('graph: loaded from the cache: no file changed');
  });
});

describe('build files edited so that an answer moves: resolved in full, saying which', () => {
  it('a file Kbuild now builds, a file a patch added that a rule now names, an option value', async () => {
    const { root, cache } = tree();
    await openTreeReport({ root, cache });
    writeFileSync(join(root, MAKEFILE), 'obj-y += sock.o dev.o utils.o\n');
    let step = await both(root, cache);
    expect(step.why).toBe(`graph: resolved in full: a build file or the configuration changed: ${MAKEFILE} changed, and whether Kbuild builds net/core/utils.c changed (no to yes)`);
    expect(step.got).toEqual(step.want);
    expect(dupTargets(step.got)).toEqual(['net/core/sock.c:80', 'net/core/utils.c:32']);

    // Added while no rule names it (unknown), then named: its answer was the old rules'.
    writeFileSync(join(root, 'net/core/extra.c'), EXTRA);
    const unnamed = await both(root, cache);
    expect(unnamed.why).toBe('graph: patched for 1 file added (incremental)');
    expect(unnamed.built('net/core/extra.c')).toEqual([2, 2]);
    // A composite object of files that are not there (a new user's finding: this resolved in full once a file had been added): the
    // added file's object no rule names, then or now, so its link unit is the image holding it, and the images are the same.
    appendFileSync(join(root, MAKEFILE), 'bundle-objs := part.o\n');
    step = await both(root, cache);
    expect(step.why).toBe(KEPT(`${MAKEFILE} changed`));
    expect(step.got).toEqual(step.want);
    // A header a patch added takes the link unit of its folder's objects: another composite object there may change it.
    writeFileSync(join(root, 'net/core/extra_priv.h'), 'struct extra_priv {\n\tint n;\n};\n');
    expect((await both(root, cache)).why).toBe('graph: patched for 1 file added (incremental)');
    appendFileSync(join(root, MAKEFILE), 'bundle2-objs := part2.o\n');
    step = await both(root, cache);
    expect(step.why).toBe(`graph: resolved in full: a build file or the configuration changed: ${MAKEFILE} changed, and net/core/extra_priv.h was added by a patch, which took its link unit from the composite objects and images then, and they changed`);
    expect(step.got).toEqual(step.want);
    // Resolved in full, the header is no longer one a patch added: the same kind of rule is carried over now.
    appendFileSync(join(root, MAKEFILE), 'bundle3-objs := part3.o\n');
    step = await both(root, cache);
    expect(step.why).toBe(KEPT(`${MAKEFILE} changed`));
    expect(step.got).toEqual(step.want);
    appendFileSync(join(root, MAKEFILE), 'obj-y += extra.o\n');
    step = await both(root, cache);
    expect(step.why).toBe(`graph: resolved in full: a build file or the configuration changed: ${MAKEFILE} changed, and whether Kbuild builds net/core/extra.c changed (unknown to yes)`);
    expect(step.got).toEqual(step.want);

    // An option no condition of the tree names: its value is still one the graph might have asked (a later patch may).
    appendFileSync(join(root, DEFCONFIG), 'CONFIG_UNUSED_HERE=y\n');
    step = await both(root, cache);
    expect(step.why).toBe(`graph: resolved in full: a build file or the configuration changed: ${DEFCONFIG} changed, and a configuration option's value changed (the record keeps a digest of the values, not which)`);
    expect(step.got).toEqual(step.want);
  });
});
