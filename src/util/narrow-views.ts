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

/** Narrow readers by property name, as registered on an object (see NARROW_VIEWS). */
export type NarrowViews = Record<string, () => NarrowInts>;

/** The values of `owner[key]` as stored, when a narrow reader is registered for it; else undefined (read the property). */
export function narrowView(owner: object, key: string): NarrowInts | undefined {
  return (owner as { [NARROW_VIEWS]?: NarrowViews })[NARROW_VIEWS]?.[key]?.();
}
