import type { NarrowInts } from './narrow-views.js';

/** A growable Int32Array: flat storage for millions of small records without an object each. */
export class IntList {
  /** The values; an Int32Array but in a list adopted narrow (adoptNarrow) until its first write. */
  private data: Int32Array | NarrowInts;
  length = 0;
  /** For a list made narrow (IntList.narrow): the values its narrow array holds; a push or set outside them widens it. */
  private fits: { min: number; max: number } | null = null;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  /**
   * An empty list whose values are kept in 8 or 16 bits (`u8`, `u16`, `i16`) while they fit: the
   * first push or set of a value outside that range widens it to 32 bits, once. For columns of
   * millions of small values (an edge's kind or line): a quarter or half of the memory.
   */
  static narrow(type: 'u8' | 'u16' | 'i16', capacity = 1024): IntList {
    const list = new IntList(0);
    list.data = type === 'u8' ? new Uint8Array(capacity) : type === 'u16' ? new Uint16Array(capacity) : new Int16Array(capacity);
    list.fits = type === 'u8' ? { min: 0, max: 0xff } : type === 'u16' ? { min: 0, max: 0xffff } : { min: -0x8000, max: 0x7fff };
    return list;
  }

  /** The array to write `value` into: the narrow one while the value fits it (a list made narrow), else the values widened. */
  private writable(value: number): Int32Array | NarrowInts {
    const fits = this.fits;
    if (fits && value >= fits.min && value <= fits.max) return this.data;
    this.fits = null;
    return this.wide();
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
    let data = this.writable(value);
    if (this.length === data.length) {
      const bigger = data instanceof Int32Array ? new Int32Array(Math.max(16, data.length * 2)) : new (data.constructor as new (n: number) => NarrowInts)(Math.max(16, data.length * 2));
      bigger.set(data);
      this.data = data = bigger;
    }
    data[this.length++] = value;
  }

  /**
   * Makes room for `capacity` values in all, in storage of the same width (one copy when it grows):
   * pushes up to that many values then copy nothing. The storage left behind stays allocated until
   * V8 collects it, so a caller about to collect (util/collect-garbage.ts) makes room first.
   */
  reserve(capacity: number): void {
    const data = this.data;
    if (capacity <= data.length) return;
    const bigger = data instanceof Int32Array ? new Int32Array(capacity) : new (data.constructor as new (n: number) => NarrowInts)(capacity);
    bigger.set(data.subarray(0, this.length));
    this.data = bigger;
  }

  set(i: number, value: number): void {
    if (i < 0 || i >= this.length) throw new RangeError(`index ${i} out of 0..${this.length - 1}`);
    this.writable(value)[i] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** The values, without copying (valid until the next push or set; to be read, not written: a list adopted narrow gives its narrow array). */
  view(): Int32Array | NarrowInts {
    return this.data.subarray(0, this.length);
  }

  /** The values as an Int32Array over this list's own storage when it is 32-bit (valid until the next push or set), else a widened copy. */
  int32s(): Int32Array {
    return this.data instanceof Int32Array ? this.data.subarray(0, this.length) : this.toArray();
  }

  /** The values as bytes (each taken modulo 256): over this list's own storage when it is 8-bit (valid until the next push or set), else a copy. */
  bytes(): Uint8Array {
    return this.data instanceof Uint8Array ? this.data.subarray(0, this.length) : Uint8Array.from(this.view());
  }

  /** A trimmed copy. */
  toArray(): Int32Array {
    return this.data instanceof Int32Array ? this.data.slice(0, this.length) : Int32Array.from(this.data.subarray(0, this.length));
  }
}
