import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withIndexedFixture } from '../support/indexed-fixture.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';
import { putFile as put } from '../support/edit-files.js';

/**
 * A file added whose calls queue work by an object of a struct that file alone defines (a new
 * driver's private struct: `schedule_work(&priv->reset_work)` with `struct pfnet_priv *priv`).
 * The key's type was never evaluated (no file had the struct), yet it is the struct's own name
 * wherever no other file defines the tag (resolve/type-model.ts canonical): the patch reads it so
 * (resolve/object-hand-off-record.ts recordedTypes), and must equal a fresh index.
 */
const DRIVER = 'drivers/net/pf/pfnet.c';

/** A driver's file: its own struct with a work item and a timer, queued by two of its functions. */
const PFNET = `#include <linux/workqueue.h>

struct pfnet_priv {
	int up;
	struct work_struct reset_work;
	struct timer_list watchdog;
};

static void pfnet_kick(struct pfnet_priv *priv)
{
	schedule_work(&priv->reset_work);
}

void pfnet_open(struct pfnet_priv *priv)
{
	mod_timer(&priv->watchdog, 100);
	pfnet_kick(priv);
}
`;

/** The handoff fixture's copy (`before` edits it first), indexed once with its cache; `run` gets its root and cache. */
const withIndexed = (run: (root: string, cache: string) => Promise<void>, before?: (root: string) => void): Promise<void> => withIndexedFixture('handoff', 'pathfind-own-structs-', run, before);

/** Puts the driver's file `text` into the indexed fixture, then deletes it: each step patched and equal to a fresh index. */
const expectAddedAndDeletedPatched = (text: string): Promise<void> =>
  withIndexed(async (root, cache) => {
    put(root, DRIVER, text);
    const added = await expectSameAsFresh(root, cache);
    expect(added.incremental, added.why).toBe(true);
    rmSync(join(root, DRIVER));
    const gone = await expectSameAsFresh(root, cache);
    expect(gone.incremental, gone.why).toBe(true);
  });

describe('a file added whose queueing calls key a struct it alone defines', () => {
  it('patches the file added and its deletion', () => expectAddedAndDeletedPatched(PFNET));

  it('patches a file added that queues a delayed work item of its own struct by its work member (a wrapper member: the key drops it)', () =>
    expectAddedAndDeletedPatched('#include <linux/workqueue.h>\n\nstruct baz_priv {\n\tstruct delayed_work dw;\n};\n\nvoid baz_kick(struct baz_priv *bp)\n{\n\tqueue_work(0, &bp->dw.work);\n\tschedule_delayed_work(&bp->dw, 1);\n}\n'));

  it('patches the file added again after its deletion (its tag no longer defined by any file)', async () => {
    await withIndexed(async (root, cache) => {
      for (const step of ['added', 'deleted', 'added again', 'deleted again']) {
        if (step.startsWith('added')) put(root, DRIVER, PFNET);
        else rmSync(join(root, DRIVER));
        const { incremental, why } = await expectSameAsFresh(root, cache);
        expect(incremental, `${step}: ${why}`).toBe(true);
      }
    });
  });

  it('patches the deletion of a file whose own struct the full resolution read', async () => {
    await withIndexed(
      async (root, cache) => {
        rmSync(join(root, DRIVER));
        const gone = await expectSameAsFresh(root, cache);
        expect(gone.incremental, gone.why).toBe(true);
      },
      (root) => put(root, DRIVER, PFNET),
    );
  });

  it('resolves in full when another file defines a struct of the same tag (each file then sees its own)', async () => {
    await withIndexed(
      async (root, cache) => {
        put(root, DRIVER, PFNET);
        const added = await expectSameAsFresh(root, cache);
        expect(added.incremental).toBe(false);
        expect(added.why).toContain('pfnet_kick queues work by an object whose type the cached graph did not evaluate in its file (struct pfnet_priv)');
      },
      (root) => put(root, 'drivers/net/pf/other.c', 'struct pfnet_priv {\n\tint other;\n};\n\nint pfnet_other(void)\n{\n\treturn 0;\n}\n'),
    );
  });

  it('patches a file added that registers its own work item (INIT_WORK) and queues it, keyed by the struct it alone defines', async () => {
    await withIndexed(async (root, cache) => {
      put(root, DRIVER, `${PFNET}\nstatic void pfnet_reset(struct work_struct *w)\n{\n}\n\nvoid pfnet_init(struct pfnet_priv *priv)\n{\n\tINIT_WORK(&priv->reset_work, pfnet_reset);\n}\n\nvoid pfnet_kick(struct pfnet_priv *priv)\n{\n\tschedule_work(&priv->reset_work);\n}\n`);
      const added = await expectSameAsFresh(root, cache);
      expect(added.incremental, added.why).toBe(true);
      expect(added.got.some((r) => r.startsWith('edge pfnet_kick@') && r.includes('-> pfnet_reset@') && r.includes('INIT_WORK(&struct pfnet_priv.reset_work, pfnet_reset)'))).toBe(true);
    });
  });
});
