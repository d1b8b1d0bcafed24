import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SCOPES, pruneScopes } from '../../src/cache/prune-scopes.js';

const HOUR = 3600_000;

/** A cache folder with the given files, each with its mtime `ago` milliseconds before `now`. */
function folder(files: [name: string, ago: number][], now: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'pathfind-prune-'));
  for (const [name, ago] of files) {
    writeFileSync(join(dir, name), 'x');
    utimesSync(join(dir, name), (now - ago) / 1000, (now - ago) / 1000);
  }
  return dir;
}

const key = (i: number): string => `00000000000${i}`.slice(-12);

describe('pruneScopes', () => {
  it('keeps the current scope and the most recently written others, up to MAX_SCOPES in all', () => {
    const now = Date.now();
    // Scope 0 is the oldest but current; scopes 1..6 were written 1..6 hours ago.
    const files: [string, number][] = [[`${key(0)}.facts`, 50 * HOUR], [`${key(0)}.graph`, 50 * HOUR]];
    for (let i = 1; i <= 6; i++) files.push([`${key(i)}.facts`, i * HOUR + 5], [`${key(i)}.graph`, i * HOUR]);
    const dir = folder(files, now);
    const removed = pruneScopes(dir, key(0), now);
    const kept = new Set(readdirSync(dir).map((f) => f.split('.')[0]));
    expect([...kept].sort()).toEqual([key(0), key(1), key(2), key(3)]);
    expect(kept.size).toBe(MAX_SCOPES);
    expect(removed.sort()).toEqual([4, 5, 6].flatMap((i) => [`${key(i)}.facts`, `${key(i)}.graph`]));
  });

  it('keeps a scope written in the last ten minutes, however many there are', () => {
    const now = Date.now();
    const files: [string, number][] = [];
    for (let i = 1; i <= 6; i++) files.push([`${key(i)}.graph`, i * 60_000]);
    files.push([`${key(7)}.graph`, 11 * 60_000]);
    const dir = folder(files, now);
    expect(pruneScopes(dir, key(1), now)).toEqual([`${key(7)}.graph`]);
    expect(readdirSync(dir)).toHaveLength(6);
  });

  it('removes temporary files a writer left over an hour ago, and nothing that is not a cache file', () => {
    const now = Date.now();
    const dir = folder(
      [
        [`${key(1)}.graph`, 0],
        [`${key(1)}.graph.123.456.tmp`, 2 * HOUR],
        [`${key(1)}.facts.124.457.tmp`, 60_000],
        ['.gitignore', 100 * HOUR],
        ['notes.txt', 100 * HOUR],
      ],
      now,
    );
    expect(pruneScopes(dir, key(1), now)).toEqual([`${key(1)}.graph.123.456.tmp`]);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', `${key(1)}.facts.124.457.tmp`, `${key(1)}.graph`, 'notes.txt']);
  });

  it('leaves a folder it cannot read alone', () => {
    expect(pruneScopes(join(tmpdir(), 'pathfind-no-such-folder-xyz'), key(1))).toEqual([]);
  });
});
