import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEdge } from '../../src/api/explain.js';
import { computeStats, openTreeReport, UsageError } from '../../src/index.js';
import { explainAll, withoutVia } from '../support/explain-all.js';
import { copyFixture } from '../support/fixtures.js';

/** Explanations and stats of a tree opened from scratch, with every fact parsed: what the cached, on-demand answers must equal. */
async function fromScratch(root: string) {
  const { project } = await openTreeReport({ root, cache: false, facts: true });
  return { explained: explainAll(project), stats: computeStats(project) };
}

/** Opens through the cache with facts read on demand. */
async function lazy(root: string, cache: string) {
  const { project, report } = await openTreeReport({ root, cache, facts: 'lazy' });
  return { report, explained: explainAll(project), stats: computeStats(project), hasFacts: project.index.hasFacts };
}

/** A tree of 450 files (three facts frames), each calling through an ops table it fills, a parameter, and an array nothing binds. */
function manyFiles(): { root: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-lazy-'));
  const root = join(dir, 'tree');
  mkdirSync(join(root, 'lib'), { recursive: true });
  for (let i = 0; i < 450; i++) {
    const name = `lib/f${String(i).padStart(3, '0')}.c`;
    writeFileSync(
      join(root, name),
      [
        `struct ops_${i} {\n\tint (*run)(int);\n};\n`,
        `int f${i}(int x)\n{\n\treturn f${(i + 1) % 450}(x);\n}\n`,
        `static struct ops_${i} table_${i} = {\n\t.run = f${i},\n};\n`,
        `int use${i}(struct ops_${i} *o, int (*cb)(int), void (**hooks)(void))\n{\n\thooks[0]();\n\treturn o->run(1) + cb(2);\n}\n`,
      ].join('\n'),
    );
  }
  return { root, cache: join(dir, 'cache') };
}

describe('explain and stats with facts read on demand from the cache', () => {
  for (const fixture of ['minikernel', 'evidence']) {
    it(`answer as a full index does on the ${fixture} fixture: cold and from the cache`, async () => {
      const { dir, root } = copyFixture(fixture, 'pathfind-lazy-');
      const cache = join(dir, 'cache');
      const want = await fromScratch(root);
      expect(want.explained.length).toBeGreaterThan(3);

      // Cold: nothing cached yet, so every file is parsed.
      const cold = await lazy(root, cache);
      expect(cold.report.parsed).toBeGreaterThan(0);
      expect({ explained: cold.explained, stats: cold.stats }).toEqual(want);

      // From the cache: the stored graph, and facts read a frame at a time.
      const cached = await lazy(root, cache);
      expect(cached.report).toMatchObject({ parsed: 0, fromGraphCache: true });
      expect(cached.hasFacts).toBe(false);
      expect({ explained: cached.explained, stats: cached.stats }).toEqual(want);
      // Stats needs no facts at all: what it counts of them is kept with the graph.
      const graphOnly = await openTreeReport({ root, cache });
      expect(graphOnly.report.fromGraphCache).toBe(true);
      expect(computeStats(graphOnly.project)).toEqual(want.stats);
    });
  }

  it('answer as a full index does after an incremental patch of the minikernel', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-lazy-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    const file = join(root, 'net/socket.c');
    // A new first call in __sys_connect_file: its pointer call through sock->ops->connect, bound by ops initializers, moves to the next call site.
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(/(int __sys_connect_file\(.*\n\{\n)/, '$1\tsock_release(NULL);\n');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    const patched = await openTreeReport({ root, cache });
    expect(patched.report).toMatchObject({ parsed: 1, incremental: true });
    const want = await fromScratch(root);
    // The patched graph, its call sites renumbered for the edited bodies, with the rewritten facts frame.
    const then = await lazy(root, cache);
    expect(then.report).toMatchObject({ parsed: 0, fromGraphCache: true });
    expect({ explained: then.explained, stats: then.stats }).toEqual(want);
    expect(computeStats((await openTreeReport({ root, cache })).project)).toEqual(want.stats);
  });

  it('reads the right file from each facts frame of a tree of several frames', async () => {
    const { root, cache } = manyFiles();
    const want = await fromScratch(root);
    await lazy(root, cache);
    const cached = await lazy(root, cache);
    expect(cached.report.fromGraphCache).toBe(true);
    expect({ explained: cached.explained, stats: cached.stats }).toEqual(want);
    // Each use function's call through hooks[0] binds to nothing: found in its own file, whatever frame holds it.
    const { project } = await openTreeReport({ root, cache, facts: 'lazy' });
    const x = explainEdge(project, 'use321', 'f321');
    expect(x.edges.map((e) => e.kind)).toEqual(['ops-initializer']);
    expect(x.unresolved).toEqual([{ file: 'lib/f321.c', line: 16, call: 'hooks[...](...)' }]);
  });

  it('reads on from a cache rewritten for the same files, and says so in one line when it was rewritten for other ones', async () => {
    const { dir, root } = copyFixture('minikernel', 'pathfind-lazy-');
    const cache = join(dir, 'cache');
    const want = await fromScratch(root);
    await openTreeReport({ root, cache });
    // Rewritten by `pathfind index` meanwhile: the same files, sizes and mtimes.
    const first = await openTreeReport({ root, cache, facts: 'lazy' });
    await openTreeReport({ root, cache, refresh: true });
    expect(explainAll(first.project)).toEqual(want.explained);
    // Rewritten after an edit: the facts are no longer those of the graph the query holds.
    const second = await openTreeReport({ root, cache, facts: 'lazy' });
    const file = join(root, 'net/socket.c');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(int __sys_connect_file\(.*\n\{\n)/, '$1\tsock_release(NULL);\n'));
    expect((await openTreeReport({ root, cache })).report.incremental).toBe(true);
    // A patch leaves the facts file as it is (the edited file's facts go to the graph cache's overlay): a query reads on, its facts those of its graph.
    // What the edited file's pointer calls call is read back from its source, which moved: left out, as a path step's is.
    expect(withoutVia(explainAll(second.project))).toEqual(withoutVia(want.explained));
    // A full index after another edit writes the facts of the edited tree: those of fs/read_write.c are no longer those of the graph a query holds.
    const third = await openTreeReport({ root, cache, facts: 'lazy' });
    const other = join(root, 'fs/read_write.c');
    writeFileSync(other, `${readFileSync(other, 'utf8')}\nint pathfind_lazy_added(int x)\n{\n\treturn x;\n}\n`);
    await openTreeReport({ root, cache, refresh: true });
    expect(() => explainEdge(third.project, 'ksys_write', 'vfs_write')).toThrow(new UsageError('the index cache changed during the query (another pathfind rewrote it); run the query again'));
  });
});
