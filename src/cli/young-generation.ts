import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dropEarlyListing, listingRequest } from '../index/early-listing.js';
import type { OpenOptions } from '../cache/open-options.js';
import { NOTED_CACHE_FILES, notedCachePaths } from '../cache/index-cache.js';

/**
 * V8's semi-space size for a cold index: 32 MB instead of 16 MB. A cold index keeps nearly
 * everything it allocates (a kernel's facts, then its graph), and with the default young
 * generation the collector copies it in hundreds of small scavenges. Measured on a whole Linux
 * 6.1 x86 tree (cold `pathfind index`, 2 cores): 160 s of CPU at 64 MB instead of 175-180 s at
 * the default. 32 MB rather than 64: the young generation (two semi-spaces) stays resident all
 * run, and the resolution is where the memory peaks. bench/cold-memory.mjs on the whole tree, load
 * 5 to 9 on 2 cores, one run each: peak RSS while resolving 2,091 MiB at 32 MB against 2,142 at
 * 64, while saving 2,036 against 2,105, CPU 283 s against 307 s (within the runs' spread at that
 * load); on net/, include/, kernel/ and drivers/net/ (interleaved, two runs each, load 9 to 11):
 * maxrss 748 and 750 MiB against 939 and 951, CPU 96.6 and 82.3 s against 94.4 and 87.5 s. The
 * size of the young generation is fixed when V8 starts, hence a second process.
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=32';

/**
 * The old generation grown by 30% of what survived a full collection before the next one,
 * instead of V8's dynamic factor (up to 4x for a heap this size): a cold index resolves with
 * its facts held, and each collection put off is hundreds of megabytes of garbage at the peak.
 * Measured on a whole Linux 6.1 x86 tree (cold `pathfind index`, 2 cores, one run each on a
 * loaded machine): V8's heap at the end of resolve 2,243 MB instead of 2,569 MB.
 */
export const HEAP_GROWING_FLAG = '--heap-growing-percent=30';

/**
 * The global gc() exposed, so that a cold index collects the garbage of each phase before the
 * next one allocates (util/collect-garbage.ts).
 */
export const EXPOSE_GC_FLAG = '--expose-gc';

/**
 * glibc's malloc for the second process: in one arena, and blocks of 4 MiB or more mapped on
 * their own, at a fixed threshold. Other C libraries ignore the variable.
 *
 * One arena: by default each thread that allocates (parse workers, encoder threads) gets an arena
 * of its own, and what is freed there stays mapped after the thread ends. Measured on net/ +
 * include/ of Linux 6.1 (cold index, 2 cores, loaded host, two runs each): RSS outside V8's heap
 * after parsing 98-157 MB instead of 196-220 MB, peak RSS 658-666 MB instead of 691-720 MB, fewer
 * page faults (318-323 k against 358-377 k), CPU within the runs' spread.
 *
 * The threshold: glibc's starts at 128 KiB and rises to the size of each mapped block freed (up to
 * 32 MiB), so the threads' buffers of several MB (batches' JSON, frames being compressed) end up
 * in the arena, which a cold index never gives back (it is not the brk heap there: /proc smaps
 * shows [heap] at 3 MB): what the arena held at its largest stays resident through the resolution,
 * where the memory peaks. Mapped on their own, they go back when freed. Whole Linux 6.1 x86 tree,
 * one run each (/proc smaps, the second process): anonymous huge pages (glibc's memory, as it asks
 * for them) 216 MB instead of 296 MB when the graph starts to resolve, RSS outside V8's heap where
 * the indirect sites are bound 337 MB instead of 370-399 MB. 4 MiB, not 1 MiB: 1 MiB cost 15-25%
 * more CPU on a kernel (a mapping and page faults for every block of a few MB).
 */
export const MALLOC_TUNABLE = 'glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=0';

/**
 * The tunables bin/pathfind.js's first line puts before the user's own (a test checks that the two
 * agree), for the query a command runs in its own process:
 * - glibc.malloc.hugetlb=1: transparent huge pages for the typed arrays a query decodes;
 * - glibc.malloc.mmap_threshold=32 MiB (glibc's largest), trim_threshold=1 GiB, top_pad=64 MiB:
 *   the arrays of a query after an edit (columns of four million edges spliced, decoded and freed
 *   again) come from malloc's arena, which keeps what is freed for the next one and grows by 64 MiB
 *   at a time, in huge pages, instead of fresh memory mapped and faulted in page by page.
 * Measured on a whole Linux 6.1 x86 tree (2 cores, `/usr/bin/time`, a function added to
 * net/ipv4/tcp_cong.c then removed, the path query after each, 4 runs each): 33,000-34,000 minor
 * page faults instead of 59,000-64,000, user CPU 1.83-1.97 s instead of 2.01-2.46 s, wall 1.74-2.06 s
 * instead of 1.90-2.35 s, peak RSS 634-674 MB instead of 605-641 MB; the warm path query 4,700-5,500
 * faults instead of 11,600-20,000, 0.39-0.41 s instead of 0.42-0.62 s.
 * The second process of a cold index drops them all (MALLOC_TUNABLE says what it uses): a cold
 * index's malloc'd memory is mostly blocks freed and kept by the arena, and in 2 MB pages a block
 * partly used is wholly resident. Whole Linux 6.1 x86 tree, cold index, main's build, one run each
 * at load 4-7 (/proc smaps polled every 0.5 s): peak RSS 2,090 MiB without huge pages against 2,115
 * and 2,117 with them.
 */
export const LAUNCHER_TUNABLES = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=67108864';

