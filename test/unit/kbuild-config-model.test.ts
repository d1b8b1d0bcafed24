import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/parse/kbuild/config-file.js';
import { defconfigModel, fullConfigModel, noConfigModel } from '../../src/parse/kbuild/kconfig-model.js';
import { readKconfig } from '../../src/parse/kbuild/kconfig.js';

const mmKconfig = [
  'choice',
  '\tprompt "Choose SLAB allocator"',
  '\tdefault SLUB',
  'config SLAB',
  '\tbool "SLAB"',
  '\tdepends on !PREEMPT_RT',
  'config SLUB',
  '\tbool "SLUB"',
  'config SLOB',
  '\tbool "SLOB"',
  '\tdepends on EXPERT',
  'endchoice',
  '',
  'choice',
  '\tprompt "Compressor"',
  '\tdepends on CC_HAS_X',
  '\tdefault LZO',
  'config LZO',
  '\tbool "lzo"',
  'config LZ4',
  '\tbool "lz4"',
  'endchoice',
  '',
  'choice',
  '\tprompt "Conditional default"',
  '\tdefault P if CC_HAS_X',
  '\tdefault Q',
  'config P',
  '\tbool "p"',
  'config Q',
  '\tbool "q"',
  'endchoice',
  '',
  'config NO_DEFAULT',
  '\ttristate "driver"',
  'config DEFAULT_N',
  '\tbool "x"',
  '\tdefault n',
  '\tdefault n if EXPERT',
  'config DEFAULT_Y',
  '\tbool "y"',
  '\tdefault y',
  'config CONDITIONAL_Y',
  '\tbool "cy"',
  '\tdefault y if CC_HAS_X',
  'config SELECTED',
  '\tbool',
  'config IMPLIED',
  '\ttristate "i"',
  'config NUMBER',
  '\tint "n"',
  'config SELECTOR',
  '\tbool "s"',
  '\tselect SELECTED',
  '\timply IMPLIED',
  'config TWICE',
  '\tbool "twice"',
  '\tdefault n',
  'config UNREADABLE_DEFAULT',
  '\tbool "x"',
  '\tdefault y if CC_HAS_X || PCI',
  'config DEPENDS_ON_UNSET',
  '\ttristate "x"',
  '\tdepends on DEFAULT_Y',
  '\tdefault m',
  'config DEPENDS_ON_PCI',
  '\ttristate "x"',
  '\tdepends on PCI && !X86_32',
  '\tdefault m',
  'config SELECTED_BY_PCI_USER',
  '\tbool',
  'config PCI_USER',
  '\tdef_bool PCI',
  '\tselect SELECTED_BY_PCI_USER',
  'config ARCH_NAME',
  '\tbool "64-bit" if "$(ARCH)" = "x86"',
  '\tdefault "$(ARCH)" != "i386"',
  'config MACRO_VALUE',
  '\tbool',
  '\tdefault "$(CC_VERSION)" = "12"',
  'config DEFAULT_INT',
  '\tint "n"',
  '\tdefault 64 if PCI',
  '\tdefault 32',
  // kernel/gcov/Kconfig's GCOV_KERNEL: a dependency on a compiler test, default n.
  'config DEFAULT_N_ON_COMPILER',
  '\tbool "gcov"',
  '\tdepends on PCI',
  '\tdepends on !PCI || CC_HAS_X',
  '\tdefault n',
  'config DEFAULT_Y_ON_COMPILER',
  '\tbool "y"',
  '\tdepends on CC_HAS_X',
  '\tdefault y',
].join('\n');
const archKconfig = ['config TWICE', '\tdefault y', 'config PCI', '\tbool "PCI"', 'config CC_HAS_X', '\tdef_bool $(success,true)'].join('\n');
const kconfig = [
  { path: 'mm/Kconfig', facts: readKconfig(mmKconfig) },
  { path: 'arch/x86/Kconfig', facts: readKconfig(archKconfig) },
];
const defconfigText = ['CONFIG_PCI=y', '# CONFIG_DEFAULT_Y is not set', 'CONFIG_LZ4=y', 'CONFIG_HZ=300'].join('\n');

