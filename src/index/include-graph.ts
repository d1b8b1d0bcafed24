/**
 * The include graph of an index: which indexed file each `#include` opens (include-resolve.ts),
 * and the include closure of a file, the files whose definitions a compiler may see from it.
 *
 * Closures are computed on demand: the closures of the last few files asked about (MARKED) are
 * kept as marks stamped with a generation number in reused arrays (asking again about the same
 * file, as the resolver does for every call site of a file, costs one array read, and so does
 * going back to it after a few others: a tie between global definitions asks about their files),
 * and the closures of a few other files are kept sorted in a small memo. Nothing is precomputed
 * for the whole tree.
 */

import { indexOfSorted } from '../util/sorted.js';
import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';
import { includePathFor, type IncludeRows, IncludeResolver, resolveIncludeRows } from './include-resolve.js';

/** The include graph as plain data, for the graph cache. */
export interface IncludeGraphSnapshot extends IncludeRows {
  /** Ids of the files every translation unit includes first (`-include`), in order. */
  forced: Int32Array;
}

/** Says whether a preprocessor condition (IncludeFact.cond normal form) may hold: false only when it is certainly false. */
export type MayHold = (cond: string) => boolean;

/** Closures kept besides the current one. */
const MEMO_SIZE = 64;

/**
 * How many closures sees() keeps marked at once, the least recently used one computed over (each
 * takes two arrays of the file count: 2.8 MB for 8 on a kernel). While a file's call sites are
 * bound, the closures of the files of tied global definitions are asked about in between
 * (definition-scope.ts byPrototype); with one, the caller's closure was computed again after each.
 */
const MARKED = 8;

/** One closure marked: `marks[f] === generation` for each file f of the closure of `file`, listed in members[0..size) in visiting order. */
interface Marked {
  file: number;
  marks: Int32Array;
  members: Int32Array;
  size: number;
  generation: number;
  /** When it was last made current (a count of switches), for choosing the one to compute over. */
  used: number;
}

/** Included files of one file and the closures they make; see the module comment. */
export class IncludeGraph {
  /** Condition id -> 1 when the condition may hold (its includes are followed), 0 when certainly false. */
  private readonly live: Uint8Array;
  /** The closures marked (at most MARKED), and the current one among them: that of `current`. */
  private readonly marked: Marked[] = [];
  private cur: Marked;
  private switches = 0;
  /** The file whose closure `cur` holds; -1 before the first. */
  private current = -1;
  /** File -> its closure, sorted; oldest first (a Map keeps insertion order). */
  private readonly memo = new Map<number, Int32Array>();
  /** Arrays for closures computed by closureOf, so that the current closure stays. */
  private scratch: { marks: Int32Array; members: Int32Array; generation: number } | null = null;

  /**
   * @param rows the resolved include directives of every file (resolveIncludeRows or a snapshot)
   * @param forced ids of the files every translation unit includes before its own text (GCC
   *   `-include`); they and their closures are in every file's closure
   * @param mayHold whether a directive's condition may hold; directives under a certainly false
   *   condition are not followed (default: every condition may hold)
   */
  constructor(
    private readonly rows: IncludeRows,
    private readonly forced: Int32Array = new Int32Array(0),
    mayHold: MayHold = () => true,
  ) {
    const files = rows.offsets.length - 1;
    this.live = Uint8Array.from(rows.conditions, (c) => (mayHold(c) ? 1 : 0));
    this.cur = { file: -1, marks: new Int32Array(files), members: new Int32Array(files), size: 0, generation: 0, used: 0 };
    this.marked.push(this.cur);
  }

  /**
   * Resolves the includes of `files` (paths and IncludeFacts, ids being indexes into `files`) on
   * the profile's include path for `arch` (its `{arch}`), with the profile's fallbacks, ancestor
   * search and forced includes (those not indexed are left out), and the build's `-I` folders of
   * each file (`extraDirs`: BuildModel.includeDirs) after the include path.
   */
  static build(files: readonly Pick<FileFacts, 'path' | 'includes'>[], profile: Pick<Profile, 'includePaths' | 'includeFallbacks' | 'forcedIncludes' | 'includeAncestors'>, arch: string, mayHold?: MayHold, extraDirs?: (from: string) => readonly string[]): IncludeGraph {
    const resolver = new IncludeResolver(files.map((f) => f.path), includePathFor(profile, arch), profile.includeFallbacks, profile.includeAncestors ?? false, extraDirs);
    const forced = (profile.forcedIncludes ?? []).map((p) => resolver.fileId(p.replaceAll('{arch}', arch))).filter((id) => id >= 0);
    return new IncludeGraph(resolveIncludeRows(files, resolver), Int32Array.from(forced), mayHold);
  }

  /** From a snapshot (its arrays are used as they are, not copied). */
  static fromSnapshot(snapshot: IncludeGraphSnapshot, mayHold?: MayHold): IncludeGraph {
    return new IncludeGraph(snapshot, snapshot.forced, mayHold);
  }

  snapshot(): IncludeGraphSnapshot {
    const { offsets, targets, conds, conditions } = this.rows;
    return { offsets, targets, conds, conditions, forced: this.forced };
  }

  /** Number of files (ids are 0..fileCount-1). */
  get fileCount(): number {
    return this.rows.offsets.length - 1;
  }

  /** The ids the directives of `file` open, in directive order; -1 for one not resolved to an indexed file. */
  includesOf(file: number): Int32Array {
    return this.rows.targets.subarray(this.rows.offsets[file]!, this.rows.offsets[file + 1]!);
  }

