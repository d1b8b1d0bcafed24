import { readFileSync, renameSync, type Stats, writeFileSync } from 'node:fs';
import { removeQuietly } from '../util/fs-failure.js';
import { deserialize, serialize } from 'node:v8';

/**
 * What the last walk of a tree read of each folder (discover-files.ts), kept beside the graph
 * cache so that the next walk lists again only the folders that changed. A folder's entries
 * change only with its own mtime and ctime (adding, removing or renaming an entry sets both; a
 * change of permissions sets ctime), so a folder whose stat() shows the same inode, mtime and
 * ctime as when it was listed has the same entries; its files are still stat()'ed one by one
 * (an edit in place changes the file, not its folder). A folder changed within RACY_MS of the
 * walk that listed it may change again within the same clock tick unseen: it is listed again
 * (as git treats a racily clean index entry).
 */

/** A folder changed this close (ms) to the walk that listed it is not trusted: see the module comment. */
export const RACY_MS = 2000;

/** One folder as the walk read it. */
export interface ListedFolder {
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Its entries the walk follows, in the order read: subfolders with a trailing `/`, then nothing else but .c and .h files. */
  entries: string[];
}

/** The folders of one walk, by path relative to the root (`` the root), and when it began (ms since the epoch). */
export interface Listings {
  at: number;
  folders: Map<string, ListedFolder>;
}

/** Bumped when the layout changes; a file of another version is not read. */
const LISTINGS_VERSION = 1;

/** The entries kept of folder `rel` when `st` (taken before it was read) still describes it, else null (list it again). */
export function keptEntries(before: Listings | null, rel: string, st: Stats): string[] | null {
  const kept = before?.folders.get(rel);
  if (!kept || kept.ino !== st.ino || kept.mtimeMs !== st.mtimeMs || kept.ctimeMs !== st.ctimeMs) return null;
  return Math.max(kept.mtimeMs, kept.ctimeMs) < before!.at - RACY_MS ? kept.entries : null;
}

/** The listings kept at `path`, or null when absent or unreadable. */
export function readListings(path: string): Listings | null {
  try {
    const file = deserialize(readFileSync(path)) as { version: number; at: number; folders: [string, ListedFolder][] };
    if (file?.version !== LISTINGS_VERSION || typeof file.at !== 'number' || !Array.isArray(file.folders)) return null;
    return { at: file.at, folders: new Map(file.folders) };
  } catch {
    return null;
  }
}

/** Keeps the listings at `path` (a temporary file renamed over it); a folder that cannot be written is no error. */
export function writeListings(path: string, listings: Listings): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, serialize({ version: LISTINGS_VERSION, at: listings.at, folders: [...listings.folders] }));
    renameSync(temporary, path);
  } catch {
    removeQuietly(temporary);
  }
}
