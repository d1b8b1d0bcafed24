import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBuildModel } from '../../src/index/build-model.js';
import { readPreprocessor } from '../../src/parse/preprocessor.js';
import { genericProfile } from '../../src/profiles/generic.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import { Truth } from '../../src/types/build.js';
import { UsageError } from '../../src/util/errors.js';
import { copyFixture, fixturesDir } from '../support/fixtures.js';

/** fixtures/kbuild-mini: a miniature kernel build (Kconfig, Kbuild files, an x86 defconfig, a full config). */
const root = join(fixturesDir, 'kbuild-mini');
const altConfig = join(root, 'configs-alt/slob.config');
const noEnv = {};

/** The condition fixtures/kbuild-mini/include/linux/pci.h puts on the line holding `text`. */
function conditionOf(text: string): string | undefined {
  const source = readFileSync(join(root, 'include/linux/pci.h'), 'utf8');
  const line = source.split('\n').findIndex((l) => l.includes(text)) + 1;
  expect(line).toBeGreaterThan(0);
  return readPreprocessor(source).conditionAt(line);
}

describe('build model of fixtures/kbuild-mini with its x86 defconfig', () => {
  const { model, files, absent, kbuildOutput, counts } = buildBuildModel(root, linuxProfile, { env: noEnv });

  it('uses the defconfig, with Kconfig defaults where they are certain', () => {
    expect(model.config.kind).toBe('defconfig');
    expect(model.config.source).toBe('arch/x86/configs/x86_64_defconfig');
    const v = (o: string) => model.config.value(`CONFIG_${o}`);
    expect([v('PCI'), v('NET'), v('E1000'), v('E1000_HWMON'), v('HZ')]).toEqual(['y', 'y', 'm', 'n', '250']);
    expect([v('SLUB'), v('SLAB'), v('SLOB')]).toEqual(['y', 'n', 'n']);
    expect(v('IGB')).toBe('n'); // no default, selected by nothing
    expect(v('PPC_LIKE_OPTION')).toBe('n');
    expect(v('ARM_ONLY')).toBe('n'); // only arch/arm/Kconfig defines it, which x86 does not read
    expect([v('64BIT'), v('X86_32'), v('PCI_DOMAINS')]).toEqual(['y', 'n', 'y']); // default y; depends on !64BIT; selected by X86
    expect(model.config.why('CONFIG_PCI_DOMAINS')).toBe('selected by CONFIG_X86, not set in arch/x86/configs/x86_64_defconfig');
    expect([v('CC_HAS_FEATURE'), v('NETDEVICES'), v('FOO')]).toEqual([undefined, undefined, undefined]); // a compiler test decides them
    expect(v('NOT_A_SYMBOL')).toBe('n'); // a help text is not an entry
  });

  it('reads the Kconfig files reached through source lines and the Kbuild files the build descends into', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('mm/Kconfig');
    expect(paths).toContain('drivers/net/Kconfig');
    expect(paths).toContain('arch/x86/Kconfig');
    expect(paths).not.toContain('arch/arm/Kconfig');
    expect(paths).not.toContain('arch/arm/Kbuild');
    for (const p of ['Kbuild', 'Makefile', 'arch/x86/Makefile', 'arch/x86/Kbuild', 'mm/Makefile', 'drivers/net/e1000/Makefile', 'lib/Makefile', 'arch/x86/pci/Makefile']) expect(paths).toContain(p);
    expect(counts.kconfigFiles).toBe(5);
    // Looked for and absent: `.config`, the Kbuild file of each folder read from its Makefile (scripts/Makefile.build's order), the other architecture's Makefile (for the folders only it enters), and the syscall table the resolution reads.
    expect(absent[0]).toBe('.config');
    expect(absent.slice(1).sort()).toEqual(
      [...['mm', 'drivers', 'net', 'lib', 'arch/x86/pci', 'arch/x86/kernel', 'drivers/net', 'drivers/pci', 'drivers/foo', 'drivers/ppc', 'drivers/mmc', 'drivers/net/e1000', 'drivers/net/igb', 'drivers/mmc/host', 'drivers/stub'].map((d) => `${d}/Kbuild`), 'arch/arm/Makefile', 'arch/x86/entry/syscalls/syscall_64.tbl'].sort(),
    );
    expect(kbuildOutput).toBe(''); // looked for $KBUILD_OUTPUT/.config, with KBUILD_OUTPUT unset
    for (const f of files) expect(f.size).toBeGreaterThan(0);
  });

  it('decides which .c files are built through every folder of the chain', () => {
    const b = (p: string) => model.built(p);
    expect(b('mm/slub.c')).toBe(Truth.Yes);
    expect(b('mm/util.c')).toBe(Truth.Yes);
    expect(b('mm/slob.c')).toBe(Truth.No);
    expect(b('mm/slab.c')).toBe(Truth.No);
    expect(b('drivers/pci/pci-driver.c')).toBe(Truth.Yes);
    expect(b('arch/x86/pci/common.c')).toBe(Truth.Yes); // drivers-$(CONFIG_PCI) in arch/x86/Makefile
    expect(b('arch/x86/kernel/setup.c')).toBe(Truth.Yes);
    expect(b('arch/x86/kernel/i386.c')).toBe(Truth.No); // CONFIG_X86_32 depends on !64BIT
    expect(b('lib/string.c')).toBe(Truth.Yes); // libs-y of the root Makefile
    expect(b('lib/memcpy_64.c')).toBe(Truth.Yes); // lib-y += memcpy_$(BITS).o, BITS=64 (Profile.kbuildVars)
    expect(b('drivers/stub/stub-helper.c')).toBe(Truth.Yes); // subdir-$(CONFIG_PCI) += stub, then lib-y
    expect(b('drivers/stub/stub-arm.c')).toBe(Truth.No); // lib-$(CONFIG_ARM_ONLY) in a folder entered through subdir-
    expect(b('lib/memcpy_32.c')).toBe(Truth.No); // named only by memcpy_$(BITS).o with BITS=32, another architecture's value
    expect(b('net/socket.c')).toBe(Truth.Yes);
    expect(b('drivers/net/igb/igb_main.c')).toBe(Truth.No);
    expect(b('drivers/net/e1000/e1000_main.c')).toBe(Truth.Unknown); // drivers/net/ hangs on CONFIG_NETDEVICES
    expect(b('drivers/net/e1000/e1000_hwmon.c')).toBe(Truth.No); // its composite part is off
    expect(b('drivers/foo/foo.c')).toBe(Truth.Unknown);
    expect(b('orphan/orphan.c')).toBe(Truth.Unknown); // named by no rule
    expect(b('drivers/pci/included.c')).toBe(Truth.Unknown); // named by no rule, in a built folder
    expect(b('drivers/ppc/ppc_only.c')).toBe(Truth.No); // named by no rule, in a folder that is not built
    expect(b('drivers/mmc/host/host_core.c')).toBe(Truth.Yes); // obj-$(subst m,y,$(CONFIG_E1000)) += mmc/, then mmc_host-y := $(core-y)
    expect(b('drivers/mmc/host/host_i386.c')).toBe(Truth.No);
    expect(b('drivers/mmc/host/genmap.c')).toBe(Truth.Unknown); // a host program
    expect(b('include/linux/pci.h')).toBe(Truth.Yes);
  });

  it('says why a file is not built or may not be', () => {
    expect(model.explainBuilt('mm/slub.c')).toBeUndefined();
    expect(model.explainBuilt('mm/slob.c')).toBe('not built: CONFIG_SLOB is not set (mm/Makefile:4)');
    expect(model.explainBuilt('drivers/net/e1000/e1000_hwmon.c')).toBe('not built: CONFIG_E1000_HWMON is not set (drivers/net/e1000/Makefile:5)');
    expect(model.explainBuilt('drivers/net/e1000/e1000_main.c')).toBe('may not be built: part of drivers/net/e1000/e1000.o: CONFIG_NETDEVICES unknown (drivers/Makefile:1)');
    expect(model.explainBuilt('arch/x86/kernel/i386.c')).toBe('not built: CONFIG_X86_32 is not set (arch/x86/kernel/Makefile:2)');
    expect(model.explainBuilt('drivers/ppc/ppc_only.c')).toBe('not built: drivers/ppc/ppc_only.o is named by no Kbuild rule, and CONFIG_PPC_LIKE_OPTION is not set (drivers/Makefile:4)');
    expect(model.explainBuilt('drivers/mmc/host/host_i386.c')).toBe('not built: CONFIG_X86_32 is not set (drivers/mmc/host/Makefile:4)');
    expect(model.explainBuilt('drivers/mmc/host/genmap.c')).toBe('may not be built: drivers/mmc/host/genmap.o is named by no Kbuild rule');
    expect(model.explainBuilt('drivers/stub/stub-arm.c')).toBe('not built: CONFIG_ARM_ONLY is not set (drivers/stub/Makefile:4)');
    expect(model.explainBuilt('lib/memcpy_32.c')).toBe('not built: named as memcpy_$(BITS).o, and BITS is 64 on x86 (lib/Makefile:3)');
    expect(model.explainBuilt('orphan/orphan.c')).toBe('may not be built: orphan/orphan.o is named by no Kbuild rule');
  });

  it('evaluates the preprocessor conditions of a header: the !CONFIG_PCI stub is inactive', () => {
    const stub = conditionOf('static inline int pci_register_driver');
    expect(stub).toBe('!(defined(CONFIG_PCI))');
    expect(model.condition(stub)).toBe(Truth.No);
    expect(model.explainCondition(stub!)).toBe('CONFIG_PCI=y');
    expect(model.condition(conditionOf('#define pci_register_driver'))).toBe(Truth.Yes);
    expect(model.condition(conditionOf('e1000_present'))).toBe(Truth.Yes); // m counts for IS_ENABLED
    expect(model.condition(conditionOf('foo_present'))).toBe(Truth.Unknown);
    expect(model.condition(conditionOf('never(void)'))).toBe(Truth.No);
    expect(model.condition(conditionOf('struct pci_driver;'))).toBe(Truth.Yes); // include guard only
  });
});

