import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type PathQuery, type PathsResult } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-texts-');
  return { root, cache: join(dir, 'cache') };
}

const QUERY: PathQuery = { start: 'ksys_write', target: 'drv_wake_tx_queue' };

/** A path query as the CLI opens it: the call graph made and the query answered while the tree is listed. */
async function query(root: string, cache: string) {
  const { project, report } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => void p.graph({ noDeferred: true }), (p) => p.answerAhead({ paths: QUERY }));
  const result = project.findPaths(QUERY);
  // Kept texts are written once the current task is done.
  await new Promise((resolve) => setImmediate(resolve));
  return { result, report, kept: readdirSync(cache).some((f) => f.endsWith('.texts')) };
}

/** The pointer steps' texts of a path answer: the called expression of each. */
const vias = (result: PathsResult): string[] => result.paths.flatMap((p) => p.edges.flatMap((e) => (e.via !== undefined ? [e.via] : [])));

/**
 * net/socket.c rewritten with the same size and modification time (so that the tree still looks
 * unchanged): `sock->ops->sendmsg,` becomes `sock->ops->sendmsx,` on the pointer call's line.
 */
function rewriteUnseen(root: string): void {
  const file = join(root, 'net/socket.c');
  const before = statSync(file);
  expect(before.mtimeMs).toBe(SECONDS * 1000);
  const text = readFileSync(file, 'utf8');
  const after = text.replace('(sock->ops->sendmsg,', '(sock->ops->sendmsx,');
  expect(after).not.toBe(text);
  writeFileSync(file, after);
  utimesSync(file, SECONDS, SECONDS);
}

/**
 * A whole number of seconds for the file's times, which utimes sets exactly, well past now: past
 * the ctime each write gives the file, so that the time the listing keeps of it (the later of the
 * two: discover-files.ts changeStamp) is this mtime, and a rewrite stays unseen.
 */
const SECONDS = Math.floor(Date.now() / 1000) + 10_000_000;

describe('texts of pointer steps kept beside the graph cache', () => {
  it('are read from the source by the first query and kept, and the next query on the unchanged tree reads them, not the source', async () => {
    const { root, cache } = scratch();
    const fresh = (await openTreeReport({ root })).project.findPaths(QUERY);
    expect(vias(fresh)).toContain('sock->ops->sendmsg');
    utimesSync(join(root, 'net/socket.c'), SECONDS, SECONDS);
    await openTreeReport({ root, cache });
    const first = await query(root, cache);
    expect(first.report.fromGraphCache).toBe(true);
    expect(first.result).toEqual(fresh);
    expect(first.kept).toBe(true);
    // The source changed where the listing cannot see it: the answer still shows the text kept, so the file was not read.
    rewriteUnseen(root);
    const second = await query(root, cache);
    expect(second.report.fromGraphCache).toBe(true);
    expect(second.result).toEqual(fresh);
  });

  it('are carried to a graph patched for edits of other files and kept for it, so that queries after each edit read no source for them', async () => {
    const { root, cache } = scratch();
    const fresh = (await openTreeReport({ root })).project.findPaths(QUERY);
    utimesSync(join(root, 'net/socket.c'), SECONDS, SECONDS);
    await openTreeReport({ root, cache });
    expect((await query(root, cache)).kept).toBe(true);
    // Edits of a file off the path, each patching the graph: a function added, then removed.
    const other = join(root, 'drivers/char/mem.c');
    const text = readFileSync(other, 'utf8');
    const edits = [`${text}\nvoid pathfind_added(void)\n{\n}\n`, text, `${text}\nvoid pathfind_again(void)\n{\n}\n`];
    for (const [step, edited] of edits.entries()) {
      writeFileSync(other, edited);
      // After the first patch, net/socket.c changes where no listing sees it: a query that read it would show `sendmsx`.
      if (step === 1) rewriteUnseen(root);
      const patched = await query(root, cache);
      expect(patched.report.incremental, `step ${step}`).toBe(true);
      expect(vias(patched.result), `step ${step}`).toContain('sock->ops->sendmsg');
      expect(patched.result.paths, `step ${step}`).toEqual(fresh.paths);
    }
  });

  it('are not used for another graph: after an edit the texts are read again from the source', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    await query(root, cache);
    const file = join(root, 'net/socket.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace('(sock->ops->sendmsg,', '((sock)->ops->sendmsg,'));
    const patched = await query(root, cache);
    expect(patched.report.fromGraphCache).toBe(false);
    const fresh = (await openTreeReport({ root })).project.findPaths(QUERY);
    expect(vias(patched.result)).toContain('(sock)->ops->sendmsg');
    expect(patched.result).toEqual(fresh);
    // And the texts read for the patched graph are kept for it.
    const next = await query(root, cache);
    expect(next.result).toEqual(fresh);
  });
});
