import { factsDelta } from '../../src/cache/facts-delta.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFactsFrame, encodeFactsFrame, encodePackedFrame } from '../../src/cache/frame-file.js';
import { type PackedItems, packItems, type SpooledItems, spoolItems, spliceItems, unpackItems, unspoolItems } from '../../src/util/packed-items.js';
import { expandFrames } from '../../src/cache/expand-frames.js';
import { ByteSpool } from '../../src/util/byte-spool.js';
import { FACTS_PER_FRAME } from '../../src/cache/index-cache.js';
import { definerTable, expandDefiners } from '../../src/index/expand-definers.js';
import { expandMacroCalls, macroBodyTable } from '../../src/index/expand-macro-calls.js';
import { textExtractor } from '../../src/parse/file-parser.js';
import type { FileFacts } from '../../src/types/facts.js';
import { FrameEncoder } from '../../src/cache/frame-encoder.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import { fileParser } from '../../src/parse/file-parser.js';
import { discoverFiles } from '../../src/index/discover-files.js';
import { detectProfile } from '../../src/profiles/index.js';

const values = [{ path: 'a.c', n: 1, s: 'é"\\\n' }, { path: 'b.c', list: [1, [2, { x: 'ü,]' }]] }, { path: 'c.c', e: {} }];

describe('facts frames encoded from a worker\'s packed JSON', () => {
  it('packs the same bytes as the whole array turned into JSON, and gives each item its UTF-8 length', () => {
    const packed = packItems(values.map((v) => JSON.stringify(v)));
    expect(unpackItems(packed).toString('utf8')).toBe(JSON.stringify(values));
    expect(packed.sizes).toEqual(values.map((v) => Buffer.byteLength(JSON.stringify(v), 'utf8')));
    expect(packed.bytes.byteOffset).toBe(0);
    expect(packed.bytes.byteLength).toBe(packed.bytes.buffer.byteLength);
    expect(decodeFactsFrame(encodePackedFrame(packed))).toBe(JSON.stringify(values));
    // The array's JSON given as the parse worker has it: the same packing.
    const given = packItems(values.map((v) => JSON.stringify(v)), JSON.stringify(values));
    expect(Buffer.from(given.bytes).equals(Buffer.from(packed.bytes))).toBe(true);
    expect(given.sizes).toEqual(packed.sizes);
  });

  it('spools packed items and gives back the same bytes and sizes, owning their buffer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-spool-'));
    const spool = new ByteSpool(dir);
    const packed = packItems(values.map((v) => JSON.stringify(v)));
    const spooled = spoolItems(spool, packed);
    packed.bytes.fill(0);
    const back = unspoolItems(spooled);
    expect(Buffer.from(back.bytes).equals(Buffer.from(packItems(values.map((v) => JSON.stringify(v))).bytes))).toBe(true);
    expect(back.sizes).toEqual(packed.sizes);
    expect(back.bytes.byteOffset).toBe(0);
    expect(back.bytes.byteLength).toBe(back.bytes.buffer.byteLength);
    expect(unpackItems(back).toString('utf8')).toBe(JSON.stringify(values));
    // Every byte value, from a view into a larger buffer, and the empty case.
    const all = new Uint8Array(300);
    for (let i = 0; i < all.length; i++) all[i] = i & 255;
    const view: PackedItems = { bytes: all.subarray(7, 290), sizes: [1] };
    expect(Buffer.from(unspoolItems(spoolItems(spool, view)).bytes).equals(Buffer.from(all.subarray(7, 290)))).toBe(true);
    expect(unspoolItems(spoolItems(spool, { bytes: new Uint8Array(0), sizes: [] })).bytes.length).toBe(0);
    spool.close();
    rmSync(dir, { recursive: true });
  });

  it('splices the items asked for and keeps the others, as JSON.stringify of the new array', () => {
    const json = Buffer.from(JSON.stringify(values), 'utf8');
    const sizes = values.map((v) => Buffer.byteLength(JSON.stringify(v), 'utf8'));
    const changed = { path: 'b.c', made: ['ç'] };
    expect(spliceItems(json, sizes, (j) => (j === 1 ? JSON.stringify(changed) : undefined)).toString('utf8')).toBe(JSON.stringify([values[0], changed, values[2]]));
    expect(spliceItems(json, sizes, (j) => (j === 1 ? undefined : JSON.stringify({ j }))).toString('utf8')).toBe(JSON.stringify([{ j: 0 }, values[1], { j: 2 }]));
    expect(spliceItems(json, sizes, () => undefined).equals(json)).toBe(true);
    expect(spliceItems(Buffer.from('[1]'), [1], () => '{"z":1}').toString('utf8')).toBe('[{"z":1}]');
    expect(spliceItems(Buffer.from('[]'), [], () => '2').toString('utf8')).toBe('[]');
  });

  it('a frame revised by a function is the JSON of the revised array, unchanged files kept byte for byte', () => {
    const packed = packItems(values.map((v) => JSON.stringify(v)));
    const frame = encodePackedFrame(packed, (files) => files.map((f, j) => (j === 2 ? { ...f, path: 'd.c' } : f)));
    expect(decodeFactsFrame(frame)).toBe(JSON.stringify([values[0], values[1], { ...values[2], path: 'd.c' }]));
  });
});

