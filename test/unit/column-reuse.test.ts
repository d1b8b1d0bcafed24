import { deserialize } from 'node:v8';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeColumns, detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import { asciiTextBlocks, rememberText } from '../../src/cache/column-reuse.js';
import { seededRandom as random } from '../support/random.js';
import { appendItem, stringItems, withFields } from '../../src/util/text-slices.js';

/** The deflated blocks of the `chunks` columns of a columnar frame, as stored. */
function storedBlocks(frame: Buffer): Buffer[] {
  const length = frame.readUInt32LE(4);
  const { columns } = deserialize(frame.subarray(8, 8 + length)) as { columns: { enc: string; offset: number; ends: number[] }[] };
  const base = (8 + length + 7) & ~7;
  return columns
    .filter((c) => c.enc === 'chunks')
    .flatMap((c) => c.ends.map((end, b) => frame.subarray(base + c.offset + (b === 0 ? 0 : c.ends[b - 1]!), base + c.offset + end)));
}

/** A text of evidence-like lines (names, paths, line numbers), about `chars` long. */
function evidenceLines(seed: number, chars: number): string[] {
  const r = random(seed);
  const lines: string[] = [];
  for (let n = 0; n < chars; ) {
    const line = `net/ipv4/f${Math.floor(r() * 500)}.c\t${Math.floor(r() * 5000)}\t.op_${Math.floor(r() * 1e6)} = fn_${Math.floor(r() * 1e6)} in struct ops_${Math.floor(r() * 300)}${r() < 0.01 ? ' é😀' : ''}`;
    lines.push(line);
    n += line.length + 1;
  }
  return lines;
}

describe('re-encoding a decoded columnar frame', () => {
  it('copies the columns never read as they are stored, without decoding them', () => {
    const value = { ids: Int32Array.from({ length: 5000 }, (_, i) => i * 7), names: Array.from({ length: 5000 }, (_, i) => `n${i}`), other: 1 };
    const frame = encodeColumns(value);
    const back = decodeColumns<typeof value>(frame);
    back.other = 2;
    const again = encodeColumns(back);
    // Neither column was decoded to be written again: both are still read on demand.
    expect(Object.getOwnPropertyDescriptor(back, 'ids')!.get).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(back, 'names')!.get).toBeTypeOf('function');
    expect(decodeColumns(again)).toEqual({ ...value, other: 2 });
  });

  it('appends strings to a string column left unread, and writes the bytes encoding the whole array writes, without decoding it', () => {
    // Steps of 8 bits, of 16 bits, and offsets of 32 bits (a string longer than 65,535 bytes); some appended too long for the stored steps.
    const long = 'x'.repeat(70_000);
    const cases: [string[], string[]][] = [
      [Array.from({ length: 5000 }, (_, i) => `n${i}`), ['added_é', 'b']],
      [Array.from({ length: 5000 }, (_, i) => (i === 9 ? 'y'.repeat(300) : `n${i}`)), ['z'.repeat(400), '']],
      [Array.from({ length: 5000 }, (_, i) => (i === 9 ? long : `n${i}`)), [long, 'c']],
      [Array.from({ length: 5000 }, (_, i) => `n${i}`), ['w'.repeat(300)]],
    ];
    for (const [names, more] of cases) {
      const back = decodeColumns<{ names: string[]; other: number }>(encodeColumns({ names, other: 1 }));
      const ids = more.map((x) => appendItem(back, 'names', x));
      expect(ids).toEqual(more.map((_, i) => names.length + i));
      const items = stringItems(back, 'names');
      expect(items.length).toBe(names.length + more.length);
      expect(items.at(names.length)).toBe(more[0]);
      expect(items.at(3)).toBe(names[3]);
      // Written from a copy that carries the column over (withFields), as a patch writes a renumbered index.
      const copy = withFields(back, { other: 2 });
      const parts = encodeColumnParts(detachedForWriting(copy));
      expect(Object.getOwnPropertyDescriptor(back, 'names')!.get).toBeTypeOf('function');
      expect(Object.getOwnPropertyDescriptor(copy, 'names')!.get).toBeTypeOf('function');
      expect(Buffer.concat(parts).equals(encodeColumns({ names: [...names, ...more], other: 2 }))).toBe(true);
      // And encoded in this thread, as IndexCache.save writes a patched graph without a writer thread: the appended strings are written too.
      expect(encodeColumns(copy).equals(encodeColumns({ names: [...names, ...more], other: 2 }))).toBe(true);
      // Read whole, the array holds the appended strings too, on the copy and on the original.
      expect(copy.names).toEqual([...names, ...more]);
      expect(back.names).toEqual([...names, ...more]);
    }
  });

  it('copies an object with its unread columns carried over, each reader the copy\'s own', () => {
    const value = { names: Array.from({ length: 5000 }, (_, i) => `n${i}`), ids: Int32Array.from({ length: 5000 }, (_, i) => i), paths: Array.from({ length: 5000 }, (_, i) => `p${i}`) };
    const back = decodeColumns<typeof value>(encodeColumns(value));
    const copy = withFields(back, { paths: ['a', 'b'] });
    expect(Object.getOwnPropertyDescriptor(copy, 'names')!.get).toBeTypeOf('function');
    expect(stringItems(copy, 'paths').at(1)).toBe('b');
    expect(stringItems(back, 'paths').at(1)).toBe('p1');
    expect(copy.ids[7]).toBe(7);
    expect(decodeColumns(encodeColumns(copy))).toEqual({ ...value, paths: ['a', 'b'] });
    expect(decodeColumns(encodeColumns(back))).toEqual(value);
  });

  it('writes a typed array changed in place (a view on the frame) with its change', () => {
    const value = { ids: Int32Array.from({ length: 5000 }, (_, i) => i * 100_000), runs: Int32Array.from({ length: 5000 }, (_, i) => i >> 4) };
    const back = decodeColumns<typeof value>(encodeColumns(value));
    back.ids[17] = -5;
    back.runs[4000] = 1 << 30;
    const again = decodeColumns<typeof value>(encodeColumns(back));
    expect(again.ids[17]).toBe(-5);
    expect(again.runs[4000]).toBe(1 << 30);
    expect(again).toEqual(back);
  });

  it('re-deflates only the blocks of a long text around an edit, wherever the edit shifts the rest', () => {
    for (const seed of [1, 2, 3]) {
      const lines = evidenceLines(seed, 3_000_000);
      const before = { text: lines.join('\n') };
      const frame = encodeColumns(before);
      const back = decodeColumns<{ text: string }>(frame);
      // Lines changed near the start and in the middle, a line inserted: every later character moves.
      const r = random(seed + 10);
      const edited = [...lines];
      for (const at of [5, Math.floor(edited.length / 2)]) edited[at] = `${edited[at]}${'9'.repeat(1 + Math.floor(r() * 3))}`;
      edited.splice(100, 0, 'net/added.c\t1\tinserted');
      back.text = edited.join('\n');
      const again = encodeColumns(back);
      expect(decodeColumns<{ text: string }>(again).text).toBe(back.text);
      const old = new Set(storedBlocks(frame).map((b) => b.toString('base64')));
      const blocks = storedBlocks(again);
      const fresh = blocks.filter((b) => !old.has(b.toString('base64')));
      expect(blocks.length).toBeGreaterThan(20);
      expect(fresh.length, `seed ${seed}`).toBeLessThanOrEqual(4);
    }
  });
});

