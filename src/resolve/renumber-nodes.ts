import { type IndexSnapshot, NodeFlag } from '../index/code-index.js';
import type { EdgeSnapshot } from './edge-list.js';

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

/** The id of `name` in the snapshot's string table, added (and placed in the sort order) when absent. */
function internInto(snapshot: IndexSnapshot, name: string): number {
  const { strings, sortedStrings: sorted } = snapshot;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strings[sorted[mid]!]! < name) lo = mid + 1;
    else hi = mid;
  }
  if (lo < sorted.length && strings[sorted[lo]!] === name) return sorted[lo]!;
  const id = strings.length;
  strings.push(name);
  const grown = new Int32Array(sorted.length + 1);
  grown.set(sorted.subarray(0, lo));
  grown[lo] = id;
  grown.set(sorted.subarray(lo), lo + 1);
  snapshot.sortedStrings = grown;
  return id;
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
 * name of `externals` (sorted by name: resolve.ts's addExternalEdges). `files` gives the new
 * nodes of each edited file (file id -> its nodes in order); other files keep theirs. Name rows
 * (aliases included) follow their nodes. The old snapshot's string table is extended in place.
 */
export function renumberNodes(old: IndexSnapshot, files: Map<number, FileNode[]>, externals: string[]): Renumbered {
  const oldDefined = firstExternal(old);
  const oldCount = old.nodeFlags.length;
  const map = new Int32Array(oldCount).fill(-1);
  const rows: { name: number; file: number; line: number; flags: number; item: number }[] = [];
  const added: [name: number, node: number][] = [];
  const edited = [...files.keys()].sort((a, b) => a - b);
  let next = 0;
  const copy = (n: number): void => {
    map[n] = rows.length;
    rows.push({ name: old.nodeName[n]!, file: old.nodeFile[n]!, line: old.nodeLine[n]!, flags: old.nodeFlags[n]!, item: old.nodeItem[n]! });
  };
  const place = (file: number): void => {
    for (const f of files.get(file)!) {
      const name = internInto(old, f.name);
      if (f.old >= 0) map[f.old] = rows.length;
      else added.push([name, rows.length]);
      rows.push({ name, file, line: f.line, flags: f.flags, item: f.item });
    }
  };
  for (let n = 0; n < oldDefined; n++) {
    const file = old.nodeFile[n]!;
    while (next < edited.length && edited[next]! < file) place(edited[next++]!);
    if (files.has(file)) continue;
    copy(n);
  }
  while (next < edited.length) place(edited[next++]!);
  const oldExternal = new Map<string, number>();
  for (let n = oldDefined; n < oldCount; n++) oldExternal.set(old.strings[old.nodeName[n]!]!, n);
  for (const name of externals) {
    const was = oldExternal.get(name);
    if (was !== undefined) copy(was);
    else {
      added.push([internInto(old, name), rows.length]);
      rows.push({ name: internInto(old, name), file: -1, line: 0, flags: NodeFlag.External, item: -1 });
    }
  }
  const count = rows.length;
  const snapshot: IndexSnapshot = {
    files: old.files,
    strings: old.strings,
    sortedStrings: old.sortedStrings,
    nodeName: Int32Array.from(rows, (r) => r.name),
    nodeFile: Int32Array.from(rows, (r) => r.file),
    nodeLine: Int32Array.from(rows, (r) => r.line),
    nodeFlags: Uint8Array.from(rows, (r) => r.flags),
    nodeItem: Int32Array.from(rows, (r) => r.item),
    nameStart: new Int32Array(old.strings.length + 1),
    nameNodes: new Int32Array(0),
  };
  // Name rows: the old ones through the map (aliases included), with the new nodes added, ascending.
  const extra = new Map<number, number[]>();
  for (const [name, node] of added) extra.set(name, [...(extra.get(name) ?? []), node]);
  const nodes: number[] = [];
  for (let s = 0; s < old.strings.length; s++) {
    const row: number[] = [];
    if (s + 1 < old.nameStart.length) for (let i = old.nameStart[s]!; i < old.nameStart[s + 1]!; i++) if (map[old.nameNodes[i]!]! >= 0) row.push(map[old.nameNodes[i]!]!);
    row.push(...(extra.get(s) ?? []));
    row.sort((a, b) => a - b);
    nodes.push(...row);
    snapshot.nameStart[s + 1] = nodes.length;
  }
  snapshot.nameNodes = Int32Array.from(nodes);
  if (count !== snapshot.nodeName.length) throw new Error('renumbered node count');
  return { snapshot, map };
}

/**
 * An edge snapshot with its nodes renumbered (`map`: old -> new, -1 gone) and the edges `drop`
 * says so left out (by old edge id). Parameter uses and over-cap sites of nodes that are gone
 * go with them. Evidence is shared, unchanged.
 */
export function renumberEdges(edges: EdgeSnapshot, map: Int32Array, drop: (edge: number) => boolean): EdgeSnapshot {
  const keep: number[] = [];
  for (let e = 0; e < edges.from.length; e++) if (!drop(e) && map[edges.from[e]!]! >= 0 && map[edges.to[e]!]! >= 0) keep.push(e);
  const pick = <T extends Int32Array | Uint8Array>(a: T, through?: Int32Array): T => {
    const out = new (a.constructor as new (n: number) => T)(keep.length);
    keep.forEach((e, i) => (out[i] = through ? through[a[e]!]! : a[e]!));
    return out;
  };
  const uses: number[] = [];
  for (let i = 0; edges.paramUses && i < edges.paramUses.length; i += 2) if (map[edges.paramUses[i]!]! >= 0) uses.push(map[edges.paramUses[i]!]!, edges.paramUses[i + 1]!);
  const over: number[] = [];
  for (let i = 0; edges.overCap && i < edges.overCap.length; i += 4) if (map[edges.overCap[i]!]! >= 0) over.push(map[edges.overCap[i]!]!, edges.overCap[i + 1]!, edges.overCap[i + 2]!, edges.overCap[i + 3]!);
  return {
    from: pick(edges.from, map),
    to: pick(edges.to, map),
    kind: pick(edges.kind),
    line: pick(edges.line),
    proof: pick(edges.proof),
    deferred: pick(edges.deferred),
    bind: pick(edges.bind),
    evidenceText: edges.evidenceText,
    evidenceStart: edges.evidenceStart,
    setStart: edges.setStart,
    setItems: edges.setItems,
    ...(edges.paramUses ? { paramUses: Int32Array.from(uses) } : {}),
    ...(edges.site ? { site: pick(edges.site) } : {}),
    ...(edges.overCap ? { overCap: Int32Array.from(over) } : {}),
  };
}
