import { deserialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { encodeColumns } from '../../src/cache/columns.js';
import { decodeColumn } from '../../src/cache/column-read.js';
import { holdsStored } from '../../src/cache/column-compare.js';
import type { ColumnInfo, Typed } from '../../src/cache/column-format.js';
import { seededRandom as random } from '../support/random.js';

/** The one column of the frame encoding `{ c: value }`: how it is stored and its bytes. */
function storedColumnOf(value: unknown): { info: ColumnInfo; bytes: Buffer } {
  const frame = encodeColumns({ c: value });
  const length = frame.readUInt32LE(4);
  const { columns } = deserialize(frame.subarray(8, 8 + length)) as { columns: ColumnInfo[] };
  expect(columns).toHaveLength(1);
  const info = columns[0]!;
  const base = (8 + length + 7) & ~7;
  // Copied into a buffer of its own at an odd offset: the comparison may not assume aligned bytes.
  const bytes = Buffer.alloc(info.bytes + 1);
  frame.copy(bytes, 1, base + info.offset, base + info.offset + info.bytes);
  return { info, bytes: bytes.subarray(1) };
}

/** What the writer asked before: decode the stored bytes, then compare. */
function decodedSame(value: unknown, info: ColumnInfo, bytes: Buffer): boolean {
  const stored = decodeColumn(Buffer.from(bytes), info);
  const typed = (v: unknown): v is Typed => ArrayBuffer.isView(v);
  if (typed(value)) return typed(stored) && stored.constructor === value.constructor && stored.length === value.length && Buffer.compare(Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength), Buffer.from(value.buffer, value.byteOffset, value.byteLength)) === 0;
  if (!Array.isArray(value) || !Array.isArray(stored) || stored.length !== value.length) return false;
  return value.every((x, i) => x === stored[i]);
}

const n = 8_000;
/** One column of each encoding the writer compares (the encoding chosen is checked). */
function columns(seed: number): [string, Typed | string[]][] {
  const r = random(seed);
  const runs = new Int32Array(n);
  for (let i = 0, v = 0; i < n; i++) runs[i] = r() < 0.02 ? (v += 1 + Math.floor(r() * 1e6)) : v;
  return [
    ['typed', Int32Array.from({ length: n }, () => Math.floor(r() * 2 ** 31) - 2 ** 30)],
    ['typed', Int32Array.from({ length: n }, () => Math.floor(r() * 60_000))],
    ['typed', Uint8Array.from({ length: n }, () => Math.floor(r() * 256))],
    ['runs', runs],
    ['sparse', Int32Array.from({ length: n }, () => (r() < 0.05 ? Math.floor(r() * 1e9) : -1))],
    ['sparse', Uint8Array.from({ length: n }, () => (r() < 0.05 ? 1 + Math.floor(r() * 200) : 0))],
    ['steps', Int32Array.from({ length: n }, (_, i) => 1000 + i * 5 + (i % 2))],
    ['steps', Uint32Array.from({ length: n }, (_, i) => 0xf0000000 + i * 1000)],
    ['lines', Array.from({ length: n }, (_, i) => `drivers/net/f${i}.c${r() < 0.01 ? 'é😀' : ''}`)],
    ['lines', Array.from({ length: n }, (_, i) => `${'x'.repeat(300 * (i % 2))}${i}`)],
  ];
}

/** The value with one change: a value at the start, middle or end, a length, or (strings) one split or joined across a newline. */
function changed(value: Typed | string[], r: () => number): unknown {
  const at = [0, Math.floor(r() * value.length), value.length - 1][Math.floor(r() * 3)]!;
  const kind = Math.floor(r() * 4);
  if (Array.isArray(value)) {
    const out = [...value];
    if (kind === 0) out[at] = `${out[at]}x`;
    else if (kind === 1) out.pop();
    else if (kind === 2 && at + 1 < out.length) out.splice(at, 2, `${out[at]}\n${out[at + 1]}`, '');
    else out[at] = 7 as unknown as string;
    return out;
  }
  const out = value.slice() as Typed;
  if (kind === 0) out[at] = out[at]! + 1;
  else if (kind === 1) return value.subarray(0, value.length - 1);
  else if (kind === 2) return value instanceof Int32Array ? Uint32Array.from(value) : Int32Array.from(value);
  else out[at] = value instanceof Uint8Array ? 0 : -1;
  return out;
}

