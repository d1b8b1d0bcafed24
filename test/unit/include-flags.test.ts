import { describe, expect, it } from 'vitest';
import { readIncludeFlags } from '../../src/parse/kbuild/include-flags.js';
import { includeDirsFor } from '../../src/index/include-dirs.js';

describe('Kbuild -I flags', () => {
  it('reads the folders ccflags and subdir-ccflags add, relative to the root', () => {
    const text = [
      'incdir := $(srctree)/$(src)/include',
      'ccflags-y += -I$(srctree)/$(src)/include -DFOO',
      'ccflags-$(CONFIG_XFS_DEBUG) += -I $(srctree)/$(src)/libxfs \\',
      '\t-Ivirt/kvm',
      'subdir-ccflags-y := -I$(incdir) -I$(FULL_PATH)/x -I/usr/include -I../outside',
      'CFLAGS_trace.o := -I$(src)',
      '# ccflags-y += -Icommented/out',
    ].join('\n');
    expect(readIncludeFlags(text, 'drivers/staging/wlan')).toEqual({
      own: ['drivers/staging/wlan/include', 'drivers/staging/wlan/libxfs', 'virt/kvm', 'drivers/staging/wlan'],
      subdir: ['drivers/staging/wlan/include'],
    });
    expect(readIncludeFlags('obj-y += a.o\n', 'x')).toEqual({ own: [], subdir: [] });
  });

  it("gives a file its compiling Makefile's own flags and every folder above's subdir flags", () => {
    const flags = new Map([
      ['drivers/gpu/amd', { own: ['drivers/gpu/amd/own'], subdir: ['drivers/gpu/amd/include'] }],
      ['drivers/gpu/amd/display', { own: ['drivers/gpu/amd/display/dc'], subdir: [] }],
    ]);
    const makefiles = new Set(['drivers/gpu/amd', 'drivers/gpu/amd/display']);
    const dirs = (path: string): string[] => includeDirsFor(path, flags, (f) => makefiles.has(f));
    expect(dirs('drivers/gpu/amd/core/a.c')).toEqual(['drivers/gpu/amd/own', 'drivers/gpu/amd/include']);
    expect(dirs('drivers/gpu/amd/display/b.c')).toEqual(['drivers/gpu/amd/display/dc', 'drivers/gpu/amd/include']);
    expect(dirs('drivers/net/c.c')).toEqual([]);
  });
});
