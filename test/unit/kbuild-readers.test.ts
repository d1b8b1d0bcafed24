import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/parse/kbuild/config-file.js';
import { inheritDependencies, readKconfig } from '../../src/parse/kbuild/kconfig.js';
import { readMakefile, UNKNOWN_TERM } from '../../src/parse/kbuild/makefile.js';

describe('readConfigFile', () => {
  it('reads y, m, numbers, strings and "is not set" lines; a later line wins', () => {
    const text = [
      '#',
      '# Automatically generated file; DO NOT EDIT.',
      'CONFIG_PCI=y',
      'CONFIG_E1000=m',
      'CONFIG_HZ=250',
      'CONFIG_PHYS_START=0x1000000',
      'CONFIG_CMDLINE="console=ttyS0 quiet \\"x\\""',
      '# CONFIG_X86_32 is not set',
      '  CONFIG_SPACED=y  ',
      'CONFIG_HZ=1000',
      'NOT_AN_OPTION=y',
      '',
    ].join('\n');
    const got = readConfigFile(text);
    expect(Object.fromEntries([...got].map(([k, v]) => [k, v.value]))).toEqual({
      CONFIG_PCI: 'y',
      CONFIG_E1000: 'm',
      CONFIG_HZ: '1000',
      CONFIG_PHYS_START: '0x1000000',
      CONFIG_CMDLINE: 'console=ttyS0 quiet "x"',
      CONFIG_X86_32: 'n',
      CONFIG_SPACED: 'y',
    });
    expect(got.get('CONFIG_X86_32')!.line).toBe(8);
    expect(got.get('CONFIG_HZ')!.line).toBe(10);
  });
});

describe('readKconfig', () => {
  const text = [
    'menu "Memory"',
    '',
    'config PLAIN',
    '\tbool "Plain option"',
    '\thelp',
    '\t  A help text that mentions',
    '\t  config NOT_A_SYMBOL',
    '',
    '\t  and default y, which are words here.',
    '',
    'config WITH_DEFAULT',
    '\ttristate "x"',
    '\tdefault y if PLAIN # a comment',
    '\tdefault n',
    '\tselect SELECTED',
    '\timply IMPLIED if PLAIN',
    '',
    'config SELECTED',
    '\tbool',
    '',
    'config ALWAYS',
    '\tdef_bool y',
    '\tdepends on PLAIN',
    '',
    'config NUM',
    '\tint "A number" \\',
    '\t  if PLAIN',
    '\tdefault 64',
    '',
    'choice',
    '\tprompt "Allocator"',
    '\tdefault B',
    '',
    'config A',
    '\tbool "A"',
    '\tdepends on PLAIN',
    '',
    'config B',
    '\tbool "B"',
    '',
    'endchoice',
    '',
    'if PLAIN',
    'choice',
    '\tprompt "inside if"',
    '\toptional',
    '\tdefault D if WITH_DEFAULT',
    'config D',
    '\tbool "D"',
    'endchoice',
    'endif',
    'endmenu',
    'menu "Dependent"',
    '\tdepends on PLAIN',
    'choice',
    '\ttristate "t"',
    'config E',
    '\ttristate "E"',
    'endchoice',
    'endmenu',
    'source "arch/$(SRCARCH)/Kconfig"',
    'rsource "sub/Kconfig"',
    'osource "maybe/Kconfig"',
  ].join('\n');
  const facts = readKconfig(text);
  const sym = (name: string) => facts.symbols.find((s) => s.name === `CONFIG_${name}`)!;

  it('reads each symbol with its type and default lines, skipping help texts', () => {
    expect(facts.symbols.map((s) => s.name)).toEqual(['CONFIG_PLAIN', 'CONFIG_WITH_DEFAULT', 'CONFIG_SELECTED', 'CONFIG_ALWAYS', 'CONFIG_NUM', 'CONFIG_A', 'CONFIG_B', 'CONFIG_D', 'CONFIG_E']);
    expect(sym('PLAIN')).toMatchObject({ type: 'bool', defaults: [], dependent: false, line: 3 });
    expect(sym('WITH_DEFAULT').type).toBe('tristate');
    expect(sym('WITH_DEFAULT').defaults).toEqual([
      { value: 'y', conditional: true, cond: 'PLAIN', line: 13 },
      { value: 'n', conditional: false, line: 14 },
    ]);
    expect(sym('ALWAYS')).toMatchObject({ type: 'bool', defaults: [{ value: 'y', conditional: false }], dependent: true });
    expect(sym('NUM')).toMatchObject({ type: 'int', defaults: [{ value: '64', conditional: false }] });
  });

  it('collects select and imply targets', () => {
    expect(facts.selected).toEqual(['CONFIG_SELECTED', 'CONFIG_IMPLIED']);
  });

  it('reads choices: members, defaults, optional, tristate, and dependency from if blocks and menus', () => {
    expect(facts.choices).toHaveLength(3);
    expect(facts.choices[0]).toMatchObject({ members: ['CONFIG_A', 'CONFIG_B'], defaults: [{ value: 'CONFIG_B', conditional: false }], optional: false, dependent: false });
    expect(sym('A')).toMatchObject({ choice: 0, dependent: true });
    expect(sym('B')).toMatchObject({ choice: 0, dependent: false });
    expect(facts.choices[1]).toMatchObject({ members: ['CONFIG_D'], defaults: [{ value: 'CONFIG_D', conditional: true }], optional: true, dependent: true });
    expect(facts.choices[2]).toMatchObject({ members: ['CONFIG_E'], tristate: true, dependent: true });
    expect(sym('PLAIN').choice).toBeUndefined();
  });

  it('lists source lines, relative and optional ones marked', () => {
    expect(facts.sources).toEqual([
      { path: 'arch/$(SRCARCH)/Kconfig', relative: false, optional: false, deps: [] },
      { path: 'sub/Kconfig', relative: true, optional: false, deps: [] },
      { path: 'maybe/Kconfig', relative: false, optional: true, deps: [] },
    ]);
  });

  it('gives a source line the dependencies around it, and the sourced file\'s entries inherit them', () => {
    const parent = readKconfig(['menu "Net"', '\tdepends on NET', 'if NETDEVICES', 'source "drivers/net/Kconfig"', 'endif', 'endmenu', 'source "other/Kconfig"'].join('\n'));
    expect(parent.sources.map((s) => s.deps)).toEqual([['NET', 'NETDEVICES'], []]);
    const child = readKconfig(['config E1000', '\ttristate "e1000"', '\tdepends on PCI', 'choice', '\tprompt "c"', 'config A', '\tbool "a"', 'endchoice', 'source "deeper/Kconfig"'].join('\n'));
    inheritDependencies(child, parent.sources[0]!.deps);
    expect(child.symbols.map((s) => s.deps)).toEqual([['NET', 'NETDEVICES', 'PCI'], ['NET', 'NETDEVICES']]);
    expect(child.choices[0]!.deps).toEqual(['NET', 'NETDEVICES']);
    expect(child.sources[0]!.deps).toEqual(['NET', 'NETDEVICES']);
  });
});

