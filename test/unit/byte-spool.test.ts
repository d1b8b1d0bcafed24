import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ByteSpool } from '../../src/util/byte-spool.js';

/** `n` bytes of every value, from a view into a larger buffer. */
const bytesOf = (n: number, seed: number): Uint8Array => {
  const all = new Uint8Array(n + 10);
  for (let i = 0; i < all.length; i++) all[i] = (i * 7 + seed) & 255;
  return all.subarray(5, n + 5);
};

const folders: string[] = [];
const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-spool-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('byte spool', () => {
  it('gives back each run of bytes put, in any order, in a buffer of its own or in the one given', () => {
    const spool = new ByteSpool(folder());
    try {
      const runs = [0, 1, 300, 70_000, 5 << 20, 17].map((n, k) => bytesOf(n, k));
      const held = runs.map((bytes) => spool.put(bytes));
      expect(held.map((h) => h.length)).toEqual(runs.map((r) => r.length));
      for (const k of [3, 0, 5, 1, 4, 2]) {
        const back = held[k]!.read();
        expect(back.equals(runs[k]!)).toBe(true);
        // A buffer of its own: the whole ArrayBuffer, so it can be transferred to a worker thread.
        expect(back.byteOffset).toBe(0);
        expect(back.buffer.byteLength).toBe(back.length);
        const into = Buffer.alloc(runs[k]!.length + 9, 0xaa);
        const again = held[k]!.read(into);
        expect(again.equals(runs[k]!)).toBe(true);
        expect(again.buffer).toBe(into.buffer);
      }
    } finally {
      spool.close();
    }
  });

  it('leaves no file in its folder, while open and once closed', () => {
    const dir = folder();
    const spool = new ByteSpool(dir);
    spool.put(bytesOf(1000, 1));
    expect(readdirSync(dir)).toEqual([]);
    spool.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes its folder when there is none, and keeps the bytes in memory when none can be made', () => {
    const dir = join(folder(), 'a', 'b');
    const spool = new ByteSpool(dir);
    expect(spool.put(bytesOf(10, 2)).read().equals(bytesOf(10, 2))).toBe(true);
    spool.close();
    const file = join(folder(), 'file');
    writeFileSync(file, 'x');
    const memory = new ByteSpool(join(file, 'below'));
    const bytes = bytesOf(300, 5);
    const held = memory.put(bytes);
    bytes.fill(0);
    expect(held.read().equals(bytesOf(300, 5))).toBe(true);
    memory.close();
  });

  it('refuses a buffer too small for the bytes, and reading after it is closed', () => {
    const spool = new ByteSpool(folder());
    const held = spool.put(bytesOf(10, 3));
    expect(() => held.read(Buffer.alloc(9))).toThrow(RangeError);
    spool.close();
    expect(() => held.read()).toThrow();
  });
});

describe('byte spool that cannot write', () => {
  it('keeps the bytes in memory when they cannot be written (here: the spool closed)', () => {
    const spool = new ByteSpool(folder());
    spool.close();
    const bytes = bytesOf(1000, 4);
    const held = spool.put(bytes);
    bytes.fill(0);
    expect(held.read().equals(bytesOf(1000, 4))).toBe(true);
  });
});
