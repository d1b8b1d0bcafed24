import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, Project } from '../../src/index.js';

/**
 * A user's finding: the same `callees` command printed the unresolved pointer calls on some runs
 * and not on others: a tree answered ahead (while the tree was listed, on a project prepared
 * early) lost them when the returned project took the answer over.
 */
describe('unresolved pointer calls of a callees tree answered ahead', () => {
  it('are listed by the project that takes the answer over, as by one that works it out itself', async () => {
    const root = join(import.meta.dirname, '../../fixtures/minikernel');
    const { project: early } = await openTreeReport({ root, cache: mkdtempSync(join(tmpdir(), 'pathfind-ahead-')) });
    const query = ['vfs_write', 1, 'callees', {}] as const;
    const own = early.withUnresolved(early.tree(...query));
    expect(own[0]!.root.unresolved).toEqual([{ file: 'fs/read_write.c', line: 67, call: '->write(...)' }]);
    early.answerAhead({ tree: [...query] });
    const taker = new Project(early.index, early.edges, early.unreadable, early.callSites);
    expect(taker.adoptGraphs(early)).toBe(true);
    expect(taker.withUnresolved(taker.tree(...query))).toEqual(own);
  });
});
