import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKept, writeKept } from '../../src/cache/kept-beside.js';

const isText = (v: unknown): v is string => typeof v === 'string';

describe('values kept beside a graph cache file', () => {
  it('replace the value kept before them, leaving one file and no temporary one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathfind-kept-'));
    const beside = { base: join(dir, 'key'), identity: '1:2:3:4' };
    writeKept(beside, 'rows', 1, 'before');
    writeKept(beside, 'rows', 1, 'after');
    expect(readKept(beside, 'rows', 1, isText)).toBe('after');
    expect(readdirSync(dir)).toEqual(['key.rows']);
  });

  it('read as nothing kept for another graph file or version', () => {
    const beside = { base: join(mkdtempSync(join(tmpdir(), 'pathfind-kept-')), 'key'), identity: '1:2:3:4' };
    writeKept(beside, 'rows', 1, 'value');
    expect(readKept({ ...beside, identity: '1:2:3:5' }, 'rows', 1, isText)).toBeNull();
    expect(readKept(beside, 'rows', 2, isText)).toBeNull();
  });
});
