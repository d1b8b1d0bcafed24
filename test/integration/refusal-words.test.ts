import { rmSync } from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { editFile, expectResolvedInFull, indexedCopy } from '../support/edit-files.js';

/**
 * What -v says when an edit is resolved in full: the words must name the edit (its file and the
 * function it changed) and what a patch cannot follow there, so that a reader can tell why
 * without reading pathfind's source. A new user's try found reasons that named neither.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the reason a patch gives up names the edit', () => {
  it('a function renamed that a parameter stores into a member (netif_napi_add\'s poll): its file, the caller passing it, the kind of edge', async () => {
    const { dir, root, cache } = await indexedCopy('minikernel', 'pathfind-refusal-words-', {});
    dirs.push(dir);
    const path = 'drivers/net/ethernet/intel/igb/igb_main.c';
    editFile(root, path, 'static int igb_poll(struct napi_struct *napi, int budget)', 'static int igb_napi_poll(struct napi_struct *napi, int budget)');
    editFile(root, path, 'netif_napi_add(adapter->netdev, &q_vector->napi, igb_poll);', 'netif_napi_add(adapter->netdev, &q_vector->napi, igb_napi_poll);');
    await expectResolvedInFull(root, cache, /resolved in full: drivers\/net\/ethernet\/intel\/igb\/igb_main\.c: igb_poll was removed or renamed, and it is reached through a pointer or a table: a param-to-field edge from \S+ \(\S+:\d+\), which only a full resolution makes again/);
  });
});
