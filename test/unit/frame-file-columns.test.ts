import { mkdtempSync, openSync, closeSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeColumns } from '../../src/cache/columns.js';
import { FrameFile, MAGIC, writeFrameFileAtomically } from '../../src/cache/frame-file.js';

const FORMAT = 7;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A graph-like file: a manifest frame, then a columnar frame of `value`. */
function write(path: string, value: unknown): void {
  writeFrameFileAtomically(path, MAGIC, FORMAT, [encodeColumns([{ path: 'a.c', size: 1, mtimeMs: 2 }]), encodeColumns(value)]);
}

const sample = (base: number) => ({
  to: Int32Array.from({ length: 5000 }, (_, i) => base * 1_000_000 + ((i * 7919) % 5000)),
  names: Array.from({ length: 5000 }, (_, i) => `fn_${base}_${i}`),
  evidence: `${base}\tline\n`.repeat(200_000),
});

function open(path: string): FrameFile {
  const file = FrameFile.open(path, FORMAT, false);
  if (typeof file === 'string') throw new Error(file);
  return file;
}

/** A fresh folder holding x.graph written from sample(1), opened, with its columnar frame decoded (its columns not read yet). */
function openedSample(): { dir: string; path: string; file: FrameFile; value: ReturnType<typeof sample> } {
  const dir = mkdtempSync(join(tmpdir(), 'pf-frame-'));
  dirs.push(dir);
  const path = join(dir, 'x.graph');
  write(path, sample(1));
  const file = open(path);
  return { dir, path, file, value: file.value<ReturnType<typeof sample>>(1) };
}

describe('a columnar frame of a cache file', () => {
  it('is read a column at a time: a column is read from the file when first used, not when the frame is decoded', () => {
    const { path, file, value } = openedSample();
    // Written in place after decoding (never done by pathfind, whose writers rename): the column read later sees it.
    const bytes = encodeColumns(sample(1));
    const at = bytes.indexOf(Buffer.from(new Int32Array([1_000_000, 1_000_000 + 2919]).buffer));
    expect(at).toBeGreaterThan(0);
    const fd = openSync(path, 'r+');
    const frameStart = 8 + 4 + file.frameBytes(0) + 4;
    writeSync(fd, Buffer.from(new Int32Array([-5]).buffer), 0, 4, frameStart + at);
    closeSync(fd);
    expect(value.to[0]).toBe(-5);
    expect(value.to[1]).toBe(1_000_000 + 2919);
    file.close();
  });

  it('stays readable after the file is closed and another is renamed over it: the values are those of the file opened', () => {
    const { dir, path, file, value } = openedSample();
    file.close();
    write(join(dir, 'y.graph'), sample(2));
    renameSync(join(dir, 'y.graph'), path);
    const want = sample(1);
    expect(value.to).toEqual(want.to);
    expect(value.names[4999]).toBe(want.names[4999]);
    expect(value.evidence).toBe(want.evidence);
  });
});
