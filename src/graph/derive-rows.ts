import type { EdgeList } from '../resolve/edge-list.js';
import { type FoldColumns, foldColumnsOf, type FoldedRows, foldEdges } from './fold-edges.js';
import { edgeCount, EdgeWindow, forEachEdge, type StoredEdges, storedEdgesOf } from './edge-window.js';

/**
 * A call graph's rows over patched edges, made from the rows of the same filter over the edges
 * before the patch (the cached graph's, built while the tree was listed) instead of folding every
 * edge again. A patch keeps most edges as they were, in the same order, and drops or adds a few
 * (cache/patch-cached-graph.ts): the two edge lists are aligned, and a caller all of whose edges
 * are matched, old and new, in the same order and with the same callee, kind and deferred flag,
 * folds to the same row, its edge ids mapped; the other callers' rows are folded afresh. How well
 * the alignment matches decides only how many rows are folded again, never the result.
 */

/** Tuples that must agree, one after the other, where the alignment takes up again after a difference. */
const CONFIRM = 2;

/** How far past a difference the alignment looks for the two lists to agree again (edges). */
const MAX_SKIP = 1 << 16;

/** Up to this many edges past a difference, every split between edges dropped and edges added is tried. */
const EVERY_SPLIT = 256;

/** Edges compared at once, as bytes, when the two lists run equal (doubled up to LONGEST_STEP while they agree). */
const FIRST_STEP = 1024;
const LONGEST_STEP = 1 << 20;

/** The bytes of a typed array (a view, no copy); null for another array. */
const bytesOf = (a: ArrayLike<number>): Buffer | null => (ArrayBuffer.isView(a) ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : null);

