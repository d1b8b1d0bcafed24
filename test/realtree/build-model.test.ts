import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltModel, buildBuildModel } from '../../src/index/build-model.js';
import { discoverFiles, type SourceFile } from '../../src/index/discover-files.js';
import { readPreprocessor } from '../../src/parse/preprocessor.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import { Truth } from '../../src/types/build.js';

/**
 * The build model on Linux 6.1 (runs when PATHFIND_LINUX names the tree) with no .config: the
 * x86_64 defconfig model. Also counts how the distinct preprocessor conditions of the tree and
 * its .c files come out, printed for the record; only loose sanity is asserted on the counts.
 */
const tree = process.env.PATHFIND_LINUX;
const DIRECTIVE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b.*$/gm;

describe.skipIf(!tree)('build model of Linux 6.1 (x86_64 defconfig)', () => {
  let built: BuiltModel;
  let files: SourceFile[];
  beforeAll(() => {
    built = buildBuildModel(tree!, linuxProfile, { env: {} });
    files = discoverFiles(tree!, linuxProfile, {});
  }, 300_000);

  it('models the defconfig: PCI and SLUB on, SLOB off, a !CONFIG_PCI branch false', () => {
    const { model } = built;
    expect(model.config.kind).toBe('defconfig');
    expect(model.config.source).toBe('arch/x86/configs/x86_64_defconfig');
    expect(model.config.value('CONFIG_PCI')).toBe('y');
    expect(model.config.value('CONFIG_SLUB')).toBe('y');
    expect(model.config.value('CONFIG_SLOB')).toBe('n');
    expect(model.config.value('CONFIG_PPC64')).toBe('n');
    expect(model.condition('!(defined(CONFIG_PCI))')).toBe(Truth.No);
    expect(model.condition('IS_ENABLED(CONFIG_PCI) && defined(__KERNEL__)')).toBe(Truth.Yes);
  });

  it('builds mm/slub.c, not mm/slob.c, and the PCI core', () => {
    const { model } = built;
    expect(model.built('mm/slub.c')).toBe(Truth.Yes);
    expect(model.built('mm/slob.c')).toBe(Truth.No);
    expect(model.explainBuilt('mm/slob.c')).toMatch(/^not built: CONFIG_SLOB is not set \(mm\/Makefile:\d+\)$/);
    expect(model.built('drivers/pci/pci-driver.c')).toBe(Truth.Yes);
    expect(model.built('kernel/sched/core.c')).toBe(Truth.Yes);
    expect(model.built('net/core/dev.c')).toBe(Truth.Yes);
    expect(model.built('arch/x86/pci/common.c')).toBe(Truth.Yes);
    // lib-y += memcpy_$(BITS).o: memcpy_32.c is the 32-bit build's.
    expect(model.built('arch/x86/lib/memcpy_32.c')).toBe(Truth.No);
    expect(model.explainBuilt('arch/x86/lib/memcpy_32.c')).toMatch(/^not built: named as memcpy_\$\(BITS\)\.o, and BITS is 64 on x86 \(arch\/x86\/lib\/Makefile:\d+\)$/);
  });

  it('reads the build files of x86 only and says which', () => {
    const paths = new Set(built.files.map((f) => f.path));
    expect(paths.has('mm/Kconfig')).toBe(true);
    expect(paths.has('arch/x86/Kconfig')).toBe(true);
    expect(paths.has('arch/arm64/Kconfig')).toBe(false);
    expect(paths.has('mm/Makefile')).toBe(true);
    expect(built.counts.kconfigFiles).toBeGreaterThan(1000);
    expect(built.counts.kbuildFiles).toBeGreaterThan(1000);
  });

  it('decides most distinct conditions and .c files of the tree (counts printed)', () => {
    const { model } = built;
    const conditions = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(tree!, f.path), 'latin1');
      const pp = readPreprocessor(text);
      let line = 1;
      let at = 0;
      for (const m of text.matchAll(DIRECTIVE)) {
        for (let nl = text.indexOf('\n', at); nl >= 0 && nl < m.index; nl = text.indexOf('\n', nl + 1)) line++;
        at = m.index;
        // The condition of the code after the directive; none when another directive follows at once
        // (after `#ifndef GUARD` comes `#define GUARD`: the guard is only known as such after it).
        const next = text.indexOf('\n', m.index + m[0].length) + 1;
        if (next === 0 || /^[ \t]*#/.test(text.slice(next, next + 200))) continue;
        const cond = pp.conditionAt(line + 1);
        if (cond !== undefined) conditions.add(cond);
      }
    }
    const count = (truths: Truth[]) => [Truth.Yes, Truth.No, Truth.Unknown].map((t) => truths.filter((x) => x === t).length);
    const [cy, cn, cu] = count([...conditions].map((c) => model.condition(c)));
    const cFiles = files.filter((f) => f.path.endsWith('.c'));
    const [fy, fn, fu] = count(cFiles.map((f) => model.built(f.path)));
    const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
    console.log(`distinct conditions ${conditions.size}: Yes ${cy} (${pct(cy, conditions.size)}), No ${cn} (${pct(cn, conditions.size)}), Unknown ${cu} (${pct(cu, conditions.size)})`);
    console.log(`.c files ${cFiles.length}: built Yes ${fy} (${pct(fy, cFiles.length)}), No ${fn} (${pct(fn, cFiles.length)}), Unknown ${fu} (${pct(fu, cFiles.length)})`);
    expect(conditions.size).toBeGreaterThan(5_000);
    expect(cy).toBeGreaterThan(conditions.size / 50);
    expect(cn).toBeGreaterThan(conditions.size / 10);
    expect(fy).toBeGreaterThan(cFiles.length / 20);
    expect(fn).toBeGreaterThan(cFiles.length / 10);
  }, 300_000);
});
