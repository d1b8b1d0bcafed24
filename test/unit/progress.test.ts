import { describe, expect, it } from 'vitest';
import { progressReporter, QUIET_BELOW_FILES } from '../../src/cli/progress.js';

/** A stream that keeps what is written to it. */
const sink = (isTTY: boolean) => {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) > 0 }, written };
};

describe('indexing progress', () => {
  it('says once, on a stream that is not a TTY, that a large index begins', () => {
    const { stream, written } = sink(false);
    const p = progressReporter(stream);
    for (let files = 0; files <= 3; files++) p.update({ files, totalFiles: 43_328, bytes: files * 1e6, totalBytes: 1.1e9 });
    p.done();
    expect(written).toEqual(['pathfind: indexing 43,328 files (1100 MB); later queries reuse the index cache\n']);
  });

  it('says nothing about a small tree on a stream that is not a TTY', () => {
    const { stream, written } = sink(false);
    progressReporter(stream).update({ files: 1, totalFiles: QUIET_BELOW_FILES - 1, bytes: 10, totalBytes: 100 });
    expect(written).toEqual([]);
  });

  it('draws a bar on a TTY and clears it when done', () => {
    const { stream, written } = sink(true);
    const p = progressReporter(stream);
    p.update({ files: 10, totalFiles: 10, bytes: 100, totalBytes: 100 });
    p.done();
    expect(written[0]).toMatch(/^\rindexing \[#+\] 10\/10 files/);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
