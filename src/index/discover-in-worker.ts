import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../util/errors.js';
import { type DiscoverOptions, type DiscoverProfile, discoverFiles, type SourceFile } from './discover-files.js';
import type { DiscoveredMessage, DiscoverJob } from './discover-worker.js';

/**
 * The discovery thread's young generation, in MB (by default V8 grows it as objects survive). Its garbage
 * (a Stats object per file) dies young, so a small one recycles the same pages instead of touching
 * new ones. Measured on a whole Linux 6.1 x86 tree (2 cores, page-table isolation, 4 runs each,
 * busy machine): the listing in its thread took 20,200 page faults and 1.45 s of CPU by default,
 * 15,100 and 1.25 s at 2 MB (15,700 and 1.27 s at 4, 16,000 and 1.29 s at 8).
 */
const WORKER_YOUNG_MB = 2;

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/. */
function workerScript(): URL | null {
  const here = new URL('./discover-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace('/src/index/', '/dist/index/'));
  return existsSync(fileURLToPath(built)) ? built : null;
}

/** Discovery threads still alive: each may still be writing its folder listings after it answered. */
const running = new Set<Promise<void>>();

/** How many discovery threads are still alive (writing their listings after answering). */
export function discoveryThreadsAlive(): number {
  return running.size;
}

/**
 * Resolves when every discovery thread started so far has ended, that is when the folder
 * listings it keeps beside the cache are written (or failed to be). A caller that removes the
 * cache folder, or returns to code that may, waits for this first; never rejects.
 */
export async function listingsWritten(): Promise<void> {
  while (running.size > 0) await Promise.all(running);
}

/**
 * discoverFiles run in a worker thread, so that the calling thread can do other work (load the
 * graph cache) while the file system is listed and every file stat'ed: the same files in the
 * same order, the same UsageError for an unknown arch or a missing path limit, `onUnreadable`
 * called for the same folders and files in the same order (once the walk is over). When the
 * thread cannot start or fails otherwise, discovery runs here instead, as discoverFiles.
 * `listings`: the file where the thread keeps what it read of each folder, so that the next walk
 * reads again only the folders that changed (discover-listing.ts); the files found are the same.
 */
export function discoverFilesInWorker(root: string, profile: DiscoverProfile, options: DiscoverOptions = {}, listings?: string): Promise<SourceFile[]> {
  const script = workerScript();
  const here = (): SourceFile[] => discoverFiles(root, profile, options);
  if (!script) return Promise.resolve().then(here);
  const job: DiscoverJob = { root, profile: { excludeDirs: profile.excludeDirs, ...(profile.archDir ? { archDir: profile.archDir } : {}), ...(profile.defaultArch ? { defaultArch: profile.defaultArch } : {}) }, ...(options.paths ? { paths: options.paths } : {}), ...(options.arch ? { arch: options.arch } : {}), ...(listings ? { listings } : {}) };
  return new Promise<SourceFile[]>((resolve, reject) => {
    let settled = false;
    const settle = (run: () => SourceFile[]): void => {
      if (settled) return;
      settled = true;
      try {
        resolve(run());
      } catch (err) {
        reject(err);
      }
    };
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    } catch {
      return settle(here);
    }
    const ended = new Promise<void>((done) => worker.once('exit', () => done()));
    running.add(ended);
    void ended.then(() => running.delete(ended));
    worker.once('message', (m: DiscoveredMessage) =>
      settle(() => {
        if ('usage' in m) throw new UsageError(m.usage);
        if ('error' in m) return here();
        for (const f of m.unreadable) options.onUnreadable?.(f);
        return m.paths.map((path, i) => ({ path, size: m.sizes[i]!, mtimeMs: m.mtimes[i]! }));
      }),
    );
    worker.once('error', () => settle(here));
    worker.once('exit', () => settle(here));
  });
}
