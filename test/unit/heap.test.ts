import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/util/heap.js';
import { seededRandom } from '../support/random.js';

/**
 * The binary heap the path search used before its storage became typed arrays (plain arrays,
 * the same sift-up and sift-down): the order in which it gives back items of equal priority is
 * what decides between equal-cost paths, so the typed heap must give back the very same sequence.
 */
class ArrayHeap {
  private readonly items: number[] = [];
  private readonly prio: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: number, priority: number): void {
    let i = this.items.length;
    this.items.push(item);
    this.prio.push(priority);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.prio[parent]! <= priority) break;
      this.items[i] = this.items[parent]!;
      this.prio[i] = this.prio[parent]!;
      i = parent;
    }
    this.items[i] = item;
    this.prio[i] = priority;
  }

  pop(): number {
    const top = this.items[0]!;
    const lastItem = this.items.pop()!;
    const lastPrio = this.prio.pop()!;
    const n = this.items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.prio[child + 1]! < this.prio[child]!) child++;
        if (this.prio[child]! >= lastPrio) break;
        this.items[i] = this.items[child]!;
        this.prio[i] = this.prio[child]!;
        i = child;
      }
      this.items[i] = lastItem;
      this.prio[i] = lastPrio;
    }
    return top;
  }
}

describe('MinHeap', () => {
  it('gives back items by priority, equal priorities in the same order as the array heap, past several growths', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const typed = new MinHeap();
      const plain = new ArrayHeap();
      const out: number[][] = [[], []];
      // Few distinct priorities (sums of path weights), so that ties are common.
      for (let step = 0; step < 6000; step++) {
        if (plain.size === 0 || random() < 0.6) {
          const item = Math.floor(random() * 1e6);
          const priority = Math.round(random() * 12) * 1.1;
          typed.push(item, priority);
          plain.push(item, priority);
        } else {
          out[0]!.push(typed.pop());
          out[1]!.push(plain.pop());
        }
        expect(typed.size).toBe(plain.size);
      }
      while (plain.size) {
        out[0]!.push(typed.pop());
        out[1]!.push(plain.pop());
      }
      expect(out[0]).toEqual(out[1]);
      expect(out[0]!.length).toBeGreaterThan(1024);
    }
  });
});
