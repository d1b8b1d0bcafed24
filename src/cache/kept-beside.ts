import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { removeQuietly } from '../util/fs-failure.js';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { KeptBeside } from './graph-from-cache.js';

/**
 * Values made from one graph cache file and kept beside it (`KEY.NAME`: IndexCache.besidePath),
 * so that the next query on the same file does not make them again: the call graph's rows
 * (graph-rows-file.ts), the stats (stats.ts). Each file holds its format version and the
 * identity of the graph file it was made from (device, inode, size, mtime: a graph file written
 * again is a new file), and the build of pathfind that made it; a value of another version, of
 * another graph file or of another build is never used.
 */

/**
 * The build of pathfind running: the size and mtime of this module's own file, which every
 * `npm run build` writes again (the bundle finds it by its dist/ address), so that nothing made by
 * code that may have changed since is used.
 */
const BUILD = ((): string => {
  try {
    const s = statSync(fileURLToPath(import.meta.url));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
})();

/** The value kept as `name` (`${beside.base}.${name}`) for the graph file `beside.identity` in format `version`, when `valid` accepts it; else null (absent, unreadable, outdated). */
export function readKept<T>(beside: KeptBeside, name: string, version: number, valid: (value: unknown) => value is T): T | null {
  let file: { version?: unknown; identity?: unknown; build?: unknown; value?: unknown };
  try {
    file = deserialize(readFileSync(`${beside.base}.${name}`)) as typeof file;
  } catch {
    return null;
  }
  if (file?.version !== version || file.identity !== beside.identity || file.build !== BUILD || !valid(file.value)) return null;
  return file.value;
}

/**
 * Keeps `value` (v8-serialisable) as `name` (`${beside.base}.${name}`) for the graph file `beside.identity`: under
 * a temporary name, then renamed, so that a reader sees a whole old file, none, or a whole new one
 * (none reads as nothing kept). A folder that cannot be written is no error: what is kept is only a shortcut.
 *
 * The old file is removed before the rename, not renamed over: ext4 (auto_da_alloc, on by default)
 * starts writing out a file renamed over another at once, and the rename waits for that while
 * the disk is busy, as it is when a patched graph of 110 MB was just written beside it. Linux 6.1,
 * the 14 rows of `node bench/run.mjs --edits-only --cpu-prof` on 2 cores, one run each: the main
 * thread's renameSync (the call graph's rows) took 743 ms in all at load 5 to 7 (1 to 296 ms a row)
 * and 170 ms at load 7 to 11 renamed over, 0 ms removed first (load 5 to 6).
 */
export function writeKept(beside: KeptBeside, name: string, version: number, value: unknown, build = BUILD): void {
  const path = `${beside.base}.${name}`;
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, serialize({ version, identity: beside.identity, build, value }));
    rmSync(path, { force: true });
    renameSync(temporary, path);
  } catch {
    removeQuietly(temporary);
  }
}

/**
 * A value to keep beside a graph file about to be written, for that file's own identity, which
 * only its writer learns (IndexCache.save and saveBehind `keep`, in this thread or the writer's):
 * as writeKept's arguments, with the build of pathfind that made the value (a writer thread's
 * module may be another file of the same build).
 */
export interface KeptForWrite {
  name: string;
  version: number;
  value: unknown;
  build: string;
}

/** `value` (v8-serialisable) to keep as `name` in format `version` beside a graph file once written (KeptForWrite). */
export const keptForWrite = (name: string, version: number, value: unknown): KeptForWrite => ({ name, version, value, build: BUILD });

/** Keeps `kept` beside the graph file just written (`base`: IndexCache.besidePath('')) of identity `identity` (device, inode, size, mtime: file-span.ts identityOf). */
export function writeKeptFor(base: string, identity: string, kept: KeptForWrite): void {
  writeKept({ base, identity }, kept.name, kept.version, kept.value, kept.build);
}
