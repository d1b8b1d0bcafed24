import { align8, isPlain, smallColumns } from './column-format.js';
import { asciiBytesOf, textBytes } from '../util/text-bytes.js';
import type { NarrowInts } from '../util/narrow-views.js';

/**
 * Handing a value to be written as a columnar frame to another thread (write-behind.ts) at little
 * cost to this one. A structured clone copies a long string through a buffer that grows as it
 * goes, and an array of records object by object (on a kernel: the 36 MB evidence text a patch
 * that moves lines rewrites, and the 43,000-entry manifest, together some 150-300 ms of the
 * main thread per patch); handed over, the string is its UTF-8 bytes in shared memory and the
 * records are the parts of their `records` column, made here in one pass, which the writer stores
 * as they are (columns.ts encodeColumnParts gives the same bytes as for the values themselves).
 */

/** Typed arrays smaller than this (in bytes), strings and arrays shorter than this, stay in the skeleton. */
export const MIN_COLUMN = smallColumns() ? 64 : 4096;

/** Strings at least this long are stored in deflated blocks (`chunks`); shorter long ones as plain UTF-8 (`text`). */
export const MIN_CHUNKED = smallColumns() ? 4096 : 1 << 20;

/** The key marking a value handed over (see HandedText, HandedRecords). */
export const HANDED = '\u0000handed';

/** The key marking an Int32Array column held narrow (util/narrow-views.ts holdNarrow), handed over as its narrow values. */
export const NARROWED = '\u0000narrowed';

/** An Int32Array column held as 8- or 16-bit values (shared memory when spliced by a patch), in a value made by detachedForWriting. */
export interface NarrowedColumn {
  [NARROWED]: NarrowInts;
}

export const isNarrowedColumn = (v: Record<string, unknown>): v is Record<string, unknown> & NarrowedColumn => ArrayBuffer.isView(v[NARROWED]);

/** A long string handed over as its UTF-8 bytes (in shared memory: not copied on the way). */
export interface HandedText {
  [HANDED]: 'text';
  bytes: Uint8Array;
  /** True when every character is ASCII (as many bytes as characters): the writer then cuts and hashes its blocks on the bytes, never decoding the text (column-reuse.ts asciiTextBlocks). */
  ascii?: boolean;
}

/** An array of records handed over as the parts of its `records` column (recordParts), in shared memory. */
export interface HandedRecords {
  [HANDED]: 'records';
  keys: string[];
  kinds: ('number' | 'string')[];
  length: number;
  /** Each part's length in bytes, unpadded (the column's `parts`). */
  sizes: number[];
  /** The parts one after another, each padded to 8 bytes, as the column stores them. */
  bytes: Uint8Array;
}

/** The keys and value kinds of an array worth a `records` column, or null. */
export function recordShape(v: unknown[]): { keys: string[]; kinds: ('number' | 'string')[] } | null {
  if (v.length < MIN_COLUMN || !isPlain(v[0])) return null;
  const keys = Object.keys(v[0]);
  const kinds = keys.map((k) => typeof (v[0] as Record<string, unknown>)[k]);
  if (keys.length === 0 || kinds.some((k) => k !== 'number' && k !== 'string')) return null;
  for (const r of v) {
    if (!isPlain(r)) return null;
    const rk = Object.keys(r);
    if (rk.length !== keys.length) return null;
    for (let j = 0; j < keys.length; j++) {
      const x = r[keys[j]!];
      if (rk[j] !== keys[j] || typeof x !== kinds[j] || (typeof x === 'string' && x.includes('\n'))) return null;
    }
  }
  return { keys, kinds: kinds as ('number' | 'string')[] };
}

/** The parts of a `records` column of `v` (recordShape gave `shape`): per key, its numbers as Float64 or its strings joined by newlines in UTF-8, unpadded. */
export function recordParts(v: unknown[], shape: { keys: string[]; kinds: ('number' | 'string')[] }): Buffer[] {
  return shape.keys.map((k, j) => {
    const values = v.map((r) => (r as Record<string, unknown>)[k]);
    if (shape.kinds[j] !== 'number') return Buffer.from((values as string[]).join('\n'), 'utf8');
    const numbers = Float64Array.from(values as number[]);
    return Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength);
  });
}

/** `parts`, each padded to 8 bytes (so that every Float64 part is aligned), as a `records` column stores them. */
export const paddedParts = (parts: Buffer[]): Buffer[] => parts.flatMap((p) => (align8(p.length) > p.length ? [p, Buffer.alloc(align8(p.length) - p.length)] : [p]));

/** `owner[key]` handed over as the ASCII bytes registered for it (util/text-bytes.ts TEXT_BYTES), when it is a long text in shared memory, without reading the property; else undefined. */
export function handedBytes(owner: object, key: string): HandedText | undefined {
  const bytes = asciiBytesOf(owner, key);
  if (!bytes || bytes.length < MIN_CHUNKED || !(bytes.buffer instanceof SharedArrayBuffer)) return undefined;
  return { [HANDED]: 'text', bytes, ascii: true };
}

/** `v` handed over when it is a long string or an array of records (see the module comment); else undefined. */
export function handOver(v: unknown): HandedText | HandedRecords | undefined {
  if (typeof v === 'string') {
    if (v.length < MIN_CHUNKED) return undefined;
    // Bytes it was made from (a patched evidence text) are handed as they are.
    const made = textBytes(v);
    if (made) return { [HANDED]: 'text', bytes: made, ascii: true };
    const bytes = Buffer.from(new SharedArrayBuffer(Buffer.byteLength(v, 'utf8')));
    bytes.write(v, 'utf8');
    return { [HANDED]: 'text', bytes, ...(bytes.length === v.length ? { ascii: true } : {}) };
  }
  if (!Array.isArray(v)) return undefined;
  const shape = recordShape(v);
  if (!shape) return undefined;
  const parts = recordParts(v, shape);
  const padded = paddedParts(parts);
  const bytes = Buffer.from(new SharedArrayBuffer(padded.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const p of padded) at += p.copy(bytes, at);
  return { [HANDED]: 'records', ...shape, length: v.length, sizes: parts.map((p) => p.length), bytes };
}

/** True for a value handOver made. */
export const isHanded = (v: unknown): v is HandedText | HandedRecords => isPlain(v) && (v[HANDED] === 'text' || v[HANDED] === 'records');
