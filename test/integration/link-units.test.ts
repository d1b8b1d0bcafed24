import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/index.js';
import { explainEdge } from '../../src/api/explain.js';
import { buildBuildModel } from '../../src/index/build-model.js';
import { detectProfile } from '../../src/profiles/index.js';
import { cliOn } from '../support/run-cli.js';

/**
 * Binding by name across modules (fixtures/linkunits): two staging drivers, each built as a
 * module of several objects, both define a global join_timeout_handler, each declared in a header
 * its Makefile's `-I` flag reaches. Where no prototype breaks the tie (a header naming no
 * prototype), the module linking the caller decides, as the linker does (a module's own
 * definition satisfies its references before any other module's symbols are looked at).
 */
const ROOT = 'fixtures/linkunits';
const A = 'drivers/staging/wlan_a/core/mlme.c';
const B = 'drivers/staging/wlan_b/core/mlme.c';

const targetsOf = (p: Awaited<ReturnType<typeof openTree>>, caller: string, callee: string): string[] => explainEdge(p, caller, callee).edges.map((e) => e.to.file).sort();

describe('a call by name binds to the definition of its own module', () => {
  it('the build model names the composite object each file is linked into', () => {
    const { model } = buildBuildModel(ROOT, detectProfile(ROOT), {});
    expect(model.linkUnit('drivers/staging/wlan_a/os_dep/mlme_linux.c')).toBe('drivers/staging/wlan_a/wlan_a.o');
    expect(model.linkUnit(A)).toBe('drivers/staging/wlan_a/wlan_a.o');
    expect(model.linkUnit(B)).toBe('drivers/staging/wlan_b/wlan_b.o');
    expect(model.linkUnit('kernel/timer.c')).toBeUndefined(); // obj-y timer.o: a part of no composite object
    expect(model.linkUnit('drivers/firmware/stub/vsprintf.c')).toBe('drivers/firmware/stub/'); // entered through subdir- only: an image of its own
    expect(model.linkUnit('lib/vsprintf.c')).toBeUndefined();
    // A header under a module's folder, and no other object's: that module's. A header of include/: none.
    expect(model.linkUnit('drivers/staging/wlan_a/include/wlan_events.h')).toBe('drivers/staging/wlan_a/wlan_a.o');
    expect(model.linkUnit('include/linux/timer.h')).toBeUndefined();
    // Entered by a make rule only (`$(MAKE) $(build)=$(boot)`, `$(build)=$(obj)/compressed`): images of their own.
    expect(model.linkUnit('arch/x86/boot/string.c')).toBe('arch/x86/boot/');
    expect(model.linkUnit('arch/x86/boot/compressed/string.c')).toBe('arch/x86/boot/compressed/');
  });

  // A user's finding: the kernel's memset calls bound arch/x86/boot/compressed/string.c.
  it("never binds a call to a global of an image the caller is not linked into, even the only one", async () => {
    const p = await openTree({ root: ROOT, facts: true });
    // The kernel's own memset is in assembly: the call is external, and explain says why neither copy is taken.
    const edge = explainEdge(p, 'timer_clear', 'memset').edges;
    expect(edge.map((e) => e.to.external)).toEqual([true]);
    expect(edge[0]!.choice!.map((v) => `${v.file}: ${v.reason}`)).toEqual([
      'arch/x86/boot/compressed/string.c: global function of arch/x86/boot/compressed/, an image linked on its own (a folder only subdir- lists or $(build)= rules enter), which kernel/timer.c is not linked into',
      'arch/x86/boot/string.c: global function of arch/x86/boot/, an image linked on its own (a folder only subdir- lists or $(build)= rules enter), which kernel/timer.c is not linked into',
    ]);
    expect(targetsOf(p, 'setup_main', 'memset')).toEqual(['arch/x86/boot/string.c']);
    expect(targetsOf(p, 'decompress_kernel', 'memset')).toEqual(['arch/x86/boot/compressed/string.c']);
  });

  it('binds calls and functions passed as values to the module of the caller, and explain says why', async () => {
    const p = await openTree({ root: ROOT, facts: true });
    expect(targetsOf(p, 'leave_network', 'join_timeout_handler')).toEqual([B]);
    expect(targetsOf(p, 'expire_join', 'join_timeout_handler')).toEqual([A]);
    // Passed to timer_setup from wlan_a's os_dep/mlme_linux.c, then called through timer->function.
    expect(targetsOf(p, 'run_timer', 'join_timeout_handler')).toEqual([A]);
    // Named in an initializer of a header of wlan_a (no prototype there): wlan_a's, as the header is its module's.
    expect(targetsOf(p, 'dispatch_event', 'join_timeout_handler')).toEqual([A]);
    // The kernel's snprintf, not the one of an image linked on its own (subdir-); and that image's own for its callers.
    expect(targetsOf(p, 'timer_name', 'snprintf')).toEqual(['lib/vsprintf.c']);
    expect(targetsOf(p, 'stub_banner', 'snprintf')).toEqual(['drivers/firmware/stub/vsprintf.c']);
    expect(explainEdge(p, 'timer_name', 'snprintf').edges[0]!.choice!.find((v) => !v.chosen)?.reason).toBe(
      'global function of drivers/firmware/stub/, an image linked on its own (a folder only subdir- lists or $(build)= rules enter), which kernel/timer.c is not linked into',
    );
    // Each driver's header is reached through its Makefile's `ccflags-y += -I$(srctree)/$(src)/include`: its prototype breaks the tie.
    const verdicts = explainEdge(p, 'expire_join', 'join_timeout_handler').edges[0]!.choice!;
    expect(verdicts.find((v) => v.file === B)).toMatchObject({ chosen: false, reason: 'no prototype in drivers/staging/wlan_a/include/wlan_mlme.h reaches drivers/staging/wlan_b/core/mlme.c' });
    // A header seeing no prototype: the module whose folder holds it decides.
    const fromHeader = explainEdge(p, 'fire_join', 'join_timeout_handler').edges[0]!.choice!;
    expect(fromHeader.find((v) => v.file === B)).toMatchObject({ chosen: false, reason: 'global function of drivers/staging/wlan_b/wlan_b.o, which drivers/staging/wlan_a/include/wlan_events.h is not linked into' });
    expect(verdicts.find((v) => v.file === A)).toMatchObject({ chosen: true, reason: 'global function in the same file; prototype in drivers/staging/wlan_a/include/wlan_mlme.h' });
  });

  it('binds the same way from the index cache', () => {
    const cli = cliOn('linkunits');
    for (let run = 0; run < 2; run++) {
      const text = cli('-q', 'callees', 'run_timer');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`join_timeout_handler (${A})`);
      expect(text.stdout).not.toContain(B);
      expect(cli('-q', 'callers', 'join_timeout_handler').stdout).toMatch(new RegExp(`${B.replaceAll('/', '\\/').replaceAll('.', '\\.')}:\\d+  called by:\\n└─ leave_network  ${B.replaceAll('/', '\\/').replaceAll('.', '\\.')}:10\\n`));
    }
  });
});