describe('a column read and compared with its stored bytes (holdsStored)', () => {
  it('holds each encoding\'s own value, and not one changed anywhere, as decoding and comparing says', () => {
    const r = random(7);
    for (const seed of [1, 2, 3]) {
      for (const [enc, value] of columns(seed)) {
        const { info, bytes } = storedColumnOf(value);
        expect(info.enc, `${enc} ${value.constructor.name}`).toBe(enc);
        expect(holdsStored(value, info, bytes)).toBe(true);
        // A copy of the same values (not the array encoded) holds them too.
        expect(holdsStored(Array.isArray(value) ? [...value] : value.slice(), info, bytes)).toBe(true);
        for (let k = 0; k < 12; k++) {
          const other = changed(value, r);
          expect(holdsStored(other, info, bytes), `${enc} ${value.constructor.name} change ${k}`).toBe(decodedSame(other, info, bytes));
        }
      }
    }
  });

  it('holds no value of another kind than the column\'s', () => {
    const strings = storedColumnOf(Array.from({ length: 5000 }, (_, i) => `n${i}`));
    const ints = storedColumnOf(Int32Array.from({ length: 5000 }, (_, i) => i * 100_003));
    expect(holdsStored(Int32Array.from({ length: 5000 }), strings.info, strings.bytes)).toBe(false);
    expect(holdsStored(Array.from(ints.bytes), ints.info, ints.bytes)).toBe(false);
    expect(holdsStored('n0', strings.info, strings.bytes)).toBe(false);
    expect(holdsStored(Array.from({ length: 5000 }, (_, i) => i * 100_003), ints.info, ints.bytes)).toBe(false);
  });
});

describe('a packed column compared with its stored bytes', () => {
  /** Pairs shaped like the build record's macro definitions: a name, then where it is defined. */
  const defs = (): unknown[] => Array.from({ length: 1600 }, (_, i) => [`M${i}`, [{ file: i, line: i * 3 }, ...(i % 7 ? [] : [{ file: i + 1, line: 2, cond: 'defined(X)' }])]]);

  it('holds the value it was encoded from, and a copy of it made through a structured clone (holey arrays)', () => {
    const value = defs();
    const { info, bytes } = storedColumnOf(value);
    expect(info.enc).toBe('packed');
    expect(holdsStored(value, info, bytes)).toBe(true);
    expect(holdsStored(structuredClone(value), info, bytes)).toBe(true);
  });

  it('holds no value changed anywhere inside, shorter, or of another kind', () => {
    const { info, bytes } = storedColumnOf(defs());
    const deep = defs() as [string, { file: number; line: number }[]][];
    deep[700]![1]![0]!.line++;
    expect(holdsStored(deep, info, bytes)).toBe(false);
    expect(holdsStored(defs().slice(1), info, bytes)).toBe(false);
    const renamed = defs() as [string, unknown][];
    renamed[1599]![0] = 'M1599x';
    expect(holdsStored(renamed, info, bytes)).toBe(false);
    expect(holdsStored('M0', info, bytes)).toBe(false);
  });
});

describe('a lines column of ASCII strings compared item by item', () => {
  it('tells a non-ASCII string, a moved newline and an extra byte apart as the encoded text does', () => {
    const value = Array.from({ length: 3000 }, (_, i) => `fs/ext4/f${i}.c`);
    const { info, bytes } = storedColumnOf(value);
    expect(holdsStored([...value], info, bytes)).toBe(true);
    const accented = [...value];
    accented[10] = 'fs/ext4/é.c';
    expect(holdsStored(accented, info, bytes)).toBe(decodedSame(accented, info, bytes));
    const moved = [...value];
    moved[5] = `${moved[5]}${moved[6]!.slice(0, 2)}`;
    moved[6] = moved[6]!.slice(2);
    expect(holdsStored(moved, info, bytes)).toBe(false);
    const longer = [...value];
    longer[2999] = `${longer[2999]}c`;
    expect(holdsStored(longer, info, bytes)).toBe(false);
  });
});

describe('a packed column read, changed and handed to the writer', () => {
  it('is written as the changed value, deflated from the serialisation compared', async () => {
    const { decodeColumns, detachedForWriting, encodeColumnParts } = await import('../../src/cache/columns.js');
    const defs = Array.from({ length: 1500 }, (_, i) => [`M${i}`, [{ file: i, line: i * 3 }]]);
    const back = decodeColumns<{ build: { macroDefs: [string, { file: number; line: number }[]][]; absent: string[] } }>(encodeColumns({ build: { macroDefs: defs, absent: Array.from({ length: 1100 }, (_, i) => `p${i}\n`) } }));
    back.build.macroDefs[7]![1]![0]!.file = 99;
    expect(back.build.absent).toHaveLength(1100);
    const again = decodeColumns<typeof back>(Buffer.concat(encodeColumnParts(structuredClone(detachedForWriting(back)))));
    expect(again.build.macroDefs[7]![1]![0]!.file).toBe(99);
    expect(again.build.macroDefs[8]).toEqual(defs[8]);
    expect(again.build.absent[1099]).toBe('p1099\n');
    // The same bytes as the changed value encoded from scratch.
    expect(Buffer.concat(encodeColumnParts(structuredClone(detachedForWriting(back))))).toEqual(encodeColumns({ build: { macroDefs: structuredClone(back.build.macroDefs), absent: [...back.build.absent] } }));
  });
});
