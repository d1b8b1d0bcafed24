import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { withIndexedFixture } from '../support/indexed-fixture.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { editFile, putFile } from '../support/edit-files.js';

/**
 * A static function renamed, added or removed in a `.c` file while another file mentions a
 * static of the same name as a value (`INIT_WORK(&o->task, eth_reset_task)` in a second driver:
 * e1000 and e1000e define many functions of the same names). A static of a `.c` file that no
 * `#include` opens is seen from its own file alone (resolve/definition-scope.ts), so another
 * file's mention never binds it: the patch goes on. A `.c` file another `.c` file includes is seen
 * by that file too (fixtures/includedc): there a mention elsewhere still resolves in full. Either
 * way the graph must equal a fresh index.
 */
const MAIN = 'drivers/net/eth/main.c';
const OTHER = 'drivers/net/eth/other.c';

/** A second driver file with a static of main.c's handler's name, registered (a mention as a value) and queued. */
const OTHER_C = `#include <linux/workqueue.h>

struct eth_other {
	struct work_struct other_task;
};

static void eth_reset_task(struct work_struct *work)
{
}

void eth_other_init(struct eth_other *o)
{
	INIT_WORK(&o->other_task, eth_reset_task);
}

void eth_other_kick(struct eth_other *o)
{
	schedule_work(&o->other_task);
}
`;

describe('a static renamed while another file has a static of its name (fixtures/handoff)', () => {
  it("patches main.c's work handler renamed with its registration; the other file's static and its edges stay", async () => {
    await withIndexedFixture(
      'handoff',
      'pathfind-statics-',
      async (root, cache) => {
        putFile(root, MAIN, readFileSync(join(root, MAIN), 'utf8').replace(/\beth_reset_task\b/g, 'eth_reset_worker'));
        const renamed = await expectSameAsFresh(root, cache);
        expect(renamed.incremental, renamed.why).toBe(true);
        expect(renamed.got.some((r) => r.startsWith('edge eth_other_kick@') && r.includes(`-> eth_reset_task@${OTHER}`))).toBe(true);
        // Back to the name the other file's static has.
        putFile(root, MAIN, readFileSync(join(root, MAIN), 'utf8').replace(/\beth_reset_worker\b/g, 'eth_reset_task'));
        const back = await expectSameAsFresh(root, cache);
        expect(back.incremental, back.why).toBe(true);
      },
      (root) => putFile(root, OTHER, OTHER_C),
    );
  });

  it('resolves in full when the file mentioning the name sees the edited static (one .c file includes the other)', async () => {
    const { dir, root } = copyFixture('includedc', 'pathfind-statics-unit-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      // uhci-pci.c's table names uhci-q.c's static; both are parts of uhci-hcd.c's unit.
      editFile(root, 'drivers/usb/host/uhci-q.c', 'static int uhci_urb_enqueue(', 'static int uhci_urb_enqueue_one(');
      const { incremental, why } = await expectSameAsFresh(root, cache);
      expect(incremental).toBe(false);
      expect(why).toContain('uhci_urb_enqueue is mentioned other than by calls');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
