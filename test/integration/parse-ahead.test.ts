import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { copyFixture } from '../support/fixtures.js';

const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue' };

/** Opens the tree as the CLI does for a path query (listing in a worker, a query prepared and answered ahead), with its --verbose lines. */
async function openAsQuery(root: string, cache: string): Promise<{ project: Awaited<ReturnType<typeof openTreeReport>>['project']; trace: string[] }> {
  const trace: string[] = [];
  const { project } = await openTreeReport(
    { root, cache, discoverInWorker: true, facts: 'lazy', onTrace: (m) => trace.push(m) },
    (p) => void p.graph({ noDeferred: true }),
    (p) => p.answerAhead({ paths: QUERY }),
  );
  return { project, trace };
}

describe('a recently changed file parsed while the tree is listed', () => {
  it('is the one the patch takes, and the patched graph equals a fresh index of the edited tree', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-parse-ahead-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const file = join(root, 'fs/read_write.c');
    // A call added to a body: ksys_read calls file_ppos once more.
    writeFileSync(file, readFileSync(file, 'utf8').replace('\t\tfdput_pos(f);\n\t}\n\treturn ret;', '\t\tfdput_pos(f);\n\t}\n\tfile_ppos(f.file);\n\treturn ret;'));
    const { project, trace } = await openAsQuery(root, cache);
    expect(trace.find((l) => l.startsWith('discover:'))).toContain('not answered ahead: fs/read_write.c changed (parsed meanwhile)');
    expect(trace.find((l) => l.startsWith('parse:'))).toContain('1 edited file (1 parsed while the tree was listed)');
    const fresh = (await openTreeReport({ root })).project;
    expect(canonicalGraph(project)).toEqual(canonicalGraph(fresh));
    expect(project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
  });
});
