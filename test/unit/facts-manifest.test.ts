import { describe, expect, it, vi } from 'vitest';
import { factsManifest } from '../../src/cache/cached-facts.js';
import type { FrameFile } from '../../src/cache/frame-file.js';

/** A facts file as factsManifest reads it: its identity, and a frame 0 decoded afresh at each call (counted). */
const fileOf = (identity: string, entries: { path: string; size: number; mtimeMs: number }[]) => {
  const value = vi.fn(() => entries.map((e) => ({ ...e })));
  return { file: { identity, value } as unknown as FrameFile, value };
};

describe('factsManifest', () => {
  it('decodes the manifest of one facts file once, however often it is opened (the patch, then the reader after it)', () => {
    const entries = [{ path: 'a.c', size: 1, mtimeMs: 2 }];
    const first = fileOf('1:10:100:5', entries);
    const again = fileOf('1:10:100:5', entries);
    const m = factsManifest(first.file);
    expect(m).toEqual(entries);
    expect(factsManifest(again.file)).toBe(m);
    expect(first.value).toHaveBeenCalledTimes(1);
    expect(again.value).not.toHaveBeenCalled();
  });

  it('decodes again a file of another identity (rewritten: another inode or mtime), and one whose identity is unknown', () => {
    const old = fileOf('1:10:100:5', [{ path: 'a.c', size: 1, mtimeMs: 2 }]);
    factsManifest(old.file);
    const rewritten = fileOf('1:11:100:6', [{ path: 'a.c', size: 3, mtimeMs: 4 }]);
    expect(factsManifest(rewritten.file)).toEqual([{ path: 'a.c', size: 3, mtimeMs: 4 }]);
    expect(rewritten.value).toHaveBeenCalledTimes(1);
    const unknown = fileOf('', [{ path: 'b.c', size: 1, mtimeMs: 1 }]);
    factsManifest(unknown.file);
    factsManifest(unknown.file);
    expect(unknown.value).toHaveBeenCalledTimes(2);
  });
});
