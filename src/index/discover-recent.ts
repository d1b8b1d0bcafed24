import { statSync } from 'node:fs';
import { changeStamp } from './discover-files.js';

/** How many of the most recently modified files are looked at (RECENT_FILES stat() calls, well under a millisecond). */
export const RECENT_FILES = 64;

/**
 * The first of the `count` most recently modified files of a listing (`entries`: paths relative
 * to `root` with the size and mtime they had) whose size or mtime moved since, or that is gone;
 * undefined when none did. The file a user edits is most often one edited shortly before: this
 * tells, before the whole tree is listed, that a listing will likely differ, so that work done on
 * the cached graph meanwhile (an answer worked out ahead) is not started in vain. It says nothing
 * of the other files: the listing alone tells that a tree is unchanged.
 */
export function recentlyChanged(root: string, entries: readonly { path: string; size: number; mtimeMs: number }[], count = RECENT_FILES): string | undefined {
  const base = root.endsWith('/') ? root : `${root}/`;
  for (const e of newestEntries(entries, count)) {
    const s = statSync(base + e.path, { throwIfNoEntry: false });
    if (!s || s.size !== e.size || changeStamp(s) !== e.mtimeMs) return e.path;
  }
  return undefined;
}

/** The `count` entries of `entries` with the latest mtimes, newest first (of equal mtimes, the first listed first). */
export function newestEntries<T extends { mtimeMs: number }>(entries: readonly T[], count: number): T[] {
  // Kept in a small array sorted by mtime, newest first.
  const newest: T[] = [];
  for (const e of entries) {
    if (newest.length === count && e.mtimeMs <= newest[count - 1]!.mtimeMs) continue;
    let at = newest.length;
    while (at > 0 && newest[at - 1]!.mtimeMs < e.mtimeMs) at--;
    newest.splice(at, 0, e);
    if (newest.length > count) newest.pop();
  }
  return newest;
}
