import { brotliCompressSync, constants } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncodedFrame } from '../../src/cache/frame-file.js';
import { type CacheEntry, chunk, FACTS_PER_FRAME, IndexCache } from '../../src/cache/index-cache.js';
import { framesAsStored, saveFacts } from '../../src/cache/save-facts.js';
import { mentionsOfFactsFile } from '../../src/cache/frame-encoder.js';
import { CACHE_FORMAT } from '../../src/cache/index-cache.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import type { FileFacts } from '../../src/types/facts.js';

/**
 * A resolution in full that parsed a few files (a patch refused after an edit) writes the facts
 * file again: the frames whose facts are those the old file stores are copied from it as they lie,
 * not encoded again (on a kernel, Brotli took some 50 s for its 217 frames, most of them unchanged).
 */

/** `count` files' facts: a function each, calling the next. */
function factsOf(count: number): FileFacts[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `d${Math.floor(i / 50)}/f${String(i).padStart(4, '0')}.c`,
    hash: `h${i}`,
    functions: [{ name: `f${i}`, line: 3, endLine: 6, params: [], returns: 'int', calls: [{ name: `f${i + 1}`, line: 5, col: 9, args: [] }] }],
    macros: [],
    bindings: [],
    structs: [],
    typedefs: [],
    globals: [],
    prototypes: [],
    includes: [],
  })) as unknown as FileFacts[];
}

describe('facts written again after a resolution in full', () => {
  it('copies the frames the old facts file holds as they are, and encodes the changed ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-facts-reuse-'));
    const facts = factsOf(FACTS_PER_FRAME * 3 + 17);
    const manifest: CacheEntry[] = facts.map((f, i) => ({ path: f.path, size: i, mtimeMs: i }));
    const cache = new IndexCache(join(dir, 'cache'), 'k', () => {});
    // The old file's frames compressed otherwise than pathfind compresses them: a frame copied keeps these very bytes.
    const odd = (piece: FileFacts[]): EncodedFrame => new EncodedFrame(brotliCompressSync(Buffer.from(JSON.stringify(piece)), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }));
    const oddFrames = chunk(facts, FACTS_PER_FRAME).map(odd);
    cache.save('facts', manifest, oddFrames);
    // One file of the third frame edited.
    const edited = facts.map((f, i) => (i === FACTS_PER_FRAME * 2 + 5 ? { ...f, hash: 'edited' } : f));
    const old = cache.open('facts')!;
    await saveFacts(cache, manifest, edited, new Map(), old);
    old.close();
    const now = cache.open('facts')!;
    expect(now.frames).toBe(5);
    const raw = (k: number): Buffer => Buffer.from(now.raw(k));
    expect(raw(1).equals(oddFrames[0]!.bytes as Buffer)).toBe(true);
    expect(raw(2).equals(oddFrames[1]!.bytes as Buffer)).toBe(true);
    expect(raw(3).equals(oddFrames[2]!.bytes as Buffer)).toBe(false);
    expect(raw(4).equals(oddFrames[3]!.bytes as Buffer)).toBe(true);
    now.close();
    expect(cache.load<FileFacts[]>('facts')!.pieces.flat()).toEqual(edited);
    rmSync(dir, { recursive: true });
  });

  it('copies a frame named as held as stored without comparing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-facts-reuse-'));
    const facts = factsOf(FACTS_PER_FRAME * 2);
    const manifest: CacheEntry[] = facts.map((f, i) => ({ path: f.path, size: i, mtimeMs: i }));
    const cache = new IndexCache(join(dir, 'cache'), 'k', () => {});
    // Frames whose JSON is not the text the facts make now (their keys in another order): compared, neither is copied.
    const reordered = (piece: FileFacts[]): EncodedFrame => new EncodedFrame(brotliCompressSync(Buffer.from(JSON.stringify(piece.map((f) => Object.fromEntries(Object.entries(f).reverse()))))));
    const frames = chunk(facts, FACTS_PER_FRAME).map(reordered);
    cache.save('facts', manifest, frames);
    const old = cache.open('facts')!;
    await saveFacts(cache, manifest, facts, new Map(), old, new Set([1]));
    old.close();
    const now = cache.open('facts')!;
    expect(Buffer.from(now.raw(1)).equals(frames[0]!.bytes as Buffer)).toBe(false);
    expect(Buffer.from(now.raw(2)).equals(frames[1]!.bytes as Buffer)).toBe(true);
    now.close();
    rmSync(dir, { recursive: true });
  });
});

