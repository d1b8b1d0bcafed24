import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Most query scopes one cache folder keeps: a scope is one pair of files (`KEY.facts`,
 * `KEY.graph`) per profile, architecture, path limits and extractor, about 200 MB for a whole
 * kernel, so path-limited queries would otherwise fill the folder over time.
 */
export const MAX_SCOPES = 4;

/** A scope written this recently is kept whatever the count: another process may be using it right now. */
const IN_USE_MS = 600_000;
/** A writer's temporary file (frame-file.ts writeFrameFileAtomically): `KEY.KIND.PID.MS.tmp`. */
const TEMPORARY = /^[0-9a-f]{12}\.([a-z]+)\.\d+\.\d+\.tmp$/;
/** A scope's files: its facts, its graph, and what is kept beside them (IndexCache.besidePath). */
const SCOPE_FILE = /^([0-9a-f]{12})\.(facts|graph|[a-z]+)$/;
/** A temporary file older than this was left by a writer that died (a write takes seconds). */
const STALE_TEMPORARY_MS = 3600_000;

/**
 * Removes from the cache folder `dir` the scopes beyond MAX_SCOPES, least recently written first
 * (by the newest mtime of their files), never the `current` one nor one written in the last ten
 * minutes (another process may be reading it), and writers' temporary files
 * over an hour old. Files of any other name are left alone. Returns the names removed (none when
 * the folder cannot be read; a file that cannot be removed is skipped). `now` in ms since the epoch.
 */
export function pruneScopes(dir: string, current: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const mtime = (name: string): number => {
    try {
      return statSync(join(dir, name)).mtimeMs;
    } catch {
      return -1;
    }
  };
  const doomed: string[] = [];
  const scopes = new Map<string, { files: string[]; newest: number }>();
  for (const name of names) {
    if (TEMPORARY.test(name)) {
      const m = mtime(name);
      if (m >= 0 && now - m > STALE_TEMPORARY_MS) doomed.push(name);
      continue;
    }
    const key = SCOPE_FILE.exec(name)?.[1];
    if (key === undefined) continue;
    const scope = scopes.get(key) ?? { files: [], newest: -1 };
    scope.files.push(name);
    scope.newest = Math.max(scope.newest, mtime(name));
    scopes.set(key, scope);
  }
  const others = [...scopes].filter(([key]) => key !== current).sort(([ka, a], [kb, b]) => b.newest - a.newest || (ka < kb ? -1 : 1));
  const room = MAX_SCOPES - (scopes.has(current) ? 1 : 0);
  for (const [, scope] of others.slice(Math.max(0, room))) if (now - scope.newest > IN_USE_MS) doomed.push(...scope.files);
  const removed: string[] = [];
  for (const name of doomed.sort()) {
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Another process may hold or have removed it; the next write tries again.
    }
  }
  return removed;
}
