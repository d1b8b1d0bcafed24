import { parentPort, workerData } from 'node:worker_threads';
import { type DetachedBlocks, rememberDetached } from './column-reuse.js';
import { encodeColumnParts } from './columns.js';
import { MAGIC, writeFrameFileAtomically } from './frame-file.js';
import { pruneScopes } from './prune-scopes.js';

/**
 * Worker thread: writes one graph cache file (index-cache.ts IndexCache.saveBehind) while the
 * main thread answers the query. `workerData` holds the file's path and format, the manifest and
 * the payload as detachColumns (columns.ts) made them, and the blocks of the texts the main thread
 * had decoded (column-reuse.ts detachBlocks), so that unchanged blocks are copied, not deflated.
 * The file is written as IndexCache.save writes it (temporary file renamed), then the folder's
 * scopes pruned. Posts `{ error }` with the message when that fails, else `{}`.
 */
const { path, format, dir, key, manifest, value, blocks } = workerData as { path: string; format: number; dir: string; key: string; manifest: unknown; value: unknown; blocks: DetachedBlocks[] };
try {
  rememberDetached(blocks);
  writeFrameFileAtomically(path, MAGIC, format, [encodeColumnParts(manifest), encodeColumnParts(value)]);
  pruneScopes(dir, key);
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message });
}
