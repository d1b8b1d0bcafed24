import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFactsFrame, encodeFactsFrame, encodePackedFrame } from '../../src/cache/frame-file.js';
import { packItems, unpackItems } from '../../src/util/packed-items.js';
import { FrameEncoder } from '../../src/cache/frame-encoder.js';
import { fileParser } from '../../src/parse/file-parser.js';
import { discoverFiles } from '../../src/index/discover-files.js';
import { detectProfile } from '../../src/profiles/index.js';

const values = [{ path: 'a.c', n: 1, s: 'é"\\\n' }, { path: 'b.c', list: [1, [2, { x: 'ü,]' }]] }, { path: 'c.c', e: {} }];

describe('facts frames encoded from a worker\'s packed JSON', () => {
  it('packs the same bytes as the whole array turned into JSON, and gives each item its UTF-8 length', async () => {
    const packed = packItems(values.map((v) => JSON.stringify(v)));
    expect(unpackItems(packed).toString('utf8')).toBe(JSON.stringify(values));
    expect(packed.sizes).toEqual(values.map((v) => Buffer.byteLength(JSON.stringify(v), 'utf8')));
    expect(packed.bytes.byteOffset).toBe(0);
    expect(packed.bytes.byteLength).toBe(packed.bytes.buffer.byteLength);
    expect(decodeFactsFrame(encodePackedFrame(packed))).toBe(JSON.stringify(values));
  });

  it('replaces the items asked for and keeps the others, as JSON.stringify of the new array', async () => {
    const packed = packItems(values.map((v) => JSON.stringify(v)));
    const changed = { path: 'b.c', made: ['ç'] };
    const again = encodePackedFrame(packed, (j) => (j === 1 ? JSON.stringify(changed) : undefined));
    expect(decodeFactsFrame(again)).toBe(JSON.stringify([values[0], changed, values[2]]));
    const ends = encodePackedFrame(packed, (j) => (j === 1 ? undefined : JSON.stringify({ j })));
    expect(decodeFactsFrame(ends)).toBe(JSON.stringify([{ j: 0 }, values[1], { j: 2 }]));
    const none = encodePackedFrame(packed, () => undefined);
    expect(none.equals(encodeFactsFrame(JSON.stringify(values)))).toBe(true);
  });

  it('a single item and an empty frame', async () => {
    const one = packItems([JSON.stringify(values[0])]);
    const replaced = encodePackedFrame(one, () => JSON.stringify({ z: 1 }));
    expect(decodeFactsFrame(replaced)).toBe('[{"z":1}]');
    const empty = packItems([]);
    expect(decodeFactsFrame(encodePackedFrame(empty))).toBe('[]');
  });
});

describe('frame encoder', () => {
  it('encodes frames in a worker thread, each as encodeFactsFrame of its new array, in any number', async () => {
    const encoder = new FrameEncoder();
    const frames = Array.from({ length: 5 }, (_, k) => values.map((v) => ({ ...v, k })));
    const done = frames.map((frame, k) => encoder.encode(packItems(frame.map((v) => JSON.stringify(v))), new Map(k % 2 ? [[0, JSON.stringify({ odd: k })]] : [])));
    encoder.close();
    const bytes = await Promise.all(done);
    bytes.forEach((b, k) => expect(decodeFactsFrame(b)).toBe(JSON.stringify(k % 2 ? [{ odd: k }, ...frames[k]!.slice(1)] : frames[k])));
  });

  it('rejects a frame whose bytes are no packed items, with zlib\'s error, and encodes the next', async () => {
    const encoder = new FrameEncoder();
    const bad = encoder.encode({ bytes: new Uint8Array([1, 2, 3]), sizes: [1] }, new Map());
    const good = encoder.encode(packItems(['1']), new Map());
    encoder.close();
    await expect(bad).rejects.toThrow();
    expect(decodeFactsFrame(await good)).toBe('[1]');
  });
});

describe('facts frame size', () => {
  it('a frame of the minikernel\'s facts is stored in less than gzip at its best level takes, and decodes to the same JSON', () => {
    const root = 'fixtures/minikernel';
    const profile = detectProfile(root);
    const parse = fileParser(root, profile);
    const json = JSON.stringify(discoverFiles(root, profile).map((f) => parse(f.path)));
    const frame = encodeFactsFrame(json);
    expect(decodeFactsFrame(frame)).toBe(json);
    expect(frame.length).toBeLessThan(gzipSync(Buffer.from(json, 'utf8'), { level: 9 }).length);
  });
});
