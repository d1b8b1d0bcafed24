import { describe, expect, it } from 'vitest';
import { decodeColumnsFrom, detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import type { FrameBytes } from '../../src/cache/column-read.js';
import { rowReads } from '../../src/util/row-reads.js';
import { BLOCK_BYTES, blockValues } from '../../src/cache/column-rows.js';
import type { TypedName } from '../../src/cache/column-format.js';
import { appendItem, stringItems } from '../../src/util/text-slices.js';
import { seededRandom as random } from '../support/random.js';

/** A frame held in memory that counts the bytes its readers ask for, as a cache file's reads would be counted. */
function countedFrame(bytes: Buffer): FrameBytes & { read: number } {
  const frame = {
    size: bytes.length,
    read: 0,
    range(offset: number, length: number): Buffer {
      frame.read += length;
      // A buffer of its own, as a read from the file gives.
      return Buffer.from(bytes.subarray(offset, offset + length));
    },
  };
  return frame;
}

/** Large columns of the kinds a query reads a few rows of: Int32 (wide and narrowed), bytes, names. */
function sample(seed: number) {
  const r = random(seed);
  const n = 200_000;
  return {
    wide: Int32Array.from({ length: n }, () => Math.floor(r() * 2 ** 31) - 2 ** 30),
    narrow: Int32Array.from({ length: n }, () => Math.floor(r() * 60_000)),
    flags: Uint8Array.from({ length: n }, () => Math.floor(r() * 256)),
    names: Array.from({ length: n }, (_, i) => (i % 11 === 0 ? '' : `name_${i}_${'é'.repeat(i % 3)}`)),
  };
}

describe('rows of a large column read alone', () => {
  it('give the stored values of an Int32 (wide or narrowed) or byte column, reading a few blocks, not the column', () => {
    const value = sample(1);
    const frame = countedFrame(encodeColumns(value));
    const back = decodeColumnsFrom<typeof value>(frame);
    const before = frame.read;
    const r = random(2);
    for (const key of ['wide', 'narrow', 'flags'] as const) {
      const reads = rowReads(back, key);
      expect(reads, key).toBeDefined();
      for (let k = 0; k < 50; k++) {
        const i = Math.floor(r() * value[key].length);
        expect(reads!.at(i), `${key}[${i}]`).toBe(value[key][i]);
      }
      for (const i of [0, value[key].length - 1]) expect(reads!.at(i)).toBe(value[key][i]);
      expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    }
    // 3 columns of 0.2 to 0.8 MB each: some 150 rows read in blocks of a few KB.
    expect(frame.read - before).toBeLessThan(1_000_000);
    // Read whole, the column is what it was; the row reader is dropped.
    expect(back.wide).toEqual(value.wide);
    expect(rowReads(back, 'wide')).toBeUndefined();
  });

  it('give the rows of a column of steps (rising offsets, sorted 32-bit hashes) from its anchors and a few steps, reading a few blocks', () => {
    const r = random(7);
    const n = 300_000;
    let o = 0;
    let h = 2 ** 31;
    const value = {
      offsets: Int32Array.from({ length: n }, () => (o += Math.floor(r() * 40))),
      hashes: Uint32Array.from({ length: n }, () => (h = Math.min(2 ** 32 - 1, h + Math.floor(r() * 9000)))),
    };
    const bytes = encodeColumns(value);
    for (const key of ['offsets', 'hashes'] as const) {
      // Each row asked of a reader of its own: every one is found from an anchor, none from the column read whole.
      for (let k = 0; k < 300; k++) {
        const i = k < 4 ? [0, 1, 255, n - 1][k]! : Math.floor(r() * n);
        const frame = countedFrame(bytes);
        const back = decodeColumnsFrom<typeof value>(frame);
        const before = frame.read;
        const reads = rowReads(back, key);
        expect(reads, key).toBeDefined();
        expect(reads!.at(i), `${key}[${i}]`).toBe(value[key][i]);
        expect(frame.read - before).toBeLessThanOrEqual(8192);
      }
      // Many rows of one reader: the column is decoded whole past a few hundred, with the same values.
      const back = decodeColumnsFrom<typeof value>(countedFrame(bytes));
      const reads = rowReads(back, key)!;
      for (let k = 0; k < 2000; k++) {
        const i = Math.floor(r() * n);
        if (reads.at(i) !== value[key][i]) expect(`${key}[${i}] = ${reads.at(i)}`).toBe(`${key}[${i}] = ${value[key][i]}`);
      }
      expect(back[key]).toEqual(value[key]);
    }
  });

  it('copy ranges of a column of steps and of a sparse column as they are stored, without decoding the column', () => {
    const r = random(17);
    const n = 300_000;
    let o = 0;
    const value = {
      offsets: Int32Array.from({ length: n }, () => (o += Math.floor(r() * 40))),
      marks: Int32Array.from({ length: n }, () => (r() < 0.01 ? 1 + Math.floor(r() * 3) : 0)),
    };
    const frame = countedFrame(encodeColumns(value));
    const back = decodeColumnsFrom<typeof value>(frame);
    for (const key of ['offsets', 'marks'] as const) {
      const reads = rowReads(back, key)!;
      expect(reads.copy, key).toBeTypeOf('function');
      expect(reads.length).toBe(n);
      for (const [from, to] of [[0, 1], [0, 256], [255, 257], [1000, 70_000], [n - 300, n], [12_345, 12_345], [7, n]] as const) {
        const out = new Int32Array(to - from + 2).fill(-7);
        reads.copy!(out, from, to, 1);
        expect([...out.subarray(1, 1 + to - from)], `${key} ${from}-${to}`).toEqual([...value[key].subarray(from, to)]);
        // Nothing written outside the range.
        expect([out[0], out[out.length - 1]]).toEqual([-7, -7]);
      }
      expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    }
  });

  it('give the items of a long string array of steps from its anchors, also after items were appended and the column written as stored', () => {
    const r = random(8);
    const names = Array.from({ length: 50_000 }, (_, i) => `fn_${i}_${'x'.repeat(Math.floor(r() * 30))}${i % 7 === 0 ? 'é' : ''}`);
    const first = decodeColumnsFrom<{ names: string[] }>(countedFrame(encodeColumns({ names })));
    // Appended without decoding the stored items: written as stored plus the new ones (cache/columns.ts), as a fresh encoding writes them.
    const added = Array.from({ length: 700 }, (_, i) => `added_${i}${'y'.repeat(i % 40)}`);
    for (const x of added) appendItem(first, 'names', x);
    const all = [...names, ...added];
    const bytes = Buffer.concat(encodeColumnParts(detachedForWriting(first)));
    expect(Object.getOwnPropertyDescriptor(first, 'names')!.get).toBeTypeOf('function');
    expect(bytes.equals(encodeColumns({ names: all }))).toBe(true);
    for (let k = 0; k < 200; k++) {
      const i = k < 5 ? [0, 255, 256, names.length, all.length - 1][k]! : Math.floor(r() * all.length);
      const frame = countedFrame(bytes);
      const back = decodeColumnsFrom<{ names: string[] }>(frame);
      const before = frame.read;
      expect(stringItems(back, 'names').at(i), `names[${i}]`).toBe(all[i]);
      expect(frame.read - before).toBeLessThanOrEqual(3 * 4096);
    }
    expect(decodeColumnsFrom<{ names: string[] }>(countedFrame(bytes)).names).toEqual(all);
  });

  it('give the items of a long string array, reading their offsets and a few blocks of text, not the text', () => {
    const value = sample(3);
    const frame = countedFrame(encodeColumns(value));
    const back = decodeColumnsFrom<typeof value>(frame);
    const before = frame.read;
    const items = stringItems(back, 'names');
    const r = random(4);
    for (let k = 0; k < 60; k++) {
      const i = Math.floor(r() * value.names.length);
      expect(items.at(i), `names[${i}]`).toBe(value.names[i]);
    }
    for (const i of [0, 1, value.names.length - 1]) expect(items.at(i)).toBe(value.names[i]);
    const text = value.names.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
    // The offsets (one or two bytes an item) and a few blocks: far less than the text.
    expect(frame.read - before).toBeLessThan(text / 4);
    expect(items.all()).toEqual(value.names);
  });

  it('read the whole column once many rows are asked for, and give the same values', () => {
    const value = sample(5);
    const frame = countedFrame(encodeColumns(value));
    const back = decodeColumnsFrom<typeof value>(frame);
    const reads = rowReads(back, 'wide')!;
    const items = stringItems(back, 'names');
    for (let i = 0; i < value.wide.length; i += 7) {
      if (reads.at(i) !== value.wide[i]) expect(reads.at(i), `wide[${i}]`).toBe(value.wide[i]);
      if (items.at(i) !== value.names[i]) expect(items.at(i), `names[${i}]`).toBe(value.names[i]);
    }
    // Each column read at most about twice over (its blocks, then whole), not once a row.
    expect(frame.read).toBeLessThan(3 * (value.wide.byteLength + value.names.reduce((n, s) => n + Buffer.byteLength(s) + 3, 0)));
  });
});

describe('blockValues (cache/column-rows.ts)', () => {
  it('gives each row of a column of any type from its block, each block read once, the last one short', () => {
    const r = random(5);
    for (const T of [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array]) {
      const values = new T(5_000 + 3);
      for (let i = 0; i < values.length; i++) values[i] = T === Float32Array || T === Float64Array ? r() * 1e6 - 5e5 : Math.floor(r() * 2 ** 40);
      const bytes = Buffer.from(values.buffer);
      const blocks: number[] = [];
      const value = blockValues((offset, length) => (blocks.push(offset), Buffer.from(bytes.subarray(offset, offset + length))), bytes.length, T.name as TypedName);
      const order = Array.from({ length: values.length }, (_, i) => i).sort(() => r() - 0.5);
      for (const i of order) if (value(i) !== values[i]) expect(value(i), `${T.name} row ${i}`).toBe(values[i]);
      expect(blocks.length, T.name).toBe(Math.ceil(bytes.length / BLOCK_BYTES));
      expect(new Set(blocks).size).toBe(blocks.length);
    }
  });
});
