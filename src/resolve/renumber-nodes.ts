import { type IndexSnapshot, NodeFlag } from '../index/code-index.js';
import type { EdgeSnapshot } from './edge-list.js';
import { appendItem, stringItems, withFields } from '../util/text-slices.js';
import { grownInPlace, sharedArray, sharedFrom, sharedWithRoom } from '../util/shared-arrays.js';
import { holdNarrow, type NarrowInts } from '../util/narrow-views.js';
import { scanColumns, storedColumn } from './stored-column.js';

/** One node of an edited file in the renumbered index: its row, and the old node it continues (-1 for a new one). */
export interface FileNode {
  name: string;
  line: number;
  /** NodeFlag bits. */
  flags: number;
  /** Index into the file's new `functions` (or `macros` for a macro node). */
  item: number;
  old: number;
}

/** An index snapshot with its nodes renumbered, and where each old node went. */
export interface Renumbered {
  snapshot: IndexSnapshot;
  /** Old node id -> new node id; -1 for a node that is gone. */
  map: Int32Array;
}

/**
 * The id of `name` in the snapshot's string table, added (and placed in the sort order) when
 * absent. The table is read one string at a time and appended to without being decoded
 * (util/text-slices.ts appendItem: a cached table is then written as stored, plus the new names).
 */
function internInto(snapshot: IndexSnapshot, name: string): number {
  const strings = stringItems(snapshot, 'strings');
  const sorted = snapshot.sortedStrings;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strings.at(sorted[mid]!) < name) lo = mid + 1;
    else hi = mid;
  }
  if (lo < sorted.length && strings.at(sorted[lo]!) === name) return sorted[lo]!;
  const id = appendItem(snapshot, 'strings', name);
  const grown = sharedArray(Int32Array, sorted.length + 1);
  grown.set(sorted.subarray(0, lo));
  grown[lo] = id;
  grown.set(sorted.subarray(lo), lo + 1);
  snapshot.sortedStrings = grown;
  return id;
}

/** Whether `a[from..end)` ascends. */
function ascending(a: Int32Array, from: number, end: number): boolean {
  for (let i = from + 1; i < end; i++) if (a[i]! < a[i - 1]!) return false;
  return true;
}

/** The first node that is external (they follow every defined node), or the node count. */
export function firstExternal(s: IndexSnapshot): number {
  let n = s.nodeFlags.length;
  while (n > 0 && s.nodeFlags[n - 1]! & NodeFlag.External) n--;
  return n;
}

/**
 * Renumbers an index snapshot the way indexing the edited files afresh would number it: defined
 * nodes by file, each file's functions then macros in source order; then one external node per
 * name of `externals` (sorted by name: resolve.ts's addExternalEdges), or, when `externals` is
 * null, the old external nodes as they are (no name is read: the string table of a snapshot from
 * the cache stays unread, and reading a kernel's 50,000 external names inflated most of its
 * blocks, some 50 ms). `files` gives the new nodes of each edited file (file id -> its nodes in
 * order); other files keep theirs. Name rows (aliases included) follow their nodes. The old
 * snapshot's string table is extended in place.
 */
