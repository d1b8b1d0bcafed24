import { fitsNarrow, holdNarrow, type NarrowInts, narrowView } from '../util/narrow-views.js';
import { grownInPlace, type SharedArrayType, sharedArray, sharedLike } from '../util/shared-arrays.js';
import { type StoredColumn, storedColumn } from './stored-column.js';
import { rowReads } from '../util/row-reads.js';
import { EDGE_ROW_COLUMNS, type EdgeRows, type EdgeSnapshot } from './edge-list.js';

/**
 * One change of the edge list a binding patch makes: the edges [start, end) replaced by `count`
 * new rows (start === end: inserted before edge `start`), which `write(rows, at)` writes from row `at`.
 */
export interface EdgeSplice {
  start: number;
  end: number;
  count: number;
  write: (rows: EdgeRows, at: number) => void;
  /** For new edges of one call site inserted (start = end) where another site's may be: the call site, which orders them. */
  site?: number;
}

type Column = Int32Array | Uint8Array | NarrowInts;

/** The narrow columns read by edgeColumn, by owner and key, with the property (its getter or value) they were read behind. */
const narrowRead = new WeakMap<object, Map<string, { property: unknown; column: NarrowInts }>>();

/** An edge a patch writes whole: caller, callee, call site and line, and its evidence set (EdgeList.evidenceSet, `proof`). */
export interface WrittenEdge {
  caller: number;
  target: number;
  site: number;
  line: number;
  proof: number;
}

/** An EdgeSplice.write putting `rows` (all of kind `kind`, deferred or not, no BindFlag bits) from row `to` of the new columns. */
export const edgeRowsWriter =
  (rows: readonly WrittenEdge[], kind: number, deferred: 0 | 1) =>
  (next: EdgeRows, to: number): void => {
    rows.forEach((r, k) => {
      next.from[to + k] = r.caller;
      next.to[to + k] = r.target;
      next.kind[to + k] = kind;
      next.line[to + k] = r.line;
      next.proof[to + k] = r.proof;
      next.deferred[to + k] = deferred;
      next.bind[to + k] = 0;
      next.site![to + k] = r.site;
    });
  };

/**
 * An edge column as its values lie: the narrow array a 16-bit `line` or `site` is held as
 * (util/narrow-views.ts), read without widening it; else the property. A narrow column is read
 * once while its property stays the same (a cached column's narrow reader reads its bytes from
 * the cache file at each call).
 */
export function edgeColumn<K extends keyof EdgeRows>(edges: EdgeSnapshot, key: K): EdgeRows[K] | NarrowInts {
  if (key !== 'line' && key !== 'site') return edges[key];
  const d = Object.getOwnPropertyDescriptor(edges, key);
  const property: unknown = d ? (d.get ?? d.value) : undefined;
  const known = narrowRead.get(edges)?.get(key);
  if (known && property !== undefined && known.property === property) return known.column;
  const column = narrowView(edges, key);
  if (!column) return edges[key];
  if (property !== undefined) {
    const byKey = narrowRead.get(edges) ?? new Map<string, { property: unknown; column: NarrowInts }>();
    narrowRead.set(edges, byKey.set(key, { property, column }));
  }
  return column;
}

/**
 * The edge columns with every splice applied at once. Splices must not overlap; they are applied
 * in (start, end) order, an insertion before a replacement at the same edge, splices of equal range
 * by `site` (those without one first), then in the order given. The columns are never written (a call graph over the cached graph may read
 * them): a changed column is a new one in shared memory, the kept runs copied whole (a kernel's
 * four million rows). When every splice keeps its row count, a column whose rows the splices leave
 * as they were is kept as it is (a slot bound again changes targets and evidence, not callers,
 * lines or sites). A 16-bit line or site column stays 16 bits while the new rows' values fit, and is
 * read as such (a read of the property would widen it into 16 MB).
 */