describe('defconfig model', () => {
  const m = defconfigModel(kconfig, readConfigFile(defconfigText), 'arch/x86/configs/x86_64_defconfig', 'k1', { ARCH: 'x86' });

  it('takes what the defconfig sets, "is not set" as n', () => {
    expect(m.kind).toBe('defconfig');
    expect(m.value('CONFIG_PCI')).toBe('y');
    expect(m.why('CONFIG_PCI')).toBe('set in arch/x86/configs/x86_64_defconfig:1');
    expect(m.value('CONFIG_DEFAULT_Y')).toBe('n');
    expect(m.why('CONFIG_DEFAULT_Y')).toBe('not set in arch/x86/configs/x86_64_defconfig:2');
    expect(m.value('CONFIG_HZ')).toBe('300');
  });

  it('makes the unconditional default member of a choice y and the other members n', () => {
    expect(m.value('CONFIG_SLUB')).toBe('y');
    expect(m.why('CONFIG_SLUB')).toMatch(/default of the choice at mm\/Kconfig:1/);
    expect(m.value('CONFIG_SLAB')).toBe('n');
    expect(m.value('CONFIG_SLOB')).toBe('n');
  });

  it('makes a dependent choice\'s default unknown, and its other members n when one is set', () => {
    expect(m.value('CONFIG_LZO')).toBe('n');
    expect(m.why('CONFIG_LZO')).toMatch(/CONFIG_LZ4 is set/);
    const unset = defconfigModel(kconfig, new Map(), 'd', 'k');
    expect(unset.value('CONFIG_LZO')).toBeUndefined();
    expect(unset.value('CONFIG_LZ4')).toBe('n');
  });

  it('keeps the members of a choice whose first default hangs on an unknown unknown; a choice whose dependency is n is off', () => {
    expect(m.value('CONFIG_P')).toBeUndefined();
    expect(m.value('CONFIG_Q')).toBeUndefined();
    const dependsOnN = readKconfig(['choice', '\tprompt "c"', '\tdepends on NOT_DEFINED', '\tdefault A1', 'config A1', '\tbool "a"', 'config A2', '\tbool "b"', 'endchoice'].join('\n'));
    const off = defconfigModel([{ path: 'Kconfig', facts: dependsOnN }], new Map(), 'd', 'k');
    expect(off.value('CONFIG_A1')).toBe('n');
    expect(off.why('CONFIG_A1')).toBe('the choice at Kconfig:1 is off: its dependencies are not met');
    expect(off.value('CONFIG_A2')).toBe('n');
  });

  it('makes n a bool/tristate with no default or only default n, selected by nothing', () => {
    expect(m.value('CONFIG_NO_DEFAULT')).toBe('n');
    expect(m.why('CONFIG_NO_DEFAULT')).toBe('Kconfig no default (mm/Kconfig:34), not set in arch/x86/configs/x86_64_defconfig');
    expect(m.value('CONFIG_DEFAULT_N')).toBe('n');
    expect(m.value('CONFIG_SELECTOR')).toBe('n');
    expect(m.value('CONFIG_SELECTED')).toBe('n'); // its only selector is n
    expect(m.value('CONFIG_IMPLIED')).toBe('n');
  });

  it('evaluates Kconfig defaults within dependencies: the first default whose condition holds, raised by selects', () => {
    const bare = defconfigModel(kconfig, new Map(), 'd', 'k');
    expect(bare.value('CONFIG_DEFAULT_Y')).toBe('y');
    expect(bare.why('CONFIG_DEFAULT_Y')).toBe('Kconfig default y (mm/Kconfig:42), not set in d');
    expect(m.value('CONFIG_DEPENDS_ON_UNSET')).toBe('n'); // DEFAULT_Y is not set in the defconfig
    expect(bare.value('CONFIG_DEPENDS_ON_UNSET')).toBe('m');
    expect(m.value('CONFIG_DEPENDS_ON_PCI')).toBe('m');
    expect(m.value('CONFIG_X86_32')).toBe('n'); // defined nowhere
    expect(m.value('CONFIG_PCI_USER')).toBe('y');
    expect(m.value('CONFIG_SELECTED_BY_PCI_USER')).toBe('y');
    expect(m.why('CONFIG_SELECTED_BY_PCI_USER')).toBe('selected by CONFIG_PCI_USER, not set in arch/x86/configs/x86_64_defconfig');
    expect(m.value('CONFIG_ARCH_NAME')).toBe('y'); // "$(ARCH)" is x86
    expect(m.value('CONFIG_DEFAULT_INT')).toBe('64');
    expect(m.value('CONFIG_UNREADABLE_DEFAULT')).toBe('y'); // unknown || y
  });

  it('makes n a bool whose default is n while its dependencies hang on an unknown: n whether they hold or not', () => {
    expect(m.value('CONFIG_DEFAULT_N_ON_COMPILER')).toBe('n');
    expect(m.why('CONFIG_DEFAULT_N_ON_COMPILER')).toBe('Kconfig default n (mm/Kconfig:89), not set in arch/x86/configs/x86_64_defconfig');
    expect(m.value('CONFIG_DEFAULT_Y_ON_COMPILER')).toBeUndefined();
  });

  it('keeps unknown what hangs on an unknown: shell macros, unknown Kconfig macros, several entries with defaults', () => {
    expect(m.value('CONFIG_CC_HAS_X')).toBeUndefined();
    expect(m.value('CONFIG_CONDITIONAL_Y')).toBeUndefined();
    expect(m.value('CONFIG_MACRO_VALUE')).toBeUndefined();
    expect(m.value('CONFIG_NUMBER')).toBeUndefined(); // an int with no default
    expect(m.value('CONFIG_TWICE')).toBeUndefined();
    expect(m.why('CONFIG_TWICE')).toBeUndefined();
  });

  it('drops an option the defconfig sets when its dependencies are certainly not met', () => {
    const model = defconfigModel(kconfig, readConfigFile('# CONFIG_PCI is not set\nCONFIG_DEPENDS_ON_PCI=m'), 'd', 'k');
    expect(model.value('CONFIG_DEPENDS_ON_PCI')).toBe('n');
    expect(model.why('CONFIG_DEPENDS_ON_PCI')).toBe('set in d:2, but its dependencies are not met');
  });

  it('makes n an option no Kconfig file defines, unless no Kconfig file was read at all', () => {
    expect(m.value('CONFIG_PPC64')).toBe('n');
    expect(m.why('CONFIG_PPC64')).toBe('defined by no Kconfig file of this architecture');
    expect(defconfigModel([], new Map(), 'd', 'k').value('CONFIG_PPC64')).toBeUndefined();
  });

  it('reads a choice member set to n as picking nothing: the choice still takes its default (as scripts/kconfig does)', () => {
    const model = defconfigModel(kconfig, readConfigFile('# CONFIG_SLUB is not set'), 'd', 'k');
    expect(model.value('CONFIG_SLUB')).toBe('y');
    expect(model.value('CONFIG_SLAB')).toBe('n');
    const other = defconfigModel(kconfig, readConfigFile('# CONFIG_SLUB is not set\nCONFIG_SLAB=y'), 'd', 'k');
    expect(other.value('CONFIG_SLUB')).toBe('n');
    expect(other.value('CONFIG_SLAB')).toBe('y');
  });
});