/** A fixture's parsed facts, in file order, as JSON texts. */
function parsedItems(root: string): string[] {
  const profile = detectProfile(root);
  const parse = fileParser(root, profile);
  return discoverFiles(root, profile).map((f) => JSON.stringify(parse(f.path)));
}

/**
 * A fixture's files parsed (as parse workers pack them), their facts, the facts as the main
 * thread expands them (definers, then calls of macro results), and an encoder made with the
 * tables that expansion used (its worker thread starts on its first frame).
 */
function expandedTree(root: string): { items: string[]; parsed: FileFacts[]; expanded: FileFacts[]; encoder: FrameEncoder } {
  const profile = detectProfile(root);
  const items = parsedItems(root);
  const parsed = items.map((t) => JSON.parse(t) as FileFacts);
  const keep = new Set(profile.registrations.flatMap((r) => r.macros));
  const expanded = expandMacroCalls(expandDefiners(parsed, textExtractor(profile), keep));
  return { items, parsed, expanded, encoder: new FrameEncoder({ profile: profile.name, extractor: 'scan', keep: [...keep], definers: definerTable(parsed), bodies: macroBodyTable(parsed) }) };
}

describe('frame encoder', () => {
  it('expands each frame\'s files in its worker thread as the main thread expands the whole tree, in any number of frames', async () => {
    const { items, parsed, expanded, encoder } = expandedTree('fixtures/macrodef/ops');
    expect(expanded.some((f, i) => f !== parsed[i])).toBe(true);
    const frames = [items.slice(0, 2), items.slice(2)].filter((f) => f.length);
    const done = frames.map((frame) => encoder.encode(packItems(frame)));
    encoder.close();
    const decoded = (await Promise.all(done)).map((b) => JSON.parse(decodeFactsFrame(b)) as FileFacts[]);
    expect(decoded.flat()).toEqual(JSON.parse(JSON.stringify(expanded)));
  });

  it('expands again in its worker thread only the files at the positions given, the others kept as packed, with the frame\'s mention table', async () => {
    const { items, parsed, expanded, encoder } = expandedTree('fixtures/macrodef/ops');
    const changed = expanded.flatMap((f, j) => (f === parsed[j] ? [] : [j]));
    expect(changed.length).toBeGreaterThan(0);
    const all = encoder.encodeRevised(packItems(items), changed);
    // Positions left out are stored as parsed, even where expansion would change them.
    const none = encoder.encodeRevised(packItems(items), []);
    encoder.close();
    expect(JSON.parse(decodeFactsFrame((await all).bytes))).toEqual(JSON.parse(JSON.stringify(expanded)));
    expect(Array.from((await all).mentions.hashes)).toEqual(Array.from(MentionTable.of(expanded).hashes));
    expect(Array.from((await all).mentions.counts)).toEqual(Array.from(MentionTable.of(expanded).counts));
    expect(decodeFactsFrame((await none).bytes)).toBe(`[${items.join(',')}]`);
    const plain = new FrameEncoder(null);
    const refused = plain.encodeRevised(packItems(items), changed);
    plain.close();
    await expect(refused).rejects.toThrow(/no expansion/);
  });

  it('expands the files the caller expanded by their deltas, expanding nothing again (an encoder without an expansion will do), with the frame\'s mention table', async () => {
    const { items, parsed, expanded, encoder } = expandedTree('fixtures/macrodef/ops');
    const changed = expanded.flatMap((f, j) => (f === parsed[j] ? [] : [j]));
    const revised = encoder.encodeRevised(packItems(items), changed);
    encoder.close();
    const plain = new FrameEncoder(null);
    const given = plain.encodeRevised(packItems(items), changed, changed.map((j) => factsDelta(parsed[j]!, expanded[j]!)));
    plain.close();
    expect((await given).bytes.equals((await revised).bytes)).toBe(true);
    expect(Array.from((await given).mentions.hashes)).toEqual(Array.from(MentionTable.of(expanded).hashes));
    expect(Array.from((await given).mentions.counts)).toEqual(Array.from(MentionTable.of(expanded).counts));
  });

  it('encodes frames from their JSON text, mixed with packed ones, each in order', async () => {
    const encoder = new FrameEncoder(null);
    const a = encoder.encodeJson(JSON.stringify(values));
    const b = encoder.encode(packItems(values.map((v) => JSON.stringify(v))));
    const c = encoder.encodeJson('[]');
    encoder.close();
    expect((await a).equals(encodeFactsFrame(JSON.stringify(values)))).toBe(true);
    expect((await b).equals(await a)).toBe(true);
    expect(decodeFactsFrame(await c)).toBe('[]');
  });

  it('rejects a frame whose bytes are no packed items, with zlib\'s error, and encodes the next', async () => {
    const encoder = new FrameEncoder(null);
    const bad = encoder.encode({ bytes: new Uint8Array([1, 2, 3]), sizes: [1] });
    const good = encoder.encode(packItems(['1']));
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

describe('expandFrames', () => {
  /** The macrodef fixture's files copied under `copies` folders (enough files for several frames), as the parse workers pack them by frame. */
  function copiedTree(copies: number, spool: ByteSpool): { parsed: FileFacts[]; packed: () => { packed: Map<number, SpooledItems>; spool: ByteSpool } } {
    const items = parsedItems('fixtures/macrodef/ops');
    const texts = Array.from({ length: copies }, (_, k) => items.map((t) => JSON.stringify({ ...(JSON.parse(t) as FileFacts), path: `c${k}/${(JSON.parse(t) as FileFacts).path}` }))).flat();
    const packed = (): { packed: Map<number, SpooledItems>; spool: ByteSpool } => ({ packed: new Map(Array.from({ length: Math.ceil(texts.length / FACTS_PER_FRAME) }, (_, i) => [i, spoolItems(spool, packItems(texts.slice(i * FACTS_PER_FRAME, (i + 1) * FACTS_PER_FRAME)))])), spool });
    return { parsed: texts.map((t) => JSON.parse(t) as FileFacts), packed };
  }

  it('with several encoder threads, encodes each frame and reads its mentions as one thread does, in frame order', async () => {
    const profile = detectProfile('fixtures/macrodef/ops');
    const keep = new Set(profile.registrations.flatMap((r) => r.macros));
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-spool-'));
    const spool = new ByteSpool(dir);
    const { parsed, packed } = copiedTree(Math.ceil((FACTS_PER_FRAME * 5.5) / parsedItems('fixtures/macrodef/ops').length), spool);
    const one = await expandFrames(parsed, profile, 'scan', keep, packed(), 1);
    const two = await expandFrames(parsed, profile, 'scan', keep, packed(), 2);
    expect(one.encoded.size).toBe(6);
    expect(two.facts).toEqual(one.facts);
    expect([...two.encoded.keys()]).toEqual([...one.encoded.keys()]);
    for (const [frame, bytes] of one.encoded) expect((await two.encoded.get(frame)!).read().equals((await bytes).read())).toBe(true);
    const mentions = async (m: Promise<MentionTable>[]): Promise<number[][]> => (await Promise.all(m)).flatMap((t) => [Array.from(t.hashes), Array.from(t.counts)]);
    expect(await mentions(two.mentions)).toEqual(await mentions(one.mentions));
    // The frames decode to the expanded facts, frame after frame.
    const decoded = (await Promise.all([...two.encoded.values()])).flatMap((b) => JSON.parse(decodeFactsFrame(b.read())) as FileFacts[]);
    expect(decoded).toEqual(JSON.parse(JSON.stringify(one.facts)));
    spool.close();
    rmSync(dir, { recursive: true });
  });
});
