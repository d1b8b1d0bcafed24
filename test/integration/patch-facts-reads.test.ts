import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { CodeIndex } from '../../src/index/code-index.js';
import { copyFixture } from '../support/fixtures.js';
import { editFile } from '../support/edit-files.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * The binding patch binds again the member call sites that read a changed slot without reading
 * the cached facts of the files those sites are in (in a kernel, a much-copied member such as
 * sock.sk_data_ready is read in a few hundred files, whose facts frames took about 1 s to decode):
 * a site's line is that of its edges. fixtures/incr/assign reads sock.sk_data_ready through a
 * copy chain in psock.c and core.c; the edit is in tcp.c.
 */
/**
 * Indexes a copy of fixtures/incr/assign, makes `edit` to it, opens it through the cache (which
 * must patch, saying `said` in its -v lines), and checks that the patch read the call facts of
 * no file but `edited` and that the graph equals a fresh index's.
 */
async function expectFactsOfEditedOnly(edit: (root: string) => void, edited: string, said: string): Promise<void> {
  const { dir, root } = copyFixture('incr/assign', 'pathfind-patch-reads-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  edit(root);
  const read = new Set<string>();
  const calls = CodeIndex.prototype.calls;
  vi.spyOn(CodeIndex.prototype, 'calls').mockImplementation(function (this: CodeIndex, node: number) {
    read.add(this.file(node));
    return calls.call(this, node);
  });
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  expect(cached.report.incremental, trace.join(' | ')).toBe(true);
  expect(trace.join(' | ')).toContain(said);
  const got = canonicalGraph(cached.project);
  vi.restoreAllMocks();
  expect([...read].filter((f) => f !== edited)).toEqual([]);
  const fresh = await openTreeReport({ root, cache: false });
  expect(got).toEqual(canonicalGraph(fresh.project));
}

describe('the binding patch reads no cached facts of the files it binds again', () => {
  afterEach(() => vi.restoreAllMocks());

  it('binds call sites of other files through a copied member without their call facts', async () => {
    await expectFactsOfEditedOnly((root) => editFile(root, 'tcp.c', 'void tcp_init_sock(struct sock *sk)\n{\n', 'void tcp_init_sock(struct sock *sk)\n{\n\tsk->sk_data_ready = tcp_data_ready;\n'), 'tcp.c', 'patched');
  });

  it('binds them without their call facts when a file added renumbers the nodes too', async () => {
    const added = '#include "sock.h"\n\nstatic void added_ready(struct sock *sk)\n{\n}\n\nvoid added_init(struct sock *sk)\n{\n\tsk->sk_data_ready = added_ready;\n}\n';
    await expectFactsOfEditedOnly((root) => writeFileSync(join(root, 'added.c'), added), 'added.c', 'nodes renumbered');
  });
});
