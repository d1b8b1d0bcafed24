import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DeferredFrame, expandFrames } from '../../src/cache/expand-frames.js';
import { FactsWriter } from '../../src/cache/facts-behind.js';
import { type CacheEntry, FACTS_PER_FRAME, IndexCache } from '../../src/cache/index-cache.js';
import { saveFacts } from '../../src/cache/save-facts.js';
import { discoverFiles } from '../../src/index/discover-files.js';
import { fileParser } from '../../src/parse/file-parser.js';
import { detectProfile } from '../../src/profiles/index.js';
import { MentionTable } from '../../src/resolve/mention-table.js';
import type { FileFacts } from '../../src/types/facts.js';
import { ByteSpool } from '../../src/util/byte-spool.js';
import { packItems, type SpooledItems, spoolItems } from '../../src/util/packed-items.js';

const ROOT = 'fixtures/macrodef/ops';

/**
 * The fixture's files parsed and copied under enough folders (each with a non-ASCII path) to make
 * `frames` facts frames, their facts, and a way to pack them by frame into `spool` as the parse workers do.
 */
function copiedTree(frames: number): { parsed: () => FileFacts[]; packed: (spool: ByteSpool) => Map<number, SpooledItems>; manifest: CacheEntry[] } {
  const profile = detectProfile(ROOT);
  const parse = fileParser(ROOT, profile);
  const items = discoverFiles(ROOT, profile).map((f) => parse(f.path));
  const texts = Array.from({ length: Math.ceil((FACTS_PER_FRAME * frames) / items.length) }, (_, k) => items.map((f) => JSON.stringify({ ...f, path: `c${k}é/${f.path}` }))).flat();
  return {
    parsed: () => texts.map((t) => JSON.parse(t) as FileFacts),
    packed: (spool) => new Map(Array.from({ length: Math.ceil(texts.length / FACTS_PER_FRAME) }, (_, i) => [i, spoolItems(spool, packItems(texts.slice(i * FACTS_PER_FRAME, (i + 1) * FACTS_PER_FRAME)))])),
    manifest: texts.map((t, i) => ({ path: (JSON.parse(t) as FileFacts).path, size: i, mtimeMs: i * 1000 })),
  };
}

const tableOf = (t: MentionTable | null): number[][] => (t ? [Array.from(t.hashes), Array.from(t.counts)] : []);

describe('facts written behind the resolution', () => {
  const profile = detectProfile(ROOT);
  const keep = new Set(profile.registrations.flatMap((r) => r.macros));

  it('writes the same facts file as frames encoded while expanding, and gives the merged mention table of their frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-behind-'));
    const tree = copiedTree(17.5);
    // Frames encoded while expanding, written before resolving (as a cold index did).
    const spoolA = new ByteSpool(join(dir, 'a'));
    const before = await expandFrames(tree.parsed(), profile, 'scan', keep, { packed: tree.packed(spoolA), spool: spoolA }, 2);
    expect(before.deferred).toBe(0);
    const cacheA = new IndexCache(join(dir, 'a'), 'k', () => {});
    await saveFacts(cacheA, tree.manifest, before.facts, before.encoded);
    const tableA = MentionTable.merge(await Promise.all(before.mentions));
    spoolA.close();
    // Frames handed on as they are expanded: nothing encoded here, the facts file written by a worker thread.
    const spoolB = new ByteSpool(join(dir, 'b'));
    const packedB = tree.packed(spoolB);
    const notes: string[] = [];
    const cacheB = new IndexCache(join(dir, 'b'), 'k', (n) => notes.push(n));
    const writer = new FactsWriter(cacheB, tree.manifest, spoolB);
    const handed: DeferredFrame[] = [];
    const after = await expandFrames(tree.parsed(), profile, 'scan', keep, { packed: packedB, spool: spoolB, later: (f) => (handed.push(f), writer.add(f)) }, 2);
    expect(after.encoded.size).toBe(0);
    expect(after.mentions).toEqual([]);
    expect(after.deferred).toBe(Math.ceil(tree.manifest.length / FACTS_PER_FRAME));
    expect(handed.length).toBeGreaterThan(16); // mention tables merged along the way, not only at the end
    expect(handed.some((f) => f.changed.length > 0)).toBe(true);
    expect(after.facts).toEqual(before.facts);
    const tableB = await writer.done();
    spoolB.close();
    expect(notes).toEqual([]);
    expect(readFileSync(cacheB.filePath('facts')).equals(readFileSync(cacheA.filePath('facts')))).toBe(true);
    expect(tableOf(tableB)).toEqual(tableOf(tableA));
    rmSync(dir, { recursive: true });
  });

  it('expands as before when a frame was not packed, and leaves nothing for later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-behind-'));
    const tree = copiedTree(2.5);
    const spool = new ByteSpool(dir);
    const packed = tree.packed(spool);
    packed.delete(1);
    const expanded = await expandFrames(tree.parsed(), profile, 'scan', keep, { packed, spool, later: () => expect.unreachable() }, 1);
    expect(expanded.deferred).toBe(0);
    expect(expanded.encoded.size).toBe(2);
    spool.close();
    rmSync(dir, { recursive: true });
  });

  it('notes once that the cache cannot be written, and gives no table, when the facts file cannot be made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-behind-'));
    const tree = copiedTree(1.5);
    const spool = new ByteSpool(join(dir, 'spool'));
    const packed = tree.packed(spool);
    // The cache folder is a file: no facts file can be made in it.
    writeFileSync(join(dir, 'cache'), '');
    const notes: string[] = [];
    const cache = new IndexCache(join(dir, 'cache'), 'k', (n) => notes.push(n));
    const writer = new FactsWriter(cache, tree.manifest, spool);
    await expandFrames(tree.parsed(), profile, 'scan', keep, { packed, spool, later: (f) => writer.add(f) }, 1);
    expect(await writer.done()).toBeNull();
    cache.writeFailed('again');
    expect(notes.length).toBe(1);
    expect(notes[0]).toMatch(/^cannot write the index cache in .*cache \(.*\); continuing without it$/);
    spool.close();
    rmSync(dir, { recursive: true });
  });
});
