import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles, type SourceFile } from '../../src/index/discover-files.js';
import { discoverFilesInWorker } from '../../src/index/discover-in-worker.js';
import { type Listings, RACY_MS, readListings } from '../../src/index/discover-listing.js';
import { detectProfile } from '../../src/profiles/index.js';
import type { UnreadableFile } from '../../src/types/facts.js';
import { copyFixture } from '../support/fixtures.js';

/** A private copy of the minikernel whose folders all look last changed an hour ago (so that their listings are trusted: RACY_MS). */
function oldTree(): { root: string; dir: string } {
  const { dir, root } = copyFixture('minikernel', 'pathfind-listing-');
  const old = new Date(Date.now() - 3600_000);
  const age = (folder: string): void => {
    for (const e of readdirSync(folder, { withFileTypes: true })) if (e.isDirectory()) age(join(folder, e.name));
    utimesSync(folder, old, old);
  };
  age(root);
  return { root, dir };
}

/**
 * A walk given the listings of the last one; returns its files, what it found unreadable and its
 * own listings, dated an hour later than it ran (as if it had run long after the last change: a
 * test cannot date a folder's ctime back, and a folder changed within RACY_MS of its listing is
 * read again), unless `asRun`.
 */
function walk(root: string, before: Listings | null, asRun = false): { files: SourceFile[]; unreadable: UnreadableFile[]; after: Listings & { listed: number } } {
  const after = { at: 0, folders: new Map(), listed: 0 };
  const unreadable: UnreadableFile[] = [];
  const files = discoverFiles(root, detectProfile(root), { listings: { before, after }, onUnreadable: (f) => unreadable.push(f) });
  if (!asRun) after.at += 3600_000;
  return { files, unreadable, after };
}

/** The listings kept in `file` once the worker thread has written them (it writes after posting the files found). */
async function keptIn(file: string, size?: number): Promise<Listings | null> {
  for (let i = 0; i < 250; i++) {
    const kept = readListings(file);
    if (kept && (size === undefined || kept.folders.size === size)) return kept;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

/** The walk without listings: what every walk must find. */
function fresh(root: string): { files: SourceFile[]; unreadable: UnreadableFile[] } {
  const unreadable: UnreadableFile[] = [];
  return { files: discoverFiles(root, detectProfile(root), { onUnreadable: (f) => unreadable.push(f) }), unreadable };
}

describe('folder listings kept from one walk to the next (index/discover-listing.ts)', () => {
  it('find the same files as a walk that reads every folder, reading again none of an unchanged tree', () => {
    const { root } = oldTree();
    const first = walk(root, null);
    expect(first.files).toEqual(fresh(root).files);
    expect(first.after.listed).toBe(first.after.folders.size);
    const second = walk(root, first.after);
    expect(second.files).toEqual(first.files);
    expect(second.after.listed).toBe(0);
    expect(second.after.folders.size).toBe(first.after.folders.size);
  });

  it('find a file added, removed, renamed or edited in place, and a folder added or removed, reading again only the folders that changed', () => {
    const { root } = oldTree();
    let last = walk(root, null).after;
    const edits: [string, () => void, number][] = [
      ['a file added', () => writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n'), 1],
      ['a file removed', () => rmSync(join(root, 'fs/read_write.c')), 1],
      ['a file renamed', () => renameSync(join(root, 'net/socket.c'), join(root, 'net/sockets.c')), 1],
      // An edit in place changes the file, not its folder: no folder is read, the file's stat tells.
      ['a file edited in place', () => writeFileSync(join(root, 'net/sockets.c'), '/* longer now */\nint x;\n', { flag: 'a' }), 0],
      ['a folder added', () => (mkdirSync(join(root, 'net/newdir')), writeFileSync(join(root, 'net/newdir/new.h'), '#define NEW 1\n')), 2],
      ['a folder removed', () => rmSync(join(root, 'net/newdir'), { recursive: true }), 1],
      ['a file that is not C added', () => writeFileSync(join(root, 'net/README'), 'text\n'), 1],
    ];
    for (const [what, edit, listed] of edits) {
      edit();
      const now = walk(root, last);
      expect(now.files, what).toEqual(fresh(root).files);
      expect(now.after.listed, what).toBe(listed);
      last = now.after;
    }
    const paths = last.folders.get('net')!.entries;
    expect(paths).toContain('sockets.c');
    expect(paths).not.toContain('README');
  });

  it('read again every folder changed too recently to be trusted, and one whose permissions changed', () => {
    const { root } = oldTree();
    // Dated as it ran: each folder's ctime (set when the test dated its mtime back) is within RACY_MS of the walk.
    const first = walk(root, null, true).after;
    expect(first.at - statSync(join(root, 'net')).ctimeMs).toBeLessThan(RACY_MS);
    const again = walk(root, first);
    expect(again.after.listed).toBe(again.after.folders.size);
    expect(again.files).toEqual(fresh(root).files);
    expect(walk(root, again.after).after.listed).toBe(0);
    // chmod changes a folder's ctime, not its mtime: it is read again (an unreadable folder is reported as a walk reading it would).
    chmodSync(join(root, 'fs'), 0o700);
    const chmodded = walk(root, again.after);
    expect(chmodded.after.listed).toBe(1);
    expect(chmodded.files).toEqual(fresh(root).files);
  });

  it('are kept by the worker thread in the file it is given, and the files found are those of a walk in place', async () => {
    const { root, dir } = oldTree();
    const file = join(dir, 'listings');
    const profile = detectProfile(root);
    const first = await discoverFilesInWorker(root, profile, {}, file);
    expect(first).toEqual(fresh(root).files);
    const kept = await keptIn(file);
    expect(kept?.folders.size).toBeGreaterThan(5);
    writeFileSync(join(root, 'net/added.c'), 'int added(void) { return 0; }\n');
    const second = await discoverFilesInWorker(root, profile, {}, file);
    expect(second).toEqual(fresh(root).files);
    expect(second.map((f) => f.path)).toContain('net/added.c');
    // A damaged file is read as none.
    writeFileSync(file, 'damaged');
    expect(await discoverFilesInWorker(root, profile, {}, file)).toEqual(fresh(root).files);
    expect((await keptIn(file, kept!.folders.size))?.folders.get('net')!.entries).toContain('added.c');
  });
});