describe('full config and no config', () => {
  it('a full config makes every option it does not list n', () => {
    const m = fullConfigModel(readConfigFile('CONFIG_PCI=y\n# CONFIG_SLOB is not set\n'), '.config', 'k');
    expect(m.kind).toBe('config');
    expect(m.value('CONFIG_PCI')).toBe('y');
    expect(m.value('CONFIG_SLOB')).toBe('n');
    expect(m.why('CONFIG_SLOB')).toBe('not set in .config:2');
    expect(m.value('CONFIG_ANYTHING')).toBe('n');
    expect(m.why('CONFIG_ANYTHING')).toBe('not in .config');
  });

  it('no config knows nothing', () => {
    const m = noConfigModel();
    expect(m.kind).toBe('none');
    expect(m.value('CONFIG_PCI')).toBeUndefined();
  });
});

describe('valuesDigest', () => {
  const model = (kconfigText: string, config: string) => defconfigModel([{ path: 'Kconfig', facts: readKconfig(kconfigText) }], readConfigFile(config), 'd', 'k');
  const base = ['config A', '\tbool "a"', '\tdefault y', 'config B', '\tbool "b"', '\tdepends on A'].join('\n');

  it('is the same when only texts move: a help text, a comment, lines in another order, the config\'s own comments', () => {
    const digest = model(base, 'CONFIG_B=y\n').valuesDigest!();
    expect(model(`${base}\n\thelp\n\t  B does nothing.\n`, 'CONFIG_B=y\n').valuesDigest!()).toBe(digest);
    expect(model(`# options\n${base}`, '# set by hand\nCONFIG_B=y\n').valuesDigest!()).toBe(digest);
    expect(model(['config B', '\tbool "b"', '\tdepends on A', 'config A', '\tbool "a"', '\tdefault y'].join('\n'), 'CONFIG_B=y\n').valuesDigest!()).toBe(digest);
  });

  it('changes with any value, and with an option added or taken out', () => {
    const digest = model(base, 'CONFIG_B=y\n').valuesDigest!();
    expect(model(base.replace('default y', 'default n'), 'CONFIG_B=y\n').valuesDigest!()).not.toBe(digest);
    expect(model(base, 'CONFIG_B=n\n').valuesDigest!()).not.toBe(digest);
    expect(model(`${base}\nconfig C\n\tbool "c"\n\tdefault y\n`, 'CONFIG_B=y\n').valuesDigest!()).not.toBe(digest);
    expect(model(base, 'CONFIG_B=y\nCONFIG_OTHER=y\n').valuesDigest!()).not.toBe(digest);
    expect(model(base.replace('config A', 'config A2'), 'CONFIG_B=y\n').valuesDigest!()).not.toBe(digest);
  });

  it('is the same for an option added whose value is n, as any option no Kconfig file names', () => {
    const digest = model(base, 'CONFIG_B=y\n').valuesDigest!();
    expect(model(`${base}\nconfig NEWDRV\n\ttristate "new driver"\n\tdepends on A\n`, 'CONFIG_B=y\n').valuesDigest!()).toBe(digest);
    expect(model(base, 'CONFIG_B=y\n# CONFIG_NEWDRV is not set\n').valuesDigest!()).toBe(digest);
  });

  it('tells a full configuration, a defconfig and none apart, and a full configuration by its values', () => {
    const full = fullConfigModel(readConfigFile('CONFIG_A=y\n'), '.config', 'k');
    expect(full.valuesDigest!()).toBe(fullConfigModel(readConfigFile('# comment\nCONFIG_A=y\n'), '.config', 'k2').valuesDigest!());
    expect(full.valuesDigest!()).not.toBe(fullConfigModel(readConfigFile('CONFIG_A=m\n'), '.config', 'k').valuesDigest!());
    expect(full.valuesDigest!()).not.toBe(noConfigModel().valuesDigest!());
    expect(full.valuesDigest!()).not.toBe(defconfigModel([], readConfigFile('CONFIG_A=y\n'), 'd', 'k').valuesDigest!());
  });
});
