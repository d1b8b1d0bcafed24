import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { EdgeList, type EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { rowReads } from '../../src/util/row-reads.js';
import { seededRandom as random } from '../support/random.js';

/** Edges as resolution adds them: callers in runs, a few with evidence, deferred or bind flags. */
function edges(seed: number): EdgeList {
  const r = random(seed);
  const list = new EdgeList();
  for (let i = 0; i < 3000; i++) {
    // Callers not in order and past 16 bits (as a kernel's are): stored as runs, not steps nor narrowed.
    const caller = ((i * 7919) % 3000) * 30;
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const first = list.length;
      const bound = r() < 0.05;
      list.add(caller, Math.floor(r() * 3000), bound ? 3 : 0, k, 10 + k, bound ? { file: `f${caller % 7}.c`, line: caller, text: `.op = fn${k}` } : undefined);
      if (r() < 0.03) list.markDeferred(first, list.length);
      if (r() < 0.04) list.markBind(first, list.length, 1 + Math.floor(r() * 2));
    }
  }
  return list;
}

describe('EdgeList over a cached snapshot', () => {
  it("reads an edge's caller, evidence, deferred and bind flags, and the edges of some callers, alone from the stored columns, as the decoded columns give them", () => {
    for (const seed of [1, 2]) {
      const made = edges(seed);
      const snapshot = made.snapshot();
      const decoded = decodeColumns<EdgeSnapshot>(encodeColumns(snapshot));
      // The columns read alone are stored compressed (else there is nothing to read alone).
      for (const key of ['from', 'proof', 'deferred', 'bind']) expect(rowReads(decoded, key), key).toBeDefined();
      expect(rowReads(decoded, 'from')!.runEnds).toBeDefined();
      const loaded = new EdgeList(decoded);
      const r = random(seed + 10);
      const callers = new Uint8Array(90_000);
      for (let i = 0; i < 40; i++) callers[Math.floor(r() * 3000) * 30] = 1;
      expect(loaded.edgesFrom(callers)).toEqual(made.edgesFrom(callers));
      // Each edge's caller beside it, from the runs (loaded) as from the column (made).
      const [ofRuns, ofColumn]: number[][] = [[], []];
      const listed = loaded.edgesFrom(callers, ofRuns);
      made.edgesFrom(callers, ofColumn);
      expect(ofRuns).toEqual(listed.map((x) => made.callerOf(x)));
      expect(ofColumn).toEqual(ofRuns);
      for (let e = 0; e < made.length; e++) {
        const got = [loaded.callerOf(e), loaded.isDeferred(e), loaded.bindFlags(e), loaded.evidenceOf(e, 'f1.c')];
        const want = [made.callerOf(e), made.isDeferred(e), made.bindFlags(e), made.evidenceOf(e, 'f1.c')];
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `edge ${e}`).toEqual(want);
      }
      // Nothing was decoded whole; once a column is made (a patch writes through it), it is what is read.
      for (const key of ['from', 'proof', 'deferred', 'bind']) expect(Object.getOwnPropertyDescriptor(decoded, key)!.get, key).toBeTypeOf('function');
      const e = made.edgesFrom(callers)[0]!;
      loaded.deferred.set(e, 1 - loaded.deferred.get(e));
      expect(loaded.isDeferred(e)).toBe(!made.isDeferred(e));
      expect(loaded.from.get(e)).toBe(made.callerOf(e));
      expect(loaded.edgesFrom(callers)).toEqual(made.edgesFrom(callers));
    }
  });
});
