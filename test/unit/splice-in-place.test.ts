import { describe, expect, it } from 'vitest';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { type EdgeChanges, splicedEdges } from '../../src/resolve/splice-edges.js';
import { storedColumn } from '../../src/resolve/stored-column.js';
import { closeRooms, sharedWithRoom } from '../../src/util/shared-arrays.js';

/** Edges 0..n-1 by caller (three each), callers and callees made with room (as renumberEdges makes them) or plain. */
function sample(n: number, room: boolean): EdgeSnapshot {
  const i32 = (f: (i: number) => number): Int32Array => {
    const a = room ? sharedWithRoom(Int32Array, n, 16) : new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = f(i);
    return a;
  };
  return { from: i32((i) => Math.floor(i / 3)), to: i32((i) => 1000 + i), kind: new Uint8Array(n), line: Int32Array.from({ length: n }, (_, i) => i * 2), proof: new Int32Array(n).fill(-1), deferred: new Uint8Array(n), bind: new Uint8Array(n), site: Int32Array.from({ length: n }, (_, i) => i % 3) } as unknown as EdgeSnapshot;
}

/** Edges `dropped` left out, and an added edge (caller, callee, call site) each. */
function changes(of: EdgeSnapshot, dropped: number[], added: [number, number, number][]): EdgeChanges {
  return {
    dropped: new Set(dropped),
    added: added.flatMap(([from, to, site]) => [from, to, 0, 7, site, 0]),
    block: () => 0,
    siteOf: (e) => storedColumn(of, 'site')!.at(e),
    column: (name) => storedColumn(of, name),
    movedLine: new Map([[5, 99]]),
    movedSite: new Map(),
  };
}

const KEYS = ['from', 'to', 'kind', 'line', 'proof', 'deferred', 'bind', 'site'] as const;
const rowsOf = (e: EdgeSnapshot): number[][] => KEYS.map((k) => [...e[k]!]);

describe('splicedEdges over callers and callees made with room', () => {
  // Whether the kept runs all move one way (spliced in place), or some later and some earlier (copied).
  const cases: [string, number[], [number, number, number][], boolean][] = [
    ['edges added only', [], [[2, 5, 1], [0, 9, 0], [9, 1, 5]], true],
    ['edges dropped only', [4, 10], [], true],
    ['an edge dropped before one added', [4], [[6, 2, 9]], true],
    ['an edge dropped before two added', [4], [[6, 2, 9], [6, 3, 9]], false],
  ];
  for (const [what, dropped, added, oneWay] of cases) {
    it(`gives the rows a copy gives: ${what}`, () => {
      closeRooms();
      const plain = sample(30, false);
      const grown = sample(30, true);
      const buffer = grown.from.buffer;
      const a = splicedEdges(plain, changes(plain, dropped, added));
      const b = splicedEdges(grown, changes(grown, dropped, added));
      expect(rowsOf(b)).toEqual(rowsOf(a));
      expect(b.from.buffer === buffer).toBe(oneWay);
    });
  }
});