/** GLIBC_TUNABLES for the second process: MALLOC_TUNABLE first, so that a tunable of the user's (`tunables`, LAUNCHER_TUNABLES dropped from its head) after it decides. */
export function tunablesWith(tunables: string | undefined): string {
  const own = tunables === LAUNCHER_TUNABLES ? '' : tunables?.startsWith(`${LAUNCHER_TUNABLES}:`) ? tunables.slice(LAUNCHER_TUNABLES.length + 1) : tunables;
  return own ? `${MALLOC_TUNABLE}:${own}` : MALLOC_TUNABLE;
}

/**
 * True when the command line `argv` (node, the script, then pathfind's arguments) names a tree (`-C`,
 * else the current folder) whose cache folders (`--cache`'s, else `.pathfind/` in it and the user's
 * cache folder for it: index/early-listing.ts listingRequest) hold no graph cache file at all: a
 * query then indexes the tree from scratch, and its command line is run in the second process
 * (inLargerYoungGeneration), before it writes anything. False for `--no-cache`, help and version
 * requests, a query of an index export (`--index FILE`), and a tree that is no folder (the command
 * says so). Measured on a whole Linux 6.1 x86 tree (2 cores), a first path query: in this process
 * 126.6 and 127.6 s, peak RSS 2,866 and 2,917 MB (with LAUNCHER_TUNABLES, 148.7 and 175.6 s, 2,977
 * and 2,987 MB); in the second process 158.3 s, 1,999 MB (`pathfind index` there: 1,926-1,953 MB).
 */
export function indexesFromScratch(argv: readonly string[], cwd = process.cwd()): boolean {
  const request = listingRequest(argv.slice(2), cwd);
  if (!request) return false;
  try {
    if (!statSync(request.root).isDirectory()) return false;
  } catch {
    return false;
  }
  const graphs = (dir: string): boolean => {
    try {
      return readdirSync(dir).some((f) => f.endsWith('.graph'));
    } catch {
      return false;
    }
  };
  return !request.cacheDirs.some(graphs);
}

/** inLargerYoungGeneration for a command line that indexes its tree from scratch (indexesFromScratch), else null: the command then runs here. */
export function fromScratchElsewhere(argv: readonly string[]): Promise<number | null> {
  return indexesFromScratch(argv) ? inLargerYoungGeneration(argv) : Promise.resolve(null);
}

/** Set in the second process, so that it never starts a third. */
const MARK = 'PATHFIND_SEMI_SPACE';

/** Set in a second process that runs a command whose cached graph the first could not patch: why (OpenOptions.inFull). */
const IN_FULL = 'PATHFIND_IN_FULL';

/** In a second process started for a tree to resolve in full (inFullElsewhere), why (OpenOptions.inFull); else undefined. */
export const inFullReason = (): string | undefined => (process.env[MARK] ? process.env[IN_FULL] : undefined);

/**
 * The open options of a command line (`argv`) whose tree, when its cached graph cannot be patched,
 * is resolved in full by the command run again in the second process (inLargerYoungGeneration),
 * told why (OpenOptions.resolveElsewhere): not when this process is that one (it gets `inFull`, the
 * reason), or has a young generation of its own size. Measured on a whole Linux 6.1 x86 tree (2
 * cores), a path query after a Makefile edit resolved in the process of the query: 124.9 s, peak RSS 3,697 MB.
 */
export function inFullElsewhere(argv: readonly string[]): Pick<OpenOptions, 'resolveElsewhere' | 'inFull'> {
  const why = inFullReason();
  if (why !== undefined) return { inFull: why };
  return runsElsewhere(argv) ? { resolveElsewhere: (reason) => inLargerYoungGeneration(argv, { [IN_FULL]: reason, [NOTED_CACHE_FILES]: notedCachePaths() }) } : {};
}

/** Whether inLargerYoungGeneration would run `argv` in a second process: not in that process itself, nor with a semi-space size of this one's own. */
function runsElsewhere(argv: readonly string[]): boolean {
  const own = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--max-semi-space-size'));
  return !own && !process.env[MARK] && !!argv[1];
}

/**
 * When this process runs with V8's default young generation (no --max-semi-space-size in its
 * flags or NODE_OPTIONS), runs the same command again in a node process with SEMI_SPACE_FLAG,
 * HEAP_GROWING_FLAG and EXPOSE_GC_FLAG (and this process's node flags but the debugger's), and
 * MALLOC_TUNABLE (and `env`, variables for it alone),
 * stdio shared, and resolves to its exit code (128 + the signal number when a signal ended it);
 * SIGINT, SIGTERM and SIGHUP sent to this process are passed on. Resolves to null when this
 * process already has the flag (or a size of its own), or when the second process cannot start:
 * the caller then does the work itself.
 */
export function inLargerYoungGeneration(argv: readonly string[], env: Record<string, string> = {}): Promise<number | null> {
  if (!runsElsewhere(argv)) return Promise.resolve(null);
  // The second process lists the tree itself (and may start its own early listing).
  dropEarlyListing();
  return new Promise((resolve) => {
    // The debugger's port stays with this process (a second one could not listen on it).
    const flags = process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));
    const child = spawn(process.execPath, [...flags, SEMI_SPACE_FLAG, HEAP_GROWING_FLAG, EXPOSE_GC_FLAG, ...argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...env, GLIBC_TUNABLES: tunablesWith(process.env.GLIBC_TUNABLES), [MARK]: '1' } });
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const pass = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const s of signals) process.on(s, pass);
    const done = (code: number | null): void => {
      for (const s of signals) process.off(s, pass);
      resolve(code);
    };
    child.on('error', () => done(null));
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}
