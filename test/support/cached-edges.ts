import { decodeColumnsFrom, encodeColumns } from '../../src/cache/columns.js';
import type { FrameBytes } from '../../src/cache/column-read.js';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { seededRandom as random } from './random.js';

/**
 * `n` edges among `nodes` nodes as a cache file gives them back (cache/columns.ts, read through a
 * frame as from a file): callers sorted (stored as runs), callees at random (wide), kinds in bytes,
 * lines and call sites that fit 16 bits, no evidence. `value`: the columns as made; `edges`: the
 * snapshot read back, every column a getter until decoded; `largestRead`: the most bytes one range
 * read of the frame has taken so far (a decode reads a column whole; row reads take blocks).
 */
export function cachedEdges(seed: number, n: number, nodes: number) {
  const r = random(seed);
  const value = {
    from: Int32Array.from({ length: n }, (_, e) => Math.floor((e * nodes) / n)),
    to: Int32Array.from({ length: n }, () => Math.floor(r() * nodes)),
    kind: Uint8Array.from({ length: n }, () => Math.floor(r() * 3)),
    line: Int32Array.from({ length: n }, () => Math.floor(r() * 60_000)),
    proof: new Int32Array(n).fill(-1),
    deferred: new Uint8Array(n),
    bind: new Uint8Array(n),
    site: Int32Array.from({ length: n }, () => Math.floor(r() * 40)),
  };
  const bytes = encodeColumns(value);
  const reads = { largest: 0 };
  const frame: FrameBytes = {
    size: bytes.length,
    range: (offset, length) => ((reads.largest = Math.max(reads.largest, length)), Buffer.from(bytes.subarray(offset, offset + length))),
    readInto: (offset, into) => into.set(bytes.subarray(offset, offset + into.length)),
  };
  return { value, edges: decodeColumnsFrom<EdgeSnapshot>(frame), largestRead: () => reads.largest };
}
