import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FACTS_PER_FRAME, IndexCache, chunk } from '../../src/cache/index-cache.js';
import { CACHE_FORMAT } from '../../src/cache/index-cache.js';
import { EncodedFrame, FrameCopy, FrameFile, decodeFactsFrame } from '../../src/cache/frame-file.js';
import { FactsLayout } from '../../src/cache/facts-layout.js';
import { writtenFacts } from '../../src/cache/rewrite-facts.js';
import type { FileFacts } from '../../src/types/facts.js';

/** A file's facts as far as the facts file cares: JSON with strings that hold brackets, quotes and escapes. */
const facts = (i: number, edit = ''): FileFacts => ({ path: `drivers/f${i}.c`, functions: [{ name: `f${i}${edit}`, line: i, calls: [{ name: 'g', line: 2, text: '"[{\\,}]"' }] }] }) as unknown as FileFacts;

describe('facts frames written again with a patch overlay (rewrite-facts.ts)', () => {
  it('copies the frames whose files stand as stored and writes the others with the given facts in place, each file as JSON.stringify writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-rewrite-'));
    const count = FACTS_PER_FRAME * 2 + 17;
    const stored = Array.from({ length: count }, (_, i) => facts(i));
    const cache = new IndexCache(dir, 'aaaaaaaaaaaa', () => {});
    cache.save('facts', stored.map((f) => ({ path: f.path, size: 1, mtimeMs: 1 })), chunk(stored, FACTS_PER_FRAME));
    const file = FrameFile.open(cache.filePath('facts'), CACHE_FORMAT, true);
    if (typeof file === 'string') throw new Error(file);
    // Two files of the second frame and the last file of the third edited; the first frame untouched.
    const written = new Map([FACTS_PER_FRAME + 3, FACTS_PER_FRAME + 150, count - 1].map((at) => [at, facts(at, '_edited')]));
    const out = writtenFacts(file, FactsLayout.of(undefined), count, count, written);
    expect(out.encoded).toBe(2);
    expect(out.frames.map((f) => (f instanceof FrameCopy ? 'copied' : f instanceof EncodedFrame ? 'encoded' : 'other'))).toEqual(['copied', 'encoded', 'encoded']);
    const now = stored.map((f, at) => written.get(at) ?? f);
    out.frames.forEach((f, k) => {
      if (!(f instanceof EncodedFrame)) return;
      expect(decodeFactsFrame(f.bytes as Buffer)).toBe(JSON.stringify(now.slice(k * FACTS_PER_FRAME, (k + 1) * FACTS_PER_FRAME)));
    });
    file.close();
  });
});
