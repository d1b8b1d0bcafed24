/**
 * A binary min-heap of numeric items ordered by a numeric priority, in typed arrays (grown by
 * doubling). Items of equal priority come out in an order fixed by the sequence of pushes and
 * pops alone, the same for any storage: path searches rely on it for deterministic answers.
 */
export class MinHeap {
  private items = new Float64Array(1024);
  private prio = new Float64Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: number, priority: number): void {
    if (this.count === this.items.length) this.grow();
    const { items, prio } = this;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = prio[parent]!;
      if (p <= priority) break;
      items[i] = items[parent]!;
      prio[i] = p;
      i = parent;
    }
    items[i] = item;
    prio[i] = priority;
  }

  /** Removes and returns the item with the lowest priority (the heap must not be empty). */
  pop(): number {
    const { items, prio } = this;
    const top = items[0]!;
    const n = --this.count;
    if (n > 0) {
      const lastItem = items[n]!;
      const lastPrio = prio[n]!;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && prio[child + 1]! < prio[child]!) child++;
        const c = prio[child]!;
        if (c >= lastPrio) break;
        items[i] = items[child]!;
        prio[i] = c;
        i = child;
      }
      items[i] = lastItem;
      prio[i] = lastPrio;
    }
    return top;
  }

  private grow(): void {
    const items = new Float64Array(this.items.length * 2);
    items.set(this.items);
    const prio = new Float64Array(this.prio.length * 2);
    prio.set(this.prio);
    this.items = items;
    this.prio = prio;
  }
}