/** The description of each column of a columnar frame, by the key that holds it at the top of the value. */
function columnsByKey(frame: Buffer): Record<string, { enc: string; stored?: string }> {
  const length = frame.readUInt32LE(4);
  const { value, columns } = deserialize(frame.subarray(8, 8 + length)) as { value: Record<string, Record<string, number>>; columns: { enc: string; stored?: string }[] };
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (typeof v === 'object' && v !== null && typeof v['\u0000column'] === 'number' ? [[k, columns[v['\u0000column']]!]] : [])));
}

/**
 * A frame whose `ids` column is stored raw (`typed`), where encoding the same values anew would
 * store their steps: so a frame written again tells whether the column was copied as stored.
 */
function frameWithRawIds(ids: Int32Array, rest: Record<string, unknown>): Buffer {
  const bytes = new Uint8Array(ids.buffer.slice(0));
  const stored = { '\u0000stored': true, info: { enc: 'typed', type: 'Int32Array', stored: 'Int32Array', length: ids.length, offset: 0, bytes: bytes.length }, bytes };
  return encodeColumns({ ids: stored, ...rest });
}

describe('re-encoding columns read since their frame was decoded', () => {
  const ids = Int32Array.from({ length: 5000 }, (_, i) => i * 3);
  const names = Array.from({ length: 5000 }, (_, i) => `name${i}`);
  const text = 'x'.repeat(70_000);
  // Both ways a frame is written again: here (encodeColumns), and in the writer's thread (a structured clone of detachedForWriting's value).
  const ways: [string, (v: unknown) => Buffer][] = [
    ['in this thread', (v) => encodeColumns(v)],
    ['in a writer thread', (v) => Buffer.concat(encodeColumnParts(structuredClone(detachedForWriting(v))))],
  ];

  for (const [way, write] of ways) {
    it(`copies a column read but unchanged as stored (${way})`, () => {
      const frame = frameWithRawIds(ids, { names, text });
      expect(columnsByKey(frame).ids!.enc).toBe('typed');
      const back = decodeColumns<{ ids: Int32Array; names: string[]; text: string }>(frame);
      // Every column read.
      expect([back.ids[10], back.names[10], back.text.length]).toEqual([30, 'name10', 70_000]);
      const again = write(back);
      expect(columnsByKey(again).ids!.enc).toBe('typed');
      expect(decodeColumns(again)).toEqual({ ids, names, text });
    });

    it(`writes a column read and changed since, in place or replaced, with its change (${way})`, () => {
      const back = decodeColumns<{ ids: Int32Array; names: string[]; text: string; other: Int32Array }>(frameWithRawIds(ids, { names, text, other: Int32Array.from(ids) }));
      back.ids[7] = 1;
      back.names.push('added');
      back.text = `${back.text}y`;
      back.other = Int32Array.from(back.other).fill(5, 0, 10);
      const again = decodeColumns<typeof back>(write(back));
      expect(again.ids[7]).toBe(1);
      expect(again.names.at(-1)).toBe('added');
      expect(again.text.endsWith('y')).toBe(true);
      expect(Array.from(again.other.subarray(0, 11))).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 30]);
      expect(again).toEqual(back);
    });
  }

  it('writes an array of strings changed in place with its change', () => {
    const back = decodeColumns<{ names: string[] }>(encodeColumns({ names }));
    back.names[4000] = 'renamed';
    expect(decodeColumns<{ names: string[] }>(Buffer.concat(encodeColumnParts(structuredClone(detachedForWriting(back))))).names[4000]).toBe('renamed');
    expect(decodeColumns<{ names: string[] }>(encodeColumns(back)).names[4000]).toBe('renamed');
  });
});

