import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { unbuiltEnterCosts, UNBUILT_COST } from '../../src/api/unbuilt.js';
import { rowReads } from '../../src/util/row-reads.js';
import { copyFixture } from '../support/fixtures.js';

/**
 * The cost of entering a function of a file Kbuild does not build (api/unbuilt.ts), worked out
 * for every node by a path query: on a graph loaded from the cache, by the runs of nodes of one file
 * as the cache stores the node-to-file column (CodeIndex.fileRuns), not by that column read whole,
 * and the same costs as a fresh index's, node for node.
 */
describe('enter costs of unbuilt code on a cached graph', () => {
  it('are those of a fresh index, worked out without reading the node-to-file column whole', async () => {
    const { dir, root } = copyFixture('unbuilt', 'pathfind-unbuilt-costs-');
    const cache = join(dir, 'cache');
    // Many functions a file, as in a kernel: the cache then stores the node-to-file column as runs.
    for (const file of ['arch/x86/kernel/irq.c', 'kernel/panic.c', 'drivers/net/e1000_main.c', 'drivers/s390/char/con3215.c']) {
      const path = join(root, file);
      writeFileSync(path, readFileSync(path, 'utf8') + Array.from({ length: 400 }, (_, i) => `\nvoid filler_${i}(void)\n{\n}\n`).join(''));
    }
    await openTreeReport({ root, cache });
    const { project, report } = await openTreeReport({ root, cache });
    expect(report.fromGraphCache).toBe(true);
    const { index } = project;
    const source = (index as unknown as { source: object | null }).source;
    const storedAsRuns = source ? rowReads(source, 'nodeFile')?.runEnds !== undefined : false;
    expect(storedAsRuns).toBe(true);
    const costs = unbuiltEnterCosts(index);
    // Not read whole: its row reader (dropped once the column is read whole) is still there.
    expect(source ? rowReads(source, 'nodeFile')?.runEnds !== undefined : false).toBe(storedAsRuns);
    const fresh = (await openTreeReport({ root, cache: false })).project.index;
    const expected = unbuiltEnterCosts(fresh);
    // The fixture has code Kbuild does not build (another architecture's), so some node costs more.
    expect(expected?.some((c) => c === UNBUILT_COST)).toBe(true);
    expect(costs).toEqual(expected);
    // The runs say each node's file as the column does.
    const runs = index.fileRuns();
    const files = Array.from(index.nodeFile);
    const fromRuns: number[] = [];
    for (let k = 0, start = 0; k < runs.length; start = runs[k + 1]!, k += 2) for (let n = start; n < runs[k + 1]!; n++) fromRuns.push(runs[k]!);
    expect(fromRuns).toEqual(files);
    expect(fresh.fileRuns()).toEqual(runs);
  });
});
