import { describe, expect, it } from 'vitest';
import { decodeColumns, detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import { HANDED, recordShape } from '../../src/cache/column-handoff.js';
import { asciiTextBlocks, textBlocks } from '../../src/cache/column-reuse.js';
import { seededRandom } from '../support/random.js';
import { joinedAscii, textBytes } from '../../src/util/text-bytes.js';

/** A manifest-like array of records (paths, sizes, times), one path not ASCII. */
const manifest = (n: number): { path: string; size: number; mtimeMs: number }[] => Array.from({ length: n }, (_, i) => ({ path: `drivers/net/f${i}${i === 7 ? 'é' : ''}.c`, size: i * 37, mtimeMs: 1.7e12 + i / 3 }));

describe('a value handed to the writer thread', () => {
  it('hands long strings and arrays of records over as bytes in shared memory, written as the values themselves are', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `net/socket.c\t${i}\t.op = fn_${i} in struct ops${i === 3 ? ' ✓' : ''}`).join('\n');
    const value = { edges: { evidenceText: text, small: 'short', ids: Int32Array.from({ length: 5000 }, (_, i) => i * 3) }, files: manifest(6000), few: manifest(10) };
    expect(text.length).toBeGreaterThan(1 << 20);
    const detached = detachedForWriting(value) as { edges: Record<string, unknown>; files: Record<string, unknown>; few: unknown[] };
    // What a structured clone would copy piece by piece is bytes in shared memory instead.
    expect(detached.edges.evidenceText).toMatchObject({ [HANDED]: 'text' });
    expect((detached.edges.evidenceText as { bytes: Uint8Array }).bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(detached.files).toMatchObject({ [HANDED]: 'records', keys: ['path', 'size', 'mtimeMs'], length: 6000 });
    expect(detached.edges.small).toBe('short');
    expect(Array.isArray(detached.few)).toBe(true);
    // The frame written from it is byte for byte the frame of the value.
    const written = Buffer.concat(encodeColumnParts(structuredClone(detached)));
    expect(written.equals(encodeColumns(value))).toBe(true);
    expect(decodeColumns(written)).toEqual(value);
  });

  it('takes as records only arrays whose every item has the first one\'s keys, in its order, of its kinds, no string with a newline', () => {
    const rows = manifest(5000);
    expect(recordShape(rows)).toEqual({ keys: ['path', 'size', 'mtimeMs'], kinds: ['string', 'number', 'number'] });
    const at = (i: number, row: object): object[] => rows.map((r, k) => (k === i ? row : r));
    expect(recordShape(at(4000, { size: 1, path: 'a.c', mtimeMs: 2 }))).toBeNull();
    expect(recordShape(at(4000, { path: 'a.c', size: 1 }))).toBeNull();
    expect(recordShape(at(4000, { path: 'a.c', size: 1, mtimeMs: 2, extra: 3 }))).toBeNull();
    expect(recordShape(at(4000, { path: 'a.c', size: '1', mtimeMs: 2 }))).toBeNull();
    expect(recordShape(at(4000, { path: 'a\nb.c', size: 1, mtimeMs: 2 }))).toBeNull();
    expect(recordShape(at(4000, Object.assign(Object.create({ inherited: 1 }) as object, { path: 'a.c', size: 1, mtimeMs: 2 })))).toBeNull();
    expect(recordShape(at(4999, { path: 'a.c', size: 1, mtimeMs: 2 }))).not.toBeNull();
  });

  it('hands a decoded frame\'s replaced text over, and its unread columns as stored', () => {
    const before = { edges: { evidenceText: 'a\tb\n'.repeat(300_000), ids: Int32Array.from({ length: 5000 }, (_, i) => i) }, files: manifest(5000) };
    const back = decodeColumns<typeof before>(encodeColumns(before));
    back.edges.evidenceText = `${'a\tc\n'.repeat(300_000)}end`;
    const written = Buffer.concat(encodeColumnParts(structuredClone(detachedForWriting(back))));
    expect(decodeColumns(written)).toEqual({ ...before, edges: { ...before.edges, evidenceText: back.edges.evidenceText } });
  });

  it('hands a text joined from pieces over as the very bytes it was made from, written as the text itself is', () => {
    const pieces = Array.from({ length: 30_000 }, (_, i) => `net/socket.c\t${i}\t.op = fn_${i} in struct ops\n`);
    const text = joinedAscii(pieces)!;
    expect(text).toBe(pieces.join(''));
    const made = textBytes(text)!;
    expect(made.buffer).toBeInstanceOf(SharedArrayBuffer);
    // An equal string made otherwise is the same text: the same bytes serve it.
    expect(textBytes(pieces.join(''))).toBe(made);
    const value = { edges: { evidenceText: text } };
    const detached = detachedForWriting(value) as { edges: { evidenceText: { bytes: Uint8Array; ascii?: boolean } } };
    expect(detached.edges.evidenceText.bytes).toBe(made);
    expect(detached.edges.evidenceText.ascii).toBe(true);
    expect(Buffer.concat(encodeColumnParts(structuredClone(detached))).equals(encodeColumns(value))).toBe(true);
    // A piece that is not ASCII: no bytes are made, the caller joins the pieces itself.
    expect(joinedAscii(['net/x.c\t1\t', 'café\n'])).toBeNull();
    expect(textBytes(`${text}x`)).toBeUndefined();
  });

  it('cuts an ASCII text handed over into the blocks of the text itself, without decoding it', () => {
    const random = seededRandom(1409);
    for (let round = 0; round < 3; round++) {
      // Lines of random length (some long, with no newline for more than a block), ASCII only.
      const line = (): string => (random() < 0.002 ? 'x'.repeat(300_000) : Array.from({ length: Math.floor(random() * 120) }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''));
      const lines = Array.from({ length: 3000 + Math.floor(random() * 6000) }, line);
      const text = lines.join('\n');
      expect(asciiTextBlocks(Buffer.from(text, 'latin1'))).toEqual(textBlocks(text));
      const detached = detachedForWriting({ text }) as { text: Record<string, unknown> };
      expect(detached.text).toMatchObject({ [HANDED]: 'text', ascii: true });
      expect(Buffer.concat(encodeColumnParts(structuredClone(detached))).equals(encodeColumns({ text }))).toBe(true);
    }
    // A text with a character outside ASCII is decoded (its blocks cut on characters).
    expect(detachedForWriting({ text: `${'ab\n'.repeat(200_000)}é` })).not.toMatchObject({ text: { ascii: true } });
  });
});
