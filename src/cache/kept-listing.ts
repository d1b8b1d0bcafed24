import type { CacheEntry } from './index-cache.js';
import type { KeptBeside } from './graph-from-cache.js';
import { type KeptForWrite, keptForWrite, readKept, writeKept } from './kept-beside.js';
import { RECENT_FILES, newestEntries } from '../index/discover-recent.js';
import type { FoundBuildFile, FoundListing } from '../index/discover-find.js';
import type { BuildRecord } from './tree-build.js';

/**
 * What is kept beside a graph cache file of the tree's listing found equal to the graph's files
 * (`KEY.listing`, see kept-beside.ts): the digest of find's output then (index/discover-find.ts
 * FoundListing), how many files it listed, and the graph's most recently modified files. A later
 * listing with the same digest lists the very same files, sizes and mtimes: the graph holds for
 * it without the listing being parsed nor the graph's file list decoded (some 150 ms of a warm
 * query on a kernel). Kept for a graph file used as it is stored, or written for the very files
 * of that listing (listingToKeep: a patch, a resolution in full), by that file's own identity
 * (device, inode, size, mtime), so that a graph file written again never meets it.
 * find's output holds the tree's build files too (index/discover-find.ts BUILD_NAMES), so the same
 * digest also vouches for the graph's build record, but for the paths kept as `unwatched`.
 */
export interface KeptListing {
  digest: string;
  files: number;
  /** The RECENT_FILES most recently modified files, newest first, as [path, size, mtimeMs] (for recentlyChanged). */
  recent: [string, number, number][];
  /**
   * The paths of the graph's build record (BuildRecord files and absent) that a listing of this
   * digest does not vouch for (unwatchedPaths): only they need a stat() to tell that the build
   * still holds. Absent: unknown, every path of the record is looked at.
   */
  unwatched?: string[];
}

/** Bumped when KeptListing changes. */
const LISTING_VERSION = 2;

const isListing = (v: unknown): v is KeptListing => {
  const x = v as KeptListing;
  return typeof x === 'object' && x !== null && typeof x.digest === 'string' && typeof x.files === 'number' && Array.isArray(x.recent) && (x.unwatched === undefined || (Array.isArray(x.unwatched) && x.unwatched.every((p) => typeof p === 'string')));
};

/** The listing kept for the graph file `beside.identity`, or null. */
export function readKeptListing(beside: KeptBeside): KeptListing | null {
  return readKept(beside, 'listing', LISTING_VERSION, isListing);
}

/**
 * Keeps `digest` as that of a listing equal to `manifest`, the files of the graph file
 * `beside.identity`, with the paths of its build record that the listing does not vouch for
 * (`unwatched`: see KeptListing; undefined when unknown).
 */
export function writeKeptListing(beside: KeptBeside, digest: string, manifest: readonly CacheEntry[], unwatched?: string[]): void {
  writeKept(beside, 'listing', LISTING_VERSION, listingValue(digest, manifest, unwatched));
}

/**
 * The listing of `digest` to keep for a graph file about to be written whose files are exactly
 * `manifest` (a patched graph, or one resolved in full, for the listing it was made for: IndexCache.save
 * and saveBehind `keep`), so that the very next query finds the graph's files to be the tree's
 * without parsing its listing; `unwatched` as writeKeptListing's.
 */
export const listingToKeep = (digest: string, manifest: readonly CacheEntry[], unwatched?: string[]): KeptForWrite => keptForWrite('listing', LISTING_VERSION, listingValue(digest, manifest, unwatched));

function listingValue(digest: string, manifest: readonly CacheEntry[], unwatched: string[] | undefined): KeptListing {
  const recent = newestEntries(manifest, RECENT_FILES).map((e): [string, number, number] => [e.path, e.size, e.mtimeMs]);
  return { digest, files: manifest.length, recent, ...(unwatched ? { unwatched } : {}) };
}

/**
 * The paths of `record` that find's listing (its source `files` and its `builds` records) does
 * not vouch for: a file of the record vouched for is printed by find as a regular file of the size
 * and mtime the record holds (the same bytes print it so again); an absent path, one find would
 * print were it there (`watches`: discover-find.ts findWatches) in a folder find walked (it printed
 * an entry of that folder, or a file below it: find follows no link, so it read every folder on
 * the way, and a folder replaced later loses those entries)
 * and does not print now, so that its appearing changes the bytes. Everything else (a path outside
 * the walk: a pruned folder, .config, another name, a folder the model listed; a file changed
 * since the record) is unwatched, in the record's order.
 */
export function unwatchedPaths(record: BuildRecord, listing: { files: readonly { path: string }[]; builds: ReadonlyMap<string, FoundBuildFile> }, watches: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of record.files) {
    const b = listing.builds.get(f.path);
    if (!b || b.type !== 'f' || b.size !== f.size || b.mtimeMs !== f.mtimeMs) out.push(f.path);
  }
  const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));
  const walked = new Set<string>();
  for (const p of listing.builds.keys()) walked.add(folderOf(p));
  const seen = (folder: string): boolean => walked.has(folder) || holdsUnder(listing.files, folder);
  for (const p of record.absent) if (!watches(p) || listing.builds.has(p) || !seen(folderOf(p))) out.push(p);
  return out;
}

/**
 * True when `files` (sorted by path, as listings are) holds a path in `folder` or below it (the
 * top: a path in it), found by a binary search: making every file's folder took an edit's query
 * 20 to 40 ms on a kernel's 43,000 files. Files out of order can only make it answer false.
 */
function holdsUnder(files: readonly { path: string }[], folder: string): boolean {
  if (folder === '') return files.some((f) => !f.path.includes('/'));
  const prefix = `${folder}/`;
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid]!.path < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < files.length && files[lo]!.path.startsWith(prefix);
}

/**
 * The paths of the build `record` that `found` (find's listing, whose files are `manifest`: its
 * own, or the graph's found equal to them) does not vouch for (unwatchedPaths); undefined when
 * that is unknown (no listing by find, or no build record).
 */
export function unwatchedOf(found: FoundListing | null, record: BuildRecord | undefined, manifest: readonly CacheEntry[]): string[] | undefined {
  const builds = found?.builds();
  return found && builds && record ? unwatchedPaths(record, { files: manifest, builds }, (path) => found.watches(path)) : undefined;
}

/** The recent files of a kept listing as entries (for recentlyChanged). */
export const recentEntries = (kept: KeptListing): CacheEntry[] => kept.recent.map(([path, size, mtimeMs]) => ({ path, size, mtimeMs }));
