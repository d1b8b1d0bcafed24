import type { NarrowInts } from './narrow-views.js';

/** A growable Int32Array: flat storage for millions of small records without an object each. */
export class IntList {
  /** The values; an Int32Array but in a list adopted narrow (adoptNarrow) until its first write. */
  private data: Int32Array | NarrowInts;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  /**
   * A list over `values` itself, not a copy: reads cost nothing up front, `set` writes into
   * `values`, and the first `push` copies them to a larger array. For arrays nobody else writes
   * (a snapshot just loaded).
   */
  static adopt(values: Int32Array): IntList {
    const list = new IntList(0);
    list.data = values;
    list.length = values.length;
    return list;
  }

  /**
   * A list over `values` as they are (8- or 16-bit), not widened: reads cost nothing up front, and
   * the first `set` or `push` widens them to an Int32Array of its own. For arrays nobody else writes.
   */
  static adoptNarrow(values: NarrowInts): IntList {
    const list = new IntList(0);
    list.data = values;
    list.length = values.length;
    return list;
  }

  /** The values as an Int32Array, widened (once) when adopted narrow. */
  private wide(): Int32Array {
    if (!(this.data instanceof Int32Array)) {
      const wide = new Int32Array(this.data.length);
      wide.set(this.data);
      this.data = wide;
    }
    return this.data;
  }

  /** A list over `values` widened to 32 bits (a copy). */
  static widen(values: Uint8Array | Int32Array): IntList {
    const wide = new Int32Array(values.length);
    wide.set(values);
    return IntList.adopt(wide);
  }

  static of(values: Int32Array): IntList {
    const list = new IntList(Math.max(values.length, 16));
    list.data.set(values);
    list.length = values.length;
    return list;
  }

  push(value: number): void {
    this.wide();
    if (this.length === this.data.length) {
      const bigger = new Int32Array(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`index ${i} out of 0..${this.length - 1}`);
    this.wide()[i] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** The values, without copying (valid until the next push or set; to be read, not written: a list adopted narrow gives its narrow array). */
  view(): Int32Array | NarrowInts {
    return this.data.subarray(0, this.length);
  }

  /** A trimmed copy. */
  toArray(): Int32Array {
    return this.data instanceof Int32Array ? this.data.slice(0, this.length) : Int32Array.from(this.data.subarray(0, this.length));
  }
}
