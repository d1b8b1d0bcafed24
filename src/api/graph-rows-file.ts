import type { KeptBeside } from '../cache/open-index.js';
import type { GraphRows } from '../graph/graph-rows.js';
import { readKept, writeKept } from './kept-beside.js';

/**
 * The call graphs' rows kept beside the graph cache (`KEY.rows`, see graph/graph-rows.ts and
 * kept-beside.ts), so that a warm query makes its call graph without folding four million edges
 * again: the rows of each edge filter a query built (Project.graph), by filter key.
 */

/** Bumped when GraphRows changes. */
const ROWS_VERSION = 1;

const isRows = (r: unknown): r is GraphRows => {
  const x = r as GraphRows;
  return typeof x === 'object' && x !== null && typeof x.edges === 'number' && typeof x.nodes === 'number' && x.first instanceof Uint8Array && x.moved instanceof Int32Array;
};

const isRowsTable = (v: unknown): v is Record<string, GraphRows> => typeof v === 'object' && v !== null && Object.values(v).every(isRows);

/** The rows kept for the graph file `beside.identity`, by filter key; empty when there are none for it. */
export function readGraphRows(beside: KeptBeside): Map<string, GraphRows> {
  return new Map(Object.entries(readKept(beside, 'rows', ROWS_VERSION, isRowsTable) ?? {}));
}

/** Keeps the rows for the graph file `beside.identity`. */
export function writeGraphRows(beside: KeptBeside, rows: Map<string, GraphRows>): void {
  writeKept(beside, 'rows', ROWS_VERSION, Object.fromEntries(rows));
}
