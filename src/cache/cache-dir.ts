import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userCacheDir } from '../util/user-cache-dir.js';

/** What `.pathfind/.gitignore` holds: every name in the folder, itself included, so a tree's `git status` never lists the cache. */
const IGNORE_ALL = '# made by pathfind: its index cache is never part of the tree\n*\n';

/**
 * Where a tree's index cache lives: `--cache DIR` when given, else `.pathfind/` under the tree
 * (with a `.gitignore` that ignores the whole folder, for trees that are git checkouts),
 * else (read-only tree) the user's cache folder, keyed by the tree's path.
 */
export function cacheDirFor(root: string, explicit?: string): string {
  if (explicit) return explicit;
  const inTree = join(root, '.pathfind');
  try {
    mkdirSync(inTree, { recursive: true });
    accessSync(inTree, constants.W_OK);
    const ignore = join(inTree, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, IGNORE_ALL);
    return inTree;
  } catch {
    return userCacheDir(root);
  }
}
