import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport, type Project } from '../../src/index.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel and a cache folder for it. */
function scratch(): { root: string; cache: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-prepare-');
  return { root, cache: join(dir, 'cache') };
}

const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue' };

/** Opens the tree with the listing in a worker thread, a prepared project recorded. */
async function openPrepared(root: string, cache: string): Promise<{ project: Project; prepared: Project[]; report: Awaited<ReturnType<typeof openTreeReport>>['report'] }> {
  const prepared: Project[] = [];
  const { project, report } = await openTreeReport({ root, cache, discoverInWorker: true }, (p) => {
    prepared.push(p);
    p.graph({ noDeferred: true });
  });
  return { project, prepared, report };
}

/** One file edited (fs/read_write.c), one added (net/added.c) and one removed (net/core/dev.c): every kind of change the listing must see. */
function editAddRemove(root: string): void {
  const file = join(root, 'fs/read_write.c');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/ret = new_sync_write\(/, 'ret = do_nothing_write('));
  writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n');
  rmSync(join(root, 'net/core/dev.c'), { force: true });
}

describe('graph cache decoded while the tree is listed in a worker thread', () => {
  it('answers as a listing in place does, with the call graph built meanwhile', async () => {
    const { root, cache } = scratch();
    const first = await openTreeReport({ root, cache });
    const { project, prepared, report } = await openPrepared(root, cache);
    expect(report).toMatchObject({ parsed: 0, fromGraphCache: true });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.index).toBe(project.index);
    // The graph the prepared project built is the one the query uses.
    expect(project.graph({ noDeferred: true })).toBe(prepared[0]!.graph({ noDeferred: true }));
    expect(project.findPaths(QUERY)).toEqual(first.project.findPaths(QUERY));
    expect(canonicalGraph(project)).toEqual(canonicalGraph(first.project));
    // Each file of the loaded index keeps its path (its facts are read on demand, not kept).
    expect(project.index.files.map((f) => f.path)).toEqual(first.project.index.files.map((f) => f.path));
  });

  it('still finds an edited, an added and a removed file, and drops what it prepared', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    editAddRemove(root);
    const { project, prepared, report } = await openPrepared(root, cache);
    expect(report.fromGraphCache).toBe(false);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.index).not.toBe(project.index);
    const fresh = await openTreeReport({ root });
    expect(canonicalGraph(project)).toEqual(canonicalGraph(fresh.project));
    expect(project.findPaths(QUERY)).toEqual(fresh.project.findPaths(QUERY));
  });
});

describe('the call graph after a patch, made from the one built while the tree was listed', () => {
  it('reuses the rows of the callers a body edit left alone, and equals the graph a fresh index makes', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const file = join(root, 'fs/read_write.c');
    // A call added to a body: ksys_read calls file_ppos once more.
    writeFileSync(file, readFileSync(file, 'utf8').replace('\t\tfdput_pos(f);\n\t}\n\treturn ret;', '\t\tfdput_pos(f);\n\t}\n\tfile_ppos(f.file);\n\treturn ret;'));
    const { project, prepared, report } = await openPrepared(root, cache);
    expect(report).toMatchObject({ incremental: true, parsed: 1 });
    expect(prepared[0]!.edges).not.toBe(project.edges);
    const graph = project.graph({ noDeferred: true });
    expect(graph.madeBy).toBe('derived');
    const fresh = (await openTreeReport({ root })).project;
    const arrays = (g: typeof graph) => ({ outStart: [...g.outStart], outTo: [...g.outTo], outEdge: [...g.outEdge], outKind: [...g.outKind] });
    expect(arrays(graph)).toEqual(arrays(fresh.graph({ noDeferred: true })));
    expect(project.findPaths(QUERY)).toEqual(fresh.findPaths(QUERY));
    // A graph of another filter, not built meanwhile, is folded from the edges.
    expect(project.graph({ noIndirect: true }).madeBy).toBe('folded');
  });
});

