import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { userCacheDir } from '../util/user-cache-dir.js';

/**
 * A warm query's answer is ready before the tree's listing is: find (index/discover-find.ts) takes
 * 0.26-0.29 s alone on a whole Linux 6.1 x86 tree (2 cores, page-table isolation; half of it the
 * stat() of each file), and the process spawned it only once node had started (about 100 ms) and
 * loaded the bundle (about 45 ms more). So bin/pathfind.js starts the listing before it loads the
 * bundle, with the arguments the last listing of the same cache folder was made with (a
 * ListingHint kept there), and the listing the command makes takes that run over when its own
 * arguments are the very same (takeEarlyListing); else the early run is killed and find runs anew.
 * Whatever the hint says, a listing is only ever read with the arguments it was made with.
 */

/** The file in a cache folder that names the last listing find made for a tree (ListingHint as JSON). */
export const LISTING_HINT = 'listing-hint.json';

/** What find was run with: the tree's absolute path (its working folder), the command and its arguments. */
export interface ListingHint {
  root: string;
  command: string;
  args: string[];
}

/** True when `a` and `b` are the same run of find: the same tree, command and arguments. */
function sameListing(a: ListingHint, b: { root: string; command: string; args: readonly string[] }): boolean {
  return a.root === b.root && a.command === b.command && a.args.length === b.args.length && a.args.every((x, i) => x === b.args[i]);
}

/** A run of find: its output goes to `fd` (an unlinked temporary file, so that find never waits for a busy reader); `ended` says whether it exited with 0 and wrote nothing on stderr. */
export interface FindRun {
  fd: number;
  ended: Promise<boolean>;
}

interface Started extends FindRun {
  child: ChildProcess;
}

interface Early extends Started {
  hint: ListingHint;
  taken: boolean;
}

/**
 * Where the early run waits to be taken. On globalThis: bin/pathfind.js starts it with its own
 * copy of this module (dist/index/early-listing.js), the command takes it in the bundle's.
 */
const SLOT = Symbol.for('pathfind.earlyListing');
/** The early run, and the hints read in this process by cache folder (null: none there), so that keepListingHint does not read again what startEarlyListing read. */
interface Slot {
  early?: Early;
  hints?: Map<string, ListingHint | null>;
}
const slot = (): Slot => ((globalThis as Record<symbol, Slot>)[SLOT] ??= {});

