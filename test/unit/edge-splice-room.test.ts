import { describe, expect, it } from 'vitest';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { applySplices, type EdgeSplice } from '../../src/resolve/edge-splice.js';
import { heldNarrow, holdNarrow } from '../../src/util/narrow-views.js';
import { splice } from '../support/edge-splices.js';
import { closeRooms, grownInPlace, sharedWithRoom } from '../../src/util/shared-arrays.js';

/** Edge rows whose `to` column names each edge, each column made with room (as GraphPatch.finish makes them) or plain. */
function rows(to: number[], room: boolean): EdgeSnapshot {
  const i32 = (f: (t: number) => number): Int32Array => {
    const a = room ? sharedWithRoom(Int32Array, to.length, 8) : new Int32Array(to.length);
    to.forEach((t, i) => (a[i] = f(t)));
    return a;
  };
  const u8 = (v: number): Uint8Array => {
    const a = room ? sharedWithRoom(Uint8Array, to.length, 8) : new Uint8Array(to.length);
    return a.fill(v);
  };
  return { from: i32(() => 1), to: i32((t) => t), kind: u8(2), line: i32((t) => t * 10), proof: i32((t) => t + 100), deferred: u8(0), bind: u8(0), site: i32((t) => t) } as unknown as EdgeSnapshot;
}


const columns = (e: EdgeSnapshot): number[][] => [e.from, e.to, e.kind, e.line, e.proof, e.deferred, e.bind, e.site!].map((c) => [...c]);

describe('applySplices on columns made with room', () => {
  const cases: [string, number[], () => EdgeSplice[]][] = [
    ['insertions only (runs move later)', [0, 1, 2, 3, 4, 5], () => [splice(1, 1, [9]), splice(4, 4, [40, 41]), splice(6, 6, [60])]],
    ['drops only (runs move earlier)', [0, 1, 2, 3, 4, 5], () => [splice(1, 2, []), splice(3, 5, [30])]],
    ['runs moving both ways (copied)', [0, 1, 2, 3, 4, 5], () => [splice(0, 2, []), splice(4, 4, [40, 41, 42])]],
  ];
  for (const [what, to, splices] of cases) {
    it(`gives the rows a copy gives: ${what}`, () => {
      closeRooms();
      const copied = rows(to, false);
      applySplices(copied, splices());
      const grown = rows(to, true);
      applySplices(grown, splices());
      expect(columns(grown)).toEqual(columns(copied));
    });
  }

  it('grows a column in place, over the same memory, only within the patch that made it', () => {
    closeRooms();
    const edges = rows([0, 1, 2, 3], true);
    const buffer = edges.to.buffer;
    applySplices(edges, [splice(2, 2, [7])]);
    expect(edges.to.buffer).toBe(buffer);
    expect([...edges.to]).toEqual([0, 1, 7, 2, 3]);
    closeRooms();
    const kept = edges.to;
    applySplices(edges, [splice(0, 0, [5])]);
    expect(edges.to.buffer).not.toBe(buffer);
    expect([...kept]).toEqual([0, 1, 7, 2, 3]);
    expect([...edges.to]).toEqual([5, 0, 1, 7, 2, 3]);
  });

  it('grows a 16-bit line column in 16 bits, and copies it when the room is too small', () => {
    closeRooms();
    const edges = rows([0, 1, 2], true);
    const line = sharedWithRoom(Uint16Array, 3, 1);
    line.set([0, 10, 20]);
    holdNarrow(edges, 'line', line);
    applySplices(edges, [splice(1, 1, [5])]);
    expect(heldNarrow(edges, 'line')!.buffer).toBe(line.buffer);
    expect([...heldNarrow(edges, 'line')!]).toEqual([0, 50, 10, 20]);
    applySplices(edges, [splice(0, 0, [6, 8])]);
    expect(heldNarrow(edges, 'line')!.buffer).not.toBe(line.buffer);
    expect([...heldNarrow(edges, 'line')!]).toEqual([60, 80, 0, 50, 10, 20]);
  });

  it('grownInPlace refuses an array made without room, or past its room', () => {
    closeRooms();
    expect(grownInPlace(new Int32Array(4), 4)).toBeNull();
    const a = sharedWithRoom(Int32Array, 4, 2);
    expect(grownInPlace(a, 7)).toBeNull();
    expect(grownInPlace(a, 6)!.length).toBe(6);
  });
});
