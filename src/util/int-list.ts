/** A growable Int32Array: flat storage for millions of small records without an object each. */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  static of(values: Int32Array): IntList {
    const list = new IntList(Math.max(values.length, 16));
    list.data.set(values);
    list.length = values.length;
    return list;
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
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
