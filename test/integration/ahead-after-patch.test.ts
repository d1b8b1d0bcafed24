import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

// A path search made ahead on the cached graph, while the tree is listed, is described on the graph
// patched since for edited files when the same search there finds the same paths
// (api/ahead-after-patch.ts). Every answer must be the one a from-scratch index of the edited tree
// gives: lines, evidence and target counts read from the patched graph, never from the answer made
// before.

/** The path query as the CLI asks it (its path is long enough to look for one through deferred hops). */
const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue', k: 1, via: [], avoid: [], deferredWhenShorter: true };

/** A private copy of the minikernel with its graph cached. */
async function cached(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('minikernel', 'pathfind-ahead-patch-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** Opens the edited tree through the cache, QUERY searched ahead on the cached graph while the tree is listed; then asks it. */
async function askedAfterEdit(root: string, cache: string): Promise<{ project: Project; answer: ReturnType<Project['findPaths']>; incremental: boolean }> {
  let ahead = 0;
  const { project, report } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => {
    p.graph({ noDeferred: true });
    if (p.answerAhead({ paths: QUERY })) ahead++;
  });
  expect(ahead).toBe(1);
  return { project, answer: project.findPaths(QUERY), incremental: report.incremental === true };
}

/** The answer a from-scratch index of the tree gives. */
async function fresh(root: string): Promise<ReturnType<Project['findPaths']>> {
  return (await openTreeReport({ root, cache: false })).project.findPaths(QUERY);
}

const edit = (root: string, path: string, change: (text: string) => string): void => {
  const file = join(root, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`${path}: the edit changed nothing`);
  writeFileSync(file, after);
};

describe('a path search made ahead on the cached graph, after a patch', () => {
  it('holds when the edit moved the lines of functions on the path: the answer gives their new lines', async () => {
    const { root, cache } = await cached();
    const before = await fresh(root);
    edit(root, 'net/mac80211/tx.c', (t) => t.replace('#include "driver-ops.h"\n', '#include "driver-ops.h"\n\n/* moved */\n\n'));
    const { project, answer, incremental } = await askedAfterEdit(root, cache);
    expect(incremental).toBe(true);
    expect(project.searchesKept).toBe(1);
    const now = await fresh(root);
    expect(answer).toEqual(now);
    // The lines moved: an answer taken as it was made would be stale.
    expect(now).not.toEqual(before);
  });

  it('holds when a function was added to a file on the path (nodes renumbered)', async () => {
    const { root, cache } = await cached();
    edit(root, 'net/mac80211/tx.c', (t) => t.replace('#include "driver-ops.h"\n', '#include "driver-ops.h"\n\nstatic void tx_added_first(void)\n{\n}\n'));
    const { project, answer, incremental } = await askedAfterEdit(root, cache);
    expect(incremental).toBe(true);
    expect(project.searchesKept).toBe(1);
    expect(answer).toEqual(await fresh(root));
  });

  it('holds when a file was added, and when it was deleted again (files renumbered)', async () => {
    const { root, cache } = await cached();
    writeFileSync(join(root, 'drivers/net/added.c'), 'static int added_alone(void)\n{\n\treturn 0;\n}\n');
    const added = await askedAfterEdit(root, cache);
    expect(added.incremental).toBe(true);
    expect(added.project.searchesKept).toBe(1);
    expect(added.answer).toEqual(await fresh(root));
    rmSync(join(root, 'drivers/net/added.c'));
    const deleted = await askedAfterEdit(root, cache);
    expect(deleted.incremental).toBe(true);
    expect(deleted.project.searchesKept).toBe(1);
    expect(deleted.answer).toEqual(await fresh(root));
  });

  it('is searched again when a call added on the path makes a shorter one', async () => {
    const { root, cache } = await cached();
    const before = await fresh(root);
    edit(root, 'net/mac80211/tx.c', (t) => t.replace('\tskb_queue_tail(&txqi->frags, skb);\n', '\tskb_queue_tail(&txqi->frags, skb);\n\tdrv_wake_tx_queue(local, txqi);\n'));
    const { project, answer } = await askedAfterEdit(root, cache);
    expect(project.searchesKept).toBe(0);
    const now = await fresh(root);
    expect(answer).toEqual(now);
    expect(now.paths[0]!.nodes.length).toBeLessThan(before.paths[0]!.nodes.length);
  });

  it('is searched again when a binding added elsewhere gives a pointer call on the path one more target', async () => {
    const { root, cache } = await cached();
    writeFileSync(join(root, 'drivers/net/added.c'), '#include <linux/fs.h>\n\nstatic ssize_t added_write_iter(struct kiocb *iocb, struct iov_iter *from)\n{\n\treturn 0;\n}\n\nconst struct file_operations added_fops = {\n\t.write_iter = added_write_iter,\n};\n');
    const { project, answer } = await askedAfterEdit(root, cache);
    expect(project.searchesKept).toBe(0);
    expect(answer).toEqual(await fresh(root));
  });

  it('keeps the texts of pointer steps read for the cached graph from files that did not change, and reads those of an edited file again', async () => {
    const { root, cache } = await cached();
    // Opened unchanged: the listing is kept for the cached graph, and the texts of the path's pointer steps beside it.
    expect((await askedAfterEdit(root, cache)).incremental).toBe(false);
    edit(root, 'net/mac80211/tx.c', (t) => t.replace('#include "driver-ops.h"\n', '#include "driver-ops.h"\n\n/* moved */\n'));
    const moved = await askedAfterEdit(root, cache);
    expect(moved.project.textsCarried).toBeGreaterThan(0);
    expect(moved.answer).toEqual(await fresh(root));
    // Again on the patched graph, unchanged, then the pointer call of call_write_iter written otherwise on the same line: its text is read again, not carried.
    expect((await askedAfterEdit(root, cache)).incremental).toBe(false);
    edit(root, 'include/linux/fs.h', (t) => t.replace('return file->f_op->write_iter(kio, iter);', 'return (file)->f_op->write_iter(kio, iter);'));
    const rewritten = await askedAfterEdit(root, cache);
    expect(rewritten.incremental).toBe(true);
    expect(rewritten.project.textsCarried).toBeGreaterThan(0);
    expect(rewritten.answer).toEqual(await fresh(root));
    expect(JSON.stringify(rewritten.answer)).toContain('(file)->f_op->write_iter');
  });
});