export function renumberNodes(old: IndexSnapshot, files: Map<number, FileNode[]>, externals: string[] | null): Renumbered {
  const oldDefined = firstExternal(old);
  const oldCount = old.nodeFlags.length;
  // The old columns read once each (a snapshot's column may be a property read through a getter).
  const oldName = old.nodeName;
  const oldFile = old.nodeFile;
  const oldLine = old.nodeLine;
  const oldFlags = old.nodeFlags;
  const oldItem = old.nodeItem;
  const map = new Int32Array(oldCount).fill(-1);
  const edited = [...files.keys()].sort((a, b) => a - b);
  // Whether a file id is an edited one, by id (a Map lookup for each of a kernel's 700,000 nodes cost some 30 ms).
  const isEdited = new Uint8Array((edited.at(-1) ?? -1) + 1);
  for (const f of edited) if (f >= 0) isEdited[f] = 1;
  const editedFile = (file: number): boolean => file >= 0 && file < isEdited.length && isEdited[file] === 1;
  let removed = 0;
  for (let n = 0; n < oldDefined; n++) if (editedFile(oldFile[n]!)) removed++;
  let fileNodes = 0;
  for (const list of files.values()) fileNodes += list.length;
  const count = oldDefined - removed + fileNodes + (externals?.length ?? oldCount - oldDefined);
  // In shared memory, like the patched edge columns: the worker thread writing the patched graph is handed them without a copy (a kernel's 13 MB of node columns cloned by postMessage otherwise).
  const nodeName = sharedArray(Int32Array, count);
  const nodeFile = sharedArray(Int32Array, count);
  const nodeLine = sharedArray(Int32Array, count);
  const nodeFlags = sharedArray(Uint8Array, count);
  const nodeItem = sharedArray(Int32Array, count);
  /** New nodes by string id: their name rows gain them. */
  const added = new Map<number, number[]>();
  let at = 0;
  /** Old nodes [first, end) copied as they are, in order, from `at` on. */
  const copyRun = (first: number, end: number): void => {
    if (first >= end) return;
    for (let n = first; n < end; n++) map[n] = at + n - first;
    nodeName.set(oldName.subarray(first, end), at);
    nodeFile.set(oldFile.subarray(first, end), at);
    nodeLine.set(oldLine.subarray(first, end), at);
    nodeFlags.set(oldFlags.subarray(first, end), at);
    nodeItem.set(oldItem.subarray(first, end), at);
    at += end - first;
  };
  const fresh = (name: string, file: number, line: number, flags: number, item: number): void => {
    const s = internInto(old, name);
    const list = added.get(s);
    if (list) list.push(at);
    else added.set(s, [at]);
    nodeName[at] = s;
    nodeFile[at] = file;
    nodeLine[at] = line;
    nodeFlags[at] = flags;
    nodeItem[at++] = item;
  };
  const place = (file: number): void => {
    for (const f of files.get(file)!) {
      if (f.old < 0) {
        fresh(f.name, file, f.line, f.flags, f.item);
        continue;
      }
      map[f.old] = at;
      nodeName[at] = oldName[f.old]!;
      nodeFile[at] = file;
      nodeLine[at] = f.line;
      nodeFlags[at] = f.flags;
      nodeItem[at++] = f.item;
    }
  };
  // The defined nodes of files not edited are copied in runs, an edited file's nodes placed where its file id puts them.
  let next = 0;
  let run = 0;
  for (let n = 0; n < oldDefined; n++) {
    const file = oldFile[n]!;
    if (next < edited.length && edited[next]! < file) {
      copyRun(run, n);
      run = n;
      while (next < edited.length && edited[next]! < file) place(edited[next++]!);
    }
    if (editedFile(file)) {
      copyRun(run, n);
      run = n + 1;
    }
  }
  copyRun(run, oldDefined);
  while (next < edited.length) place(edited[next++]!);
  if (externals === null) {
    copyRun(oldDefined, oldCount);
  } else {
    const oldExternal = new Map<string, number>();
    const names = stringItems(old, 'strings');
    for (let n = oldDefined; n < oldCount; n++) oldExternal.set(names.at(oldName[n]!), n);
    for (const name of externals) {
      const was = oldExternal.get(name);
      if (was !== undefined) {
        map[was] = at;
        nodeName[at] = oldName[was]!;
        nodeFile[at] = oldFile[was]!;
        nodeLine[at] = oldLine[was]!;
        nodeFlags[at] = oldFlags[was]!;
        nodeItem[at++] = oldItem[was]!;
      }
      else fresh(name, -1, 0, NodeFlag.External, -1);
    }
  }
  if (at !== count) throw new Error('renumbered node count');
  // Name rows (aliases included) through the map: it keeps the order of the nodes it keeps, but for
  // nodes moved within their file, so each row stays ascending or is sorted; rows that gain new nodes are merged.
  const strings = stringItems(old, 'strings').length;
  const nameStart = sharedArray(Int32Array, strings + 1);
  let extra = 0;
  for (const list of added.values()) extra += list.length;
  const oldStart = old.nameStart;
  const oldNodes = old.nameNodes;
  const nameNodes = new Int32Array(oldNodes.length + extra);
  // The strings that gain nodes, ascending, met in turn (instead of a Map lookup for each of a kernel's million strings).
  const gaining = [...added.keys()].sort((a, b) => a - b);
  let gain = 0;
  let k = 0;
  for (let s = 0; s < strings; s++) {
    const from = k;
    if (s + 1 < oldStart.length) {
      const end = oldStart[s + 1]!;
      for (let i = oldStart[s]!; i < end; i++) {
        const m = map[oldNodes[i]!]!;
        if (m >= 0) nameNodes[k++] = m;
      }
    }
    if (gain < gaining.length && gaining[gain] === s) {
      for (const m of added.get(s)!) nameNodes[k++] = m;
      nameNodes.subarray(from, k).sort();
      gain++;
    } else if (k - from > 1 && !ascending(nameNodes, from, k)) nameNodes.subarray(from, k).sort(); // nodes moved within their file
    nameStart[s + 1] = k;
  }
  // The files and strings carried over as they are (a cached column stays undecoded).
  const keptNames = sharedArray(Int32Array, k);
  keptNames.set(nameNodes.subarray(0, k));
  const snapshot = withFields(old, { sortedStrings: old.sortedStrings, nodeName, nodeFile, nodeLine, nodeFlags, nodeItem, nameStart, nameNodes: keptNames });
  return { snapshot, map };
}

