import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/resolve/edge-list.js';
import { type FlowCopy, SlotFlowRecorder } from '../../src/resolve/slot-flow-record.js';

/**
 * The slot-flow record keeps the copies of the groups of slots where some copy carries a function
 * (a patch changing a slot of another group resolves in full), and lets go of the others when the
 * settle ends: a kernel's settle reads some 150,000 copies, each with its evidence, and a cold
 * index held them all through the rest of its resolution and the save, where its memory peaks.
 */
describe('the slot-flow record of member copies', () => {
  const evidence = (text: string): Evidence[] => [{ file: 'net/core/dev.c', line: 7, text }];
  /** Two groups: a.x -> b.y, whose source holds a function once settled, and c.z -> d.w, whose source holds none. */
  const copies = (): FlowCopy[] => [
    { source: 'struct a.x', dest: 'struct b.y', evidence: evidence('b->y = a->x') },
    { source: 'struct c.z', dest: 'struct d.w', evidence: evidence('d->w = c->z') },
  ];
  const settled = (list: FlowCopy[]): SlotFlowRecorder => {
    const r = new SlotFlowRecorder();
    r.settleBegin(list);
    r.added('struct b.y', 3, 'param-to-field', evidence('b->y = a->x'));
    r.settleEnd((slot) => slot === 'struct a.x');
    return r;
  };

  it('records the copies of the groups where a copy carries a function, and only those', () => {
    const ids = new Map<string, number>();
    const id = (s: string): number => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1);
    const record = settled(copies()).snapshot(id, () => 5, () => 0);
    expect([...record.copySource].map((i) => [...ids.keys()][i])).toEqual(['struct a.x']);
    expect([...record.copyDest].map((i) => [...ids.keys()][i])).toEqual(['struct b.y']);
    expect([...record.copyStart]).toEqual([0, 1]);
    expect([...record.copyChain]).toEqual([5]);
    expect([...record.settled]).toEqual([3, id('struct a.x')]);
  });

  it('records no copy when the settle never ended', () => {
    const r = new SlotFlowRecorder();
    r.settleBegin(copies());
    expect(r.snapshot((s) => s.length, () => 5, () => 0).copySource.length).toBe(0);
  });

  it('holds the copies of the other groups no longer once the settle ends', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const list = copies();
    const dropped = new WeakRef(list[1]!.evidence);
    const kept = new WeakRef(list[0]!.evidence);
    const r = settled(list);
    list.length = 0;
    // A WeakRef keeps its target through the job that made it.
    await new Promise((done) => setImmediate(done));
    gc();
    expect(kept.deref()).toBeDefined();
    expect(dropped.deref()).toBeUndefined();
    expect(r.snapshot((s) => s.length, () => 5, () => 0).copySource.length).toBe(1);
  });
});
