import { describe, expect, it } from 'vitest';
import { EdgeList } from '../../src/resolve/edge-list.js';
import { IntList } from '../../src/util/int-list.js';

/** Edges with every column used: lines and sites past 16 bits (widened), evidence, deferred and bind flags. */
function filled(list: EdgeList, from: number, to: number): EdgeList {
  for (let e = from; e < to; e++) {
    list.add(e >> 1, (e * 7919) % 5000, e % 7, e % 11 === 0 ? 40_000 + e : e % 5, e % 13 === 0 ? 70_000 + e : 1 + e, e % 9 === 0 ? { file: `f${e % 4}.c`, line: e, text: `.op = fn${e % 6}` } : undefined);
    if (e % 17 === 0) list.markDeferred(list.length - 1, list.length);
    if (e % 19 === 0) list.markBind(list.length - 1, list.length, 1 + (e % 2));
  }
  return list;
}

describe('room made ahead in an IntList and an EdgeList', () => {
  it('an IntList with room reserved keeps its values and its storage while it is filled up to that room', () => {
    const list = new IntList(16);
    for (let i = 0; i < 100; i++) list.push(i * 3);
    list.reserve(5000);
    const storage = list.view().buffer;
    for (let i = 100; i < 5000; i++) list.push(i * 3);
    expect(list.view().buffer).toBe(storage);
    expect(list.toArray()).toEqual(Int32Array.from({ length: 5000 }, (_, i) => i * 3));
    // A narrow list keeps its width when room is made, and widens as before.
    const narrow = IntList.narrow('u16', 4);
    narrow.push(7);
    narrow.reserve(1000);
    expect(narrow.view()).toBeInstanceOf(Uint16Array);
    narrow.push(1 << 20);
    expect([...narrow.toArray()]).toEqual([7, 1 << 20]);
  });

  it('an EdgeList with room reserved holds the same edges, and its snapshot is the same', () => {
    const reserved = filled(new EdgeList(), 0, 700);
    reserved.reserve(2 * reserved.length);
    filled(reserved, 700, 1400);
    expect(reserved.snapshot()).toEqual(filled(new EdgeList(), 0, 1400).snapshot());
  });

  it("a snapshot sharing the list's columns holds what a copied one does, its 32-bit and byte columns over the list's own storage", () => {
    const list = filled(new EdgeList(), 0, 3000);
    const shared = list.snapshot({ shared: true });
    expect(shared).toEqual(list.snapshot());
    expect(shared.from.buffer).toBe(list.from.view().buffer);
    expect(shared.to.buffer).toBe(list.to.view().buffer);
    expect(shared.kind.buffer).toBe(list.kind.view().buffer);
    expect(shared.from.length).toBe(3000);
  });
});
