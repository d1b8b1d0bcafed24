import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns, isColumnar } from '../../src/cache/columns.js';
import { stringItems, textSlicer } from '../../src/util/text-slices.js';
import { BLOCK_BYTES } from '../../src/cache/column-rows.js';
import { STEP_ANCHOR_EVERY } from '../../src/cache/column-encoding.js';
import { rowReads } from '../../src/util/row-reads.js';
import { seededRandom as random } from '../support/random.js';

/** A value with a column of every encoding, small parts that stay in the skeleton, and fields of no known shape. */
function sample(seed: number): Record<string, unknown> {
  const r = random(seed);
  const n = 5000 + Math.floor(r() * 3000);
  const ints = (f: (i: number) => number): Int32Array => Int32Array.from({ length: n }, (_, i) => f(i));
  return {
    wide: ints(() => Math.floor(r() * 2 ** 31) - 2 ** 30),
    u8: ints(() => Math.floor(r() * 256)),
    i8: ints(() => Math.floor(r() * 256) - 128),
    u16: ints(() => Math.floor(r() * 65536)),
    i16: ints(() => Math.floor(r() * 65536) - 32768),
    runs: ints((i) => Math.floor(i / 7) * 100_000),
    sparse: ints((i) => (i % 97 === 0 ? i * 1000 : -1)),
    bytesSparse: Uint8Array.from({ length: n }, (_, i) => (i % 50 === 0 ? 3 : 0)),
    bytes: Uint8Array.from({ length: n }, () => Math.floor(r() * 256)),
    floats: Float64Array.from({ length: n }, () => r() * 1e12),
    small: Int32Array.of(1, 2, 3),
    text: 'evidence\tline\n'.repeat(n * 10) + 'café ☃',
    lines: Array.from({ length: n }, (_, i) => (i % 13 === 0 ? '' : `name_${i}_é`)),
    records: Array.from({ length: n }, (_, i) => ({ path: `dir/f${i}.c`, size: i * 3, mtimeMs: 1.7e12 + i + 0.25 })),
    withNewline: Array.from({ length: n }, (_, i) => (i === 5 ? 'a\nb' : `s${i}`)),
    mixed: Array.from({ length: n }, (_, i) => (i % 2 ? i : `x${i}`)),
    nested: { deeper: { ids: ints((i) => i), note: 'kept', list: [ints((i) => -i), { k: 1 }] } },
    unknownField: new Map([['a', [1, 2]]]),
    empty: [],
    nothing: null,
  };
}

