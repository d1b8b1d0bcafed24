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
  '\tdepends on ZSWAP',
  '\tdefault LZO',
  'config LZO',
  '\tbool "lzo"',
  'config LZ4',
  '\tbool "lz4"',
  'endchoice',
  '',
  'choice',
  '\tprompt "Conditional default"',
  '\tdefault P if EXPERT',
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
  '\tdefault y if EXPERT',
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
].join('\n');
const archKconfig = ['config TWICE', '\tdefault y', 'config PCI', '\tbool "PCI"'].join('\n');
const kconfig = [
  { path: 'mm/Kconfig', facts: readKconfig(mmKconfig) },
  { path: 'arch/x86/Kconfig', facts: readKconfig(archKconfig) },
];
const defconfigText = ['CONFIG_PCI=y', '# CONFIG_DEFAULT_Y is not set', 'CONFIG_LZ4=y', 'CONFIG_HZ=300'].join('\n');

describe('defconfig model', () => {
  const m = defconfigModel(kconfig, readConfigFile(defconfigText), 'arch/x86/configs/x86_64_defconfig', 'k1');

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

  it('keeps the members of a choice whose first default is conditional unknown', () => {
    expect(m.value('CONFIG_P')).toBeUndefined();
    expect(m.value('CONFIG_Q')).toBeUndefined();
  });

  it('makes n a bool/tristate with no default or only default n, selected by nothing', () => {
    expect(m.value('CONFIG_NO_DEFAULT')).toBe('n');
    expect(m.why('CONFIG_NO_DEFAULT')).toBe('no default in Kconfig (mm/Kconfig:34), not set in arch/x86/configs/x86_64_defconfig');
    expect(m.value('CONFIG_DEFAULT_N')).toBe('n');
    expect(m.value('CONFIG_SELECTOR')).toBe('n');
  });

  it('keeps unknown what may be y: defaults other than n, selected or implied options, numbers, a default added in another file', () => {
    expect(m.value('CONFIG_DEFAULT_Y')).toBe('n'); // set in the defconfig
    const bare = defconfigModel(kconfig, new Map(), 'd', 'k');
    expect(bare.value('CONFIG_DEFAULT_Y')).toBeUndefined();
    expect(bare.why('CONFIG_DEFAULT_Y')).toBeUndefined();
    expect(m.value('CONFIG_CONDITIONAL_Y')).toBeUndefined();
    expect(m.value('CONFIG_SELECTED')).toBeUndefined();
    expect(m.value('CONFIG_IMPLIED')).toBeUndefined();
    expect(m.value('CONFIG_NUMBER')).toBeUndefined();
    expect(m.value('CONFIG_TWICE')).toBeUndefined();
  });

  it('makes n an option no Kconfig file defines, unless no Kconfig file was read at all', () => {
    expect(m.value('CONFIG_PPC64')).toBe('n');
    expect(m.why('CONFIG_PPC64')).toBe('defined by no Kconfig file of this architecture');
    expect(defconfigModel([], new Map(), 'd', 'k').value('CONFIG_PPC64')).toBeUndefined();
  });

  it('does not take a default member as y when the defconfig unsets it, nor the others as n', () => {
    const model = defconfigModel(kconfig, readConfigFile('# CONFIG_SLUB is not set'), 'd', 'k');
    expect(model.value('CONFIG_SLUB')).toBe('n');
    expect(model.value('CONFIG_SLAB')).toBeUndefined();
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