describe('readMakefile', () => {
  const rules = (text: string, vars: Record<string, string> = {}) =>
    readMakefile(text, { vars }).map((e) => `${e.list} ${e.name} ${e.cond}`);

  it('reads a reference written with braces as one written with parentheses (make takes both)', () => {
    // drivers/thunderbolt/Makefile of Linux 6.1: `obj-${CONFIG_USB4} := thunderbolt.o`, `thunderbolt-${CONFIG_ACPI} += acpi.o`.
    const braces = ['obj-${CONFIG_USB4} := thunderbolt.o', 'thunderbolt-objs := nhi.o ctl.o', 'thunderbolt-${CONFIG_ACPI} += acpi.o', 'ifeq (${CONFIG_PCI},y)', 'obj-y += pci.o', 'endif', 'obj-$(subst m,y,${CONFIG_X}) += x.o'].join('\n');
    expect(rules(braces)).toEqual(rules(braces.replace(/\$\{(\w+)\}/g, '$($1)')));
    expect(rules(braces)).toContain('obj thunderbolt.o IS_ENABLED(CONFIG_USB4)');
    expect(rules(braces).filter((r) => r.startsWith('thunderbolt '))).toEqual(['thunderbolt nhi.o 1', 'thunderbolt ctl.o 1', 'thunderbolt acpi.o IS_ENABLED(CONFIG_ACPI)']);
  });

  it('reads obj-y, obj-m, obj-$(CONFIG_X), lib-y with +=, := and =, several names and continuations', () => {
    const text = [
      '# SPDX',
      'obj-y := core.o util.o',
      'obj-m = mod.o',
      'obj-$(CONFIG_SLOB) += slob.o',
      'obj-$(CONFIG_SLUB)\t+= slub.o \\',
      '\t\tslub_debug.o',
      'obj-$(CONFIG_NET) += net/',
      'lib-y += string.o',
      'ccflags-y += -DDEBUG',
      'KASAN_SANITIZE_slub.o := n',
      'obj-y += $(foo-objs) sub/deep.o',
    ].join('\n');
    expect(rules(text)).toEqual([
      'obj core.o 1',
      'obj util.o 1',
      'obj mod.o 1',
      'obj slob.o IS_ENABLED(CONFIG_SLOB)',
      'obj slub.o IS_ENABLED(CONFIG_SLUB)',
      'obj slub_debug.o IS_ENABLED(CONFIG_SLUB)',
      'obj net/ IS_ENABLED(CONFIG_NET)',
      'lib string.o 1',
      'obj foo.o 1', // $(foo-objs): the composite foo's parts
      'obj sub/deep.o 1',
    ]);
    expect(readMakefile(text)[4]!.line).toBe(5);
  });

  it('reads composite objects: foo-y, foo-objs, foo-$(CONFIG_X), names with dashes', () => {
    const text = ['obj-$(CONFIG_IGB) += igb.o', 'igb-y := igb_main.o igb_ethtool.o', 'igb-$(CONFIG_IGB_HWMON) += igb_hwmon.o', 'snd-hda-codec-objs := hda_codec.o'].join('\n');
    expect(rules(text)).toEqual([
      'obj igb.o IS_ENABLED(CONFIG_IGB)',
      'igb igb_main.o 1',
      'igb igb_ethtool.o 1',
      'igb igb_hwmon.o IS_ENABLED(CONFIG_IGB_HWMON)',
      'snd-hda-codec hda_codec.o 1',
    ]);
  });

  it('adds the terms of ifdef / ifeq / ifneq / else / else ifeq blocks', () => {
    const text = [
      'ifdef CONFIG_A',
      'obj-y += a.o',
      'else',
      'obj-y += not_a.o',
      'endif',
      'ifeq ($(CONFIG_B),y)',
      'obj-$(CONFIG_C) += bc.o',
      'else ifeq ($(CONFIG_B),m)',
      'obj-y += bm.o',
      'endif',
      'ifneq ($(CONFIG_D),)',
      'obj-y += d.o',
      'endif',
      'ifeq ($(SRCARCH),x86)',
      'obj-y += x86.o',
      'endif',
      'ifeq ($(SRCARCH),arm)',
      'obj-y += arm.o',
      'endif',
      'ifeq ($(BITS),32)',
      'obj-y += bits.o',
      'endif',
      'ifndef CONFIG_E',
      'obj-y += no_e.o',
      'endif',
      'define recipe',
      'obj-y += in_define.o',
      'endef',
    ].join('\n');
    expect(rules(text, { SRCARCH: 'x86' })).toEqual([
      'obj a.o IS_ENABLED(CONFIG_A)',
      'obj not_a.o !(IS_ENABLED(CONFIG_A))',
      'obj bc.o IS_BUILTIN(CONFIG_B) && IS_ENABLED(CONFIG_C)',
      'obj bm.o !(IS_BUILTIN(CONFIG_B)) && IS_MODULE(CONFIG_B)',
      'obj d.o !(!IS_ENABLED(CONFIG_D))',
      'obj x86.o 1',
      'obj arm.o 0',
      `obj bits.o ${UNKNOWN_TERM}`,
      'obj no_e.o !IS_ENABLED(CONFIG_E)',
    ]);
  });

  it('substitutes known variables in entries and reads the top-level lists of arch Makefiles', () => {
    const text = ['core-y += arch/$(SRCARCH)/', 'drivers-$(CONFIG_PCI) += arch/x86/pci/', 'libs-y += arch/x86/lib/'].join('\n');
    expect(rules(text, { SRCARCH: 'x86' })).toEqual(['core arch/x86/ 1', 'drivers arch/x86/pci/ IS_ENABLED(CONFIG_PCI)', 'libs arch/x86/lib/ 1']);
  });

  it('reads obj-$(subst m,y,$(CONFIG_X)) as IS_ENABLED, another make function as unknown, and lists named in lists as composites', () => {
    const text = ['obj-$(subst m,y,$(CONFIG_MMC)) += host/', 'obj-$(if $(CONFIG_A),y) += a.o', 'i915-y += $(gt-y) $(addprefix gem/, x.o) i915_drv.o', 'obj-y += $(mmu-objs)'].join('\n');
    expect(rules(text)).toEqual(['obj host/ IS_ENABLED(CONFIG_MMC)', `obj a.o ${UNKNOWN_TERM}`, 'i915 gt.o 1', 'i915 i915_drv.o 1', 'obj mmu.o 1']);
  });

  it('reads an entry written with a variable also with its other values, as never taken', () => {
    const text = ['lib-y += memcpy_$(BITS).o string.o', 'obj-$(CONFIG_X) += x_$(BITS).o'].join('\n');
    const entries = readMakefile(text, { vars: { BITS: '64' }, otherValues: { BITS: ['32'] } });
    expect(entries.map((e) => `${e.list} ${e.name} ${e.cond}${e.otherValue ? ` (${e.otherValue.written})` : ''}`)).toEqual([
      'lib memcpy_64.o 1',
      'lib string.o 1',
      'lib memcpy_32.o 0 (memcpy_$(BITS).o)',
      'obj x_64.o IS_ENABLED(CONFIG_X)',
      'obj x_32.o 0 (x_$(BITS).o)',
    ]);
    expect(rules(text, { BITS: '64' })).toEqual(['lib memcpy_64.o 1', 'lib string.o 1', 'obj x_64.o IS_ENABLED(CONFIG_X)']);
  });

  it('reads subdir- lists as folders, with or without a slash', () => {
    const text = ['subdir-$(CONFIG_EFI_STUB) += libstub', 'subdir-y += boot/ tools', 'subdir- += clean-only', 'subdir-ccflags-y += -I$(src)'].join('\n');
    expect(rules(text)).toEqual(['subdir libstub/ IS_ENABLED(CONFIG_EFI_STUB)', 'subdir boot/ 1', 'subdir tools/ 1']);
  });

  it('a later := or = assignment replaces what the list held where it takes effect, as make does', () => {
    // mm/Makefile of Linux 6.1: `mmu-y := nommu.o`, then `mmu-$(CONFIG_MMU) := highmem.o memory.o ...`:
    // with CONFIG_MMU=y the second assignment replaces mmu-y, and nommu.o is not built.
    const mm = ['mmu-y\t\t\t:= nommu.o', 'mmu-$(CONFIG_MMU)\t:= highmem.o memory.o', 'mmu-$(CONFIG_MMU)\t+= process_vm_access.o', 'obj-y := filemap.o $(mmu-y)'].join('\n');
    expect(rules(mm)).toEqual([
      'mmu nommu.o !(IS_BUILTIN(CONFIG_MMU))',
      'mmu highmem.o IS_ENABLED(CONFIG_MMU)',
      'mmu memory.o IS_ENABLED(CONFIG_MMU)',
      'mmu process_vm_access.o IS_ENABLED(CONFIG_MMU)',
      'obj mmu.o 1',
      'obj filemap.o 1',
    ]);
    // obj-m names another variable than obj-y; += appends; a reset inside a block holds only there; foo-objs is a list of its own.
    const mixed = ['obj-y := a.o', 'obj-m := m.o', 'obj-y += b.o', 'ifdef CONFIG_X', 'obj-y := c.o', 'endif', 'foo-objs := f.o', 'foo-y := g.o', 'obj-$(CONFIG_Z) += z.o', 'obj-$(CONFIG_W) := w.o'].join('\n');
    expect(rules(mixed)).toEqual([
      'obj a.o !(IS_ENABLED(CONFIG_X)) && !(IS_BUILTIN(CONFIG_W))',
      'obj m.o !(IS_MODULE(CONFIG_W))',
      'obj b.o !(IS_ENABLED(CONFIG_X)) && !(IS_BUILTIN(CONFIG_W))',
      'obj c.o IS_ENABLED(CONFIG_X) && !(IS_BUILTIN(CONFIG_W))',
      'foo f.o 1',
      'foo g.o 1',
      'obj z.o IS_ENABLED(CONFIG_Z) && !((IS_BUILTIN(CONFIG_Z) && IS_BUILTIN(CONFIG_W)) || (IS_MODULE(CONFIG_Z) && IS_MODULE(CONFIG_W)))',
      'obj w.o IS_ENABLED(CONFIG_W)',
    ]);
    // A value naming the list's own variable keeps what it held (crypto/Makefile, the EFI stub's Makefile).
    const kept = ['crypto_algapi-$(CONFIG_PROC_FS) += proc.o', 'crypto_algapi-y := algapi.o $(crypto_algapi-y)', 'lib-y := stub.o', 'lib-y := $(patsubst %.o,%.stub.o,$(lib-y))'].join('\n');
    expect(rules(kept).filter((r) => r.includes('proc.o') || r.includes('stub.o'))).toEqual(['crypto_algapi proc.o IS_ENABLED(CONFIG_PROC_FS)', 'lib stub.o 1']);
  });

  it('leaves out block terms when asked (the root Makefile)', () => {
    const text = ['ifdef config-build', 'else', 'libs-y := lib/', 'endif'].join('\n');
    expect(rules(text)).toEqual([`libs lib/ !(${UNKNOWN_TERM})`]);
    expect(readMakefile(text, { blocks: false }).map((e) => e.cond)).toEqual(['1']);
  });
});
