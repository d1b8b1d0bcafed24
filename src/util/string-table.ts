import type { StringItems } from './text-slices.js';

/**
 * Interns strings as small integer ids. A table restored from a snapshot looks names up by
 * binary search over a stored sort order instead of rebuilding a hash map, which keeps
 * loading a large cached index cheap.
 */
export class StringTable {
  /** The strings by id, once built (a table from a snapshot reads `items` one at a time until then). */
  private list: string[] | null;
  private readonly items: StringItems | null;
  private ids: Map<string, number> | null;
  /** String ids in ascending string order (snapshot mode only): the whole array, read when first asked for. */
  private readonly sorted: (() => Int32Array) | null;
  /** Entry i of that order, read alone, and its length (snapshot mode only): a lookup by binary search reads some twenty entries. */
  private readonly sortedAt: { at: (i: number) => number; length: number } | null;

  /**
   * Empty; or from a snapshot: its strings (an array, or an item reader: util/text-slices.ts) and
   * their sort order (an array, or a function giving it, with `sortedAt` reading one entry alone).
   */
  constructor(snapshot?: { values: string[] | StringItems; sorted: Int32Array | (() => Int32Array); sortedAt?: { at: (i: number) => number; length: number } }) {
    const values = snapshot?.values;
    this.list = !values ? [] : Array.isArray(values) ? values : null;
    this.items = values && !Array.isArray(values) ? values : null;
    const sorted = snapshot?.sorted;
    this.sorted = sorted === undefined ? null : typeof sorted === 'function' ? sorted : () => sorted;
    this.sortedAt = snapshot ? (snapshot.sortedAt ?? { at: (i) => this.sorted!()[i]!, length: this.sorted!().length }) : null;
    this.ids = snapshot ? null : new Map();
  }

  /** Every string by id (a table from a snapshot builds the array on first use). */
  get values(): string[] {
    this.list ??= this.items!.all();
    return this.list;
  }

  /** How many strings there are. */
  get size(): number {
    return this.list ? this.list.length : this.items!.length;
  }

  intern(s: string): number {
    const ids = this.ids ?? this.buildMap();
    let id = ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      ids.set(s, id);
    }
    return id;
  }

  /** The id of s, or -1 when it was never interned. */
  find(s: string): number {
    if (this.ids) return this.ids.get(s) ?? -1;
    const sorted = this.sortedAt!;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = sorted.at(mid);
      const v = this.get(id);
      if (v === s) return id;
      if (v < s) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(id: number): string {
    return this.list ? this.list[id]! : this.items!.at(id);
  }

  /** String ids in ascending string order, for a snapshot. */
  sortOrder(): Int32Array {
    if (this.sorted) return this.sorted();
    const order = Int32Array.from(this.values.keys());
    return order.sort((a, b) => (this.values[a]! < this.values[b]! ? -1 : this.values[a]! > this.values[b]! ? 1 : 0));
  }

  private buildMap(): Map<string, number> {
    this.ids = new Map(this.values.map((v, i) => [v, i]));
    return this.ids;
  }
}
