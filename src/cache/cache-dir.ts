import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a tree's index cache lives: `--cache DIR` when given, else `.pathfind/` under the tree,
 * else (read-only tree) the user's cache folder, keyed by the tree's path.
 */
export function cacheDirFor(root: string, explicit?: string): string {
  if (explicit) return explicit;
  const inTree = join(root, '.pathfind');
  try {
    mkdirSync(inTree, { recursive: true });
    accessSync(inTree, constants.W_OK);
    return inTree;
  } catch {
    const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    const key = createHash('sha1').update(root).digest('hex').slice(0, 16);
    return join(base, 'pathfind', 'trees', key);
  }
}