describe('answers worked out ahead while the tree is listed (Project.answerAhead)', () => {
  const TREE = ['ksys_write', 3, 'callees', { noIndirect: false }] as const;

  it('gives the answer worked out ahead once, to the same query only, and keeps no error', async () => {
    const { root, cache } = scratch();
    const { project } = await openTreeReport({ root, cache });
    const plain = (await openTreeReport({ root, cache: false })).project;
    const madePaths = project.answerAhead({ paths: QUERY });
    const madeTree = project.answerAhead({ tree: [...TREE] });
    // Another query is worked out afresh; the one asked ahead is given as it was made, once.
    expect(project.findPaths({ ...QUERY, k: 2 })).toEqual(plain.findPaths({ ...QUERY, k: 2 }));
    const ahead = project.findPaths(QUERY);
    expect(ahead).toBe(madePaths);
    expect(ahead).toEqual(plain.findPaths(QUERY));
    const again = project.findPaths(QUERY);
    expect(again).toEqual(ahead);
    expect(again).not.toBe(ahead);
    const tree = project.tree(...TREE);
    expect(tree).toBe(madeTree);
    expect(tree).toEqual(plain.tree(...TREE));
    expect(project.tree(...TREE)).not.toBe(tree);
    // A query that fails ahead fails again when asked, with the same error.
    expect(project.answerAhead({ paths: { start: 'no_such_function', target: 'drv_wake_tx_queue' } })).toBeUndefined();
    expect(() => project.findPaths({ start: 'no_such_function', target: 'drv_wake_tx_queue' })).toThrow(/unknown function 'no_such_function'/);
  });

  /** Opens with the listing in a worker, answering QUERY ahead when asked to; the projects answered on. */
  async function openAhead(root: string, cache: string): Promise<{ project: Project; answered: Project[]; made: unknown[]; trace: string[]; report: Awaited<ReturnType<typeof openTreeReport>>['report'] }> {
    const answered: Project[] = [];
    const made: unknown[] = [];
    const trace: string[] = [];
    const { project, report } = await openTreeReport(
      { root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m) },
      (p) => void p.graph({ noDeferred: true }),
      (p) => {
        answered.push(p);
        made.push(p.answerAhead({ paths: QUERY }));
      },
    );
    return { project, answered, made, trace, report };
  }

  it('answers an unchanged tree as a fresh index does', async () => {
    const { root, cache } = scratch();
    const first = await openTreeReport({ root, cache });
    for (let run = 0; run < 3; run++) {
      const { project, answered, made, trace, report } = await openAhead(root, cache);
      expect(report.fromGraphCache).toBe(true);
      // --verbose says whether the query was answered while the tree was listed.
      expect(trace.find((m) => m.startsWith('discover:'))).toMatch(made.length ? /the graph cache decoded and the query answered meanwhile/ : /the graph cache decoded meanwhile/);
      // Whether the listing was still running when the graph was prepared depends on the machine; the answer does not.
      for (const p of answered) expect(p.index).toBe(project.index);
      const answer = project.findPaths(QUERY);
      if (made.length) expect(answer).toBe(made[0]);
      expect(answer).toEqual(first.project.findPaths(QUERY));
    }
  });

  it('does not answer ahead when a file modified recently changed again (the listing will differ), and parses that file meanwhile for the patch', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    const file = join(root, 'fs/read_write.c');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('return -ESPIPE;', 'return -ESPIPE - 1;'));
    expect((await openAhead(root, cache)).report).toMatchObject({ parsed: 1 });
    // Edited again: the newest file of the cached graph.
    writeFileSync(file, text);
    const { project, made, trace, report } = await openAhead(root, cache);
    expect(report).toMatchObject({ parsed: 1 });
    expect(made).toEqual([]);
    expect(trace.find((m) => m.startsWith('discover:'))).toMatch(/the graph cache decoded meanwhile, not answered ahead: fs\/read_write.c changed/);
    // The thread parsed that file while the tree was listed, and the patch took those facts.
    expect(trace.find((m) => m.startsWith('parse:'))).toMatch(/^parse: 1 edited file \(it was parsed while the tree was listed\), /);
    expect(project.findPaths(QUERY)).toEqual((await openTreeReport({ root })).project.findPaths(QUERY));
    expect(canonicalGraph(project)).toEqual(canonicalGraph((await openTreeReport({ root })).project));
  });

  it('drops the answer made on the cached graph when a file was edited, added or removed', async () => {
    const { root, cache } = scratch();
    await openTreeReport({ root, cache });
    editAddRemove(root);
    const { project, answered, made, report } = await openAhead(root, cache);
    expect(report.fromGraphCache).toBe(false);
    for (const p of answered) expect(p.index).not.toBe(project.index);
    const fresh = await openTreeReport({ root });
    const answer = project.findPaths(QUERY);
    for (const m of made) expect(answer).not.toBe(m);
    expect(answer).toEqual(fresh.project.findPaths(QUERY));
    // The edit changes the answer: an answer kept from the cached graph would be seen.
    const before = scratch();
    expect(project.findPaths(QUERY)).not.toEqual((await openTreeReport({ root: before.root })).project.findPaths(QUERY));
  });
});

describe('answers worked out ahead and the build', () => {
  it('drops the answer made on the cached graph when the build changed (a .config appeared)', async () => {
    const { dir, root } = copyFixture('scope', 'pathfind-ahead-build-');
    const cache = join(dir, 'cache');
    const tree = ['igb_init_module', 1, 'callees', {}] as const;
    try {
      const before = (await openTreeReport({ root, cache })).project.tree(...tree);
      writeFileSync(join(root, '.config'), '# CONFIG_PCI is not set\nCONFIG_IGB=y\n');
      const made: unknown[] = [];
      const { project, report } = await openTreeReport(
        { root, cache, discoverInWorker: true },
        (p) => void p.graph(),
        (p) => void made.push(p.answerAhead({ tree: [...tree] })),
      );
      expect(report.fromGraphCache).toBe(false);
      const answer = project.tree(...tree);
      for (const m of made) expect(answer).not.toBe(m);
      expect(answer).toEqual((await openTreeReport({ root, cache: false })).project.tree(...tree));
      // The new configuration changes the answer: one kept from the cached graph would be seen.
      expect(answer).not.toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
    }
  });
});
