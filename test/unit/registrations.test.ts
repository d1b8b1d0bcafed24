import { describe, expect, it } from 'vitest';
import { readRegistrations } from '../../src/parse/registrations.js';
import { linuxProfile } from '../../src/profiles/linux.js';

describe('registration macros at file scope', () => {
  it('reads the function each registers, by the argument the profile names, with its line', () => {
    const src = [
      'static int __init igb_init_module(void) { return 0; }',
      'module_init(igb_init_module);',
      '#define module_init(fn) device_initcall(fn)',
      '__setup("quiet", quiet_kernel);',
      'early_param("mem", &early_mem);',
      '  core_initcall(netlink_proto_init) ;',
      'module_init(igb_(x));',
      'late_initcall_sync(clk_disable_unused);',
    ].join('\n');
    expect(readRegistrations(src, linuxProfile.registrations)).toEqual([
      { macro: 'module_init', fn: 'igb_init_module', line: 2 },
      { macro: '__setup', fn: 'quiet_kernel', line: 4 },
      { macro: 'early_param', fn: 'early_mem', line: 5 },
      { macro: 'core_initcall', fn: 'netlink_proto_init', line: 6 },
      { macro: 'late_initcall_sync', fn: 'clk_disable_unused', line: 8 },
    ]);
  });

  it('reads nothing for a profile without registration macros', () => {
    expect(readRegistrations('module_init(x);', [])).toEqual([]);
  });
});
