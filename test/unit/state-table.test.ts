import { describe, expect, it } from 'vitest';
import { stateTable } from '../../src/graph/state-table.js';
import { seededRandom } from '../support/random.js';

/**
 * The state table of a path search (graph/state-table.ts), flat arrays or maps by size: random
 * improvements, settles and resets against a model of what a search expects of it (a state never
 * given a cost costs Infinity and has no predecessor; a reset forgets every state, settled too).
 */
describe('state table', () => {
  it('answers as a model does, through searches reusing it after reset, in both of its forms', () => {
    for (const size of [200, (1 << 23) + 1]) {
      const r = seededRandom(size);
      const table = stateTable(size);
      for (let search = 0; search < 5; search++) {
        table.reset();
        const model = new Map<number, { cost: number; prev: number; edge: number; settled: boolean }>();
        const keys = Array.from({ length: 60 }, () => Math.floor(r() * size));
        for (let step = 0; step < 400; step++) {
          const k = keys[Math.floor(r() * keys.length)]!;
          if (r() < 0.6) {
            const [cost, prev, edge] = [Math.floor(r() * 50), Math.floor(r() * size), Math.floor(r() * 1000)];
            table.improve(k, cost, prev, edge);
            model.set(k, { cost, prev, edge, settled: model.get(k)?.settled ?? false });
          } else if (model.has(k)) {
            expect(table.settle(k)).toBe(!model.get(k)!.settled);
            model.get(k)!.settled = true;
          }
          // Every state now and then (a state never improved among them), the one just changed otherwise.
          for (const q of step % 50 === 49 ? keys : [k]) {
            const m = model.get(q);
            expect(table.cost(q)).toBe(m ? m.cost : Infinity);
            expect(table.prev(q)).toBe(m ? m.prev : -1);
            if (m) expect(table.edge(q)).toBe(m.edge);
          }
        }
      }
    }
  });

  it('settles a state never given a cost as one costing Infinity with no predecessor, and forgets it at reset', () => {
    for (const size of [200, (1 << 23) + 1]) {
      const table = stateTable(size);
      expect(table.settle(7)).toBe(true);
      expect(table.settle(7)).toBe(false);
      expect([table.cost(7), table.prev(7)]).toEqual([Infinity, -1]);
      table.reset();
      expect(table.settle(7)).toBe(true);
      table.improve(9, 3, 7, 11);
      table.reset();
      expect([table.cost(9), table.prev(9), table.settle(9)]).toEqual([Infinity, -1, true]);
    }
  });
});
