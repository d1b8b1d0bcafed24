import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The index cache folder of a tree that cannot hold its own `.pathfind/` (a read-only tree): under
 * the user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`), `pathfind/trees/` and the first 16
 * hex digits of the SHA-1 of `root` (the tree's absolute path as given, not resolved through links).
 */
export function userCacheDir(root: string): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const key = createHash('sha1').update(root).digest('hex').slice(0, 16);
  return join(base, 'pathfind', 'trees', key);
}
