import { StringTable } from '../util/string-table.js';
import { stringItems } from '../util/text-slices.js';
import { rowReads } from '../util/row-reads.js';
import type { IndexSnapshot } from './node-flags.js';

/**
 * Reads of an index snapshot a row at a time: a snapshot decoded from the graph cache keeps its
 * columns stored until one is read whole (cache/column-read.ts), and a reader that wants a few
 * rows (a name's id, the nodes of a name) reads them as stored, so that the column stays unread
 * and the writer of a patched graph copies it as stored. Each read asks for the row reader again:
 * once the column is read whole or assigned (a patch), it has none, and the array is read.
 */

/** Rows of node ids by string id (IndexSnapshot.nameStart, nameNodes): row s is node(start(s))..node(start(s + 1) - 1). */
export interface NameRows {
  start: (s: number) => number;
  node: (i: number) => number;
}

/** The string table of `snapshot`: its strings read one at a time, a name found by a binary search of the stored sort order. */
export function snapshotStrings(snapshot: IndexSnapshot): StringTable {
  const sorted = rowReads(snapshot, 'sortedStrings')?.length;
  const sortedAt = { at: (i: number): number => rowReads(snapshot, 'sortedStrings')?.at(i) ?? snapshot.sortedStrings[i]!, length: sorted ?? snapshot.sortedStrings.length };
  return new StringTable({ values: stringItems(snapshot, 'strings'), sorted: () => snapshot.sortedStrings, sortedAt });
}

/** The name rows of `snapshot` (aliases included), read a row at a time. */
export function snapshotNameRows(snapshot: IndexSnapshot): NameRows {
  return { start: (s) => rowReads(snapshot, 'nameStart')?.at(s) ?? snapshot.nameStart[s]!, node: (i) => rowReads(snapshot, 'nameNodes')?.at(i) ?? snapshot.nameNodes[i]! };
}

/** The string id of node `n`'s own name (IndexSnapshot.nodeName), read alone. */
export const snapshotNodeName = (snapshot: IndexSnapshot, n: number): number => rowReads(snapshot, 'nodeName')?.at(n) ?? snapshot.nodeName[n]!;
