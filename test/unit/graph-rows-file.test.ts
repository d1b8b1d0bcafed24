import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { readGraphRows, writeGraphRows } from '../../src/api/graph-rows-file.js';
import type { GraphRows } from '../../src/graph/graph-rows.js';

/** Rows of `nodes` nodes with every row two edges long, as rowsOf makes them (steps of one byte). */
function rows(nodes: number, step: number): GraphRows {
  return { edges: nodes * 2, nodes, lengths: new Uint8Array(nodes).fill(2), long: new Int32Array(0), steps: new Uint8Array(nodes * 2).fill(step) };
}

describe('call graph rows kept in a file', () => {
  it("read back each filter's rows as written, inflated only when a filter's arrays are read", () => {
    const beside = { base: join(mkdtempSync(join(tmpdir(), 'pathfind-rows-file-')), 'key'), identity: '1:2:3:4' };
    const written = new Map([
      ['0:9:1', rows(1000, 2)],
      ['0:9:0', rows(500, 4)],
    ]);
    writeGraphRows(beside, written);
    const read = readGraphRows(beside);
    expect([...read.keys()]).toEqual([...written.keys()]);
    for (const [key, r] of read) {
      // Not inflated yet: the arrays are read through getters.
      expect(Object.getOwnPropertyDescriptor(r, 'steps')!.get, key).toBeTypeOf('function');
      expect(Object.getOwnPropertyDescriptor(r, 'lengths')!.get, key).toBeTypeOf('function');
      expect({ ...r }).toEqual(written.get(key));
      // Inflated once: the same array each time.
      expect(r.steps).toBe(r.steps);
    }
  });

  it("read a filter whose arrays do not inflate as empty rows (which no graph fits), and the other filter's as written", () => {
    const beside = { base: join(mkdtempSync(join(tmpdir(), 'pathfind-rows-file-')), 'key'), identity: '1:2:3:4' };
    writeGraphRows(beside, new Map([
      ['0:9:1', rows(1000, 2)],
      ['0:9:0', rows(500, 4)],
    ]));
    const path = `${beside.base}.rows`;
    const file = deserialize(readFileSync(path)) as { value: Record<string, GraphRows> };
    file.value['0:9:0']!.steps = new Uint8Array([1, 2, 3, 4, 5]);
    writeFileSync(path, serialize(file));
    const read = readGraphRows(beside);
    expect(read.get('0:9:0')!.steps.length).toBe(0);
    expect({ ...read.get('0:9:1')! }).toEqual(rows(1000, 2));
  });
});
