import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { EdgeList, type EdgeSnapshot, type Evidence } from '../../src/resolve/edge-list.js';
import { seededRandom as random } from '../support/random.js';

/** Evidence as the binders make it: shared between edges, repeated as equal objects, a few texts holding a tab or a newline. */
function evidencePool(seed: number): Evidence[] {
  const r = random(seed);
  const pool: Evidence[] = [];
  for (let i = 0; i < 60; i++) {
    const odd = r() < 0.15 ? (r() < 0.5 ? '\t' : '\n') : ' ';
    pool.push({ file: `drivers/net/f${i % 9}.c`, line: 1 + Math.floor(r() * 4000), text: `.ndo_op${i} = handler${i % 13}${odd}in struct net_device_ops ops${i % 5}` });
  }
  return pool;
}

describe('EdgeList evidence', () => {
  it('gives every edge of a resolved list the evidence a list loaded from its snapshot gives, in the same order', () => {
    for (const seed of [3, 4, 5]) {
      const r = random(seed);
      const pool = evidencePool(seed);
      const list = new EdgeList();
      for (let e = 0; e < 400; e++) {
        const n = Math.floor(r() * 4);
        // Equal evidence made anew (not the pool's object) is the same evidence.
        const chosen = Array.from({ length: n }, () => ({ ...pool[Math.floor(r() * pool.length)]! }));
        list.add(Math.floor(r() * 50), Math.floor(r() * 50), n ? 3 : 0, e, 10 + e, n ? chosen : undefined);
      }
      const loaded = new EdgeList(decodeColumns<EdgeSnapshot>(encodeColumns(list.snapshot())));
      for (let e = 0; e < list.length; e++) {
        expect(list.evidenceOf(e, 'drivers/net/f1.c', 'handler3'), `edge ${e}`).toEqual(loaded.evidenceOf(e, 'drivers/net/f1.c', 'handler3'));
        for (const ev of list.evidenceOf(e, '')) expect(list.knownEvidence(ev)).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
