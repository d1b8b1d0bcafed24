import { createHash } from 'node:crypto';
import { closeSync, type Dirent, fstatSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { checkedArch, type DiscoverOptions, type DiscoverProfile, type SourceFile } from './discover-files.js';
import { dropEarlyListing, keepListingHint, runFind } from './early-listing.js';

/**
 * Listing a whole tree with GNU find in a child process: the same files as discoverFiles (same
 * paths, sizes and mtimes, same order) for a fraction of the CPU. Node makes a Stats object (with
 * four Dates) for each of a kernel's 43,000 files and collects them; find only makes the system
 * calls. Measured on a whole Linux 6.1 x86 tree (2 cores, page-table isolation, busy machine):
 * 0.35 s of CPU for find against 1.25 s for the listing in a worker thread.
 *
 * Used only where its answer is sure to be discoverFiles': a whole tree (no path limits), folder
 * and architecture names that are plain names, and a find that ran without a word on stderr (an
 * unreadable folder, a file gone meanwhile) and printed every record as expected. Otherwise the
 * answer is null and the caller lists the tree itself, which reports what could not be read.
 */

/** Characters find's -path and -name patterns treat as wildcards, and `/`: names holding them are not handed to find. */
const NOT_PLAIN = /[*?[\]\\/]/;

/**
 * The names of the build files find also prints (BUILD_RECORD): those the Linux profile's build
 * model reads in the folders it visits (index/build-model.ts: each folder's Kbuild, else its
 * Makefile; the Kconfig files, all named Kconfig or Kconfig.*), as find's -name patterns. A
 * listing with the same bytes then also says that none of them changed, appeared or went away
 * (cache/kept-listing.ts), which spares a warm open its stat() of each (some 5,400 on a kernel).
 */
export const BUILD_NAMES = ['Makefile', 'Kbuild', 'Kconfig*'] as const;

/** The first characters of a build file's record in find's output (a source file's record starts with a digit). */
const BUILD_RECORD = 'B';

/** Names find would read as an option or an operator, were they a start point. */
const NOT_START = /^[-!(),]/;

/** True when the listing gave the entry's type (a file system may give none: `DT_UNKNOWN`). */
const typed = (e: Dirent): boolean => e.isFile() || e.isDirectory() || e.isSymbolicLink() || e.isFIFO() || e.isSocket() || e.isCharacterDevice() || e.isBlockDevice();

/**
 * The entries a walk of `root` from `.` would go into or print at its first level, as find's start
 * points (tree paths, sorted): the root's entries but names starting with a dot and the profile's
 * excluded top folders; in place of the arch folder (when `arch` is one architecture), its entries
 * but the other architectures' folders. find then tests no path against those folders at each of
 * the 50,000 entries it meets in a kernel: its CPU (user + sys, GNU time, four runs of each form
 * taken in turn, Linux 6.1 x86, 2 cores, load average 5) went from 0.19-0.21 s to 0.16-0.19 s,
 * the same records printed. Null when the root or the arch folder
 * cannot be listed, a name would read as an option (NOT_START), an entry's type is not given, or
 * there is no entry (find would walk `.`): the caller then walks from `.`.
 */
export function startPoints(root: string, profile: DiscoverProfile, arch: string | undefined): string[] | null {
  const entries = (folder: string): Dirent[] | null => {
    try {
      return readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      return null;
    }
  };
  const top = entries('.');
  if (!top) return null;
  const out: string[] = [];
  for (const e of top) {
    if (e.name.startsWith('.') || profile.excludeDirs.includes(e.name)) continue;
    if (NOT_START.test(e.name) || !typed(e)) return null;
    if (!(e.name === profile.archDir && e.isDirectory() && arch && arch !== 'all')) {
      out.push(e.name);
      continue;
    }
    const arches = entries(e.name);
    if (!arches) return null;
    for (const a of arches) {
      if (a.name.startsWith('.') || (a.isDirectory() && a.name !== arch)) continue;
      if (!typed(a)) return null;
      out.push(`${e.name}/${a.name}`);
    }
  }
  return out.length ? out.sort() : null;
}

/**
 * find's arguments for the walk discoverFiles makes from `.`: names starting with a dot, the
 * profile's excluded top folders and the other architectures' folders are pruned; regular .c and
 * .h files are printed as `SIZE MTIME CTIME PATH` records ended by a NUL, each time as
 * `SECONDS.NANOSECONDS0` (GNU find's `%T@` and `%C@` print ten digits after the point: the
 * nanoseconds and a 0), and entries of any other
 * type or name of BUILD_NAMES as `BTYPE SIZE SECONDS.NANOSECONDS0 PATH` (TYPE: find's %y letter,
 * `f` for a regular file). With `starts` (startPoints), find starts from them, which leaves out
 * the excluded and other architectures' folders without a test, and prints paths as they are
 * (`%p`); else from `.` with those tests, printing paths without the `./` (`%P`). Null when a name
 * is not plain.
 */
export function findArguments(profile: DiscoverProfile, arch: string | undefined, starts?: readonly string[] | null): string[] | null {
  const names = [...profile.excludeDirs, ...(profile.archDir ? [profile.archDir] : []), ...(arch ? [arch] : [])];
  if (names.some((n) => n === '' || NOT_PLAIN.test(n))) return null;
  const builds = BUILD_NAMES.flatMap((n, i) => [...(i ? ['-o'] : []), '-name', n]);
  const prints = (path: string): string[] => ['-type', 'f', '-name', '*.[ch]', '-printf', `%s %T@ %C@ ${path}\\0`, '-o', '(', ...builds, ')', '-printf', `${BUILD_RECORD}%y %s %T@ ${path}\\0`];
  if (starts && starts.length > 0) return [...starts, '-name', '.*', '-prune', '-o', ...prints('%p')];
  const pruned = ['-name', '.*', ...profile.excludeDirs.flatMap((d) => ['-o', '-path', `./${d}`])];
  if (profile.archDir && arch && arch !== 'all') pruned.push('-o', '(', '-type', 'd', '-path', `./${profile.archDir}/*`, '!', '-path', `./${profile.archDir}/*/*`, '!', '-name', arch, ')');
  return ['.', '-mindepth', '1', '(', ...pruned, ')', '-prune', '-o', ...prints('%P')];
}

/**
 * True when find, run with findArguments(profile, arch), prints an entry at `path` (relative to
 * the tree, `/`-separated) as a build record, whatever its type, were it there: a name of
 * BUILD_NAMES that is no .c or .h name, in no pruned folder (a dot name, an excluded top folder,
 * another architecture's folder). So an absent such path that appears changes find's output.
 */
export function findWatches(profile: DiscoverProfile, arch: string | undefined, path: string): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p.startsWith('.'))) return false;
  if (parts.length > 1 && profile.excludeDirs.includes(parts[0]!)) return false;
  if (parts.length > 2 && parts[0] === profile.archDir && !!arch && arch !== 'all' && parts[1] !== arch) return false;
  const name = parts[parts.length - 1]!;
  if (name.endsWith('.c') || name.endsWith('.h')) return false;
  return BUILD_NAMES.some((n) => (n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : name === n));
}

