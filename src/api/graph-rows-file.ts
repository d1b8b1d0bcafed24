import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { KeptBeside } from '../cache/open-index.js';
import type { GraphRows } from '../graph/graph-rows.js';
import { readKept, writeKept } from '../cache/kept-beside.js';

/**
 * The call graphs' rows kept beside the graph cache (`KEY.rows`, see graph/graph-rows.ts and
 * kept-beside.ts), so that a warm query makes its call graph without folding four million edges
 * again: the rows of each edge filter a query built (Project.graph), by filter key. Their two byte
 * arrays are deflated (Linux 6.1's synchronous filter: lengths 722 KB to 338 KB, steps as runs 1.26 MB to
 * 750 KB; the file 1.09 MB, where steps of one varint a position made it 1.20 MB).
 */

/** Bumped when GraphRows changes, or how it is kept. */
const ROWS_VERSION = 5;

const isRows = (r: unknown): r is GraphRows => {
  const x = r as GraphRows;
  return typeof x === 'object' && x !== null && typeof x.edges === 'number' && typeof x.nodes === 'number' && x.lengths instanceof Uint8Array && x.long instanceof Int32Array && x.steps instanceof Uint8Array;
};

const isRowsTable = (v: unknown): v is Record<string, GraphRows> => typeof v === 'object' && v !== null && Object.values(v).every(isRows);

/**
 * The rows kept for the graph file `beside.identity`, by filter key; empty when there are none for
 * it. Each filter's arrays are inflated when first read (a query uses one filter of the two kept:
 * inflating both cost a path query 40 to 80 ms on a kernel); ones that do not inflate read as
 * empty, which no graph fits (foldedFromRows then refuses them and the edges are folded).
 */
export function readGraphRows(beside: KeptBeside): Map<string, GraphRows> {
  const kept = Object.entries(readKept(beside, 'rows', ROWS_VERSION, isRowsTable) ?? {});
  return new Map(kept.map(([key, r]) => [key, inflatedWhenRead(r)]));
}

/** GraphRows as kept: lengths and steps deflated, with the length of the steps inflated (`stepBytes`). */
type KeptRows = GraphRows & { stepBytes?: number };

/**
 * `rows` (as kept: lengths and steps deflated) whose lengths and steps are inflated when first
 * read, each once, into one buffer of its known size: inflating in zlib's 16 KB chunks then joining
 * them, and copying the result into an array of its own, took a kernel's 4 MB of steps 40 ms.
 */
function inflatedWhenRead(rows: KeptRows): GraphRows {
  const inflate = (deflated: Uint8Array, size: number | undefined): (() => Uint8Array) => {
    let bytes: Uint8Array | null = null;
    return () => {
      if (!bytes) {
        try {
          // One byte more than the size: zlib asks for another chunk when the output fills the one it has.
          const out = inflateRawSync(deflated, typeof size === 'number' && size >= 0 ? { chunkSize: Math.max(64, size + 1) } : {});
          // A plain Uint8Array over the same memory (not a copy), as the rows were written.
          bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
        } catch {
          bytes = new Uint8Array(0);
        }
      }
      return bytes;
    };
  };
  const lengths = inflate(rows.lengths, rows.nodes);
  const steps = inflate(rows.steps, rows.stepBytes);
  return {
    edges: rows.edges,
    nodes: rows.nodes,
    long: rows.long,
    get lengths() {
      return lengths();
    },
    get steps() {
      return steps();
    },
  };
}

/** Keeps the rows for the graph file `beside.identity`. */
export function writeGraphRows(beside: KeptBeside, rows: Map<string, GraphRows>): void {
  // Level 2: on a kernel's rows a little smaller than level 1 for about the same time (steps as runs: 750 KB against 757 KB, both inflated in some 10 ms).
  const deflated = [...rows].map(([key, r]) => [key, { ...r, lengths: new Uint8Array(deflateRawSync(r.lengths, { level: 2 })), steps: new Uint8Array(deflateRawSync(r.steps, { level: 2 })), stepBytes: r.steps.length } satisfies KeptRows]);
  writeKept(beside, 'rows', ROWS_VERSION, Object.fromEntries(deflated));
}

/** Rows to be written by writeGraphRowsSoon, by file (`beside.base`): each written once, with the rows made last. */
const soon = new Map<string, { beside: KeptBeside; rows: () => Map<string, GraphRows> }>();

/**
 * Keeps the rows `rows()` makes for the graph `beside.identity`, once the current task is done (a
 * query's answer out first); a later call for the same file before then replaces the rows. Any
 * open of a tree in this process writes those still due first (flushGraphRows), so it reads them.
 */
export function writeGraphRowsSoon(beside: KeptBeside, rows: () => Map<string, GraphRows>): void {
  const due = soon.size > 0;
  soon.set(beside.base, { beside, rows });
  if (!due) setImmediate(flushGraphRows);
}

/** Writes the rows writeGraphRowsSoon still has due. */
export function flushGraphRows(): void {
  const due = [...soon.values()];
  soon.clear();
  for (const { beside, rows } of due) writeGraphRows(beside, rows());
}
