import { deserialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { decodeColumns, detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import { encodingHints } from '../../src/cache/column-hints.js';
import { seededRandom as random } from '../support/random.js';

/** Each column of a columnar frame's `edges` object: its encoding and stored type. */
function edgeColumns(frame: Buffer): Record<string, { enc: string; stored?: string; fill?: number }> {
  const length = frame.readUInt32LE(4);
  const { value, columns } = deserialize(frame.subarray(8, 8 + length)) as { value: { edges: Record<string, Record<string, number>> }; columns: { enc: string; stored?: string; fill?: number }[] };
  return Object.fromEntries(Object.entries(value.edges).map(([k, mark]) => [k, columns[Object.values(mark)[0]!]!]).map(([k, c]) => [k, { enc: (c as { enc: string }).enc, stored: (c as { stored?: string }).stored, fill: (c as { fill?: number }).fill }]));
}

/** Edge-like columns of `n` rows: callers in runs, targets past 16 bits, lines within 16 bits, sparse flags, a mostly -1 proof column. */
function edgeRows(seed: number, n: number): Record<string, Int32Array | Uint8Array> {
  const r = random(seed);
  // Callers in runs, not ascending (the edge list has blocks, each by caller).
  let caller = 0;
  const from = Int32Array.from({ length: n }, () => (r() < 0.2 ? (caller = Math.floor(r() * 100_000)) : caller));
  const to = Int32Array.from({ length: n }, () => Math.floor(r() * 600_000));
  const line = Int32Array.from({ length: n }, () => Math.floor(r() * 60_000));
  const proof = Int32Array.from({ length: n }, (_, i) => (r() < 0.03 ? i : -1));
  const kind = Uint8Array.from({ length: n }, () => Math.floor(r() * 6));
  const bind = Uint8Array.from({ length: n }, () => (r() < 0.04 ? 2 : 0));
  return { from, to, line, proof, kind, bind };
}

/** `rows` with `count` rows inserted before row `at` (copies of row `at`, as a patch inserts an edge beside its caller's). */
function inserted(rows: Record<string, Int32Array | Uint8Array>, at: number, count: number): Record<string, Int32Array | Uint8Array> {
  return Object.fromEntries(
    Object.entries(rows).map(([k, a]) => {
      const b = new (a.constructor as Int32ArrayConstructor)(a.length + count);
      b.set(a.subarray(0, at));
      b.fill(a[at]!, at, at + count);
      b.set(a.subarray(at), at + count);
      return [k, b];
    }),
  );
}

describe('encoding a patched frame as the frame it was decoded from stored it', () => {
  it('stores each replaced edge column with its predecessor\'s encoding, and decodes the new values', () => {
    for (const seed of [1, 2]) {
      const before = { edges: edgeRows(seed, 50_000), other: 1 };
      const frame = encodeColumns(before);
      const back = decodeColumns<typeof before>(frame);
      const hints = encodingHints(back);
      expect(Object.keys(hints ?? {}).sort()).toEqual(['edges.bind', 'edges.from', 'edges.kind', 'edges.line', 'edges.proof', 'edges.to']);
      // A patch replaces the columns by new ones, a few rows inserted.
      back.edges = inserted(back.edges, 31_000, 3);
      const again = Buffer.concat(encodeColumnParts(detachedForWriting(back), hints));
      expect(decodeColumns(again)).toEqual({ edges: inserted(before.edges, 31_000, 3), other: 1 });
      expect(edgeColumns(again)).toEqual(edgeColumns(frame));
      // The encodings chosen afresh are the same too: the hints changed the work, not the choice.
      expect(edgeColumns(encodeColumns({ edges: back.edges, other: 1 }))).toEqual(edgeColumns(frame));
    }
  });

  it('encodes afresh a column whose new values the hint does not hold', () => {
    const before = { edges: edgeRows(3, 20_000) };
    const back = decodeColumns<typeof before>(encodeColumns(before));
    const hints = encodingHints(back);
    const line = Int32Array.from(back.edges.line as Int32Array);
    line[7] = 70_000; // past 16 bits: the Uint16 the lines were stored as no longer holds them
    const bind = Uint8Array.from({ length: 20_000 }, (_, i) => i % 3); // no longer sparse
    const from = Int32Array.from({ length: 20_000 }, (_, i) => i); // no longer in runs
    back.edges = { ...back.edges, line, bind, from };
    const again = Buffer.concat(encodeColumnParts(detachedForWriting(back), hints));
    expect(decodeColumns(again)).toEqual({ edges: { ...before.edges, line, bind, from } });
    const stored = edgeColumns(again);
    expect(stored.line).toEqual({ enc: 'typed', stored: 'Int32Array', fill: undefined });
    expect(stored.bind!.enc).toBe('typed');
    expect(stored.from!.enc).not.toBe('runs');
  });

  it('follows the hint where a fresh encoding would choose otherwise (no survey of the values)', () => {
    const before = { edges: edgeRows(5, 20_000) };
    const back = decodeColumns<typeof before>(encodeColumns(before));
    const hints = encodingHints(back);
    // Targets that would now fit 16 bits: stored as the 32 bits of their predecessor all the same.
    const to = Int32Array.from({ length: 20_000 }, (_, i) => i % 1000);
    back.edges = { ...back.edges, to };
    const again = Buffer.concat(encodeColumnParts(detachedForWriting(back), hints));
    expect(edgeColumns(again).to).toEqual({ enc: 'typed', stored: 'Int32Array', fill: undefined });
    expect(edgeColumns(encodeColumns({ edges: back.edges })).to!.stored).toBe('Uint16Array');
    expect(decodeColumns<typeof before>(again).edges.to).toEqual(to);
  });

  it('gives no hints for a value not decoded from a frame, and encodes it as before', () => {
    const value = { edges: edgeRows(4, 10_000) };
    expect(encodingHints(value)).toBeUndefined();
    expect(Buffer.concat(encodeColumnParts(value, undefined)).equals(encodeColumns(value))).toBe(true);
  });
});