/** The digits of `text` from `at` as a number, and where they end (`at` itself when there is none). */
function digits(text: string, at: number): { value: number; end: number } {
  let value = 0;
  let c = text.charCodeAt(at);
  while (c >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    c = text.charCodeAt(++at);
  }
  return { value, end: at };
}

/**
 * A time find printed at `at` (`SECONDS.NNNNNNNNN0` then a space) in ms, as node's Stats computes
 * it from the seconds and nanoseconds (so that it is the very number statSync gives), and where
 * its space is; null when it is not one.
 */
function stamp(text: string, at: number): { ms: number; end: number } | null {
  const seconds = digits(text, at);
  if (seconds.end === at || text.charCodeAt(seconds.end) !== 46) return null;
  const tenths = digits(text, seconds.end + 1);
  if (tenths.end - seconds.end !== 11 || tenths.value % 10 !== 0 || text.charCodeAt(tenths.end) !== 32) return null;
  return { ms: seconds.value * 1e3 + tenths.value / 10 / 1e6, end: tenths.end };
}

/** A build file's record in find's output (see findArguments): its type (find's %y letter: `f` a regular file), size and mtime. */
export interface FoundBuildFile {
  type: string;
  size: number;
  mtimeMs: number;
}

/**
 * The files of find's output (see findArguments), sorted by path, and its build records by path,
 * or null when a record is not `SIZE SECONDS.NNNNNNNNN0 SECONDS.NNNNNNNNN0 PATH` (mtime, ctime),
 * or a build record `BTYPE SIZE SECONDS.NNNNNNNNN0 PATH` (its mtime), then a NUL. A source file's
 * mtimeMs is the later of the two (SourceFile.mtimeMs), each computed as node's Stats computes it
 * from the seconds and nanoseconds, so that it is the very number statSync gives. Read by hand, a character at a
 * time: a regular expression per record took twice as long on a kernel's 43,000.
 */
