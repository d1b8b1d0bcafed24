/** A binary min-heap of numeric items ordered by a numeric priority. */
export class MinHeap {
  private readonly items: number[] = [];
  private readonly prio: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: number, priority: number): void {
    const { items, prio } = this;
    let i = items.length;
    items.push(item);
    prio.push(priority);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (prio[parent]! <= priority) break;
      items[i] = items[parent]!;
      prio[i] = prio[parent]!;
      i = parent;
    }
    items[i] = item;
    prio[i] = priority;
  }

  /** Removes and returns the item with the lowest priority. */
  pop(): number {
    const { items, prio } = this;
    const top = items[0]!;
    const lastItem = items.pop()!;
    const lastPrio = prio.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && prio[child + 1]! < prio[child]!) child++;
        if (prio[child]! >= lastPrio) break;
        items[i] = items[child]!;
        prio[i] = prio[child]!;
        i = child;
      }
      items[i] = lastItem;
      prio[i] = lastPrio;
    }
    return top;
  }
}