describe('build model of fixtures/kbuild-mini with a full config', () => {
  const copies: string[] = [];
  afterAll(() => {
    for (const d of copies) rmSync(d, { recursive: true, force: true });
  });

  it('takes a config named by the caller: options it does not list are not set', () => {
    const { model, files } = buildBuildModel(root, linuxProfile, { configFile: altConfig, env: noEnv });
    expect(model.config.kind).toBe('config');
    expect(model.config.source).toBe(altConfig);
    expect(model.config.value('CONFIG_E1000')).toBe('n');
    expect(files.map((f) => f.path)).not.toContain('mm/Kconfig');
    const b = (p: string) => model.built(p);
    expect([b('mm/slob.c'), b('mm/slub.c'), b('drivers/pci/pci-driver.c'), b('arch/x86/pci/common.c')]).toEqual([Truth.Yes, Truth.No, Truth.No, Truth.No]);
    expect([b('drivers/net/igb/igb_main.c'), b('drivers/net/e1000/e1000_main.c'), b('drivers/foo/foo.c'), b('arch/x86/kernel/i386.c')]).toEqual([Truth.Yes, Truth.No, Truth.No, Truth.No]);
    expect([b('drivers/mmc/host/host_core.c'), b('drivers/pci/included.c')]).toEqual([Truth.No, Truth.No]);
    expect(model.condition(conditionOf('static inline int pci_register_driver'))).toBe(Truth.Yes);
    expect(model.explainCondition('defined(CONFIG_PCI)')).toBe('CONFIG_PCI is not set');
    expect(model.condition(conditionOf('foo_present'))).toBe(Truth.Unknown); // SOME_CODE_MACRO is a macro of the code
  });

  it('finds .config at the root, then in $KBUILD_OUTPUT', () => {
    const { dir, root: copy } = copyFixture('kbuild-mini', 'pathfind-kbuild-');
    copies.push(dir);
    const out = join(dir, 'out');
    mkdirSync(out);
    copyFileSync(altConfig, join(out, '.config'));
    const viaOutput = buildBuildModel(copy, linuxProfile, { env: { KBUILD_OUTPUT: out } });
    expect(viaOutput.model.config.kind).toBe('config');
    expect(viaOutput.model.config.source).toBe(join(out, '.config'));
    expect(viaOutput.absent[0]).toBe('.config');
    expect(viaOutput.kbuildOutput).toBe(out);
    copyFileSync(altConfig, join(copy, '.config'));
    const atRoot = buildBuildModel(copy, linuxProfile, { env: { KBUILD_OUTPUT: out } });
    expect(atRoot.model.config.source).toBe('.config');
    expect(atRoot.kbuildOutput).toBeUndefined(); // .config at the root: KBUILD_OUTPUT not read
    expect(atRoot.model.built('mm/slob.c')).toBe(Truth.Yes);
  });

  it('changes its key when the config or a build file changes, and keeps it otherwise', () => {
    const { dir, root: copy } = copyFixture('kbuild-mini', 'pathfind-kbuild-');
    copies.push(dir);
    const key = () => buildBuildModel(copy, linuxProfile, { env: noEnv }).model.config.key;
    const first = key();
    expect(key()).toBe(first);
    appendFileSync(join(copy, 'mm/Makefile'), 'obj-y += extra.o\n');
    const second = key();
    expect(second).not.toBe(first);
    appendFileSync(join(copy, 'arch/x86/configs/x86_64_defconfig'), 'CONFIG_SLOB=y\n');
    expect(key()).not.toBe(second);
    expect(buildBuildModel(copy, linuxProfile, { configFile: altConfig, env: noEnv }).model.config.key).not.toBe(key());
  });

  it('rejects a config file that cannot be read with a usage error', () => {
    expect(() => buildBuildModel(root, linuxProfile, { configFile: join(root, 'no-such.config') })).toThrow(UsageError);
    expect(() => buildBuildModel(root, linuxProfile, { configFile: join(root, 'no-such.config') })).toThrow(/cannot read config file .*no-such.config: ENOENT/);
  });
});

describe('build model of a tree without Kbuild', () => {
  it('knows no option and no build rule: conditions over options and .c files are unknown', () => {
    const { model, files } = buildBuildModel(root, genericProfile, { env: noEnv });
    expect(model.config.kind).toBe('none');
    expect(files).toEqual([]);
    expect(model.condition('defined(CONFIG_PCI)')).toBe(Truth.Unknown);
    expect(model.condition('0')).toBe(Truth.No);
    expect(model.built('mm/slob.c')).toBe(Truth.Unknown);
    expect(model.built('include/linux/pci.h')).toBe(Truth.Yes);
  });
});
