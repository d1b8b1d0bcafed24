/**
 * Worker thread entry of discoverFilesInWorker (discover-in-worker.ts): runs discoverFiles on
 * its workerData and posts a DiscoveredMessage. It imports discovery alone, so that it starts fast.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { UnreadableFile } from '../types/facts.js';
import { UsageError } from '../util/errors.js';
import { type DiscoverProfile, discoverFiles } from './discover-files.js';
import { type Listings, readListings, writeListings } from './discover-listing.js';

/** What the thread is given. */
export interface DiscoverJob {
  root: string;
  profile: DiscoverProfile;
  paths?: string[];
  arch?: string;
  /** Where the folders' listings are kept from one walk to the next (discover-listing.ts); absent: every folder is read. */
  listings?: string;
}

/**
 * The files found, as parallel columns (cheaper to pass between threads than 40,000 objects),
 * with what could not be read in the order it was met; or the message of a UsageError; or that
 * of any other error.
 */
export type DiscoveredMessage =
  | { paths: string[]; sizes: Float64Array; mtimes: Float64Array; unreadable: UnreadableFile[] }
  | { usage: string }
  | { error: string };

const job = workerData as DiscoverJob;
let message: DiscoveredMessage;
let keep = (): void => {};
try {
  const unreadable: UnreadableFile[] = [];
  const before = job.listings ? readListings(job.listings) : null;
  const after: Listings & { listed: number } = { at: 0, folders: new Map(), listed: 0 };
  const files = discoverFiles(job.root, job.profile, { ...(job.paths ? { paths: job.paths } : {}), ...(job.arch ? { arch: job.arch } : {}), onUnreadable: (f) => unreadable.push(f), ...(job.listings ? { listings: { before, after } } : {}) });
  // Kept again when a folder was read afresh (or one is gone): after the answer is posted, below.
  if (job.listings && (after.listed > 0 || before?.folders.size !== after.folders.size)) keep = () => writeListings(job.listings!, after);
  message = { paths: files.map((f) => f.path), sizes: Float64Array.from(files, (f) => f.size), mtimes: Float64Array.from(files, (f) => f.mtimeMs), unreadable };
} catch (err) {
  message = err instanceof UsageError ? { usage: err.message } : { error: err instanceof Error ? err.message : String(err) };
}
parentPort!.postMessage(message);
keep();
