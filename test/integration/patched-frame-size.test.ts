import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { encodeFactsFrame } from '../../src/cache/frame-file.js';
import { fixturesDir } from '../support/fixtures.js';
import { join } from 'node:path';

/**
 * A facts frame a patch encodes again on its own (an edited, added or deleted file's frame) stays
 * within a few percent of the size a full index gives it, so that a cache patched many times
 * stays under its disk budget (200 MB for a whole Linux tree, 195 MB after a full index): on Linux
 * 6.1 frames, Brotli quality 3 made them 26-32% larger than quality 7, quality 5 4-6%.
 */
describe('a facts frame encoded again by a patch', () => {
  it('is at most 8% larger than the full index encodes it', async () => {
    const { project } = await openTreeReport({ root: join(fixturesDir, 'minikernel'), cache: false });
    const files = Array.from({ length: project.index.files.length }, (_, i) => project.index.fileFacts(i));
    const json = JSON.stringify(files);
    expect(json.length).toBeGreaterThan(100_000);
    const full = encodeFactsFrame(json).length;
    const patched = encodeFactsFrame(json, true).length;
    expect(patched / full).toBeLessThan(1.08);
  });
});
