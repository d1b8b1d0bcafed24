/** A growable Int32Array: flat storage for millions of small records without an object each. */
export class IntList {
  private data: Int32Array;
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
    if (this.length === this.data.length) {
      const bigger = new Int32Array(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`index ${i} out of 0..${this.length - 1}`);
    this.data[i] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** The values, without copying (valid until the next push). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }

  /** A trimmed copy. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
