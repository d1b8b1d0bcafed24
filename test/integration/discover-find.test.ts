import { mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles, type DiscoverProfile } from '../../src/index/discover-files.js';
import { discoverFilesWithFind, findArguments, findWatches, listWithFind, parseFindOutput, parseFindRecords, startPoints } from '../../src/index/discover-find.js';
import { detectProfile } from '../../src/profiles/index.js';
import { openTreeReport } from '../../src/api/open-tree.js';
import { copyFixture } from '../support/fixtures.js';

/** A minikernel copy with what a walk must skip or keep: dot names, excluded and other-arch folders, links, odd names, sub-millisecond mtimes. */
function awkwardTree(): string {
  const { root } = copyFixture('minikernel', 'pathfind-find-');
  const put = (path: string, text = 'int f(void) { return 0; }\n'): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put('.hidden.c');
  put('net/.git/x.c');
  put('net/.cache.h');
  put('tools/perf/t.c');
  put('net/tools/kept.c');
  put('Documentation/d.c');
  put('arch/arm/a.c');
  put('arch/x86/deep/arch/arm/kept.c');
  put('arch/top.c');
  put('net/with space.c');
  put('net/notes.txt');
  put('net/z.C');
  symlinkSync(join(root, 'net'), join(root, 'linked-net'));
  symlinkSync(join(root, 'net/with space.c'), join(root, 'net/linked.c'));
  // Nanoseconds node's mtimeMs rounds: the number must be the one statSync gives.
  const odd = new Date(1577836800123);
  utimesSync(join(root, 'net/with space.c'), odd, odd);
  return root;
}