export function parseFindRecords(text: string): { files: SourceFile[]; builds: Map<string, FoundBuildFile> } | null {
  const files: SourceFile[] = [];
  const builds = new Map<string, FoundBuildFile>();
  for (let at = 0; at < text.length; ) {
    const build = text.startsWith(BUILD_RECORD, at);
    const type = build ? text.charAt(at + 1) : '';
    if (build && (type === '' || type === ' ' || text.charCodeAt(at + 2) !== 32)) return null;
    if (build) at += 3;
    const size = digits(text, at);
    if (size.end === at || text.charCodeAt(size.end) !== 32) return null;
    const mtime = stamp(text, size.end + 1);
    // A source file's record holds its ctime too (SourceFile.mtimeMs: the later of the two).
    const ctime = build || mtime === null ? mtime : stamp(text, mtime.end + 1);
    if (mtime === null || ctime === null) return null;
    const stop = text.indexOf('\0', ctime.end + 1);
    if (stop <= ctime.end + 1) return null;
    const path = text.slice(ctime.end + 1, stop);
    // A name that did not decode as UTF-8 is read by the walk, as node decodes it there.
    if (path.includes('\uFFFD')) return null;
    if (build) builds.set(path, { type, size: size.value, mtimeMs: mtime.ms });
    else files.push({ path, size: size.value, mtimeMs: Math.max(mtime.ms, ctime.ms) });
    at = stop + 1;
  }
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), builds };
}

/** The files of find's output, sorted by path (parseFindRecords' files), or null when a record is not as expected. */
export const parseFindOutput = (text: string): SourceFile[] | null => parseFindRecords(text)?.files ?? null;

/**
 * What find printed for a tree: the SHA-1 `digest` of its output (and of find's arguments), and
 * its files, parsed when first asked for (`files()`: see parseFindOutput; null when a record is
 * not as expected). The same bytes always parse to the same files, so a listing whose digest is
 * that of one found equal to the cached graph's files need not be parsed again (cache/kept-listing.ts).
 */
export interface FoundListing {
  digest: string;
  files(): SourceFile[] | null;
  /** The build records (see findArguments) by path, parsed with the files; null when a record is not as expected. */
  builds(): Map<string, FoundBuildFile> | null;
  /** findWatches for the arguments find was run with: whether it prints an entry at `path` as a build record. */
  watches(path: string): boolean;
}

/**
 * discoverFiles run by find (see the module comment), or null when find is not used or did not
 * answer surely (the caller then lists the tree itself). Throws UsageError for an unknown arch,
 * as discoverFiles does. `command` is find's name (tests).
 */
export function discoverFilesWithFind(root: string, profile: DiscoverProfile, options: DiscoverOptions = {}, command = 'find'): Promise<SourceFile[] | null> {
  return listWithFind(root, profile, options, command).then((found) => found?.files() ?? null);
}

/**
 * discoverFilesWithFind with the files parsed only when asked for (FoundListing), or null when
 * find is not used or did not answer. Its output goes to an unlinked temporary file, not a pipe, so
 * that find never waits for this thread, which may be busy meanwhile. The run bin/pathfind.js
 * started early is taken when its arguments are these (index/early-listing.ts runFind); with
 * `hintDir` (the cache folder), these arguments are kept there for the next command's early run.
 */
export function listWithFind(root: string, profile: DiscoverProfile, options: DiscoverOptions = {}, command = 'find', hintDir?: string): Promise<FoundListing | null> {
  const whole = process.platform === 'linux' && !(options.paths && options.paths.length > 0);
  const arch = whole ? checkedArch(root, profile, options.arch) : undefined;
  const args = whole ? findArguments(profile, arch, startPoints(root, profile, arch)) : null;
  if (!args) dropEarlyListing();
  const run = args ? runFind(root, command, args) : null;
  if (!run) return Promise.resolve(null);
  if (hintDir) keepListingHint(hintDir, { root, command, args: args! });
  return run.ended.then((ok) => {
    const listing = ok ? readBack(run.fd, args!, (path) => findWatches(profile, arch, path)) : null;
    closeSync(run.fd);
    return listing;
  });
}

/** The listing find wrote to `fd` with `args` (see FoundListing; `watches` its findWatches), or null when it cannot be read back. */
function readBack(fd: number, args: string[], watches: (path: string) => boolean): FoundListing | null {
  try {
    const bytes = Buffer.allocUnsafe(fstatSync(fd).size);
    for (let done = 0; done < bytes.length; ) {
      const n = readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) return null;
      done += n;
    }
    const digest = createHash('sha1').update(args.join('\0')).update('\0\0').update(bytes).digest('base64');
    let records: ReturnType<typeof parseFindRecords> | undefined;
    const parsed = (): ReturnType<typeof parseFindRecords> => (records === undefined ? (records = parseFindRecords(bytes.toString('utf8'))) : records);
    return { digest, files: () => parsed()?.files ?? null, builds: () => parsed()?.builds ?? null, watches };
  } catch {
    return null;
  }
}
