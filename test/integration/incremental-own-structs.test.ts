import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { expectSameAsFresh } from '../support/same-as-fresh.js';

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

function put(root: string, path: string, text: string): void {
	mkdirSync(dirname(join(root, path)), { recursive: true });
	writeFileSync(join(root, path), text);
}

/** The handoff fixture's copy (`before` edits it first), indexed once with its cache; `run` gets its root and cache, and the copy goes after. */
async function withIndexed(run: (root: string, cache: string) => Promise<void>, before: (root: string) => void = () => {}): Promise<void> {
  const { dir, root } = copyFixture('handoff', 'pathfind-own-structs-');
  try {
    const cache = join(dir, 'cache');
    before(root);
    await openTreeReport({ root, cache });
    await run(root, cache);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a file added whose queueing calls key a struct it alone defines', () => {
  it('patches the file added and its deletion', async () => {
    await withIndexed(async (root, cache) => {
      put(root, DRIVER, PFNET);
      const added = await expectSameAsFresh(root, cache);
      expect(added.incremental, added.why).toBe(true);
      rmSync(join(root, DRIVER));
      const gone = await expectSameAsFresh(root, cache);
      expect(gone.incremental, gone.why).toBe(true);
    });
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
});
