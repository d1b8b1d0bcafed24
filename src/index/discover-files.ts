import { readdirSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import type { UnreadableFile } from '../types/facts.js';
import { UsageError } from '../util/errors.js';
import { readFailure } from '../util/fs-failure.js';
import { keptEntries, type Listings } from './discover-listing.js';

export interface DiscoverOptions {
  /** Paths (relative to root) that limit the files considered, like `git grep -- PATHS`. */
  paths?: string[];
  /** Architecture directory to index; 'all' for every one. */
  arch?: string;
  /**
   * Receives each folder that cannot be listed and each file that cannot be looked at (it
   * vanished, permission denied, ...): they are skipped, and the walk goes on.
   */
  onUnreadable?: (file: UnreadableFile) => void;
  /**
   * What an earlier walk read of each folder (`before`, null for none: discover-listing.ts): a
   * folder unchanged since is not listed again. `after` receives what this walk read or kept of
   * each folder it walked, `at` when it began, and `listed` how many folders it read afresh.
   */
  listings?: { before: Listings | null; after: Listings & { listed: number } };
}

export interface SourceFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  size: number;
  /**
   * When the file last changed, in ms since the epoch: the later of its mtime and its ctime
   * (changeStamp), so that a chmod or chown, which moves the ctime alone, makes it read again
   * (a file no longer readable is then seen as such).
   */
  mtimeMs: number;
}

/**
 * SourceFile.mtimeMs of a file's stat(): the later of its mtime and ctime (a content change moves
 * both; a change of mode or owner, or of its links, the ctime alone).
 */
export const changeStamp = (st: { mtimeMs: number; ctimeMs: number }): number => Math.max(st.mtimeMs, st.ctimeMs);

/** What discovery reads of a profile (plain data: a worker thread gets it as it is). */
export type DiscoverProfile = Pick<Profile, 'excludeDirs' | 'archDir' | 'defaultArch'>;

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/**
 * The architecture a walk keeps under the profile's arch folder (`arch`, else the profile's
 * default; 'all' or undefined keep every one). Throws UsageError when the tree's arch folder has
 * folders and none of them is that architecture.
 */
export function checkedArch(root: string, profile: DiscoverProfile, arch = profile.defaultArch): string | undefined {
  if (profile.archDir && arch && arch !== 'all') {
    let known: string[] = [];
    try {
      known = readdirSync(join(root, profile.archDir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      /* no arch directory: nothing to check */
    }
    if (known.length && !known.includes(arch)) throw new UsageError(`unknown architecture '${arch}' (have: ${known.sort().join(', ')}, all)`);
  }
  return arch;
}

/**
 * Every .c and .h file the profile admits under root, sorted by path. Folders and files that
 * cannot be read are skipped and reported to `onUnreadable`; a path limit that does not exist
 * is a UsageError.
 */
export function discoverFiles(root: string, profile: DiscoverProfile, options: DiscoverOptions = {}): SourceFile[] {
  const arch = checkedArch(root, profile, options.arch);
  const skipped = (rel: string): boolean => {
    const parts = rel.split('/');
    if (parts.length === 1 && profile.excludeDirs.includes(parts[0]!)) return true;
    return parts.length === 2 && parts[0] === profile.archDir && !!arch && arch !== 'all' && parts[1] !== arch;
  };
  const out: SourceFile[] = [];
  const unreadable = (abs: string, err: unknown, folder: boolean): void => {
    const rel = toPosix(relative(root, abs)) || '.';
    options.onUnreadable?.({ path: folder ? `${rel}/` : rel, reason: readFailure(err) });
  };
  const listings = options.listings;
  if (listings) listings.after.at = Date.now();
  /** The entries of folder `dir` the walk follows (see ListedFolder.entries): kept from the last walk when it has not changed, else read (and kept); null when it cannot be read (reported). */
  const entriesOf = (dir: string, rel: string): string[] | null => {
    let st: Stats | undefined;
    if (listings) {
      try {
        st = statSync(dir);
      } catch {
        // read below, which reports why
      }
      const kept = st ? keptEntries(listings.before, rel, st) : null;
      if (kept) {
        listings.after.folders.set(rel, { ino: st!.ino, mtimeMs: st!.mtimeMs, ctimeMs: st!.ctimeMs, entries: kept });
        return kept;
      }
    }
    let read;
    try {
      read = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      unreadable(dir, err, true);
      return null;
    }
    const entries: string[] = [];
    for (const e of read) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) entries.push(`${e.name}/`);
      else if (e.isFile() && (e.name.endsWith('.c') || e.name.endsWith('.h'))) entries.push(e.name);
    }
    if (listings && st) {
      listings.after.listed++;
      listings.after.folders.set(rel, { ino: st.ino, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, entries });
    }
    return entries;
  };
  // `rel` is dir's path relative to root, `/`-separated ('' for root): paths are joined by hand, not by path.relative, which costs more than the stat.
  const walk = (dir: string, rel: string): void => {
    const entries = entriesOf(dir, rel);
    if (!entries) return;
    for (const entry of entries) {
      const folder = entry.endsWith('/');
      const name = folder ? entry.slice(0, -1) : entry;
      const abs = `${dir}${sep}${name}`;
      const path = rel ? `${rel}/${name}` : name;
      if (folder) {
        if (!skipped(path)) walk(abs, path);
      } else {
        let st;
        try {
          st = statSync(abs);
        } catch (err) {
          unreadable(abs, err, false);
          continue;
        }
        out.push({ path, size: st.size, mtimeMs: changeStamp(st) });
      }
    }
  };
  const limits = (options.paths ?? []).map((p) => treePathLimit(root, p));
  const top = root.endsWith(sep) ? root.slice(0, -1) : root;
  if (limits.length === 0) walk(top, '');
  for (const limit of limits) {
    const abs = join(root, limit);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      const reason = readFailure(err);
      if (reason === 'ENOENT' || reason === 'ENOTDIR') throw new UsageError(`no such path in the tree: ${limit}`);
      unreadable(abs, err, false);
      continue;
    }
    if (st.isDirectory()) walk(abs, toPosix(relative(root, abs)));
    else if (st.isFile()) out.push({ path: toPosix(relative(root, abs)), size: st.size, mtimeMs: changeStamp(st) });
  }
  const unique = new Map(out.map((f) => [f.path, f]));
  return [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A path limit as the tree's own `/`-separated path: relative to the root, or absolute inside it;
 * `net/`, `./net` and `net/../net` are all `net`, the root itself ''. Throws UsageError for a path
 * outside the tree (`../x`, another folder), which is never indexed as if it belonged to it.
 */
export function treePathLimit(root: string, limit: string): string {
  const rel = relative(resolve(root), resolve(root, limit));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new UsageError(`path outside the tree: ${limit}`);
  return toPosix(rel);
}
