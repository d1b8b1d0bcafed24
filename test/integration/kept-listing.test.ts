import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize } from 'node:v8';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { computeStats } from '../../src/api/stats.js';
import { canonicalGraph } from '../support/tree-edits.js';
import { copyFixture } from '../support/fixtures.js';

const QUERY = { start: 'ksys_write', target: 'drv_wake_tx_queue' };
const AS_GRAPH = /as the graph cache lists them/;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 100, retryDelay: 50 });
});

/** A private copy of `fixture`, a cache folder for it, its cache made, and a warm open (listed by find) that keeps its listing. */
async function warmed(fixture = 'minikernel'): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture(fixture, 'pathfind-kept-listing-');
  dirs.push(dir);
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  await open(root, cache);
  return { root, cache };
}

/** Opens the tree as the CLI does a warm query (listed by find in a child process meanwhile), with its --verbose lines; `writeBehind`: a patched graph written by the writer thread, as the CLI writes it. */
async function open(root: string, cache: string, facts?: 'lazy', writeBehind = false) {
  const trace: string[] = [];
  const opened = await openTreeReport({ root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m), ...(facts ? { facts } : {}), ...(writeBehind ? { writeBehind } : {}) }, (p) => void p.graph({ noDeferred: true }));
  return { ...opened, trace };
}