describe('columnar frames', () => {
  it('decode to a value equal to the one encoded, for every encoding and for fields of any shape', () => {
    for (const seed of [1, 2, 3]) {
      const value = sample(seed);
      const bytes = encodeColumns(value);
      expect(isColumnar(bytes)).toBe(true);
      const back = decodeColumns<Record<string, unknown>>(bytes);
      for (const key of Object.keys(value)) expect(back[key], key).toEqual(value[key]);
      expect(Object.keys(back)).toEqual(Object.keys(value));
    }
  });

  it('keep each typed array of its class, and store large columns in less room than v8 does', () => {
    const value = sample(4);
    const back = decodeColumns<Record<string, unknown>>(encodeColumns(value));
    for (const key of ['wide', 'u8', 'runs', 'sparse', 'bytesSparse', 'floats']) expect((back[key] as object).constructor).toBe((value[key] as object).constructor);
    expect(encodeColumns(value).length).toBeLessThan(serialize(value).length);
  });

  it('leave a column undecoded until read, and let it be assigned', () => {
    const back = decodeColumns<{ wide: Int32Array; text: string }>(encodeColumns(sample(5)));
    const desc = Object.getOwnPropertyDescriptor(back, 'wide')!;
    expect(desc.get).toBeTypeOf('function');
    expect(back.wide.length).toBeGreaterThan(0);
    expect(Object.getOwnPropertyDescriptor(back, 'wide')!.value).toBe(back.wide);
    back.text = 'replaced';
    expect(back.text).toBe('replaced');
  });

  it('keep a long text in blocks whose slices read alone, across block ends and surrogate pairs, and forget the reader once the text is replaced', () => {
    const r = random(9);
    const pieces = ['ab\tc\n', 'é', '☃', '😀', 'x'.repeat(100)];
    let long = '';
    while (long.length < 1_300_000) long += pieces[Math.floor(r() * pieces.length)];
    const value = { evidence: long, other: 1 };
    const back = decodeColumns<typeof value>(encodeColumns(value));
    const slice = textSlicer(back, 'evidence');
    // Read through blocks: the text property is not built.
    expect(Object.getOwnPropertyDescriptor(back, 'evidence')!.get).toBeTypeOf('function');
    for (let i = 0; i < 300; i++) {
      const from = Math.floor(r() * long.length);
      const to = Math.min(long.length, from + Math.floor(r() * 200_000));
      expect(slice(from, to)).toBe(long.slice(from, to));
    }
    for (const edge of [0, 65535, 65536, 65537, 131072, long.length - 1]) expect(slice(edge - 3, edge + 3)).toBe(long.slice(Math.max(0, edge - 3), edge + 3));
    expect(Object.getOwnPropertyDescriptor(back, 'evidence')!.get).toBeTypeOf('function');
    expect(back.evidence).toBe(long);
    back.evidence = 'short';
    expect(textSlicer(back, 'evidence')(0, 3)).toBe('sho');
    expect(encodeColumns(value).length).toBeLessThan(long.length / 2);
  });

  it('read the items of a long string array one at a time, the array built only when asked for', () => {
    const value = sample(8);
    const lines = value.lines as string[];
    const back = decodeColumns<{ lines: string[] }>(encodeColumns(value));
    const items = stringItems(back, 'lines');
    expect(items.length).toBe(lines.length);
    for (const i of [0, 1, 13, 500, lines.length - 1]) expect(items.at(i)).toBe(lines[i]);
    expect(Object.getOwnPropertyDescriptor(back, 'lines')!.get).toBeTypeOf('function');
    expect(items.all()).toEqual(lines);
    // Once the array is a plain property, readers come from it (an assignment is seen).
    back.lines = ['x'];
    expect(stringItems(back, 'lines').at(0)).toBe('x');
  });

  it('store a non-decreasing integer column as its steps in the narrowest type that holds every step (offsets, sorted hashes), and the offsets of a string array so too', () => {
    const r = random(12);
    const n = 60_000;
    let at = 0;
    const offsets = Int32Array.from({ length: n }, () => (at += Math.floor(r() * 200)));
    // Up to the top of the 32-bit range.
    let h = 2 ** 32 - 1 - 60_000 * n;
    const hashes = Uint32Array.from({ length: n }, () => (h += Math.floor(r() * 60_000)));
    const lines = Array.from({ length: n }, (_, i) => `n${i % 1000}`);
    const bytesOfLines = lines.reduce((sum, s) => sum + s.length + 1, 0);
    for (const [value, most] of [
      [{ offsets }, n],
      [{ hashes }, n * 2],
      [{ lines }, bytesOfLines + n],
    ] as [Record<string, unknown>, number][]) {
      const bytes = encodeColumns(value);
      const back = decodeColumns<Record<string, unknown>>(bytes);
      const [key] = Object.keys(value);
      expect(back[key!], key).toEqual(value[key!]);
      expect((back[key!] as object).constructor).toBe((value[key!] as object).constructor);
      // Room for the skeleton: a few hundred bytes, and the anchors of the steps (4 bytes every STEP_ANCHOR_EVERY rows; the offsets of lines are one more than the items).
      const anchors = 4 * Math.ceil((key === 'lines' ? n + 1 : n) / STEP_ANCHOR_EVERY);
      expect(bytes.length, key).toBeLessThan(most + 1024 + anchors);
      expect(bytes.length, key).toBeGreaterThan(most + anchors / 2);
    }
    expect(stringItems(decodeColumns<{ lines: string[] }>(encodeColumns({ lines })), 'lines').at(n - 1)).toBe(lines[n - 1]);
    // A step too large for 16 bits, or one step down, keeps the values as they are.
    const jump = Int32Array.from(offsets);
    jump[n >> 1]! += 70_000;
    const down = Int32Array.from(offsets);
    down[n >> 1] = -1;
    for (const a of [jump, down]) expect(decodeColumns<{ a: Int32Array }>(encodeColumns({ a })).a).toEqual(a);
  });

  it('read single rows of a sparse or runs column without decoding it (and its runs as stored), and forget the reader once the column is read whole or assigned', () => {
    for (const seed of [6, 7]) {
      const value = sample(seed);
      // Runs of uneven lengths, starting and ending with a run of one.
      const r = random(seed);
      const runs: number[] = [];
      while (runs.length < 16_000) {
        const v = Math.floor(r() * 1000) * 100_000;
        runs.push(...Array.from({ length: runs.length === 0 ? 1 : 1 + Math.floor(r() * 9) }, () => v));
      }
      runs.push(12345);
      value.uneven = Int32Array.from(runs);
      value.sparseFirst = Int32Array.from({ length: 8000 }, (_, i) => (i === 0 || i === 7999 || i % 113 === 5 ? i + 1 : 0));
      const back = decodeColumns<Record<string, Int32Array | Uint8Array>>(encodeColumns(value));
      for (const key of ['runs', 'sparse', 'bytesSparse', 'uneven', 'sparseFirst']) {
        const reads = rowReads(back, key);
        expect(reads, key).toBeDefined();
        const expected = value[key] as Int32Array | Uint8Array;
        for (let i = 0; i < expected.length; i++) if (reads!.at(i) !== expected[i]) expect(`${key}[${i}] = ${reads!.at(i)}`).toBe(`${key}[${i}] = ${expected[i]}`);
        // Still not decoded.
        expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
      }
      // The runs as stored: [value, end] pairs that spell the column.
      const pairs = rowReads(back, 'uneven')!.runEnds!();
      const spelt: number[] = [];
      for (let k = 0; k < pairs.length; k += 2) for (let j = k > 0 ? pairs[k - 1]! : 0; j < pairs[k + 1]!; j++) spelt.push(pairs[k]!);
      expect(spelt).toEqual(runs);
      expect(rowReads(back, 'sparse')!.runEnds).toBeUndefined();
      // Rows anywhere in a column of runs spanning several blocks, each asked alone of a reader that has not read the pairs whole.
      expect(pairs.length * 4).toBeGreaterThan(4 * BLOCK_BYTES);
      const alone = encodeColumns({ uneven: value.uneven });
      for (let probe = 0; probe < 2000; probe++) {
        const i = Math.floor(r() * runs.length);
        const fresh = rowReads(decodeColumns<Record<string, Int32Array>>(alone), 'uneven')!;
        expect(fresh.at(i), `uneven[${i}]`).toBe(runs[i]);
      }
      // Read whole: no reader; assigned: no reader (it would read the old values).
      expect(back.runs!.length).toBe((value.runs as Int32Array).length);
      expect(rowReads(back, 'runs')).toBeUndefined();
      back.sparse = new Int32Array(3);
      expect(rowReads(back, 'sparse')).toBeUndefined();
      // A short column of steps has none (a row is the sum of the steps before it; a long one keeps anchors: column-rows.test.ts); a typed one reads its rows by blocks.
      const deeper = (back as unknown as { nested: { deeper: { ids: Int32Array } } }).nested.deeper;
      expect(rowReads(deeper, 'ids')!.at(4321)).toBe(4321);
    }
  });

  it('decode columns made anew (widened, runs, sparse, steps) into shared memory, which a worker thread is handed without a copy', () => {
    const value = sample(4);
    const back = decodeColumns<Record<string, unknown>>(encodeColumns(value));
    for (const key of ['u8', 'i16', 'runs', 'sparse', 'bytesSparse']) {
      const a = back[key] as Int32Array;
      expect(a, key).toEqual(value[key]);
      expect(a.buffer, key).toBeInstanceOf(SharedArrayBuffer);
    }
    let at = 0;
    const offsets = Int32Array.from({ length: 10_000 }, (_, i) => (at += i % 7));
    expect(decodeColumns<{ offsets: Int32Array }>(encodeColumns({ offsets })).offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('decode a column that is the whole value, and refuse truncated bytes', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `f${i}`);
    expect(decodeColumns(encodeColumns(lines))).toEqual(lines);
    const bytes = encodeColumns(sample(6));
    expect(() => decodeColumns(bytes.subarray(0, bytes.length - 64))).toThrow();
    expect(() => decodeColumns(serialize({ a: 1 }))).toThrow();
  });

  it('write the same bytes for equal values however their arrays are held (an array copied on a slow path is no sparser)', () => {
    // Array.prototype.map hands back a holey array when it leaves its fast path (as the JIT's state may decide; always for a
    // proxy of an array, which stands in for that here), and v8.serialize writes a holey array in a longer, sparse form.
    const entries = Array.from({ length: 50 }, (_, i) => [`name_${i}`, [{ file: i, line: i * 2 }]]);
    const packed = { defs: entries, note: 'kept' };
    const proxied = { defs: new Proxy(entries.map(([k, v]) => new Proxy([k, new Proxy(v as unknown[], {})], {})), {}), note: 'kept' };
    expect(encodeColumns(proxied).equals(encodeColumns(packed))).toBe(true);
    // So too for a long array stored packed (column-format.ts), its holey arrays copied into packed ones first.
    const long = Array.from({ length: 2000 }, (_, i) => [`name_${i}`, [{ file: i, line: i * 2 }]]);
    const holey = { defs: new Proxy(long.map(([k, v]) => new Proxy([k, new Proxy(v as unknown[], {})], {})), {}), note: 'kept' };
    expect(encodeColumns(holey).equals(encodeColumns({ defs: long, note: 'kept' }))).toBe(true);
  });

  it('store a long array an object holds (of records, pairs or short strings) deflated out of the skeleton, decoded when its property is first read, and written again as stored while unread', () => {
    const build = {
      key: 'k',
      files: Array.from({ length: 1500 }, (_, i) => ({ path: `drivers/net/f${i}/Makefile`, size: 100 + i, mtimeMs: 1.7e12 + i * 0.5 })),
      absent: Array.from({ length: 1200 }, (_, i) => `drivers/net/f${i}/Kbuild`),
      macroDefs: Array.from({ length: 1100 }, (_, i) => [`CONFIG_M${i}`, [{ file: i, line: i + 1, ...(i % 3 ? { cond: `defined(X${i})` } : {}) }]]),
      few: Array.from({ length: 10 }, (_, i) => ({ path: `p${i}` })),
    };
    const bytes = encodeColumns({ build });
    const skeleton = bytes.readUInt32LE(4);
    // The three long arrays are columns: the skeleton holds the short one and the placeholders.
    expect(skeleton).toBeLessThan(1000);
    expect(bytes.length).toBeLessThan(serialize({ build }).length / 3);
    const back = decodeColumns<{ build: typeof build }>(bytes).build;
    for (const key of ['files', 'absent', 'macroDefs'] as const) expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(back, 'few')!.value).toEqual(build.few);
    // Unread, each is copied as stored; read, it is what was written, and a change to it is written.
    expect(encodeColumns({ build: back }).equals(bytes)).toBe(true);
    expect(back.macroDefs).toEqual(build.macroDefs);
    expect(back.files).toEqual(build.files);
    back.files[3]!.size = 7;
    const again = decodeColumns<{ build: typeof build }>(encodeColumns({ build: back })).build;
    expect(again.files[3]!.size).toBe(7);
    expect(again.absent).toEqual(build.absent);
  });
});
