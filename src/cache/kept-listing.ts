import type { CacheEntry } from './index-cache.js';
import type { KeptBeside } from './graph-from-cache.js';
import { readKept, writeKept } from './kept-beside.js';
import { RECENT_FILES, newestEntries } from '../index/discover-recent.js';

/**
 * What is kept beside a graph cache file of the tree's listing found equal to the graph's files
 * (`KEY.listing`, see kept-beside.ts): the digest of find's output then (index/discover-find.ts
 * FoundListing), how many files it listed, and the graph's most recently modified files. A later
 * listing with the same digest lists the very same files, sizes and mtimes: the graph holds for
 * it without the listing being parsed nor the graph's file list decoded (some 150 ms of a warm
 * query on a kernel). Kept only for a graph file used as it is stored, by that file's own
 * identity (device, inode, size, mtime), so that a graph file written again never meets it.
 */
export interface KeptListing {
  digest: string;
  files: number;
  /** The RECENT_FILES most recently modified files, newest first, as [path, size, mtimeMs] (for recentlyChanged). */
  recent: [string, number, number][];
}

/** Bumped when KeptListing changes. */
const LISTING_VERSION = 1;

const isListing = (v: unknown): v is KeptListing => {
  const x = v as KeptListing;
  return typeof x === 'object' && x !== null && typeof x.digest === 'string' && typeof x.files === 'number' && Array.isArray(x.recent);
};

/** The listing kept for the graph file `beside.identity`, or null. */
export function readKeptListing(beside: KeptBeside): KeptListing | null {
  return readKept(beside, 'listing', LISTING_VERSION, isListing);
}

/** Keeps `digest` as that of a listing equal to `manifest`, the files of the graph file `beside.identity`. */
export function writeKeptListing(beside: KeptBeside, digest: string, manifest: readonly CacheEntry[]): void {
  const recent = newestEntries(manifest, RECENT_FILES).map((e): [string, number, number] => [e.path, e.size, e.mtimeMs]);
  writeKept(beside, 'listing', LISTING_VERSION, { digest, files: manifest.length, recent });
}

/** The recent files of a kept listing as entries (for recentlyChanged). */
export const recentEntries = (kept: KeptListing): CacheEntry[] => kept.recent.map(([path, size, mtimeMs]) => ({ path, size, mtimeMs }));
