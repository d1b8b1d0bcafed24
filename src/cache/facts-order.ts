/**
 * What the facts writer thread does (cache/facts-behind.ts): a whole facts file encoded and
 * written from frames waiting in a spool file. Apart from facts-behind.ts so that the thread loads
 * only what it runs (no parser, no index cache): it is alive while the graph resolves, where a cold
 * index's memory peaks.
 */
import { ensureCacheDir } from './cache-dir.js';
import { dirname } from 'node:path';
import { MentionTable } from '../resolve/mention-table.js';
import { mentionTableOfJson } from '../resolve/mention-json.js';
import { readSpoolFile } from '../util/byte-spool.js';
import { unpackItems } from '../util/packed-items.js';
import { expandedByDeltas } from './facts-delta.js';
import { compressFactsJson, encodeFactsFrame, MAGIC, writeFrameFileAtomically } from './frame-file.js';
import type { CacheEntry } from './index-cache.js';

/** A run of spooled bytes as another thread reads it: its place in the spool's file, or its bytes when the spool kept them in memory. */
export type SpoolRun = { position: number; length: number } | { bytes: Uint8Array };

/** A frame to write (expand-frames.ts DeferredFrame, as plain data): its packed bytes and items' sizes, and its changed files' deltas (facts-delta.ts; UTF-8, joined) at their positions. */
export interface FrameOrder {
  packed: SpoolRun;
  sizes: number[];
  changed: number[];
  texts: SpoolRun;
  textSizes: number[];
}

/** A facts file to write: at `path`, of cache format `format`, its manifest, and its frames in order, read from the spool open as `fd`. */
export interface FactsFile {
  path: string;
  format: number;
  manifest: CacheEntry[];
  fd: number;
}

/** Frame mention tables merged at a time while the frames are encoded, so that at most this many are held (the merge is associative: MentionTable.merge). */
const MERGE_EVERY = 16;

/**
 * Writes the facts file `order` describes, its frames `given` (as they come: they may be made while
 * it is written), as IndexCache.save writes one (the manifest frame, then each frame's packed JSON with its changed files expanded by their deltas (facts-delta.ts), Brotli-compressed: the same
 * bytes as expand-frames.ts and save-facts.ts write), and returns the mention table of all its
 * frames (resolve/mention-json.ts, merged). Runs on the thread that calls it. Throws the file
 * system's error (the file is then left as it was) or zlib's.
 */
export function writeOrderedFacts(order: FactsFile, given: Iterable<FrameOrder>): MentionTable {
  let tables: MentionTable[] = [];
  const read = (run: SpoolRun): Buffer => {
    if ('bytes' in run) return Buffer.from(run.bytes.buffer, run.bytes.byteOffset, run.bytes.byteLength);
    const into = Buffer.allocUnsafeSlow(run.length);
    readSpoolFile(order.fd, run.position, run.length, into);
    return into;
  };
  const frames = function* (): Generator<Buffer> {
    yield encodeFactsFrame(JSON.stringify(order.manifest));
    for (const f of given) {
      const texts = read(f.texts);
      const byPosition = new Map<number, Buffer>();
      let at = 0;
      f.changed.forEach((j, k) => byPosition.set(j, texts.subarray(at, (at += f.textSizes[k]!))));
      const json = expandedByDeltas(unpackItems({ bytes: read(f.packed), sizes: f.sizes }), f.sizes, byPosition);
      tables.push(mentionTableOfJson(json));
      if (tables.length >= MERGE_EVERY) tables = [MentionTable.merge(tables)];
      yield compressFactsJson(json);
    }
  };
  ensureCacheDir(dirname(order.path));
  writeFrameFileAtomically(order.path, MAGIC, order.format, frames());
  return MentionTable.merge(tables);
}
