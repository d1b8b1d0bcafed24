import { describe, expect, it } from 'vitest';
import { keyOf, movedHandOffRecord, type ObjectHandOffRecord, ObjectHandOffRecorder, recordedTypes } from '../../src/resolve/object-hand-off-record.js';
import type { TypeExpr } from '../../src/types/facts.js';

/** A record of the evaluations `seen` ([file path, expression, value]), one registration at node 3, call site 1, and a queueing call of its key at node 2, call site 0. */
function recordOf(seen: [string, TypeExpr, string | null][]): ObjectHandOffRecord {
  const recorder = new ObjectHandOffRecorder();
  const paths = [...new Set(seen.map(([path]) => path))];
  for (const [path, e, value] of seen) recorder.evaluator(() => value, (file) => paths[file]!).evaluate(e, paths.indexOf(path));
  recorder.registration(3, 1, 0, 'struct nic.work', '&struct nic.work', 'nic_work');
  recorder.queueing(2, 0, 0, 'struct nic.work');
  return recorder.done();
}

const type = (name: string): TypeExpr => ({ k: 'type', name });

describe('the object hand-off record', () => {
  it('answers what a file evaluated, a type by its text from any file unless a file saw it qualified or otherwise, and a variable only of the file itself', () => {
    const record = recordOf([
      ['drivers/a.c', type('struct nic *'), 'struct nic'],
      ['drivers/b.c', type('struct hw *'), 'struct hw@drivers/b.h'],
      ['drivers/c.c', type('struct hw *'), 'struct hw@drivers/c.h'],
      ['drivers/a.c', type('nic_t *'), 'struct nic'],
      ['drivers/b.c', type('nic_t *'), 'struct nic2'],
      ['drivers/a.c', { k: 'global', name: 'nic_timer' }, 'struct timer_list'],
    ]);
    const elsewhere = recordedTypes(record, 'drivers/d.c', new Set());
    expect(elsewhere.evaluate(type('struct nic *'), 0)).toBe('struct nic');
    expect(elsewhere.missing).toBeNull();
    for (const e of [type('struct hw *'), type('nic_t *'), { k: 'global', name: 'nic_timer' } as TypeExpr]) {
      const fresh = recordedTypes(record, 'drivers/d.c', new Set(['nic_timer']));
      expect(fresh.evaluate(e, 0)).toBeNull();
      expect(fresh.missing).toBe(e.k === 'global' ? 'the file-scope variable nic_timer' : e.k === 'type' ? e.name : '');
    }
    expect(recordedTypes(record, 'drivers/b.c', new Set()).evaluate(type('struct hw *'), 0)).toBe('struct hw@drivers/b.h');
    const own = recordedTypes(record, 'drivers/a.c', new Set(['nic_timer']));
    expect(own.evaluate({ k: 'global', name: 'nic_timer' }, 0)).toBe('struct timer_list');
    expect(own.missing).toBeNull();
    const notOwn = recordedTypes(record, 'drivers/a.c', new Set());
    expect(notOwn.evaluate({ k: 'global', name: 'nic_timer' }, 0)).toBeNull();
    expect(notOwn.missing).toBe('the file-scope variable nic_timer, a file-scope variable its file does not define');
    expect(recordedTypes(record, 'drivers/a.c', new Set()).evaluate({ k: 'field', of: type('struct nic *'), field: 'work' }, 0)).toBeNull();
  });

  it('moves registrations and queueing calls with their nodes and call sites, drops the evaluations an edit may have made wrong, and those whose function or call went, naming the keys of the registrations dropped', () => {
    const record = recordOf([
      ['drivers/a.c', type('struct nic *'), 'struct nic'],
      ['drivers/b.c', { k: 'global', name: 'b_timer' }, 'struct timer_list'],
      ['drivers/c.c', type('struct <anon drivers/c.h:4> *'), 'struct <anon drivers/c.h:4>'],
    ]);
    const none = { all: false, files: new Set<string>(), anonOf: new Set<string>() };
    const map = Int32Array.from([0, 1, 2, 5]);
    const { record: moved, gone } = movedHandOffRecord(record, map, (old) => (old === 3 ? new Map([[1, 4]]) : undefined), none);
    expect([...moved.registrations]).toEqual([5, 4, ...record.registrations.slice(2)]);
    expect([...moved.queued]).toEqual([...record.queued]);
    expect(gone.size).toBe(0);
    expect(moved.evaluations).toEqual(record.evaluations);
    const kept = (drop: typeof none): string[] => {
      const after = movedHandOffRecord(record, null, () => undefined, drop).record;
      return ['drivers/a.c', 'drivers/b.c', 'drivers/c.c'].filter((path) => recordedTypes(after, path, new Set(['b_timer'])).evaluate(path === 'drivers/b.c' ? { k: 'global', name: 'b_timer' } : path === 'drivers/a.c' ? type('struct nic *') : type('struct <anon drivers/c.h:4> *'), 0) !== null);
    };
    expect(kept(none)).toEqual(['drivers/a.c', 'drivers/b.c', 'drivers/c.c']);
    expect(kept({ ...none, all: true })).toEqual([]);
    expect(kept({ ...none, files: new Set(['drivers/b.c']) })).toEqual(['drivers/a.c', 'drivers/c.c']);
    expect(kept({ ...none, anonOf: new Set(['drivers/c.h']) })).toEqual(['drivers/a.c', 'drivers/b.c']);
    const removed = movedHandOffRecord(record, Int32Array.from([0, 1, 2, -1]), () => undefined, none);
    expect([removed.record.registrations.length, removed.record.queued.length, [...removed.gone]]).toEqual([0, 4, [keyOf(0, 'struct nic.work')]]);
    const callGone = movedHandOffRecord(record, null, () => new Map(), none);
    expect([callGone.record.registrations.length, callGone.record.queued.length, [...callGone.gone]]).toEqual([0, 0, [keyOf(0, 'struct nic.work')]]);
  });
});