/**
 * Says whether edge `edge` (caller `from`, kind `kind`, call site `site`, -1 without call sites;
 * old ids) leaves the renumbered edges: renumberEdges reads those columns with the callers and
 * callees, a chunk at a time, so that the test needs no decoded column of its own.
 */
export type DropEdge = (edge: number, from: number, kind: number, site: number) => boolean;

/**
 * An edge snapshot with its nodes renumbered (`map`: old -> new, -1 gone) and the edges `drop`
 * says so left out (null: none). Parameter uses and over-cap sites of nodes that are gone
 * go with them. Evidence is shared, unchanged; so are the columns not renumbered when every edge is kept.
 */
export function renumberEdges(edges: EdgeSnapshot, map: Int32Array, drop: DropEdge | null): EdgeSnapshot {
  const m = storedColumn(edges, 'from')!.length;
  // Callers and callees mapped in one pass over them read as stored, a chunk at a time (stored-column.ts scanColumns: the cached
  // columns are not decoded into fresh memory first), written straight into their new columns; the kept edges as runs
  // [start, end), for the columns copied below a run at a time.
  // In shared memory, as GraphPatch.finish makes them: a worker thread writing the graph is handed them without a copy (cache/write-behind.ts);
  // with room, so that the binding patch's splices grow them in place when the definition patch leaves them (util/shared-arrays.ts).
  const fromOut = sharedWithRoom(Int32Array, m);
  const toOut = sharedWithRoom(Int32Array, m);
  const runs: number[] = [];
  let count = 0;
  let open = -1;
  scanColumns(edges, drop ? (['from', 'to', 'kind', 'site'] as const) : (['from', 'to'] as const), (rows, start, n) => {
    const { from, to, kind, site } = rows as Record<'from' | 'to' | 'kind', Int32Array> & { site?: Int32Array };
    for (let i = 0; i < n; i++) {
      const f = map[from[i]!]!;
      const t = map[to[i]!]!;
      const e = start + i;
      if (f >= 0 && t >= 0 && !(drop && drop(e, from[i]!, kind[i]!, site ? site[i]! : -1))) {
        if (open < 0) open = e;
        fromOut[count] = f;
        toOut[count++] = t;
      } else if (open >= 0) {
        runs.push(open, e);
        open = -1;
      }
    }
  });
  if (open >= 0) runs.push(open, m);
  const narrowed: (readonly ['line' | 'site', NarrowInts])[] = [];
  // Every edge kept (nodes added, none removed): the columns not renumbered are left out of the copy, carried as they are (a cached one not decoded: the patch copies them once, as stored, when it adds or drops edges: GraphPatch.finish).
  const all = runs.length === 2 && runs[0] === 0 && runs[1] === m;
  const out = {} as Partial<EdgeSnapshot>;
  for (const key of all ? [] : (['kind', 'line', 'proof', 'deferred', 'bind', 'site'] as const)) {
    // Read as stored (stored-column.ts): a column of the cache file is copied from its bytes, a 16-bit one kept in 16 bits, never decoded first.
    const column = storedColumn(edges, key);
    if (!column) continue;
    const narrow = (key === 'line' || key === 'site') && column.narrowAs ? column.narrowAs : null;
    const picked = sharedWithRoom<NarrowInts>(narrow ?? (key === 'kind' || key === 'deferred' || key === 'bind' ? Uint8Array : Int32Array), count);
    for (let r = 0, i = 0; r < runs.length; r += 2) {
      column.copy(picked, runs[r]!, runs[r + 1]!, i);
      i += runs[r + 1]! - runs[r]!;
    }
    // Set as a field even when held narrow after (holdNarrow): withFields then drops the old column's readers (its rows as stored).
    (out as Record<string, NarrowInts>)[key] = picked;
    if (narrow) narrowed.push([key as 'line' | 'site', picked]);
  }
  // The new callers and callees as long as the edges kept, their room past them (grownInPlace: the same memory, never a copy).
  const pickMapped = (a: Int32Array): Int32Array => (count === m ? a : (grownInPlace(a, count) ?? a.subarray(0, count)));
  const uses: number[] = [];
  const oldUses = edges.paramUses;
  for (let i = 0; oldUses && i < oldUses.length; i += 2) if (map[oldUses[i]!]! >= 0) uses.push(map[oldUses[i]!]!, oldUses[i + 1]!);
  const over: number[] = [];
  const oldOver = edges.overCap;
  for (let i = 0; oldOver && i < oldOver.length; i += 4) if (map[oldOver[i]!]! >= 0) over.push(map[oldOver[i]!]!, oldOver[i + 1]!, oldOver[i + 2]!, oldOver[i + 3]!);
  // The evidence and binding sets are carried as they are, unread ones unread (a long evidence text is not made into a string: util/text-slices.ts withFields).
  const renumbered = withFields(edges, {
    ...out,
    from: pickMapped(fromOut),
    to: pickMapped(toOut),
    ...(edges.paramUses ? { paramUses: sharedFrom(Int32Array, uses) } : {}),
    ...(edges.overCap ? { overCap: Int32Array.from(over) } : {}),
  });
  for (const [key, picked] of narrowed) holdNarrow(renumbered, key, picked);
  return renumbered;
}

/**
 * Moves rows of `stride` ints that start with a node id and a call site (siteReads, the fallback
 * sites) in place: the node through `map` (old -> new, -1 gone; null: unchanged), the site through
 * `sites` (by old node: old call site -> new, for edited bodies). Returns `gone` for a site an
 * edited body lost, `removed` for a node removed, else null.
 */
export function moveSiteRows(rows: Int32Array, stride: number, map: Int32Array | null, sites: Map<number, Map<number, number>>, gone: string, removed: string): string | null {
  for (let i = 0; i < rows.length; i += stride) {
    const node = rows[i]!;
    const moved = sites.get(node);
    if (moved) {
      const site = moved.get(rows[i + 1]!);
      if (site === undefined) return gone;
      rows[i + 1] = site;
    }
    const n = map ? map[node]! : node;
    if (n < 0) return removed;
    rows[i] = n;
  }
  return null;
}
