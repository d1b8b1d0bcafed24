import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FrameFile } from '../../src/cache/frame-file.js';
import type { GraphPayload } from '../../src/cache/graph-payload.js';
import { CACHE_FORMAT } from '../../src/cache/index-cache.js';

/**
 * `read` of the graph payload the graph file of the cache folder `cache` keeps (its only `.graph`
 * file), the file closed after; throws when there is none or it does not open. What `read` returns
 * must not hold columns still unread (they are read from the file, closed once it returns).
 */
export function withStoredGraph<T>(cache: string, read: (payload: GraphPayload) => T): T {
  const name = readdirSync(cache).find((n) => n.endsWith('.graph'));
  if (!name) throw new Error(`${cache}: no graph file`);
  const file = FrameFile.open(join(cache, name), CACHE_FORMAT, false);
  if (typeof file === 'string') throw new Error(`${name}: ${file}`);
  try {
    return read(file.value<GraphPayload>(1));
  } finally {
    file.close();
  }
}
