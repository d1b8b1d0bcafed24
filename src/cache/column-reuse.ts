import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { FilePlace } from './file-span.js';
import { smallColumns } from './column-format.js';

/**
 * What lets a columnar frame (columns.ts) be written again cheaply after a few changes (a
 * patched graph): a column still unread since its frame was decoded is copied as stored, so is
 * one read but holding the same values (rememberRead, readColumn), and a
 * long text is cut into blocks by its content, so that an edit changes the blocks around it only
 * and every other block's deflated bytes are found again by their hash instead of being deflated
 * again.
 */

/** A column as stored in a decoded frame: its description (columns.ts ColumnInfo) and its bytes. */
export interface StoredColumn {
  info: { enc: string; offset: number; bytes: number };
  /** Its bytes as stored; a column of a cache file reads them from the file into new memory at each access (read it once). */
  bytes: Buffer;
  /** Where its bytes lie in the cache file its frame was read from (absent for a frame held in memory): a writer thread reads them there itself. */
  place?: FilePlace;
  /** Of a `lines` column: items appended to it while it was unread (StringItems.append), written after the stored ones. */
  appended?: string[];
}

/** The lazy getters decodeColumns installs, with the column each would decode. */
const unread = new WeakMap<object, StoredColumn>();

/** Records that `getter` decodes `column` (columns.ts decodeColumns, for each column left to be read). */
export function rememberUnread(getter: (this: object | undefined) => unknown, column: StoredColumn): void {
  unread.set(getter, column);
}

/** The stored column that `owner[key]` would decode when read, while that property is still unread; else undefined. */
export function unreadColumn(owner: object, key: string): StoredColumn | undefined {
  const get = Object.getOwnPropertyDescriptor(owner, key)?.get;
  return get ? unread.get(get) : undefined;
}

/** A column decoded since its frame was read: what it was decoded from, and the value it gave (held weakly, but for a string). */
interface ReadRecord {
  column: StoredColumn;
  value: WeakRef<object> | string;
}

/** Columns read since their frame was decoded, by owner and property. */
const readColumns = new WeakMap<object, Map<string, ReadRecord>>();

/** Records that `owner[key]` was decoded from `column` as `value` (columns.ts decodeColumnsFrom, when a column is first read). */
export function rememberRead(owner: object, key: string, value: unknown, column: StoredColumn): void {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return;
  let byKey = readColumns.get(owner);
  if (!byKey) readColumns.set(owner, (byKey = new Map()));
  byKey.set(key, { column, value: typeof value === 'string' ? value : new WeakRef(value) });
}

/**
 * The stored column `owner[key]` was decoded from, while the property still holds the value then
 * decoded (a string equal to it, or the very same object: it may have been changed in place
 * since, which the caller checks: columns.ts sameAsStored); else undefined, and the record of a
 * value since replaced is dropped. Call only once unreadColumn said the property is read.
 */
export function readColumn(owner: object, key: string): StoredColumn | undefined {
  const byKey = readColumns.get(owner);
  const record = byKey?.get(key);
  if (!record) return undefined;
  const now = (owner as Record<string, unknown>)[key];
  if (typeof record.value === 'string' ? now === record.value : record.value.deref() === now) return record.column;
  byKey!.delete(key);
  return undefined;
}

/** Blocks of a long text are at least this many characters (but for the last), ending after a newline chosen by content... */
const MIN_BLOCK_CHARS = smallColumns() ? 1 << 9 : 1 << 15;
/** ...or at most this many, whatever the content (a text with few newlines). */
const MAX_BLOCK_CHARS = smallColumns() ? 1 << 12 : 1 << 18;
/** Characters before a newline whose hash decides whether it ends a block. */
const CUT_CONTEXT = 16;
/** A newline ends a block when that hash has these top bits clear: one newline in 64. */
const CUT_SHIFT = 26;

/** A text read a character (UTF-16 code unit) at a time: a string, or ASCII bytes (one byte a character). */
interface Chars {
  length: number;
  code: (i: number) => number;
  /** The offset of the first newline at or after `from`, or -1. */
  newline: (from: number) => number;
}

const stringChars = (text: string): Chars => ({ length: text.length, code: (i) => text.charCodeAt(i), newline: (from) => text.indexOf('\n', from) });
const asciiChars = (bytes: Buffer): Chars => ({ length: bytes.length, code: (i) => bytes[i]!, newline: (from) => bytes.indexOf(10, from) });

/** True when the newline at `at` is one that ends a block: a hash of the CUT_CONTEXT characters before it picks it. */
function cutsAt(text: Chars, at: number): boolean {
  let h = 0x811c9dc5;
  for (let i = Math.max(0, at - CUT_CONTEXT); i < at; i++) h = Math.imul(h ^ text.code(i), 0x01000193);
  return h >>> CUT_SHIFT === 0;
}

