import { ROW_READS, type RowReads } from './row-reads.js';
/**
 * A way to read a typed-array property stored in fewer bytes than its type without widening it:
 * a decoder that keeps an Int32Array column as 8- or 16-bit values (cache/columns.ts `typed` with
 * a narrower `stored`) registers, under this symbol on the object owning the property, a function
 * giving the stored values as they are. Readers that only read the values (EdgeList's columns)
 * use it when present, so that a column of four million edges is not copied into 16 MB to be read;
 * everyone else reads the property as usual and gets the declared type.
 */
export const NARROW_VIEWS = Symbol('pathfind.narrowViews');

/** Integer typed arrays a column may be stored in. */
export type NarrowInts = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/** The constructors of NarrowInts. */
export type NarrowType = Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor;

/** Narrow readers by property name, as registered on an object (see NARROW_VIEWS). */
export type NarrowViews = Record<string, () => NarrowInts>;

/** The values of `owner[key]` as stored, when a narrow reader is registered for it; else undefined (read the property). */
export function narrowView(owner: object, key: string): NarrowInts | undefined {
  return (owner as { [NARROW_VIEWS]?: NarrowViews })[NARROW_VIEWS]?.[key]?.();
}

/** The values each narrow integer type holds, lowest and highest. */
const NARROW_RANGE: Record<string, [number, number]> = { Int8Array: [-0x80, 0x7f], Uint8Array: [0, 0xff], Int16Array: [-0x8000, 0x7fff], Uint16Array: [0, 0xffff] };

/** True when every one of `values` fits the type of `narrow` (an 8- or 16-bit array; false for an Int32Array). */
export function fitsNarrow(narrow: NarrowInts, values: Iterable<number>): boolean {
  const range = NARROW_RANGE[narrow.constructor.name];
  if (!range) return false;
  for (const v of values) if (v < range[0] || v > range[1]) return false;
  return true;
}

/**
 * Makes `owner[key]` an Int32Array column held as `narrow` (8 or 16 bits, never written after):
 * readers of narrow views (narrowView) read `narrow` as it is; reading the property widens it
 * once into an Int32Array that replaces it (the view dropped), as does assigning it. A patch
 * splicing four million 16-bit lines then makes 8 MB of fresh memory instead of 16 MB, and the
 * writer of the patched graph stores the 16 bits as they are (cache/columns.ts) without narrowing
 * them again. A row reader registered for the column held before (util/row-reads.ts) is dropped.
 */
export function holdNarrow(owner: object, key: string, narrow: NarrowInts): void {
  const own = Object.prototype.hasOwnProperty.call(owner, NARROW_VIEWS) ? (owner as { [NARROW_VIEWS]: NarrowViews })[NARROW_VIEWS] : null;
  const views: NarrowViews = own ?? {};
  if (!own) Object.defineProperty(owner, NARROW_VIEWS, { value: views, enumerable: false, configurable: true });
  views[key] = () => narrow;
  // A row reader of the column held before (a cached one's: util/row-reads.ts) would read its rows, not these.
  delete (owner as { [ROW_READS]?: Record<string, RowReads> })[ROW_READS]?.[key];
  const settle = (on: object, v: unknown): void => {
    delete (on as { [NARROW_VIEWS]?: NarrowViews })[NARROW_VIEWS]?.[key];
    Object.defineProperty(on, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get(this: object | undefined): Int32Array {
      const wide = new Int32Array(narrow.length);
      wide.set(narrow);
      settle(this ?? owner, wide);
      return wide;
    },
    set(this: object | undefined, v: unknown) {
      settle(this ?? owner, v);
    },
  });
}

/** The narrow array `owner[key]` is held as (holdNarrow), while its property is not read or assigned; else undefined. */
export function heldNarrow(owner: object, key: string): NarrowInts | undefined {
  const d = Object.getOwnPropertyDescriptor(owner, key);
  return d?.get ? narrowView(owner, key) : undefined;
}