describe('a listing kept beside the graph cache', () => {
  it('is kept once a listing was found equal to the graph files, and then tells an unchanged tree without parsing the listing', async () => {
    const { root, cache } = await warmed();
    expect(readdirSync(cache).some((f) => f.endsWith('.listing'))).toBe(true);
    const { project, report, trace } = await open(root, cache);
    expect(trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
    expect(report).toMatchObject({ parsed: 0, fromGraphCache: true, incremental: false });
    const fresh = await openTreeReport({ root });
    expect(report.reused).toBe(fresh.report.parsed);
    expect(canonicalGraph(project)).toEqual(canonicalGraph(fresh.project));
    expect(project.findPaths(QUERY)).toEqual(fresh.project.findPaths(QUERY));
  });

  it('reads call details on demand as before (facts: lazy), the graph files read from the graph cache', async () => {
    const { root, cache } = await warmed();
    const { project, trace } = await open(root, cache, 'lazy');
    expect(trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
    expect(computeStats(project)).toEqual(computeStats((await openTreeReport({ root, facts: true })).project));
  });

  it.each([false, true])('never hides an edit, an added or a deleted file, nor an edit that keeps the size (graph written behind: %s)', async (writeBehind) => {
    const { root, cache } = await warmed();
    const file = join(root, 'fs/read_write.c');
    const text = readFileSync(file, 'utf8');
    const sameSize = text.replace('new_sync_write(', 'new_sync_writ_(');
    expect(sameSize.length).toBe(text.length);
    const edits: (() => void)[] = [
      () => writeFileSync(file, sameSize),
      () => writeFileSync(file, text.replace(/ret = new_sync_write\(/, 'ret = do_nothing_write(')),
      () => writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n'),
      () => rmSync(join(root, 'net/core/dev.c')),
    ];
    for (const edit of edits) {
      edit();
      const { project, report, trace } = await open(root, cache, undefined, writeBehind);
      expect(trace.find((m) => m.startsWith('discover'))).not.toMatch(AS_GRAPH);
      expect(report.fromGraphCache).toBe(false);
      const fresh = await openTreeReport({ root });
      expect(canonicalGraph(project)).toEqual(canonicalGraph(fresh.project));
      // Kept for the graph the patch wrote, with the listing it was patched for: the very next open takes it, and the graph as stored.
      const next = await open(root, cache);
      expect(next.trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
      expect(next.report.fromGraphCache).toBe(true);
      expect(canonicalGraph(next.project)).toEqual(canonicalGraph(fresh.project));
    }
  });

  it('resolves in full from the graph files when the build changed (a .config appeared)', async () => {
    const { root, cache } = await warmed('scope');
    writeFileSync(join(root, '.config'), '# CONFIG_PCI is not set\nCONFIG_IGB=y\n');
    const { project, report, trace } = await open(root, cache);
    expect(trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
    expect(report.fromGraphCache).toBe(false);
    expect(canonicalGraph(project)).toEqual(canonicalGraph((await openTreeReport({ root })).project));
  });
});

/** The value of the listing kept in `cache` (kept-listing.ts KeptListing). */
function keptListing(cache: string): { digest: string; unwatched?: string[] } {
  const file = readdirSync(cache).find((f) => f.endsWith('.listing'))!;
  return (deserialize(readFileSync(join(cache, file))) as { value: { digest: string; unwatched?: string[] } }).value;
}

describe('the build files a kept listing vouches for', () => {
  it('are those find prints as the build record has them: only the other paths of the record are left to look at', async () => {
    const { cache } = await warmed('scope');
    // Makefiles, Kconfig and absent Kbuild files find walks by; not .config (a dot name), a folder the model listed, nor a folder find prints nothing in or below.
    // (arch/x86/Makefile, absent, is vouched for: find printed files below arch/x86, so it read that folder.)
    // The syscall table the resolution reads is no name find prints: absent, it is looked at too.
    expect(keptListing(cache).unwatched).toEqual(['arch/x86/configs/x86_64_defconfig', 'arch', '.config', 'arch/x86/entry/syscalls/syscall_64.tbl']);
  });

  it('never hides a build file edited (even to the same size), added where the model looked for it, or removed', async () => {
    const { root, cache } = await warmed('scope');
    const makefile = join(root, 'drivers/net/Makefile');
    const kconfig = join(root, 'Kconfig');
    const text = readFileSync(kconfig, 'utf8');
    const edits: (() => void)[] = [
      () => writeFileSync(makefile, `${readFileSync(makefile, 'utf8')}obj-y += extra.o\n`),
      () => writeFileSync(kconfig, text.replace(/[a-z]/, (c) => (c === 'z' ? 'y' : 'z'))),
      () => writeFileSync(join(root, 'mm/Kbuild'), 'obj-y += slab.o\n'),
      // Where the model looked, in a folder find printed nothing directly in (only files below it).
      () => writeFileSync(join(root, 'arch/x86/Makefile'), '# empty\n'),
      () => rmSync(join(root, 'lib/Makefile')),
    ];
    for (const edit of edits) {
      edit();
      // Resolved in full, or carried over when the model answers as before (build-renew.ts): seen either way.
      const { project, trace } = await open(root, cache);
      expect(trace.find((m) => m.startsWith('graph'))).toMatch(/a build file or the configuration changed/);
      expect(canonicalGraph(project)).toEqual(canonicalGraph((await openTreeReport({ root })).project));
      // Kept for the graph resolved under the changed build, with the listing it was resolved for: it holds as stored at the very next open.
      const again = await open(root, cache);
      expect(again.trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
      expect(again.report.fromGraphCache).toBe(true);
    }
  });

  it('never hides a build file edited when no listing is kept: find\'s own listing vouches for the others', async () => {
    const { dir, root } = copyFixture('scope', 'pathfind-kept-listing-');
    dirs.push(dir);
    const cache = join(dir, 'cache');
    // Made with the tree listed in this thread: no listing by find, none kept.
    await openTreeReport({ root, cache });
    expect(readdirSync(join(cache)).some((f) => f.endsWith('.listing'))).toBe(false);
    const makefile = join(root, 'drivers/net/Makefile');
    writeFileSync(makefile, `${readFileSync(makefile, 'utf8')}obj-y += extra.o\n`);
    const { project, trace } = await open(root, cache);
    expect(trace.find((m) => m.startsWith('graph'))).toMatch(/a build file or the configuration changed/);
    expect(canonicalGraph(project)).toEqual(canonicalGraph((await openTreeReport({ root })).project));
  });
});

describe('a callees tree answered ahead on the graph as stored', () => {
  /** Opens as the CLI does a callees query in text (facts on demand), the tree answered ahead deciding whether the facts are opened. */
  async function callees(root: string, cache: string, name: string) {
    let needsFacts = true;
    const tree = [name, 2, 'callees', {}] as const;
    const opened = await openTreeReport(
      { root, cache, discoverInWorker: true, facts: 'lazy', needsFacts: () => needsFacts },
      (p) => void p.graph(),
      (p) => {
        const trees = p.answerAhead({ tree: [...tree] });
        if (trees) needsFacts = p.needsFacts(trees as ReturnType<typeof p.tree>);
      },
    );
    return { ...opened, trees: opened.project.withUnresolved(opened.project.tree(...tree)) };
  }

  it('opens no facts when no function it expands has an unbound pointer call, and lists them as before otherwise', async () => {
    const { root, cache } = await warmed();
    const fresh = (await openTreeReport({ root, facts: true })).project;
    const expected = (name: string) => fresh.withUnresolved(fresh.tree(name, 2, 'callees', {}));
    // Without its facts file, a graph that needs them cannot be used as stored.
    const factsFile = readdirSync(cache).find((f) => f.endsWith('.facts'))!;
    const saved = readFileSync(join(cache, factsFile));
    rmSync(join(cache, factsFile));
    const spared = await callees(root, cache, 'tcp_sendmsg');
    expect(spared.report.fromGraphCache).toBe(true);
    expect(spared.trees).toEqual(expected('tcp_sendmsg'));
    writeFileSync(join(cache, factsFile), saved);
    const listed = await callees(root, cache, 'ksys_write');
    expect(JSON.stringify(listed.trees)).toContain('unresolved');
    expect(listed.trees).toEqual(expected('ksys_write'));
  });

  it('never hides a build file the kept listing does not vouch for (a .config appeared), looked at while the tree was still listed', async () => {
    const { root, cache } = await warmed('scope');
    writeFileSync(join(root, '.config'), '# CONFIG_PCI is not set\nCONFIG_IGB=y\n');
    const trace: string[] = [];
    let ahead = false;
    const { project, report } = await openTreeReport(
      { root, cache, discoverInWorker: true, onTrace: (m) => trace.push(m) },
      (p) => void p.graph({ noDeferred: true }),
      () => void (ahead = true),
    );
    expect(ahead).toBe(true);
    expect(trace.find((m) => m.startsWith('discover'))).toMatch(AS_GRAPH);
    expect(report.fromGraphCache).toBe(false);
    expect(trace.find((m) => m.startsWith('graph'))).toMatch(/a build file or the configuration changed/);
    expect(canonicalGraph(project)).toEqual(canonicalGraph((await openTreeReport({ root })).project));
  });

  it('opens the facts when a function it expands calls its own parameter, and lists that call', async () => {
    const { root, cache } = await warmed('callback');
    const fresh = (await openTreeReport({ root, facts: true })).project;
    const listed = await callees(root, cache, 'driver_attach');
    expect(JSON.stringify(listed.trees)).toContain('parameterCalls');
    expect(listed.trees).toEqual(fresh.withUnresolved(fresh.tree('driver_attach', 2, 'callees', {})));
  });
});