/**
 * Where the blocks of `text` end (string offsets, the last one text.length). A block ends after
 * the first newline at least MIN_BLOCK_CHARS characters into it whose preceding characters hash
 * to a pick (cutsAt), so that the ends depend on the text near them and an edit moves only the
 * ends close to it; a block with no such newline ends at MAX_BLOCK_CHARS characters (never
 * between the two halves of a surrogate pair).
 */
export const blockEnds = (text: string): number[] => endsOf(stringChars(text));

function endsOf(text: Chars): number[] {
  const ends: number[] = [];
  for (let from = 0; from < text.length; ) ends.push((from = blockEnd(text, from)));
  return ends;
}

/** Where the block of `text` that starts at `from` ends (blockEnds): it depends on the characters from `from` to that end alone, and on whether the text ends there. */
function blockEnd(text: Chars, from: number): number {
  const limit = Math.min(text.length, from + MAX_BLOCK_CHARS);
  let end = limit;
  for (let nl = text.newline(from + MIN_BLOCK_CHARS - 1); nl >= 0 && nl < limit; nl = text.newline(nl + 1)) {
    if (cutsAt(text, nl)) {
      end = nl + 1;
      break;
    }
  }
  if (end < text.length && (text.code(end - 1) & 0xfc00) === 0xd800) end++;
  return end;
}

/** The hash a block is found by: its UTF-8 bytes' SHA-1, base64. */
const blockHash = (utf8: Buffer): string => createHash('sha1').update(utf8).digest('base64');

/** The blocks of recently decoded texts: deflated bytes by hash. */
interface BlockSource {
  /** The column's stored bytes from..to (read from the cache file when the frame is read a column at a time). */
  block: (from: number, to: number) => Buffer | undefined;
  ends: number[];
  hashes: string[];
}

/** Sources kept: a patch decodes one graph and writes it again; a few more cover several opened at once. */
const SOURCES_KEPT = 4;
const sources: BlockSource[] = [];

/** Records the deflated blocks of a decoded `chunks` column (`block(from, to)` gives its stored bytes from..to), for blocksOf. */
export function rememberBlocks(block: (from: number, to: number) => Buffer | undefined, ends: number[], hashes: string[] | undefined): void {
  if (!hashes || hashes.length !== ends.length) return;
  sources.push({ block, ends, hashes });
  if (sources.length > SOURCES_KEPT) sources.shift();
}

/** The deflated blocks of the texts remembered (rememberBlocks) that can still be read: for another thread to remember (each `bytes` read from its cache file into shared memory, so handed over without a copy). */
export function rememberedBlocks(): { bytes: Uint8Array; ends: number[]; hashes: string[] }[] {
  return sources.flatMap((s) => {
    let bytes: Buffer | undefined;
    try {
      bytes = s.block(0, s.ends[s.ends.length - 1] ?? 0);
    } catch {
      bytes = undefined; // not to be had: the worker deflates those blocks again
    }
    return bytes ? [{ bytes, ends: s.ends, hashes: s.hashes }] : [];
  });
}

/** The deflated bytes of the block of `hash` among the remembered sources, or undefined. */
function knownBlock(hash: string, index: Map<string, () => Buffer | undefined>): Buffer | undefined {
  try {
    return index.get(hash)?.();
  } catch {
    return undefined; // not to be had: deflated again
  }
}

/** Every remembered block by hash, each read from its frame's bytes when asked for (undefined when they cannot be read). */
function blockIndex(): Map<string, () => Buffer | undefined> {
  const index = new Map<string, () => Buffer | undefined>();
  for (const s of sources) {
    s.hashes.forEach((hash, b) => {
      const from = b === 0 ? 0 : s.ends[b - 1]!;
      const to = s.ends[b]!;
      index.set(hash, () => s.block(from, to));
    });
  }
  return index;
}

/**
 * A long text as the blocks of a `chunks` column: each block's first character (`starts`),
 * deflated bytes (`blocks`, raw deflate level 1), and hash; a block whose hash a recently
 * decoded text had is copied from it, not deflated again.
 */
export const textBlocks = (text: string): { starts: number[]; hashes: string[]; blocks: Buffer[] } => blocksOf(stringChars(text), (from, to) => Buffer.from(text.slice(from, to), 'utf8'));

/** textBlocks of a text whose every character is ASCII, given as its bytes (one a character): the same blocks, never decoded into a string. */
export function asciiTextBlocks(bytes: Buffer): { starts: number[]; hashes: string[]; blocks: Buffer[] } {
  const text = knownFor(bytes);
  return blocksOf(asciiChars(bytes), (from, to) => bytes.subarray(from, to), text ? sameBlocks(bytes, text) : undefined);
}

/**
 * An ASCII text whose blocks were read (the evidence text a patch rewrites, inflated by the
 * writer's worker: write-behind.ts textAhead): its bytes, each block's first character and hash,
 * and a block's deflated bytes by number (undefined when they cannot be had).
 */
export interface KnownText {
  bytes: Buffer;
  starts: number[];
  hashes: string[];
  block: (b: number) => Buffer | undefined;
}

