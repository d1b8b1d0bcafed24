import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { narrowView } from '../../src/util/narrow-views.js';
import { rowReads } from '../../src/util/row-reads.js';
import { hasColumn, storedColumn } from '../../src/resolve/stored-column.js';
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
    expect(rowReads(back, 'proof')?.runs).toBeTypeOf('function');
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

  it('is absent when the snapshot has no such column, without reading one that is there', () => {
    const back = decodeColumns<{ line: Int32Array; site?: Int32Array }>(encodeColumns({ line: Int32Array.from({ length: 10_000 }, (_, i) => i % 300), site: undefined }));
    expect(hasColumn(back, 'site')).toBe(false);
    expect(storedColumn(back, 'site')).toBeNull();
    expect(hasColumn(back, 'line')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(back, 'line')!.get).toBeTypeOf('function');
    expect(hasColumn({ site: new Int32Array(2) }, 'site')).toBe(true);
  });
});
