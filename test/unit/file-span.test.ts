import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import { SpanFiles } from '../../src/cache/file-span.js';
import { FrameFile, MAGIC, writeFrameFileAtomically } from '../../src/cache/frame-file.js';

const FORMAT = 7;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const manifest = [{ path: 'a.c', size: 1, mtimeMs: 2 }];
const sample = () => ({
  edges: {
    from: Int32Array.from({ length: 20_000 }, (_, i) => i >> 4),
    to: Int32Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_000),
    line: Int32Array.from({ length: 20_000 }, (_, i) => i % 3000),
  },
  names: Array.from({ length: 5000 }, (_, i) => `fn_${i}`),
});

/** A graph-like file of sample() in a fresh folder, opened, its columnar frame decoded and none of its columns read. */
function opened(): { path: string; file: FrameFile; value: ReturnType<typeof sample> } {
  const dir = mkdtempSync(join(tmpdir(), 'pf-span-'));
  dirs.push(dir);
  const path = join(dir, 'x.graph');
  writeFrameFileAtomically(path, MAGIC, FORMAT, [encodeColumns(manifest), encodeColumns(sample())]);
  const file = FrameFile.open(path, FORMAT, false);
  if (typeof file === 'string') throw new Error(file);
  return { path, file, value: file.value<ReturnType<typeof sample>>(1) };
}

/** The value as the writer's thread is given it (a structured clone of detachedForWriting's), written to `path` the way the writer writes it. */
function writeDetached(path: string, value: unknown): void {
  const handed = structuredClone(detachedForWriting(value));
  const spans = new SpanFiles();
  try {
    writeFrameFileAtomically(path, MAGIC, FORMAT, [encodeColumns(manifest), encodeColumnParts(handed, undefined, spans)]);
  } finally {
    spans.close();
  }
}

describe('columns handed to the writer by their place in the cache file', () => {
  it('names an unread column by where its bytes lie, not by its bytes, and the file written from it is the frame of the value', () => {
    const { path, file, value } = opened();
    // One column read and changed in place, one read and left as it was, the others unread.
    value.edges.line[5] = 2999;
    void value.edges.to[0];
    const expected = encodeColumns({ edges: { from: sample().edges.from, to: sample().edges.to, line: value.edges.line }, names: sample().names });
    const handed = detachedForWriting(value) as { edges: Record<string, Record<string, unknown>>; names: Record<string, unknown> };
    expect(handed.edges.from!.place).toMatchObject({ path });
    expect(handed.edges.from!.bytes).toBeUndefined();
    expect(handed.names.place).toMatchObject({ path });
    expect(handed.edges.to!.bytes).toBeUndefined();
    writeDetached(path, value);
    file.close();
    const back = FrameFile.open(path, FORMAT, false);
    if (typeof back === 'string') throw new Error(back);
    try {
      expect(back.raw(1).equals(expected)).toBe(true);
    } finally {
      back.close();
    }
  });

  it('refuses to copy from a cache file another writer renamed over meanwhile: the file it holds stays whole', () => {
    const { path, file, value } = opened();
    const other = join(path, '..', 'other.graph');
    writeFrameFileAtomically(other, MAGIC, FORMAT, [encodeColumns(manifest), encodeColumns({ ...sample(), names: ['else'] })]);
    renameSync(other, path);
    const now = readFileSync(path);
    expect(() => writeDetached(path, value)).toThrow(/changed since it was read/);
    expect(readFileSync(path).equals(now)).toBe(true);
    file.close();
  });
});
