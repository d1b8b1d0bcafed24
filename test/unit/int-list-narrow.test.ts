import { describe, expect, it } from 'vitest';
import { encodeColumns, decodeColumns } from '../../src/cache/columns.js';
import { EdgeList, type EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { IntList } from '../../src/util/int-list.js';
import { narrowView } from '../../src/util/narrow-views.js';

describe('an IntList adopted narrow', () => {
  it('reads the narrow values as they are, and widens them to 32 bits at the first write', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const list = IntList.adoptNarrow(bytes);
    expect(list.view()).toBeInstanceOf(Uint8Array);
    expect(list.get(255)).toBe(255);
    list.set(3, 70_000);
    expect(list.get(3)).toBe(70_000);
    expect(list.view()).toBeInstanceOf(Int32Array);
    expect(bytes[3]).toBe(3); // the adopted array is not written
    const shorts = IntList.adoptNarrow(Int16Array.of(-1, 5, -300));
    shorts.push(1 << 20);
    expect([...shorts.toArray()]).toEqual([-1, 5, -300, 1 << 20]);
    expect(IntList.adoptNarrow(Uint16Array.of(1, 65535)).toArray()).toEqual(Int32Array.of(1, 65535));
  });

  it('lets an EdgeList over a decoded cache snapshot read its 8- and 16-bit columns without widening them', () => {
    const m = 5000;
    const snapshot: EdgeSnapshot = {
      from: Int32Array.from({ length: m }, (_, e) => e >> 2),
      to: Int32Array.from({ length: m }, (_, e) => (e * 7919) % 100_000),
      kind: Uint8Array.from({ length: m }, (_, e) => e % 5),
      line: Int32Array.from({ length: m }, (_, e) => 1 + ((e * 31) % 60_000)),
      site: Int32Array.from({ length: m }, (_, e) => (e % 9) - 1),
      proof: new Int32Array(m).fill(-1),
      evidenceText: '',
      evidenceStart: new Int32Array(1),
      setStart: new Int32Array(1),
      setItems: new Int32Array(0),
      deferred: Uint8Array.from({ length: m }, (_, e) => (e % 3 === 0 ? 1 : 0)),
      bind: Uint8Array.from({ length: m }, (_, e) => e % 4),
    };
    const back = decodeColumns<{ edges: EdgeSnapshot }>(encodeColumns({ edges: snapshot }));
    expect(narrowView(back.edges, 'line')).toBeInstanceOf(Uint16Array);
    const edges = new EdgeList(back.edges);
    expect(edges.line.view()).toBeInstanceOf(Uint16Array);
    expect(edges.site.view()).toBeInstanceOf(Int8Array);
    expect(edges.kind.view()).toBeInstanceOf(Uint8Array);
    for (const e of [0, 1, 777, m - 1]) {
      expect(edges.line.get(e)).toBe(snapshot.line[e]);
      expect(edges.site.get(e)).toBe(snapshot.site![e]);
      expect(edges.kind.get(e)).toBe(snapshot.kind[e]);
      expect(edges.deferred.get(e)).toBe(snapshot.deferred[e]);
      expect(edges.bind.get(e)).toBe(snapshot.bind[e]);
    }
    // Written again, the snapshot has its declared types and values.
    const again = edges.snapshot();
    expect(again.line).toEqual(snapshot.line);
    expect(again.site).toEqual(snapshot.site);
    expect(again.kind).toEqual(snapshot.kind);
  });
});

describe('an IntList made narrow (IntList.narrow)', () => {
  it('keeps its values in the narrow array while they fit, growing it as pushed', () => {
    const list = IntList.narrow('u8', 2);
    for (let i = 0; i < 300; i++) list.push(i % 256);
    list.set(7, 255);
    expect(list.view()).toBeInstanceOf(Uint8Array);
    expect(list.length).toBe(300);
    expect(list.get(7)).toBe(255);
    expect(list.toArray()).toEqual(Int32Array.from({ length: 300 }, (_, i) => (i === 7 ? 255 : i % 256)));
  });

  it('widens to 32 bits on the first value that does not fit, pushed or set, and keeps every value', () => {
    const pushed = IntList.narrow('i16');
    pushed.push(-1);
    pushed.push(32767);
    pushed.push(40000);
    expect(pushed.view()).toBeInstanceOf(Int32Array);
    expect(pushed.toArray()).toEqual(Int32Array.of(-1, 32767, 40000));
    const set = IntList.narrow('u16');
    set.push(65535);
    set.push(0);
    set.set(1, -1);
    expect(set.view()).toBeInstanceOf(Int32Array);
    expect(set.toArray()).toEqual(Int32Array.of(65535, -1));
    const bytes = IntList.narrow('u8');
    bytes.push(256);
    expect(bytes.toArray()).toEqual(Int32Array.of(256));
  });
});
