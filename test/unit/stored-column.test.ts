import { describe, expect, it } from 'vitest';
import { decodeColumns, decodeColumnsFrom, encodeColumns } from '../../src/cache/columns.js';
import type { FrameBytes } from '../../src/cache/column-read.js';
import { narrowView } from '../../src/util/narrow-views.js';
import { rowReads } from '../../src/util/row-reads.js';
import { hasColumn, SCAN_ROWS, scanColumns, storedColumn } from '../../src/resolve/stored-column.js';
import { seededRandom as random } from '../support/random.js';

/** Edge-like columns of 100,000 rows: lines (narrowed to 16 bits), evidence sets (long runs of -1), callees (wide) and kinds (bytes). */
function sample(seed: number) {
  const r = random(seed);
  const n = 100_000;
  const proof = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i += 1 + Math.floor(r() * 400)) proof.fill(Math.floor(r() * 5000), i, Math.min(n, i + 1 + Math.floor(r() * 30)));
  return {
    line: Int32Array.from({ length: n }, () => Math.floor(r() * 60_000)),
    proof,
    to: Int32Array.from({ length: n }, () => Math.floor(r() * 2 ** 30)),
    kind: Uint8Array.from({ length: n }, () => Math.floor(r() * 12)),
  };
}

describe('a stored edge column', () => {
  it('reads rows and copies ranges as the decoded column holds them, without decoding it', () => {
    const value = sample(1);
    const back = decodeColumns<typeof value>(encodeColumns(value));
    // The encodings the cache chooses for such columns: narrowed lines, proof as runs.
    expect(narrowView(back, 'line')).toBeInstanceOf(Uint16Array);
    expect(rowReads(back, 'proof')?.runEnds).toBeTypeOf('function');
    const r = random(2);
    for (const key of ['line', 'proof', 'to', 'kind'] as const) {
      const column = storedColumn(back, key)!;
      for (let k = 0; k < 200; k++) {
        const i = Math.floor(r() * value[key].length);
        expect(column.at(i), `${key}[${i}]`).toBe(value[key][i]);
      }
      for (let k = 0; k < 20; k++) {
        const from = Math.floor(r() * value[key].length);
        const to = Math.min(value[key].length, from + Math.floor(r() * 5000));
        const out = new (value[key].constructor as Int32ArrayConstructor)(to - from + 7);
        column.copy(out, from, to, 7);
        expect(Array.from(out.subarray(7)), `${key}[${from}..${to})`).toEqual(Array.from(value[key].subarray(from, to)));
      }
    }
    // The narrowed and run-length columns were read as stored: their properties are still getters.
    for (const key of ['line', 'proof'] as const) expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    expect(back.proof).toEqual(value.proof);
  });

  it('copies ranges of a column read from a file straight into an array of its stored type, leaving the column undecoded', () => {
    const value = sample(5);
    const bytes = encodeColumns(value);
    // A frame read from a file: ranges in buffers of their own, and bytes read into a given array (FrameFile.readInto).
    const counts = { range: 0, into: 0 };
    const frame: FrameBytes = {
      size: bytes.length,
      range: (offset, length) => ((counts.range += length), Buffer.from(bytes.subarray(offset, offset + length))),
      readInto: (offset, into) => ((counts.into += into.length), into.set(bytes.subarray(offset, offset + into.length))),
    };
    const back = decodeColumnsFrom<typeof value>(frame);
    const n = value.line.length;
    // Lines stored in 16 bits say so (a splice then makes a 16-bit column); callees and kinds are stored as their type.
    expect(storedColumn(back, 'line')!.narrowAs).toBe(Uint16Array);
    expect(storedColumn(back, 'to')!.narrowAs).toBeUndefined();
    expect(storedColumn(back, 'kind')!.narrowAs).toBeUndefined();
    const r = random(6);
    for (const [key, Out] of [['line', Uint16Array], ['line', Int32Array], ['to', Int32Array], ['kind', Uint8Array]] as const) {
      const column = storedColumn(back, key)!;
      expect(column.length).toBe(n);
      const out = new (Out as new (b: SharedArrayBuffer) => Uint16Array | Int32Array | Uint8Array)(new SharedArrayBuffer(n * Out.BYTES_PER_ELEMENT));
      // Two ranges around a row left out, the rest after it, as a splice copies them.
      const cut = Math.floor(r() * n);
      column.copy(out, 0, cut, 0);
      column.copy(out, cut + 1, n, cut);
      const want = [...value[key].subarray(0, cut), ...value[key].subarray(cut + 1)];
      expect(Array.from(out.subarray(0, n - 1)), key).toEqual(want);
      for (let k = 0; k < 50; k++) {
        const i = Math.floor(r() * n);
        expect(column.at(i), `${key}[${i}]`).toBe(value[key][i]);
      }
    }
    // The same-typed copies (16-bit lines, callees, kinds: 7 bytes a row) were read into their arrays; no column was decoded.
    expect(counts.into).toBeGreaterThanOrEqual(7 * (n - 1));
    for (const key of ['line', 'to', 'kind'] as const) expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    expect(back.to).toEqual(value.to);
  });

  it('widens rows stored in 16 bits into a 32-bit array a bounded piece at a time, across pieces', () => {
    const r = random(8);
    const n = 1_300_000;
    const value = { line: Int32Array.from({ length: n }, () => Math.floor(r() * 60_000)) };
    const bytes = encodeColumns(value);
    // The longest single read asked of the frame while copying (a range, or bytes read into a given array).
    let longest = 0;
    const frame: FrameBytes = {
      size: bytes.length,
      range: (offset, length) => ((longest = Math.max(longest, length)), Buffer.from(bytes.subarray(offset, offset + length))),
      readInto: (offset, into) => ((longest = Math.max(longest, into.length)), into.set(bytes.subarray(offset, offset + into.length))),
    };
    const column = storedColumn(decodeColumnsFrom<typeof value>(frame), 'line')!;
    expect(column.narrowAs).toBe(Uint16Array);
    const out = new Int32Array(n + 3);
    longest = 0;
    column.copy(out, 5, n, 3);
    expect(Array.from(out.subarray(3, n - 2))).toEqual(Array.from(value.line.subarray(5)));
    // 2.6 MB of rows, read through a buffer of at most 1 MB at a time.
    expect(longest).toBeLessThanOrEqual(1 << 20);
  });

  it('visits the rows whose values lie in a range, in row order, without decoding the column', () => {
    const value = sample(3);
    const back = decodeColumns<typeof value>(encodeColumns(value));
    for (const key of ['line', 'proof', 'to', 'kind'] as const) {
      const column = storedColumn(back, key)!;
      const values = Array.from(value[key]);
      const sorted = [...values].sort((a, b) => a - b);
      for (const [lo, hi] of [[sorted[100]!, sorted[180]!], [-1, -1], [sorted[0]!, sorted[0]!], [sorted.at(-1)! + 1, sorted.at(-1)! + 9]] as const) {
        const rows: number[] = [];
        column.rowsWithin(lo, hi, (row, v) => {
          expect(v).toBe(values[row]);
          rows.push(row);
        });
        expect(rows, `${key} in [${lo}, ${hi}]`).toEqual(values.flatMap((v, i) => (v >= lo && v <= hi ? [i] : [])));
      }
    }
    for (const key of ['line', 'proof'] as const) expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
  });

  it('is scanned a chunk at a time, every row in order, without decoding a column read from a file', () => {
    const value = sample(7);
    const bytes = encodeColumns(value);
    const frame: FrameBytes = { size: bytes.length, range: (offset, length) => Buffer.from(bytes.subarray(offset, offset + length)), readInto: (offset, into) => into.set(bytes.subarray(offset, offset + into.length)) };
    const back = decodeColumnsFrom<typeof value>(frame);
    const n = value.line.length;
    // More rows than one chunk holds: the scan crosses chunks, and its last chunk is short.
    expect(n).toBeGreaterThan(SCAN_ROWS);
    const seen = { line: [] as number[], proof: [] as number[], to: [] as number[], kind: [] as number[], starts: [] as number[] };
    scanColumns(back, ['line', 'proof', 'to', 'kind', 'site'] as const, (rows, start, count) => {
      seen.starts.push(start);
      // A column the owner lacks gets no array.
      expect(rows.site).toBeUndefined();
      for (const key of ['line', 'proof', 'to', 'kind'] as const) seen[key].push(...rows[key]!.subarray(0, count));
    });
    expect(seen.starts).toEqual(Array.from({ length: Math.ceil(n / SCAN_ROWS) }, (_, k) => k * SCAN_ROWS));
    for (const key of ['line', 'proof', 'to', 'kind'] as const) {
      expect(seen[key], key).toEqual(Array.from(value[key]));
      expect(Object.getOwnPropertyDescriptor(back, key)!.get, key).toBeTypeOf('function');
    }
  });

  it('is absent when the snapshot has no such column, without reading one that is there', () => {
    const back = decodeColumns<{ line: Int32Array; site?: Int32Array }>(encodeColumns({ line: Int32Array.from({ length: 10_000 }, (_, i) => i % 300), site: undefined }));
    expect(hasColumn(back, 'site')).toBe(false);
    expect(storedColumn(back, 'site')).toBeNull();
    expect(hasColumn(back, 'line')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(back, 'line')!.get).toBeTypeOf('function');
    expect(hasColumn({ site: new Int32Array(2) }, 'site')).toBe(true);
  });
});
