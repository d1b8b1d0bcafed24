import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../util/errors.js';
import { type DiscoverOptions, type DiscoverProfile, discoverFiles, type SourceFile } from './discover-files.js';
import type { DiscoveredMessage, DiscoverJob } from './discover-worker.js';

/** The compiled worker script; when running from TypeScript sources (tests), the built copy in dist/. */
function workerScript(): URL | null {
  const here = new URL('./discover-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace('/src/index/', '/dist/index/'));
  return existsSync(fileURLToPath(built)) ? built : null;
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
      worker = new Worker(script, { workerData: job });
    } catch {
      return settle(here);
    }
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
