import { runMap } from '../util/run-map.js';
import type { EdgeSnapshot } from './edge-list.js';
import { hasColumn, type StoredColumn } from './stored-column.js';
import { withFields } from '../util/text-slices.js';
import { fitsNarrow, holdNarrow, type NarrowInts } from '../util/narrow-views.js';
import { type SharedArrayType, sharedWithRoom } from '../util/shared-arrays.js';
import { edgeColumn, splicedInPlace } from './edge-splice.js';

/** Numbers per added edge in EdgeChanges.added. */
export const ADDED_STRIDE = 6;

/** What a graph patch (patch-graph.ts) changed in a cached edge list, to be applied at once. */
export interface EdgeChanges {
  /** Edges to drop (removed calls), by edge id. */
  dropped: ReadonlySet<number>;
  /** Edges of added calls: from, to, kind, line, call site, BindFlag bits (ADDED_STRIDE numbers each). */
  added: readonly number[];
  /**
   * Where resolveEdges adds an edge of `kind` to `to` (resolve.ts): 0, calls by name to a
   * definition; 1, bindings through a pointer, a table or a registration; 2, calls by name to an
   * external node.
   */
  block(kind: number, to: number): number;
  /** The call site of kept edge `e`, as moved (-1 without call sites). */
  siteOf(e: number): number;
  /** Column `name` of the cached edges, read as stored (stored-column.ts). */
  column(name: string): StoredColumn | null;
  /** New lines and call sites of kept edges, by edge id. */
  movedLine: ReadonlyMap<number, number>;
  movedSite: ReadonlyMap<number, number>;
}

/**
 * The edges with every change applied: dropped ones left out, added ones where a full resolution
 * puts them (EdgeChanges.block), moved lines and sites written. New columns in shared memory,
 * the kept rows copied from the cached columns as stored; with nothing dropped or added, the
 * cached columns changed in place and returned.
 */