/** An unlinked temporary file, open for reading and writing. Throws when it cannot be made. */
function temporaryFile(): number {
  const path = join(tmpdir(), `pathfind-list-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  return fd;
}

/** Starts `command args` in `root` (see FindRun), or null when it cannot be started. */
function startFind(root: string, command: string, args: readonly string[]): Started | null {
  let out = -1;
  let err = -1;
  try {
    out = temporaryFile();
    err = temporaryFile();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', out, err] });
    const errors = err;
    const ended = new Promise<boolean>((done) => {
      child.on('error', () => done(false));
      child.on('exit', (code) => done(code === 0 && fstatSync(errors).size === 0));
    }).finally(() => closeSync(errors));
    return { fd: out, ended, child };
  } catch {
    if (out >= 0) closeSync(out);
    if (err >= 0) closeSync(err);
    return null;
  }
}

/**
 * Runs find for a listing: the early run when it was started with exactly `root`, `command` and
 * `args` (it is then the caller's), else a new one (the early run, if any, is killed). Null when
 * find cannot be started. The caller closes `fd` once it has read the listing.
 */
export function runFind(root: string, command: string, args: readonly string[]): FindRun | null {
  const early = slot().early;
  slot().early = undefined;
  if (early && sameListing(early.hint, { root, command, args })) {
    early.taken = true;
    early.child.ref();
    return early;
  }
  if (early) drop(early);
  return startFind(root, command, args);
}

/** Kills the early run, if any, and closes its output: for a command that lists the tree otherwise, or not at all. */
export function dropEarlyListing(): void {
  const early = slot().early;
  slot().early = undefined;
  if (early) drop(early);
}

function drop(early: Early): void {
  early.taken = true;
  early.child.kill('SIGKILL');
  closeSync(early.fd);
}

/**
 * The tree and the cache folders a command line names (`-C`/`--root`, `--cache`), as commander
 * reads them (the last one given wins; `-Cdir`, `--root=dir` and `--cache=dir` too): the tree's
 * absolute path, and the folders its cache may be in (`--cache`'s, else `.pathfind/` in the tree,
 * then the user's cache folder: cache/cache-dir.ts cacheDirFor). Null for `--no-cache`, help and
 * version requests, and a query of an index export (`--index FILE`: no tree). `argv` is the command line after node and the script; `cwd` resolves relative paths.
 */
export function listingRequest(argv: readonly string[], cwd: string): { root: string; cacheDirs: string[] } | null {
  let root = '.';
  let cache: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--no-cache' || a === '-h' || a === '--help' || a === '-V' || a === '--version' || a === 'help') return null;
    // A query of an index export reads no tree.
    if (a === '--index' || a.startsWith('--index=')) return null;
    if (a === '-C' || a === '--root') root = argv[++i] ?? root;
    else if (a.startsWith('--root=')) root = a.slice('--root='.length);
    else if (a.startsWith('-C')) root = a.slice(2);
    else if (a === '--cache') cache = argv[++i];
    else if (a.startsWith('--cache=')) cache = a.slice('--cache='.length);
  }
  const tree = resolve(cwd, root);
  return { root: tree, cacheDirs: cache ? [resolve(cwd, cache)] : [join(tree, '.pathfind'), userCacheDir(tree)] };
}

/** The hint kept in cache folder `dir`, or null (none, unreadable, not a ListingHint); read once per process. */
function readHint(dir: string): ListingHint | null {
  const hints = (slot().hints ??= new Map());
  if (!hints.has(dir)) hints.set(dir, readHintFile(dir));
  return hints.get(dir)!;
}

function readHintFile(dir: string): ListingHint | null {
  try {
    const hint = JSON.parse(readFileSync(join(dir, LISTING_HINT), 'utf8')) as ListingHint;
    const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
    return typeof hint.root === 'string' && typeof hint.command === 'string' && strings(hint.args) ? hint : null;
  } catch {
    return null;
  }
}

/**
 * Starts find as the last listing for the tree and cache folder the command line names
 * (listingRequest) was made, when a hint for that tree is kept there; does nothing otherwise (and
 * off Linux, where find is not used, or when the current folder is gone). An early run no command
 * takes is killed when the process exits.
 */
export function startEarlyListing(argv: readonly string[], cwd?: string): void {
  if (process.platform !== 'linux' || slot().early) return;
  let request: ReturnType<typeof listingRequest>;
  try {
    // A folder that no longer exists has no path (the command then says so itself).
    request = listingRequest(argv, cwd ?? process.cwd());
  } catch {
    return;
  }
  const hint = request?.cacheDirs.map(readHint).find((h) => h !== null);
  if (!hint || hint.root !== request!.root) return;
  const started = startFind(hint.root, hint.command, hint.args);
  if (!started) return;
  // Not waited for unless taken: a command that lists otherwise exits without it.
  started.child.unref();
  const early: Early = { ...started, hint, taken: false };
  slot().early = early;
  process.on('exit', () => {
    if (!early.taken) early.child.kill('SIGKILL');
  });
}

/** Keeps `hint` in cache folder `dir` for the next command's early listing, unless it is there already; a folder that cannot be written is no error. */
export function keepListingHint(dir: string, hint: ListingHint): void {
  const kept = readHint(dir);
  if (kept && sameListing(kept, hint)) return;
  const temporary = join(dir, `${LISTING_HINT}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(hint)}\n`);
    renameSync(temporary, join(dir, LISTING_HINT));
    slot().hints!.set(dir, hint);
  } catch {
    // As util/fs-failure.ts removeQuietly, written here: this module loads before the bundle, and imports nothing of ours.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // left for a later write
    }
  }
}