  /** True when directive `k` of `file` (k-th of FileFacts.includes) is followed: resolved, and its condition may hold. */
  follows(file: number, k: number): boolean {
    const e = this.rows.offsets[file]! + k;
    const c = this.rows.conds[e]!;
    return this.rows.targets[e]! >= 0 && (c < 0 || this.live[c] === 1);
  }

  /** The files every translation unit includes first (`-include`), as ids. */
  get forcedIncludes(): readonly number[] {
    return Array.from(this.forced);
  }

  /**
   * True when `file` is `caller`, or is in the include closure of `caller`: reached from it, or
   * from a forced include, through directives whose condition may hold. Fast when asked many
   * times in a row for the same caller (its closure becomes the current one), or for a caller
   * whose closure closureOf kept. False when either id is negative (an external node's file).
   */
  sees(caller: number, file: number): boolean {
    if (caller < 0 || file < 0) return false;
    if (file === caller) return true;
    if (caller !== this.current) {
      const kept = this.memo.get(caller);
      if (kept) return indexOfSorted(kept, file) >= 0;
      this.makeCurrent(caller);
    }
    return this.cur.marks[file] === this.cur.generation;
  }

  /** Makes the closure of `file` the current one: one of those marked, else computed over the least recently used (or a new one, while fewer than MARKED). */
  private makeCurrent(file: number): void {
    let slot = this.marked.find((m) => m.file === file);
    if (!slot) {
      if (this.marked.length < MARKED) {
        const files = this.fileCount;
        slot = { file: -1, marks: new Int32Array(files), members: new Int32Array(files), size: 0, generation: 0, used: 0 };
        this.marked.push(slot);
      } else slot = this.marked.reduce((a, b) => (b.used < a.used ? b : a));
      slot.size = this.collect(file, slot.marks, ++slot.generation, slot.members);
      slot.file = file;
    }
    slot.used = ++this.switches;
    this.cur = slot;
    this.current = file;
  }

  /**
   * The include closure of `file` (itself and forced includes included), as ascending file ids;
   * shared with the memo, so not to be modified. Kept in a small memo (the last MEMO_SIZE files
   * computed); computing it leaves the current closure of sees() as it is.
   */
  closureOf(file: number): Int32Array {
    let kept = this.memo.get(file);
    if (kept) return kept;
    if (file === this.current) kept = this.cur.members.slice(0, this.cur.size);
    else {
      this.scratch ??= { marks: new Int32Array(this.fileCount), members: new Int32Array(this.fileCount), generation: 0 };
      const s = this.scratch;
      kept = s.members.slice(0, this.collect(file, s.marks, ++s.generation, s.members));
    }
    kept.sort();
    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(file, kept);
    return kept;
  }

  /** Size of the include closure of `file` (closureOf(file).length), without sorting or keeping it. */
  closureSize(file: number): number {
    const kept = this.memo.get(file);
    if (kept) return kept.length;
    if (file !== this.current) this.makeCurrent(file);
    return this.cur.size;
  }

  /**
   * One chain of includes by which `caller` sees `file`: the file ids from `caller` to `file`, each
   * including the next (a shortest one, earlier directives first); a forced include appears right
   * after `caller`. `[caller]` when they are the same file; null when `file` is not visible.
   */
  includedVia(caller: number, file: number): number[] | null {
    if (file === caller) return [caller];
    if (!this.sees(caller, file)) return null;
    const parent = new Int32Array(this.fileCount).fill(-2);
    const queue: number[] = [caller];
    parent[caller] = -1;
    for (const f of this.forced) {
      if (parent[f] === -2) {
        parent[f] = caller;
        queue.push(f);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const at = queue[head]!;
      if (at === file) break;
      this.eachFollowed(at, (next) => {
        if (parent[next] === -2) {
          parent[next] = at;
          queue.push(next);
        }
      });
    }
    if (parent[file] === -2) return null;
    const chain: number[] = [];
    for (let at = file; at >= 0; at = parent[at]!) chain.push(at);
    return chain.reverse();
  }

  private eachFollowed(file: number, visit: (next: number) => void): void {
    const { offsets, targets, conds } = this.rows;
    for (let e = offsets[file]!, end = offsets[file + 1]!; e < end; e++) {
      const t = targets[e]!;
      const c = conds[e]!;
      if (t >= 0 && (c < 0 || this.live[c] === 1)) visit(t);
    }
  }

  /**
   * Stamps `marks` with `gen` on every file of the closure of `file` and lists them in
   * `members` (breadth-first, the array being the queue); returns how many there are.
   */
  private collect(file: number, marks: Int32Array, gen: number, members: Int32Array): number {
    const { offsets, targets, conds } = this.rows;
    const live = this.live;
    let size = 0;
    marks[file] = gen;
    members[size++] = file;
    for (const f of this.forced) {
      if (marks[f] !== gen) {
        marks[f] = gen;
        members[size++] = f;
      }
    }
    for (let head = 0; head < size; head++) {
      const at = members[head]!;
      for (let e = offsets[at]!, end = offsets[at + 1]!; e < end; e++) {
        const t = targets[e]!;
        if (t < 0 || marks[t] === gen) continue;
        const c = conds[e]!;
        if (c >= 0 && live[c] === 0) continue;
        marks[t] = gen;
        members[size++] = t;
      }
    }
    return size;
  }
}