export function splicedEdges(edges: EdgeSnapshot, changes: EdgeChanges): EdgeSnapshot {
  const { dropped, added } = changes;
  if (dropped.size === 0 && added.length === 0) {
    movedAlone(edges, 'line', changes.movedLine);
    movedAlone(edges, 'site', changes.movedSite);
    return edges;
  }
  // The counts, kinds and callees of kept edges read as stored (a column not decoded is not decoded for them).
  const fromOf = changes.column('from')!;
  const count = fromOf.length;
  const withSites = hasColumn(edges, 'site');
  const length = count - dropped.size + added.length / ADDED_STRIDE;
  // In shared memory: a worker thread writing the patched graph to the cache is handed them without a copy (cache/write-behind.ts).
  // With room past their end: the binding patch's splices after this one grow them in place (edge-splice.ts applySplices).
  const i32 = (): Int32Array => sharedWithRoom(Int32Array, length);
  const u8 = (): Uint8Array => sharedWithRoom(Uint8Array, length);
  // Lines and call sites the cache keeps in 16 bits are spliced in 16 bits while every value written fits (holdNarrow): half the fresh memory, copied as they lie.
  const narrowOut = (key: 'line' | 'site', at: 3 | 4, moved: ReadonlyMap<number, number>): NarrowInts | null => {
    // The type of the stored column the copy reads.
    const Stored = changes.column(key)?.narrowAs;
    if (!Stored) return null;
    const values = function* (): Generator<number> {
      for (let i = at; i < added.length; i += ADDED_STRIDE) yield added[i]!;
      yield* moved.values();
    };
    if (!fitsNarrow(new Stored(0), values())) return null;
    return sharedWithRoom<NarrowInts>(Stored, length);
  };
  // Added calls are simple calls by name (see isSimple): never through a deferred member. Each goes where a full
  // resolution adds it (edgeBlock), so that the call graph's rows, and the ties between equally short paths, are the same.
  const order = Array.from({ length: added.length / ADDED_STRIDE }, (_, k) => k * ADDED_STRIDE);
  const blockOf = (i: number): number => changes.block(added[i + 2]!, added[i + 1]!);
  const byPlace = (i: number, j: number): number => blockOf(i) - blockOf(j) || added[i]! - added[j]! || added[i + 4]! - added[j + 4]! || i - j;
  order.sort(byPlace);
  // Where each added edge goes: before the first kept edge it does not follow (between the blocks' own orders, by caller
  // and call site, nothing is placed before a middle-block edge but earlier blocks), else after the last. The kept edges
  // stand in that order (blocks ascending, each end block by caller and call site), so each is found by a binary search:
  // some twenty edges read per added edge, not every edge up to the last one placed (millions on a kernel).
  const before = new Int32Array(order.length).fill(count);
  const blocks = order.map(blockOf);
  const drops = [...dropped].sort((a, b) => a - b);
  // A binary search reads some twenty rows of each.
  const kind = changes.column('kind')!;
  const to = changes.column('to')!;
  /** True when added edge `next` (of `order`) follows kept edge `e`. */
  const follows = (next: number, e: number): boolean => {
    const i = order[next]!;
    const b = blocks[next]!;
    const block = changes.block(kind.at(e), to.at(e));
    if (b !== block) return b > block;
    const from = block === 1 ? -1 : fromOf.at(e);
    if (added[i]! !== from) return added[i]! > from;
    // The kept edge's call site is read only to order an added edge of the same caller (a site is -1 or more).
    const site = block === 1 || !withSites ? -1 : changes.siteOf(e);
    return added[i + 4]! >= site;
  };
  for (let next = 0, lo = 0; next < order.length; next++) {
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (follows(next, mid)) lo = mid + 1;
      else hi = mid;
    }
    // A dropped edge is no place: the next kept one is (it does not follow either: the order holds).
    while (lo < count && dropped.has(lo)) lo++;
    before[next] = lo;
  }
  // Callers and callees this patch renumbered (renumberEdges made them with room) are spliced where they lie, not copied (edge-splice.ts
  // splicedInPlace: its gaps are written by the loop below); read from the property's value, a cached column's getter never called.
  const moves = [...drops.map((d) => ({ start: d, end: d + 1, count: 0 })), ...[...before].map((b) => ({ start: b, end: b, count: 1 }))].sort((a, b) => a.start - b.start || a.end - b.end);
  const inPlace = new Set<string>();
  const splicedWhereItLies = (key: 'from' | 'to'): Int32Array | null => {
    const value: unknown = Object.getOwnPropertyDescriptor(edges, key)?.value;
    const grown = value instanceof Int32Array ? splicedInPlace(value, new Int32Array(order.length), moves, count, length) : null;
    if (grown) inPlace.add(key);
    return grown;
  };
  // Decided before any fresh column is made: a column not used would still be zeroed and faulted
  // in (17 MB each on a kernel: glibc's calloc clears reused heap memory below bin/pathfind.js's mmap_threshold).
  const grownFrom = splicedWhereItLies('from');
  const grownTo = splicedWhereItLies('to');
  const narrowLine = narrowOut('line', 3, changes.movedLine);
  const narrowSite = withSites ? narrowOut('site', 4, changes.movedSite) : null;
  // The other columns are carried as they are, unread ones unread (a long evidence text is not made into a string: util/text-slices.ts withFields).
  const rows = { from: grownFrom ?? i32(), to: grownTo ?? i32(), kind: u8(), line: narrowLine ?? i32(), proof: i32(), deferred: u8(), bind: u8(), ...(withSites ? { site: narrowSite ?? i32() } : {}) };
  const out: EdgeSnapshot = withFields(edges, rows as Partial<EdgeSnapshot>);
  if (narrowLine) holdNarrow(out, 'line', narrowLine);
  if (narrowSite) holdNarrow(out, 'site', narrowSite);
  // The kept edges between two changes are copied as ranges; an added edge is written before the kept edge it precedes.
  const columns = (['from', 'to', 'kind', 'line', 'proof', 'deferred', 'bind', 'site'] as const).filter((c) => rows[c as keyof typeof rows] !== undefined && !inPlace.has(c)).map((c) => [rows[c as keyof typeof rows]!, changes.column(c)!] as const);
  // The kept ranges as [old start, new start, length] triples, for the moved lines and sites written after.
  const ranges: number[] = [];
  let at = 0;
  let copied = 0;
  const copyTo = (end: number): void => {
    if (end <= copied) return;
    for (const [column, source] of columns) source.copy(column, copied, end, at);
    ranges.push(copied, at, end - copied);
    at += end - copied;
    copied = end;
  };
  let d = 0;
  for (let k = 0; k <= order.length; k++) {
    const end = k < order.length ? before[k]! : count;
    for (; d < drops.length && drops[d]! < end; d++) {
      copyTo(drops[d]!);
      copied = drops[d]! + 1;
    }
    copyTo(end);
    if (k === order.length) break;
    const i = order[k]!;
    rows.from[at] = added[i]!;
    rows.to[at] = added[i + 1]!;
    rows.kind[at] = added[i + 2]!;
    rows.line[at] = added[i + 3]!;
    rows.proof[at] = -1;
    rows.deferred[at] = 0;
    if (rows.site) rows.site[at] = added[i + 4]!;
    rows.bind[at++] = added[i + 5]!;
  }
  // The row edge e was copied to (-1: dropped); the ranges' old starts ascend.
  const newRow = runMap(ranges);
  for (const [e, line] of changes.movedLine) if (newRow(e) >= 0) rows.line[newRow(e)] = line;
  for (const [e, site] of changes.movedSite) if (newRow(e) >= 0) rows.site![newRow(e)] = site;
  return out;
}

/**
 * Lines or call sites moved, with no edge dropped or added: a column held in 8 or 16 bits (a
 * cached one's narrow view, or one a patch held narrow: util/narrow-views.ts) is copied as it lies
 * into shared memory, the moves written there, and held narrow again while every moved value fits
 * its type, so that neither this patch nor the writer of the patched graph widens four million
 * rows into 16 MB and narrows them back (an assignment added to a function moves the lines after it
 * in its file); the column read from the cache is never written (a call graph over the cached graph
 * may read it). Else the moves are written into the property, widened once.
 */
function movedAlone(edges: EdgeSnapshot, key: 'line' | 'site', moved: ReadonlyMap<number, number>): void {
  if (moved.size === 0) return;
  const narrow = edgeColumn(edges, key);
  if (narrow && !(narrow instanceof Int32Array) && fitsNarrow(narrow, moved.values())) {
    const copy = sharedWithRoom<NarrowInts>(narrow.constructor as SharedArrayType<NarrowInts>, narrow.length);
    copy.set(narrow);
    for (const [e, v] of moved) copy[e] = v;
    holdNarrow(edges, key, copy);
    return;
  }
  const column = edges[key]!;
  for (const [e, v] of moved) column[e] = v;
}