describe('cutting a long ASCII text into blocks with a text read before in view', () => {
  const ascii = (lines: string[]): Buffer => Buffer.from(lines.join('\n').replace(/[^\x00-\x7f]/g, '?'), 'latin1');
  const inflated = (blocks: Buffer[]): string[] => blocks.map((b) => inflateRawSync(b).toString('latin1'));

  it('takes the known blocks its bytes repeat, without hashing them, and cuts the same blocks as from scratch', () => {
    const before = ascii(evidenceLines(7, 1_500_000));
    const known = asciiTextBlocks(before);
    const lines = before.toString('latin1').split('\n');
    // An edit near the start (a line number one digit longer) and one in the middle (a line added): what follows each shifts.
    lines[3] = lines[3]!.replace(/\t(\d+)\t/, '\t1$1\t');
    lines.splice(lines.length >> 1, 0, 'net/socket.c\t1234\t.sendmsg = inet_sendmsg in struct proto_ops');
    const after = Buffer.from(lines.join('\n'), 'latin1');
    rememberText(null);
    const scratch = asciiTextBlocks(after);
    rememberText({ bytes: before, starts: known.starts, hashes: known.hashes, block: (b) => known.blocks[b] });
    const found = asciiTextBlocks(after);
    rememberText(null);
    expect(found.starts).toEqual(scratch.starts);
    expect(found.hashes).toEqual(scratch.hashes);
    expect(inflated(found.blocks)).toEqual(inflated(scratch.blocks));
    expect(inflated(found.blocks).join('')).toBe(after.toString('latin1'));
    // Every block but those around the two edits is the known block itself, found by its bytes.
    const same = found.blocks.filter((b) => known.blocks.includes(b)).length;
    expect(known.blocks.length).toBeGreaterThan(20);
    expect(same).toBeGreaterThanOrEqual(found.blocks.length - 4);
  });

  it('finds the blocks of the text it was read from among several remembered (the evidence text, then the binding strings)', () => {
    const before = ascii(evidenceLines(9, 1_000_000));
    const known = asciiTextBlocks(before);
    const other = ascii(evidenceLines(10, 400_000));
    const otherBlocks = asciiTextBlocks(other);
    const lines = before.toString('latin1').split('\n');
    lines.splice(lines.length >> 1, 1);
    const after = Buffer.from(lines.join('\n'), 'latin1');
    rememberText(null);
    const scratch = asciiTextBlocks(after);
    rememberText({ bytes: before, starts: known.starts, hashes: known.hashes, block: (b) => known.blocks[b] });
    rememberText({ bytes: other, starts: otherBlocks.starts, hashes: otherBlocks.hashes, block: (b) => otherBlocks.blocks[b] });
    const found = asciiTextBlocks(after);
    // The other text, cut again as it was, finds its own blocks too.
    const otherAgain = asciiTextBlocks(other);
    rememberText(null);
    expect(found.hashes).toEqual(scratch.hashes);
    expect(inflated(found.blocks).join('')).toBe(after.toString('latin1'));
    expect(found.blocks.filter((b) => known.blocks.includes(b)).length).toBeGreaterThanOrEqual(found.blocks.length - 3);
    expect(otherAgain.blocks).toEqual(otherBlocks.blocks);
    expect(otherAgain.blocks.every((b, i) => b === otherBlocks.blocks[i])).toBe(true);
  });

  it('takes the known text\'s last block only where the new text ends with it too', () => {
    const before = ascii(evidenceLines(8, 300_000));
    const known = asciiTextBlocks(before);
    const after = Buffer.concat([before, Buffer.from('\n' + 'fs/open.c\t12\t.open = x in struct y\n'.repeat(3000), 'latin1')]);
    rememberText(null);
    const scratch = asciiTextBlocks(after);
    rememberText({ bytes: before, starts: known.starts, hashes: known.hashes, block: (b) => known.blocks[b] });
    const found = asciiTextBlocks(after);
    rememberText(null);
    expect(found.starts).toEqual(scratch.starts);
    expect(found.hashes).toEqual(scratch.hashes);
    expect(found.blocks).not.toContain(known.blocks[known.blocks.length - 1]);
  });
});
