import type { IndexProgress } from '../index/parse-files.js';
import type { CodeIndex } from '../index/code-index.js';
import type { Extractor } from '../parse/file-parser.js';
import type { EdgeList } from '../resolve/edge-list.js';
import type { BindingScope } from '../types/scope.js';
import type { CallSiteSummary } from './call-site-summary.js';
import type { KeptBeside } from './graph-from-cache.js';

/** How openIndex (open-index.ts) opens a tree: what to index, whether through the cache, and the caller's hooks. */
export interface OpenOptions {
  /** Root of the tree (default: the current directory). */
  root?: string;
  /** Paths under the root that limit the files indexed. */
  paths?: string[];
  /** Architecture to index under arch/ ('all' for every one). */
  arch?: string;
  /**
   * A kernel configuration file (a .config; relative to the current directory) that decides which
   * definitions are built and active. Absent: `.config` at the root, else `$KBUILD_OUTPUT/.config`,
   * else the profile's defconfig for the arch (see index/build-model.ts). A file that cannot be read is a UsageError.
   */
  config?: string;
  /** Parser threads (default 1; the CLI uses one per core). */
  jobs?: number;
  /** The fact extractor: 'scan' (default) or 'tree-sitter'. */
  extractor?: Extractor;
  /** Use the index cache: true for its default folder (`.pathfind/` under the tree), or a folder. Off by default in the API; the CLI caches. */
  cache?: string | boolean;
  /**
   * Per-file facts (call details: `index.calls`, for explain and stats). true: all of them, in
   * `index.files`. 'lazy': when the graph comes from the cache, each file's facts are read when
   * first asked for, from the facts frame holding them (`index.fileFacts`; much faster when a
   * query needs few files); otherwise as true. Off by default: a graph-only load is faster.
   */
  facts?: boolean | 'lazy';
  /** Parse every file again, ignoring cached facts. */
  refresh?: boolean;
  onProgress?: (p: IndexProgress) => void;
  /**
   * One line per phase of the open with its time (discover, graph cache, parse, expand, resolve,
   * save), and how the graph was had: loaded from the cache, patched (incremental) or resolved
   * in full, and why (`--verbose`).
   */
  onTrace?: (message: string) => void;
  /** One-line remarks for the user (a cache rebuilt, a cache not writable). */
  onNote?: (message: string) => void;
  /**
   * The oracles binding by name uses (include visibility, activity under the config: see
   * src/types/scope.ts), made for the index once it exists, before its edges are resolved or
   * patched and before explain; absent: every definition active, no include visibility. The
   * graph cache does not key on it: whoever passes one keys the cache on its config (cache scope).
   */
  bindingScope?: (index: CodeIndex) => BindingScope;
  /**
   * List the tree while this thread loads the graph cache (true: GNU find in a child process for a
   * whole tree, else a worker thread; see index/discover-find.ts), or here first (false). Default: in a worker when the cached graph's file list is large (WORKER_MANIFEST_BYTES),
   * where the two take about as long; the files found are the same either way.
   */
  discoverInWorker?: boolean;
  /**
   * Called with the cached graph's index and edges while the tree is still being listed, before
   * it is known whether the graph holds for the files found, so that a query can build what it
   * needs (its call graph) meanwhile. When the graph is reused as it is stored, these are the very
   * objects returned; otherwise they are dropped. Only when discovery runs in a worker thread.
   * `kept` says where what is made from that graph file may be kept beside it (cache/kept-beside.ts).
   */
  prepare?: (index: CodeIndex, edges: EdgeList, kept: KeptBeside, callSites?: CallSiteSummary) => void;
  /**
   * Called after `prepare` (and the build files' check) when the tree is still being listed
   * then, to do more work on the prepared graph meanwhile (answer the query ahead): work that is
   * lost when the graph does not hold for the files found, so it is not started once the listing is
   * in, nor when one of the most recently modified files of the cached graph changed since
   * (index/discover-recent.ts: the listing will likely differ).
   */
  ahead?: () => void;
  /**
   * With facts 'lazy', asked once the tree is listed: false when the query, made on the graph as
   * `prepare` was given it, reads no call details (a query answered ahead whose answer reads none;
   * stats kept for that graph), so that the facts cache is not opened if the graph is used as it
   * is stored (what was made on it then stands). Absent: the facts are opened.
   */
  needsFacts?: () => boolean;
  /**
   * A graph patched for edited files is written to the cache in a worker thread while the
   * caller goes on (IndexCache.saveBehind): the open returns before the file is written; this
   * process's later opens of the cache wait for it, and the process does not end before it. For
   * a command line answering one query; off by default (the open returns with the file written,
   * and with the folder listings the discovery thread keeps beside the cache written too).
   */
  writeBehind?: boolean;
  /**
   * Called when the cached graph cannot be used or patched for the files found, before the tree is
   * resolved in full, with why (as --verbose says it): resolves to the exit code of another process
   * that ran the whole command instead, and openIndex then throws ResolvedElsewhere with that code
   * (util/errors.ts); or to null, and the tree is resolved here. The CLI runs the command again in a
   * node process made for resolving a large tree (cli/young-generation.ts: a larger young
   * generation, another malloc): a whole kernel resolved in the process of a query peaked at
   * 3.7 GB. Nothing is written to the cache before it is called.
   */
  resolveElsewhere?: (why: string) => Promise<number | null>;
  /**
   * Why the tree is resolved in full, as the process that handed the command over was told
   * (resolveElsewhere): the cached graph is neither read nor patched again, and is written anew.
   */
  inFull?: string;
}
