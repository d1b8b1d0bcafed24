import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userCacheDir } from '../util/user-cache-dir.js';

/** What `.pathfind/.gitignore` holds: every name in the folder, itself included, so a tree's `git status` never lists the cache. */
const IGNORE_ALL = '# made by pathfind: its index cache is never part of the tree\n*\n';

/**
 * Where a tree's index cache lives: `--cache DIR` when given, else `.pathfind/` under the tree
 * when it can be written there, else (read-only tree) the user's cache folder, keyed by the
 * tree's path. No folder is made here (ensureCacheDir makes it, when something is written: a tree
 * with no C file gets none); a `.pathfind/` made by an earlier version without its `.gitignore` gets one.
 */
export function cacheDirFor(root: string, explicit?: string): string {
  if (explicit) return explicit;
  const inTree = join(root, '.pathfind');
  try {
    const made = existsSync(inTree);
    accessSync(made ? inTree : root, constants.W_OK);
    if (made && !existsSync(join(inTree, '.gitignore'))) writeFileSync(join(inTree, '.gitignore'), IGNORE_ALL);
    return inTree;
  } catch {
    return userCacheDir(root);
  }
}

/**
 * Makes the cache folder `dir` when it is absent, with a `.gitignore` that ignores all of it (for
 * trees that are git checkouts, and a `--cache` folder made inside one); a folder that exists
 * (one of the user's, given with `--cache`) is left as it is. Throws what mkdir throws.
 */
export function ensureCacheDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, '.gitignore'), IGNORE_ALL, { flag: 'wx' });
  } catch {
    // made meanwhile by another process
  }
}
