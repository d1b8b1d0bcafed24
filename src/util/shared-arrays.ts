/** A typed-array constructor over a buffer (Int32Array, Uint8Array, Uint16Array, ...). */
export type SharedArrayType<T> = (new (buffer: SharedArrayBuffer) => T) & { BYTES_PER_ELEMENT: number };

/**
 * A zeroed typed array of `length` elements of `Type` in shared memory: a patch's new edge columns
 * and evidence offsets are made so, and a worker thread writing the patched graph to the cache
 * (cache/write-behind.ts) is handed them without a copy.
 */
export function sharedArray<T>(Type: SharedArrayType<T>, length: number): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}

/** A zeroed array of `length` elements of the same type as `like`, in shared memory (sharedArray). */
export function sharedLike<T extends { constructor: unknown; BYTES_PER_ELEMENT: number }>(like: T, length: number): T {
  return sharedArray(like.constructor as SharedArrayType<T>, length);
}