describe('listing a tree with find (index/discover-find.ts)', () => {
  it('finds the files discoverFiles finds, in the same order, with the same sizes and mtimes', async () => {
    const root = awkwardTree();
    const profile = detectProfile(root);
    for (const arch of [undefined, 'all', 'arm']) {
      const walked = discoverFiles(root, profile, arch ? { arch } : {});
      const found = await discoverFilesWithFind(root, profile, arch ? { arch } : {});
      expect(found, `arch ${arch}`).toEqual(walked);
    }
    const paths = discoverFiles(root, profile).map((f) => f.path);
    expect(paths).toContain('net/with space.c');
    expect(paths).toContain('net/tools/kept.c');
    expect(paths).toContain('arch/x86/deep/arch/arm/kept.c');
    expect(paths.some((p) => p.startsWith('tools/') || p.startsWith('arch/arm/') || p.includes('/.') || p.startsWith('.') || p.startsWith('linked-'))).toBe(false);
  });

  it('finds what a generic tree holds as the walk does', async () => {
    const { root } = copyFixture('callback', 'pathfind-find-');
    writeFileSync(join(root, '.skip.c'), 'int s;\n');
    const profile = detectProfile(root);
    expect(await discoverFilesWithFind(root, profile)).toEqual(discoverFiles(root, profile));
  });

  it('starts from the top entries a walk keeps, so that find tests no path, and walks from `.` when a name would read as an option', async () => {
    const root = awkwardTree();
    const profile = detectProfile(root);
    const starts = startPoints(root, profile, 'x86')!;
    expect(starts).toContain('net');
    expect(starts).toContain('linked-net');
    expect(starts).toContain('arch/top.c');
    expect(starts).toContain('arch/x86');
    expect(starts.some((p) => p.startsWith('.') || p === 'tools' || p === 'Documentation' || p === 'arch' || p === 'arch/arm')).toBe(false);
    expect(startPoints(root, profile, 'all')).toContain('arch');
    const args = findArguments(profile, 'x86', starts)!;
    expect(args.slice(0, starts.length)).toEqual(starts);
    expect(args).not.toContain('-path');
    // A top name find would read as an option: the walk starts from `.` and still finds what discoverFiles finds.
    writeFileSync(join(root, '-n.c'), 'int n;\n');
    expect(startPoints(root, profile, 'x86')).toBeNull();
    expect(await discoverFilesWithFind(root, profile)).toEqual(discoverFiles(root, profile));
    expect(discoverFiles(root, profile).map((f) => f.path)).toContain('-n.c');
  });

  it('nanoseconds make the times statSync gives, and a source file\'s stamp is the later of its mtime and ctime', () => {
    const files = parseFindOutput('12 1577836800.1234567890 1577836800.1234567890 a b.c\u00003 1796132819.5758971030 1577836800.0000000010 x/y.h\u00004 1577836800.0000000000 1796132819.5758971030 z.c\u0000');
    expect(files).toEqual([
      { path: 'a b.c', size: 12, mtimeMs: 1577836800123.4568 },
      { path: 'x/y.h', size: 3, mtimeMs: 1796132819575.8972 },
      // A chmod or chown moves the ctime alone: the file counts as changed.
      { path: 'z.c', size: 4, mtimeMs: 1796132819575.8972 },
    ]);
    // A source record with one time only is no record of this find's.
    expect(parseFindOutput('12 1577836800.1234567890 a b.c\u0000')).toBeNull();
  });

  it('prints the build files apart from the sources, of any type, and says which paths it would print so', async () => {
    const root = awkwardTree();
    const profile = detectProfile(root);
    writeFileSync(join(root, 'net/Kconfig.debug'), 'config X\n');
    writeFileSync(join(root, 'net/tools/Makefile'), 'obj-y += kept.o\n');
    writeFileSync(join(root, 'tools/perf/Makefile'), 'x\n');
    writeFileSync(join(root, 'arch/arm/Kconfig'), 'x\n');
    mkdirSync(join(root, 'net/.hidden'));
    writeFileSync(join(root, 'net/.hidden/Kbuild'), 'x\n');
    symlinkSync(join(root, 'net/Kconfig.debug'), join(root, 'net/Kbuild'));
    const found = (await listWithFind(root, profile))!;
    const builds = found.builds()!;
    expect(found.files()).toEqual(discoverFiles(root, profile));
    expect(builds.get('net/Kconfig.debug')).toMatchObject({ type: 'f', size: 9 });
    expect(builds.get('net/tools/Makefile')?.type).toBe('f');
    expect(builds.get('net/Kbuild')?.type).toBe('l');
    for (const pruned of ['tools/perf/Makefile', 'arch/arm/Kconfig', 'net/.hidden/Kbuild']) {
      expect(builds.has(pruned), pruned).toBe(false);
      expect(findWatches(profile, 'x86', pruned), pruned).toBe(false);
    }
    for (const path of ['net/Kconfig.debug', 'net/tools/Makefile', 'net/Kbuild', 'Makefile', 'arch/Kconfig', 'arch/x86/Kbuild']) expect(findWatches(profile, 'x86', path), path).toBe(true);
    for (const path of ['.config', 'net/Kconfig.h', 'net/notes.txt', '/abs/Makefile', 'net//Kbuild']) expect(findWatches(profile, 'x86', path), path).toBe(false);
    expect(findWatches(profile, 'all', 'arch/arm/Kconfig')).toBe(true);
    expect(parseFindRecords('Bf 12 1577836800.1234567890 a/Makefile\u00003 1796132819.5758971030 1796132819.5758971030 x/y.h\u0000')).toEqual({
      files: [{ path: 'x/y.h', size: 3, mtimeMs: 1796132819575.8972 }],
      builds: new Map([['a/Makefile', { type: 'f', size: 12, mtimeMs: 1577836800123.4568 }]]),
    });
    expect(parseFindRecords('B 12 1577836800.1234567890 a/Makefile\u0000')).toBeNull();
    expect(parseFindRecords('Bf12 1577836800.1234567890 a/Makefile\u0000')).toBeNull();
  });

  it('does not answer when it cannot be sure: path limits, names find would read as patterns, output not as expected, find failing or absent', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-find-');
    const profile = detectProfile(root);
    expect(await discoverFilesWithFind(root, profile, { paths: ['net'] })).toBeNull();
    const starred: DiscoverProfile = { ...profile, excludeDirs: ['tools*'] };
    expect(findArguments(starred, 'x86')).toBeNull();
    expect(await discoverFilesWithFind(root, starred)).toBeNull();
    expect(parseFindOutput('12 1577836800.123 a.c\u0000')).toBeNull();
    expect(parseFindOutput('12 1577836800.1234567890 a.c')).toBeNull();
    expect(parseFindOutput('12 -1.1234567890 a.c\u0000')).toBeNull();
    expect(await discoverFilesWithFind(root, profile, {}, 'false')).toBeNull();
    expect(await discoverFilesWithFind(root, profile, {}, join(root, 'no-such-find'))).toBeNull();
  });

  it('gives the UsageError of an unknown arch, as the walk does', async () => {
    const { root } = copyFixture('minikernel', 'pathfind-find-');
    const profile = detectProfile(root);
    expect(() => discoverFilesWithFind(root, profile, { arch: 'vax' })).toThrow(/unknown architecture 'vax'/);
  });

  it('an open that lists the tree meanwhile sees an edit, an added and a deleted file', async () => {
    const { root, dir } = copyFixture('minikernel', 'pathfind-find-');
    const cache = join(dir, 'cache');
    const open = () => openTreeReport({ root, cache, discoverInWorker: true });
    await open();
    writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 1; }\n');
    rmSync(join(root, 'fs/read_write.c'));
    writeFileSync(join(root, 'net/socket.c'), `${readFileSync(join(root, 'net/socket.c'), 'utf8')}\nint edited(void) { return 2; }\n`);
    const { report, project } = await open();
    expect(report.fromGraphCache).toBe(false);
    expect(project.nodes('added').length + project.nodes('edited').length).toBe(2);
    expect(project.index.files.map((f) => f.path)).toEqual(discoverFiles(root, detectProfile(root)).map((f) => f.path));
  });
});