export function applySplices(edges: EdgeSnapshot, splices: readonly EdgeSplice[]): void {
  if (splices.length === 0) return;
  const order = splices.map((s, i) => [s, i] as const).sort(([a, i], [b, k]) => a.start - b.start || a.end - b.end || (a.site ?? -1) - (b.site ?? -1) || i - k).map(([s]) => s);
  const removed = order.reduce((n, s) => n + s.end - s.start, 0);
  const added = order.reduce((n, s) => n + s.count, 0);
  const count = storedColumn(edges, 'from')!.length;
  const length = count - removed + added;
  const sameShape = order.every((s) => s.count === s.end - s.start);
  // A column of the cache file not decoded yet (its property still a getter, its rows readable as stored: util/row-reads.ts) is copied as
  // stored (stored-column.ts: typed rows straight from the file into the new column, runs expanded into it), never decoded into memory of
  // its own first; a column held in memory (a narrow one this patch holds among them) is read where it lies.
  const fromFile = new Map(EDGE_ROW_COLUMNS.filter((k) => Object.getOwnPropertyDescriptor(edges, k)?.get !== undefined && rowReads(edges, k) !== undefined).map((k) => [k, storedColumn(edges, k)!] as const));
  // The new rows, written once into scratch columns (lines and sites in 32 bits), in splice order.
  const sources = new Map(EDGE_ROW_COLUMNS.filter((k) => !fromFile.has(k)).map((k) => [k, edgeColumn(edges, k) as Column | undefined] as const).filter(([, c]) => c !== undefined));
  const keys = EDGE_ROW_COLUMNS.filter((k) => sources.has(k) || fromFile.has(k));
  const scratch = { from: new Int32Array(added), to: new Int32Array(added), kind: new Uint8Array(added), line: new Int32Array(added), proof: new Int32Array(added), deferred: new Uint8Array(added), bind: new Uint8Array(added), ...(keys.includes('site') ? { site: new Int32Array(added) } : {}) } as EdgeRows;
  let at = 0;
  for (const s of order) {
    s.write(scratch, at);
    at += s.count;
  }
  for (const k of keys) {
    const fresh = scratch[k] as Int32Array | Uint8Array;
    const stored = fromFile.get(k);
    if (stored) {
      if (sameShape && unchangedStored(stored, fresh, order)) continue;
      const narrow = (k === 'line' || k === 'site') && stored.narrowAs !== undefined && fitsNarrow(new stored.narrowAs(0), fresh);
      const Type = narrow ? stored.narrowAs! : k === 'kind' || k === 'deferred' || k === 'bind' ? Uint8Array : Int32Array;
      const out = storedSplicedCopy(stored, fresh, order, count, sharedArray(Type as SharedArrayType<NarrowInts>, length));
      if (narrow) holdNarrow(edges, k, out);
      else (edges as unknown as Record<string, Column>)[k] = out;
      continue;
    }
    const source = sources.get(k)!;
    if (sameShape && unchanged(source, fresh, order)) continue;
    // fitsNarrow is false for a source of 32 bits.
    const narrow = (k === 'line' || k === 'site') && fitsNarrow(source as NarrowInts, fresh);
    const sameType = narrow || k === 'kind' || k === 'deferred' || k === 'bind' || source instanceof Int32Array;
    // A column this patch made with room (resolve/splice-edges.ts) is spliced where it lies; else copied.
    const out = (sameType ? splicedInPlace(source, fresh, order, count, length) : null) ?? splicedCopy(source, fresh, order, count, length, narrow || k === 'kind' || k === 'deferred' || k === 'bind');
    if (narrow) holdNarrow(edges, k, out as NarrowInts);
    else (edges as unknown as Record<string, Column>)[k] = out;
  }
}

