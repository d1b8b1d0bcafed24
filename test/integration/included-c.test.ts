import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree, openTreeReport } from '../../src/index.js';
import { compareWithFresh, editFile } from '../support/edit-files.js';
import { copyFixture } from '../support/fixtures.js';
import { explainEdge } from '../../src/api/explain.js';
import { Truth } from '../../src/types/build.js';
import { cliOn } from '../support/run-cli.js';

/**
 * `.c` files `#include`d by another `.c` file (fixtures/includedc): each is a part of the
 * translation unit of every file including it, as the compiler sees it. Names visible there bind
 * (a table of uhci-pci.c names statics of uhci-hcd.c and of uhci-q.c, its sibling; control_compat.c
 * calls a static of control.c), and such a file is built exactly when a file including it is
 * (echoaudio.c, included only by card drivers the config leaves out, is not).
 */
const ROOT = 'fixtures/includedc';

const targetsOf = (p: Awaited<ReturnType<typeof openTree>>, caller: string, callee: string): string[] =>
  explainEdge(p, caller, callee)
    .edges.map((e) => (e.to.external ? 'external' : e.to.file))
    .sort();

describe('a .c file #included by another is a part of its translation unit', () => {
  it("binds a table's members to the statics of the including file and of the other files it includes", async () => {
    const p = await openTree({ root: ROOT, facts: true });
    expect(targetsOf(p, 'usb_submit_urb', 'uhci_urb_enqueue')).toEqual(['drivers/usb/host/uhci-q.c']);
    expect(targetsOf(p, 'usb_hcd_irq', 'uhci_irq')).toEqual(['drivers/usb/host/uhci-hcd.c']);
  });

  it("binds a call in the included file to a static of the file including it: one function, no external twin", async () => {
    const p = await openTree({ root: ROOT, facts: true });
    expect(targetsOf(p, 'snd_ctl_ioctl_compat', 'snd_ctl_ioctl')).toEqual(['sound/core/control.c']);
  });

  it('decides its conditions over the macros the files including it define (a Kleene OR over its units)', async () => {
    const p = await openTree({ root: ROOT, facts: true });
    // gina20.c defines ECHOCARD_HAS_MIDI before including echoaudio.c: the call under #ifdef ECHOCARD_HAS_MIDI is compiled there.
    expect(targetsOf(p, 'snd_echo_interrupt', 'snd_echo_midi_output_write')).toEqual(['sound/pci/echoaudio/echoaudio.c']);
  });

  it('is built exactly when a file including it is', async () => {
    const p = await openTree({ root: ROOT, facts: true });
    const activity = p.index.bindingScope!.activity!;
    const built = (path: string): Truth => activity.fileBuilt(p.index.filePaths().indexOf(path));
    expect(built('drivers/usb/host/uhci-hcd.c')).toBe(Truth.Yes);
    expect(built('drivers/usb/host/uhci-q.c')).toBe(Truth.Yes);
    expect(built('drivers/usb/host/uhci-pci.c')).toBe(Truth.Yes);
    expect(built('sound/core/control_compat.c')).toBe(Truth.Yes);
    expect(built('sound/pci/echoaudio/darla20.c')).toBe(Truth.No);
    expect(built('sound/pci/echoaudio/echoaudio.c')).toBe(Truth.No);
    // Included under an #ifdef the configuration leaves out (a review user's finding: uhci-grlib.c
    // under CONFIG_SPARC_LEON, kernel/sched/debug.c under CONFIG_SCHED_DEBUG counted as built).
    expect(built('drivers/usb/host/uhci-grlib.c')).toBe(Truth.No);
    expect(activity.whyNotBuilt(p.index.filePaths().indexOf('drivers/usb/host/uhci-grlib.c'))).toBe('not built: #included only under conditions the configuration leaves out, by drivers/usb/host/uhci-hcd.c');
    expect(activity.whyNotBuilt(p.index.filePaths().indexOf('sound/pci/echoaudio/echoaudio.c'))).toBe(
      'not built: #included only by sound/pci/echoaudio/darla20.c, sound/pci/echoaudio/gina20.c, none of them built (sound/pci/echoaudio/darla20.c: not built: part of sound/pci/echoaudio/snd-darla20.o: CONFIG_SND_DARLA20 is not set (sound/pci/echoaudio/Makefile:3))',
    );
  });

  it('the CLI finds the paths and callers through the unit, and --built-only drops what no built file includes, from the index cache too', () => {
    const cli = cliOn('includedc');
    for (let run = 0; run < 2; run++) {
      const path = cli('-q', '-s', 'usb_submit_urb', '-t', 'uhci_urb_enqueue');
      expect(path.code).toBe(0);
      expect(path.stdout).toContain('uhci_urb_enqueue  drivers/usb/core/hcd.c:7  [ops-initializer: drivers/usb/host/uhci-pci.c:6 .urb_enqueue = uhci_urb_enqueue in struct hc_driver uhci_driver]');
      const irq = cli('-q', 'callers', 'uhci_irq');
      expect(irq.stdout).toContain('└─ usb_hcd_irq  drivers/usb/core/hcd.c:12');
      const compat = cli('-q', 'callers', 'snd_ctl_ioctl', '--depth', '1');
      expect(compat.stdout).toBe('snd_ctl_ioctl  defined at sound/core/control.c:3  called by:\n└─ snd_ctl_ioctl_compat  sound/core/control_compat.c:5\n');
      expect(compat.stderr).toBe('');
      const elapsed = cli('-q', 'callers', 'snd_pcm_period_elapsed', '--depth', '1', '--built-only');
      expect(elapsed.stdout).not.toContain('snd_echo_interrupt');
      expect(cli('-q', 'callers', 'snd_pcm_period_elapsed', '--depth', '1').stdout).toContain('snd_echo_interrupt');
    }
  });

  it('an edit of the #include lines that makes or unmakes a unit is resolved in full, and equals a fresh index', async () => {
    const { dir, root } = copyFixture('includedc', 'pathfind-includedc-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const HCD = 'drivers/usb/host/uhci-hcd.c';
    // uhci-pci.c taken out of the unit: its table sees no static of uhci-q.c.
    editFile(root, HCD, '#include "uhci-pci.c"\n', '');
    const apart = await compareWithFresh(root, cache);
    expect(apart.got).toEqual(apart.want);
    expect(apart.why).toContain(`${HCD}: its #include lines changed, and it #includes drivers/usb/host/uhci-q.c (one translation unit)`);
    expect(apart.got.some((r) => r.includes('-> uhci_urb_enqueue@drivers/usb/host/uhci-q.c'))).toBe(false);
    // And back.
    editFile(root, HCD, '#include "uhci-q.c"\n', '#include "uhci-q.c"\n#include "uhci-pci.c"\n');
    const together = await compareWithFresh(root, cache);
    expect(together.got).toEqual(together.want);
    expect(together.got.some((r) => r.includes('-> uhci_urb_enqueue@drivers/usb/host/uhci-q.c'))).toBe(true);
  });
});
