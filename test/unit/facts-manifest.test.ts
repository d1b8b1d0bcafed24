import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedFacts, factsManifest, keepFactsHeld, keptFactsHeld, storedFactsOf, vouchFacts } from '../../src/cache/cached-facts.js';
import { FactsLayout } from '../../src/cache/facts-layout.js';
import type { FileFacts } from '../../src/types/facts.js';
import type { FrameFile } from '../../src/cache/frame-file.js';

/** A facts file as factsManifest reads it: its identity, and a frame 0 decoded afresh at each call (counted). */
const fileOf = (identity: string, entries: { path: string; size: number; mtimeMs: number }[]) => {
  const value = vi.fn(() => entries.map((e) => ({ ...e })));
  return { file: { identity, value, close: () => undefined } as unknown as FrameFile, value };
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

describe('vouchFacts', () => {
  // The facts file lists a.c and b.c as they were; b.c was edited since, and its new facts are in the overlay.
  const stored = [{ path: 'a.c', size: 1, mtimeMs: 1 }, { path: 'b.c', size: 2, mtimeMs: 2 }];
  const now = [{ path: 'a.c', size: 1, mtimeMs: 1 }, { path: 'b.c', size: 3, mtimeMs: 3 }];
  const facts = (path: string): FileFacts => ({ path }) as FileFacts;

  it('lets the reader after a patch take the facts file as holding for the very manifest, overlay and layout the patch vouched for', () => {
    const { file } = fileOf('2:20:200:9', stored);
    const overlay = new Map([[1, facts('b.c')]]);
    const layout = FactsLayout.of(undefined);
    vouchFacts(file, 2, now, overlay, layout);
    // a.c stands as stored: a manifest that says otherwise is caught by the check, which a vouched one skips.
    const other = [{ path: 'a.c', size: 5, mtimeMs: 5 }, now[1]!];
    expect(CachedFacts.open(() => file, now, overlay, layout)).not.toBeNull();
    expect(CachedFacts.open(() => file, other, overlay, layout)).toBeNull();
    // The overlay grown since, or another file: checked in full.
    overlay.set(0, facts('a.c'));
    expect(CachedFacts.open(() => file, other, overlay, layout)).not.toBeNull();
    overlay.delete(0);
    vouchFacts(file, 2, other, overlay, layout);
    expect(CachedFacts.open(() => fileOf('2:21:200:9', stored).file, other, overlay, layout)).toBeNull();
  });

  it('vouches for nothing when an overlay path or the entry count is not the manifest\'s', () => {
    const { file } = fileOf('3:30:300:9', stored);
    const layout = FactsLayout.of(undefined);
    const wrongPath = new Map([[1, facts('c.c')]]);
    expect(vouchFacts(file, 2, now, wrongPath, layout)).toBe(false);
    expect(CachedFacts.open(() => file, now, wrongPath, layout)).toBeNull();
    const longer = [...now, { path: 'c.c', size: 1, mtimeMs: 1 }];
    const overlay = new Map([[1, facts('b.c')], [2, facts('c.c')]]);
    expect(vouchFacts(file, 2, longer, overlay, layout)).toBe(false);
    expect(CachedFacts.open(() => file, longer, overlay, layout)).toBeNull();
  });
});

describe('the record of a facts file holding for a graph (keepFactsHeld)', () => {
  const stored = [{ path: 'a.c', size: 1, mtimeMs: 1 }, { path: 'b.c', size: 2, mtimeMs: 2 }];

  it('is read back for the same graph and the same facts file only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-held-'));
    try {
      const beside = { base: join(dir, '0123456789ab'), identity: 'g:one' };
      const { file } = fileOf('4:40:400:9', stored);
      expect(keptFactsHeld(beside, file)).toBeNull();
      keepFactsHeld(beside, file, 2);
      expect(keptFactsHeld(beside, file)).toBe(2);
      // Another facts file (written again: another inode), another graph, or a file of unknown identity: nothing held.
      expect(keptFactsHeld(beside, fileOf('4:41:400:9', stored).file)).toBeNull();
      expect(keptFactsHeld({ ...beside, identity: 'g:two' }, file)).toBeNull();
      expect(keptFactsHeld(beside, fileOf('', stored).file)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a patch take the facts file as holding without decoding its manifest', () => {
    const layout = FactsLayout.of(undefined);
    const graph = [{ path: 'a.c', size: 1, mtimeMs: 1 }, { path: 'b.c', size: 2, mtimeMs: 2 }];
    const held = fileOf('5:50:500:9', stored);
    expect(storedFactsOf(held.file, graph, new Map(), layout, [], 2)?.stored).toBe(2);
    expect(held.value).not.toHaveBeenCalled();
    // Without the record, the manifest is decoded and checked: a facts file of other files does not hold.
    const other = fileOf('5:51:500:9', [{ path: 'a.c', size: 9, mtimeMs: 9 }, stored[1]!]);
    expect(storedFactsOf(other.file, graph, new Map(), layout, [], null)).toBeNull();
    expect(other.value).toHaveBeenCalledTimes(1);
  });
});
