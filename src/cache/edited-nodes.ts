import { type CodeIndex, NodeFlag } from '../index/code-index.js';
import { scanColumns } from '../resolve/stored-column.js';

/**
 * Whole-index passes of a definitions patch (patch-definitions.ts), each over columns read whole
 * once. CodeIndex.nodeCount, nodeFile and isExternal are getters or row reads: taken once per node
 * of a kernel's 722,000 in a loop's test and body, they cost the patch some 50 to 150 ms of CPU per
 * query after an edit (Linux 6.1, --cpu-prof of the bench's edit rows: the loops' lines of
 * patchDefinitions and nodesOfFiles).
 */

/**
 * The nodes of `index` defined in the files `files` (file ids, each 0 or more), ascending. External
 * nodes (file -1) are in no file.
 */
export function nodesInFiles(index: CodeIndex, files: Iterable<number>): number[] {
  const ids = [...files];
  const mark = new Uint8Array(ids.reduce((m, f) => Math.max(m, f + 1), 0));
  for (const f of ids) mark[f] = 1;
  const count = index.nodeCount;
  const nodeFile = index.nodeFile;
  const out: number[] = [];
  for (let n = 0; n < count; n++) {
    const f = nodeFile[n]!;
    if (f >= 0 && f < mark.length && mark[f] === 1) out.push(n);
  }
  return out;
}

/**
 * The callees of a list of edges: an array of them, or an edge snapshot (`edges`) whose `to`
 * column is read as stored a chunk at a time (resolve/stored-column.ts scanColumns): a cached
 * kernel's callees are 17 MB of fresh memory decoded whole.
 */
export type Callees = ArrayLike<number> | { edges: object };

/** The external nodes of `index` (NodeFlag.External) that some edge goes to (`to`: each edge's target node), ascending. */
export function calledExternals(index: CodeIndex, to: Callees): number[] {
  const count = index.nodeCount;
  const flags = index.nodeFlags;
  const called = new Uint8Array(count);
  if ('edges' in to)
    scanColumns(to.edges, ['to'] as const, (rows, _start, n) => {
      const callees = rows.to!;
      for (let i = 0; i < n; i++) called[callees[i]!] = 1;
    });
  else for (let e = 0; e < to.length; e++) called[to[e]!] = 1;
  const out: number[] = [];
  for (let n = 0; n < count; n++) if (called[n] === 1 && (flags[n]! & NodeFlag.External) !== 0) out.push(n);
  return out;
}

/** The map of `count` nodes to themselves (node i -> i). */
export function identityMap(count: number): Int32Array {
  const map = new Int32Array(count);
  for (let n = 0; n < count; n++) map[n] = n;
  return map;
}

/** True when `map` maps exactly `count` nodes each to itself. */
export function isIdentityMap(map: ArrayLike<number>, count: number): boolean {
  if (map.length !== count) return false;
  for (let n = 0; n < count; n++) if (map[n] !== n) return false;
  return true;
}
