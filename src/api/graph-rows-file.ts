import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { KeptBeside } from '../cache/open-index.js';
import type { GraphRows } from '../graph/graph-rows.js';

/**
 * The call graphs' rows kept beside the graph cache (`KEY.rows`, see graph/graph-rows.ts), so
 * that a warm query makes its call graph without folding four million edges again. The file
 * holds the rows of each edge filter a query built (Project.graph), with the identity of the
 * graph file they were made from (device, inode, size, mtime: a rewritten graph file is a new
 * one); rows of another graph file are never used, and are replaced by the next query's.
 */

/** Bumped when the layout below changes; a file of another version is ignored (and replaced). */
const ROWS_VERSION = 1;

interface RowsFile {
  version: number;
  identity: string;
  rows: Record<string, GraphRows>;
}

const isRows = (r: unknown): r is GraphRows => {
  const x = r as GraphRows;
  return typeof x === 'object' && x !== null && typeof x.edges === 'number' && typeof x.nodes === 'number' && x.first instanceof Uint8Array && x.moved instanceof Int32Array;
};

/** The rows kept for the graph file `beside.identity`, by filter key; empty when the file is absent, unreadable, of another version or of another graph file. */
export function readGraphRows(beside: KeptBeside): Map<string, GraphRows> {
  const out = new Map<string, GraphRows>();
  let file: RowsFile;
  try {
    file = deserialize(readFileSync(beside.path)) as RowsFile;
  } catch {
    return out;
  }
  if (file?.version !== ROWS_VERSION || file.identity !== beside.identity || typeof file.rows !== 'object' || file.rows === null) return out;
  for (const [key, rows] of Object.entries(file.rows)) if (isRows(rows)) out.set(key, rows);
  return out;
}

/**
 * Writes the rows for the graph file `beside.identity` (under a temporary name, then renamed:
 * a reader sees a whole old file or a whole new one). A folder that cannot be written is no
 * error: the rows are only a shortcut.
 */
export function writeGraphRows(beside: KeptBeside, rows: Map<string, GraphRows>): void {
  const file: RowsFile = { version: ROWS_VERSION, identity: beside.identity, rows: Object.fromEntries(rows) };
  const temporary = `${beside.path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, serialize(file));
    renameSync(temporary, beside.path);
  } catch {
    rmSync(temporary, { force: true });
  }
}