/** The kept rows of `source` and the new rows of `fresh`, in splice order, copied into a new column in shared memory (of `source`'s type when `sameType`, else Int32Array). */
function splicedCopy(source: Column, fresh: Int32Array | Uint8Array, order: readonly EdgeSplice[], count: number, length: number, sameType: boolean): Column {
  // In shared memory: a worker thread writing a patched graph to the cache is handed them without a copy (cache/write-behind.ts).
  const out = sameType ? sharedLike(source, length) : sharedArray(Int32Array, length);
  let w = 0;
  let r = 0;
  let from = 0;
  for (const s of order) {
    out.set(source.subarray(from, s.start), w);
    w += s.start - from;
    out.set(fresh.subarray(r, r + s.count), w);
    w += s.count;
    r += s.count;
    from = s.end;
  }
  out.set(source.subarray(from, count), w);
  return out;
}

/**
 * The splices applied to `source` where it lies, when it was made with room for them in this
 * patch (util/shared-arrays.ts grownInPlace) and every kept run moves the same way (all later, or
 * all earlier: runs are then moved back to front, or front to back, none over one not moved yet);
 * else null, `source` untouched. The new rows (`fresh`, in splice order) are written into the gaps after.
 */
export function splicedInPlace<T extends Column>(source: T, fresh: Int32Array | Uint8Array, order: readonly Pick<EdgeSplice, 'start' | 'end' | 'count'>[], count: number, length: number): T | null {
  // Kept runs [start, end) of source and where each goes; the new rows' places.
  const runs: number[] = [];
  const gaps: number[] = [];
  let w = 0;
  let r = 0;
  let from = 0;
  for (const s of order) {
    runs.push(from, s.start, w);
    w += s.start - from;
    gaps.push(r, s.count, w);
    w += s.count;
    r += s.count;
    from = s.end;
  }
  runs.push(from, count, w);
  let later = true;
  let earlier = true;
  for (let i = 0; i < runs.length; i += 3) {
    if (runs[i + 1]! <= runs[i]!) continue;
    if (runs[i + 2]! < runs[i]!) later = false;
    if (runs[i + 2]! > runs[i]!) earlier = false;
  }
  if (!later && !earlier) return null;
  const wide = grownInPlace(source, Math.max(count, length));
  if (!wide) return null;
  const move = (i: number): void => {
    if (runs[i + 1]! > runs[i]! && runs[i + 2]! !== runs[i]!) wide.copyWithin(runs[i + 2]!, runs[i]!, runs[i + 1]!);
  };
  if (later) for (let i = runs.length - 3; i >= 0; i -= 3) move(i);
  else for (let i = 0; i < runs.length; i += 3) move(i);
  for (let i = 0; i < gaps.length; i += 3) wide.set(fresh.subarray(gaps[i]!, gaps[i]! + gaps[i + 1]!), gaps[i + 2]!);
  return length === wide.length ? wide : (wide.subarray(0, length) as T);
}

/** splicedCopy from a column read as stored (StoredColumn.copy: the kept runs straight from the cache file) into `out`, which it returns. */
function storedSplicedCopy<T extends NarrowInts>(source: StoredColumn, fresh: Int32Array | Uint8Array, order: readonly EdgeSplice[], count: number, out: T): T {
  let w = 0;
  let r = 0;
  let from = 0;
  for (const s of order) {
    source.copy(out, from, s.start, w);
    w += s.start - from;
    out.set(fresh.subarray(r, r + s.count), w);
    w += s.count;
    r += s.count;
    from = s.end;
  }
  source.copy(out, from, count, w);
  return out;
}

/** unchanged, for a column read as stored: its rows at the splices read one at a time. */
function unchangedStored(source: StoredColumn, fresh: Int32Array | Uint8Array, order: readonly EdgeSplice[]): boolean {
  let r = 0;
  for (const s of order) for (let e = s.start; e < s.end; e++) if (source.at(e) !== fresh[r++]) return false;
  return true;
}

/** True when every splice (each keeping its row count) writes into `source` the values it holds already. */
function unchanged(source: Column, fresh: Int32Array | Uint8Array, order: readonly EdgeSplice[]): boolean {
  let r = 0;
  for (const s of order) for (let e = s.start; e < s.end; e++) if (source[e] !== fresh[r++]) return false;
  return true;
}