/**
 * Which frames a resolution in full may copy from the facts file without comparing them
 * (framesAsStored): those whose files all have the size and mtime the facts file was written
 * for, while no file changed since has other macros (they expand every file's definers).
 */
describe('framesAsStored', () => {
  const count = FACTS_PER_FRAME * 2 + 30;
  const facts = factsOf(count);
  const was: CacheEntry[] = facts.map((f, i) => ({ path: f.path, size: i, mtimeMs: i }));
  const stored = { manifest: was, pieces: chunk(facts, FACTS_PER_FRAME) };
  const edited = FACTS_PER_FRAME + 7;
  const now = was.map((e, i) => (i === edited ? { ...e, mtimeMs: e.mtimeMs + 1 } : e));

  it('names every frame but those holding a file changed since', () => {
    expect([...framesAsStored(stored, was, facts)]).toEqual([0, 1, 2]);
    const bodyEdited = facts.map((f, i) => (i === edited ? { ...f, hash: 'edited' } : f));
    expect([...framesAsStored(stored, now, bodyEdited)]).toEqual([0, 2]);
  });

  it('names none when a file changed since has other macros', () => {
    const macroEdited = facts.map((f, i) => (i === edited ? ({ ...f, macros: [{ name: 'DEF', line: 1, params: ['n'], body: 'int n##_f(void) { return 0; }' }] } as unknown as FileFacts) : f));
    expect(framesAsStored(stored, now, macroEdited).size).toBe(0);
  });

  it('names none when the files or the frames are not those of the facts file', () => {
    const renamed = now.map((e, i) => (i === 3 ? { ...e, path: 'd0/other.c' } : e));
    expect(framesAsStored(stored, renamed, facts.map((f, i) => (i === 3 ? { ...f, path: 'd0/other.c' } : f))).size).toBe(0);
    expect(framesAsStored(stored, now.slice(1), facts.slice(1)).size).toBe(0);
    const uneven = { manifest: was, pieces: [facts.slice(0, FACTS_PER_FRAME - 1), facts.slice(FACTS_PER_FRAME - 1)] };
    expect(framesAsStored(uneven, now, facts).size).toBe(0);
  });
});

/** The mention table of a facts file's every frame, read from their JSON (mentionsOfFactsFile): MentionTable.of its facts. */
describe('mentionsOfFactsFile', () => {
  it('gives the mention table of the facts the file holds, and throws for a file written over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-facts-mentions-'));
    const facts = factsOf(FACTS_PER_FRAME + 40).map((f, i) => ({ ...f, bindings: i % 7 ? [] : [{ name: `f${i + 2}`, line: 9, field: 'op', type: 'struct ops', path: ['op'] }] })) as unknown as FileFacts[];
    const manifest: CacheEntry[] = facts.map((f, i) => ({ path: f.path, size: i, mtimeMs: i }));
    const cache = new IndexCache(join(dir, 'cache'), 'k', () => {});
    const identity = cache.save('facts', manifest, chunk(facts, FACTS_PER_FRAME).map((p) => new EncodedFrame(brotliCompressSync(Buffer.from(JSON.stringify(p))))))!;
    const table = mentionsOfFactsFile({ path: cache.path('facts'), identity, format: CACHE_FORMAT });
    const want = MentionTable.of(facts);
    expect(table.mentions('f9')).toBe(1);
    expect(Array.from(table.hashes)).toEqual(Array.from(want.hashes));
    expect(Array.from(table.counts)).toEqual(Array.from(want.counts));
    expect(() => mentionsOfFactsFile({ path: cache.path('facts'), identity: 'another', format: CACHE_FORMAT })).toThrow(/written over/);
    rmSync(dir, { recursive: true });
  });
});