/**
 * The texts remembered by rememberText, oldest first (a patch has the writer inflate more than
 * one ahead: the evidence text and the binding record's strings; write-behind.ts textAhead).
 */
const known: KnownText[] = [];

/**
 * Remembers a text read as its blocks, so that asciiTextBlocks finds a block of it again by
 * comparing bytes where the blocks before left off, instead of cutting and hashing every block:
 * on a kernel, hashing the 36 MB evidence text a body edit shifts took the writer some 70-100 ms
 * of SHA-1. The blocks are the same either way, for a text cut by the same rule (see sameBlocks).
 * Up to SOURCES_KEPT texts are kept (the oldest dropped); null forgets them all.
 */
export function rememberText(text: KnownText | null): void {
  if (!text) known.length = 0;
  else if (text.starts.length === text.hashes.length) {
    known.push(text);
    if (known.length > SOURCES_KEPT) known.shift();
  }
}

/**
 * The known text `bytes` is most likely an edited copy of: the one whose first block `bytes`
 * starts with (an edit past it leaves it), else the one nearest in length; undefined when none is
 * known. Any choice finds the same blocks or fewer (sameBlocks compares their bytes).
 */
function knownFor(bytes: Buffer): KnownText | undefined {
  if (known.length <= 1) return known[0];
  const first = (k: KnownText): Buffer => k.bytes.subarray(0, k.starts.length > 1 ? k.starts[1]! : k.bytes.length);
  const starting = known.find((k) => k.bytes.length > 0 && bytes.subarray(0, first(k).length).equals(first(k)));
  if (starting) return starting;
  return known.reduce((best, k) => (Math.abs(k.bytes.length - bytes.length) < Math.abs(best.bytes.length - bytes.length) ? k : best));
}

/** What asciiTextBlocks finds of a known text: the block starting at a character, and where a hashed block was in it. */
interface SameBlocks {
  /** The known block the text's block starting at `from` is, when their bytes are the same: its end in the text, hash and deflated bytes. */
  at: (from: number) => { end: number; hash: string; block: Buffer } | undefined;
  /** Notes that the text's block starting at `from` has `hash`: when the known text has that block, the blocks after are looked for after it. */
  seen: (hash: string, from: number) => void;
}

/**
 * Finds the blocks of `bytes` that a known text has, without cutting or hashing them. A block of
 * the known text that is not its last ends where the rule of blockEnd put it reading only its own
 * characters (a picked newline at least MIN_BLOCK_CHARS into it, or MAX_BLOCK_CHARS), so the same
 * bytes starting a block of the new text end it in the same place, with the same hash; its last
 * block is taken only where the new text ends with it too. Blocks are looked for where the known
 * text's would start after the last block found (an edit shifts what follows it by the
 * characters it adds or removes).
 */
function sameBlocks(bytes: Buffer, k: KnownText): SameBlocks {
  const blockAt = new Map(k.starts.map((start, b) => [start, b]));
  const startOf = new Map(k.hashes.map((hash, b) => [hash, k.starts[b]!]));
  // Where a block of the known text starts, minus where the same block starts in `bytes`.
  let shift = 0;
  return {
    at(from) {
      const b = blockAt.get(from + shift);
      if (b === undefined) return undefined;
      const last = b + 1 === k.starts.length;
      const length = (last ? k.bytes.length : k.starts[b + 1]!) - k.starts[b]!;
      if (from + length > bytes.length || (last && from + length !== bytes.length)) return undefined;
      if (!bytes.subarray(from, from + length).equals(k.bytes.subarray(k.starts[b]!, k.starts[b]! + length))) return undefined;
      const block = k.block(b);
      return block ? { end: from + length, hash: k.hashes[b]!, block } : undefined;
    },
    seen(hash, from) {
      const start = startOf.get(hash);
      if (start !== undefined) shift = start - from;
    },
  };
}

/** The blocks of `text`, `utf8(from, to)` giving the UTF-8 bytes of its characters from..to; `same`, the blocks a known text had. */
function blocksOf(text: Chars, utf8Of: (from: number, to: number) => Buffer, same?: SameBlocks): { starts: number[]; hashes: string[]; blocks: Buffer[] } {
  const index = sources.length ? blockIndex() : null;
  const starts: number[] = [];
  const hashes: string[] = [];
  const blocks: Buffer[] = [];
  for (let from = 0; from < text.length; ) {
    starts.push(from);
    const found = same?.at(from);
    if (found) {
      hashes.push(found.hash);
      blocks.push(found.block);
      from = found.end;
      continue;
    }
    const to = blockEnd(text, from);
    const utf8 = utf8Of(from, to);
    const hash = blockHash(utf8);
    same?.seen(hash, from);
    hashes.push(hash);
    blocks.push((index && knownBlock(hash, index)) ?? deflateRawSync(utf8, { level: 1 }));
    from = to;
  }
  return { starts, hashes, blocks };
}