/** True when a[i..i+length) equals b[j..j+length): compared as bytes when both are typed arrays of one width. */
function sameRange(a: ArrayLike<number>, ab: Buffer | null, i: number, b: ArrayLike<number>, bb: Buffer | null, j: number, length: number): boolean {
  const width = (a as Int32Array).BYTES_PER_ELEMENT;
  if (ab && bb && width === (b as Int32Array).BYTES_PER_ELEMENT) return ab.compare(bb, j * width, (j + length) * width, i * width, (i + length) * width) === 0;
  for (let k = 0; k < length; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** True when nodeMap[a[i + k]] equals b[j + k] for every k below `length` (old callers or callees against new ones). */
function sameMapped(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, length: number, nodeMap: Int32Array): boolean {
  for (let k = 0; k < length; k++) if (nodeMap[a[i + k]!] !== b[j + k]) return false;
  return true;
}

/**
 * A monotone matching of the `old` edges with the `now` edges, as runs [oldStart, newStart,
 * length, ...]: old edge oldStart + k is new edge newStart + k, the two with the same caller,
 * callee, kind and deferred flag, runs in increasing order on both sides; edges in no run are
 * unmatched (between runs, old edges were dropped and new ones added). A difference of more than
 * MAX_SKIP edges leaves the rest unmatched. Null when resynchronising after differences took more
 * than `budget` comparisons (the lists differ nearly everywhere: nodes renumbered). With `nodeMap`
 * (old node -> new node, -1 gone), an old edge's caller and callee are compared through it. The
 * old edges may be columns as stored (edge-window.ts: read a window of rows at a time, in order).
 */
export function alignEdges(oldSource: FoldColumns | StoredEdges, now: FoldColumns, budget = 1 << 21, nodeMap?: Int32Array): number[] | null {
  const window = new EdgeWindow(oldSource);
  // Old edge i is row i - window.base of these (after window.cover): every read below covers its rows first, in increasing order.
  const old = window.columns;
  const m = window.length;
  const n = now.from.length;
  // A gallop compares at most a quarter of the window at once; a resynchronisation reads MAX_SKIP + CONFIRM rows past where it starts.
  const longest = Math.min(LONGEST_STEP, window.capacity >> 2);
  const names = ['from', 'to', 'kind', 'deferred'] as const;
  // With a node map, callers and callees are compared through it one by one (never as bytes); kinds and deferred flags as bytes.
  const oldBytes = names.map((c, x) => (nodeMap && x < 2 ? null : bytesOf(old[c])));
  const newBytes = names.map((c) => bytesOf(now[c]));
  const node = nodeMap ? (u: number): number => nodeMap[u]! : (u: number): number => u;
  const eq = (i: number, j: number): boolean => {
    if (i >= window.end) window.cover(i, i + (window.capacity >> 1));
    const k = i - window.base;
    return node(old.from[k]!) === now.from[j] && node(old.to[k]!) === now.to[j] && old.kind[k] === now.kind[j] && old.deferred[k] === now.deferred[j];
  };
  const agree = (i: number, j: number): boolean => {
    for (let c = 0; c < CONFIRM && i + c < m && j + c < n; c++) if (!eq(i + c, j + c)) return false;
    return true;
  };
  const same = (i: number, j: number, length: number): boolean => {
    if (i + length > m || j + length > n) return false;
    window.cover(i, i + length);
    const k = i - window.base;
    return names.every((c, x) => (nodeMap && x < 2 ? sameMapped(old[c], k, now[c], j, length, nodeMap) : sameRange(old[c], oldBytes[x]!, k, now[c], newBytes[x]!, j, length)));
  };
  // How many edges from (i, j) on are equal: galloping byte comparisons, then one at a time.
  const run = (i: number, j: number): number => {
    let length = 0;
    let step = FIRST_STEP;
    while (same(i + length, j + length, step)) {
      length += step;
      step = Math.min(step * 2, longest);
    }
    for (step >>= 1; step >= 16; step >>= 1) if (same(i + length, j + length, step)) length += step;
    while (i + length < m && j + length < n && eq(i + length, j + length)) length++;
    return length;
  };
  const runs: number[] = [];
  let i = 0;
  let j = 0;
  let work = 0;
  while (i < m && j < n) {
    const length = run(i, j);
    if (length > 0) {
      runs.push(i, j, length);
      i += length;
      j += length;
      continue;
    }
    // The nearest place where the two agree again: a old edges dropped and b new ones added, a + b = d
    // (every split while d is small, then only d added, d dropped, or d replaced).
    let found = false;
    window.cover(i, i + MAX_SKIP + CONFIRM + 1);
    for (let d = 1; d <= MAX_SKIP && !found && d < m - i + (n - j); d++) {
      const splits = d <= EVERY_SPLIT ? d + 1 : 3;
      if ((work += splits) > budget) return null;
      for (let s = 0; s < splits && !found; s++) {
        const [a, b] = d <= EVERY_SPLIT ? [s, d - s] : s === 0 ? [0, d] : s === 1 ? [d, 0] : [d, d];
        if (i + a < m && j + b < n && agree(i + a, j + b)) {
          i += a;
          j += b;
          found = true;
        }
      }
    }
    if (!found) break;
  }
  return runs;
}

/** Where each row starts (n + 1 entries) and the edge (an id of the list folded) at each row position: FoldedRows without the callees and kinds, which are those of the edges (`to` and `kind` at outEdge). */
export type RowEdges = Pick<FoldedRows, 'outStart' | 'outEdge'>;

/**
 * The rows over `now` (`n` nodes) for the filter (`keep`, `withDeferred`) of `base`, which are the
 * rows of that filter over `old`, as row starts and edges alone (a row position's callee and kind
 * are its edge's in `now`: CallGraph gathers them as rows are read, where making them for every
 * row, and the base's first, took a patched Linux 6.1 query 40 to 140 ms); null when the lists
 * differ too much to gain anything (most callers would be folded again). `old` must be the very
 * edges `base` was folded from: a patch makes its edge columns anew, never changing a caller,
 * callee, kind or deferred flag of the cached list in place. `nodeMap`, when the patch renumbered
 * nodes (a function or file added or removed), gives the node of `now` of each node of `old` (-1:
 * gone): old edges are compared by their mapped caller and callee, and an untouched caller's row
 * is its old node's. `runs`: alignedRuns of the two lists (null: they differ too much).
 */
export function derivedRows(base: RowEdges, old: FoldColumns | StoredEdges, now: FoldColumns, n: number, keep: (kind: number) => boolean, withDeferred: boolean, nodeMap: Int32Array | undefined, runs: number[] | null): RowEdges | null {
  if (!runs) return null;
  const nOld = base.outStart.length - 1;
  const m = edgeCount(old);
  // A caller one of whose edges, old or new, is unmatched (between two runs) is touched: its row is folded again.
  const touched = new Uint8Array(n);
  let count = 0;
  const touch = (v: number): void => {
    if (v >= 0 && v < n && touched[v] === 0) {
      touched[v] = 1;
      count++;
    }
  };
  // Each node's old node (itself without a map); a node that continues none has no old row: it is folded.
  const oldNode = nodeMap ? new Int32Array(n).fill(-1) : null;
  if (oldNode) {
    for (let u = 0; u < nodeMap!.length; u++) {
      const v = nodeMap![u]!;
      if (v >= 0 && v < n) oldNode[v] = u;
    }
    for (let v = 0; v < n; v++) if (oldNode[v]! < 0) touch(v);
  }
  // Run r maps old edges runOld[r]..runOld[r] + runLength[r] to new ones, each plus runShift[r].
  const runCount = runs.length / 3;
  const runOld = new Int32Array(runCount + 1);
  const runEnd = new Int32Array(runCount);
  const runShift = new Int32Array(runCount);
  let oldEnd = 0;
  let newEnd = 0;
  for (let r = 0; r <= runCount; r++) {
    const [i, j, length] = r < runCount ? [runs[3 * r]!, runs[3 * r + 1]!, runs[3 * r + 2]!] : [m, now.from.length, 0];
    forEachEdge(old, oldEnd, i, (u) => touch(nodeMap ? (nodeMap[u] ?? -1) : u));
    for (let e = newEnd; e < j; e++) touch(now.from[e]!);
    if (count * 4 > n) return null;
    runOld[r] = i;
    if (r < runCount) {
      runEnd[r] = i + length;
      runShift[r] = j - i;
    }
    oldEnd = i + length;
    newEnd = j + length;
  }
  if (count * 4 > n) return null;
  // No caller touched (the filter keeps none of the edges that changed): no edge is read to fold.
  const fresh = count ? foldCallers(now, keep, withDeferred, touched) : { callers: [], outStart: new Int32Array(1), outEdge: new Int32Array(0) };
  // Row i of `fresh` is the one of fresh.callers[i] (ascending): read with a cursor as v goes up.
  const outStart = new Int32Array(n + 1);
  for (let v = 0, i = 0; v < n; v++) {
    const u = oldNode ? oldNode[v]! : v;
    const length = touched[v] ? fresh.outStart[i + 1]! - fresh.outStart[i++]! : u < nOld ? base.outStart[u + 1]! - base.outStart[u]! : 0;
    outStart[v + 1] = outStart[v]! + length;
  }
  const total = outStart[n]!;
  const outEdge = new Int32Array(total);
  const mapEdges = (from: number, to: number, at: number): boolean => shiftedEdges(base.outEdge, from, to, outEdge, at, runOld, runEnd, runShift);
  // Untouched rows between two touched callers: without a map, one range; with one, row by row (the old rows of nodes that follow one another as one range).
  const copyBase = (first: number, end: number): boolean => {
    if (first >= end) return true;
    if (!oldNode) return mapEdges(base.outStart[first]!, base.outStart[end]!, outStart[first]!);
    // Nodes whose old nodes follow one another (most: a patch adds or removes a few) are copied as one range.
    for (let v = first; v < end; ) {
      const u = oldNode[v]!;
      let w = v + 1;
      while (w < end && oldNode[w] === u + (w - v)) w++;
      if (!mapEdges(base.outStart[u]!, base.outStart[u + (w - v)]!, outStart[v]!)) return false;
      v = w;
    }
    return true;
  };
  // Rows past the old ones are touched or empty (without a map: nodes added at the end).
  const copied = oldNode ? n : Math.min(n, nOld);
  let first = 0;
  for (let i = 0; i < fresh.callers.length; i++) {
    const v = fresh.callers[i]!;
    if (!copyBase(first, Math.min(v, copied))) return null;
    outEdge.set(fresh.outEdge.subarray(fresh.outStart[i]!, fresh.outStart[i + 1]!), outStart[v]!);
    first = v + 1;
  }
  if (!copyBase(first, copied)) return null;
  return { outStart, outEdge };
}

/** The alignment alignedRuns made last for each list after a patch (held as long as that list): the old list (weakly held) and node map it was made for, with the two lengths then. */
const aligned = new WeakMap<EdgeList, { old: WeakRef<EdgeList>; nodeMap: Int32Array | undefined; lengths: [number, number]; runs: number[] | null }>();

/**
 * alignEdges of the edge lists `old` (before a patch, its nodes renumbered by `nodeMap` when
 * given: see derivedRows) and `now`, made once for the same two lists and map: a path query after
 * a patch aligns them both to derive its call graph's rows and to tell whether the paths it found
 * ahead still hold (api/ahead-after-patch.ts), which took a kernel's query 50 to 110 ms twice when
 * the patch renumbered nodes (every old edge's caller and callee mapped). A list that grew since
 * is aligned again.
 */
export function alignedRuns(old: EdgeList, now: EdgeList, nodeMap?: Int32Array): number[] | null {
  const lengths: [number, number] = [old.length, now.length];
  const a = aligned.get(now);
  if (a && a.old.deref() === old && a.nodeMap === nodeMap && a.lengths[0] === lengths[0] && a.lengths[1] === lengths[1]) return a.runs;
  const runs = alignEdges(storedEdgesOf(old), foldColumnsOf(now), undefined, nodeMap);
  aligned.set(now, { old: new WeakRef(old), nodeMap, lengths, runs });
  return runs;
}

/**
 * Writes the edge ids edges[from..to) into `out` from `at` on, each shifted as the run holding it
 * says (runs: old start, end and shift; runStart ends with the list's length); false when one is
 * in no run. A row's edges mostly follow one another: the run is looked up only when one leaves it.
 */
function shiftedEdges(edges: Int32Array, from: number, to: number, out: Int32Array, at: number, runStart: Int32Array, runEnd: Int32Array, runShift: Int32Array): boolean {
  let lo = 0;
  let hi = -1;
  let shift = 0;
  for (let i = from; i < to; i++) {
    const e = edges[i]!;
    if (e < lo || e >= hi) {
      const r = runOf(runStart, e);
      lo = runStart[r]!;
      hi = runEnd[r]!;
      shift = runShift[r]!;
      if (e < lo || e >= hi) return false;
    }
    out[at + i - from] = e + shift;
  }
  return true;
}

/** The run whose old edges start at or before `e` (runOld ascending, its last entry the end of the list). */
function runOf(runOld: Int32Array, e: number): number {
  let lo = 0;
  let hi = runOld.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (runOld[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rows of a few callers (those derivedRows folds again): `callers` ascending, caller callers[i]'s row outEdge[outStart[i]..outStart[i + 1]). */
interface CallerRows {
  callers: number[];
  outStart: Int32Array;
  outEdge: Int32Array;
}

/**
 * foldEdges for the flagged callers only: every caller is read once, then the flagged callers'
 * edges alone are folded over the nodes they name, renumbered from 0 (a patch touches a few
 * dozen callers of a kernel's 722,000 nodes: folding over every node made and walked five arrays
 * of that length, some 60 ms of a query after a function was added).
 */
function foldCallers(columns: FoldColumns, keep: (kind: number) => boolean, withDeferred: boolean, only: Uint8Array): CallerRows {
  const { from, to } = columns;
  const picked: number[] = [];
  for (let e = 0; e < from.length; e++) if (only[from[e]!] === 1) picked.push(e);
  // Local ids: each flagged caller in ascending order first (row i is callers[i]'s), then the other callees as met.
  const callers: number[] = [];
  for (let v = 0; v < only.length; v++) if (only[v] === 1) callers.push(v);
  const local = new Map<number, number>(callers.map((v, i) => [v, i]));
  const idOf = (v: number): number => {
    let id = local.get(v);
    if (id === undefined) local.set(v, (id = local.size));
    return id;
  };
  const at = (a: ArrayLike<number>): number[] => picked.map((e) => a[e]!);
  const localFrom = picked.map((e) => local.get(from[e]!)!);
  const localTo = picked.map((e) => idOf(to[e]!));
  const rows = foldEdges(local.size, { from: localFrom, to: localTo, kind: at(columns.kind), deferred: at(columns.deferred) }, keep, withDeferred);
  const outEdge = rows.outEdge.subarray(0, rows.outStart[callers.length]);
  for (let i = 0; i < outEdge.length; i++) outEdge[i] = picked[outEdge[i]!]!;
  return { callers, outStart: rows.outStart.subarray(0, callers.length + 1), outEdge };
}
