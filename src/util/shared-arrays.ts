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

/**
 * What `Type.from(source)` makes, in shared memory (sharedArray): `source` an array or typed array
 * of numbers, or any iterable of them. The columns a patch makes are made so, and the worker thread
 * writing the patched graph is handed them without a copy: postMessage's structured clone copies
 * every other typed array on the thread about to answer the query (14 MB of them took it 60 ms on
 * a kernel's edit).
 */
export function sharedFrom<T extends { set(values: ArrayLike<number>): void }>(Type: SharedArrayType<T>, source: ArrayLike<number> | Iterable<number>): T {
  const values = 'length' in source ? (source as ArrayLike<number>) : Array.from(source as Iterable<number>);
  const out = sharedArray(Type, values.length);
  out.set(values);
  return out;
}

/** A zeroed array of `length` elements of the same type as `like`, in shared memory (sharedArray). */
export function sharedLike<T extends { constructor: unknown; BYTES_PER_ELEMENT: number }>(like: T, length: number): T {
  return sharedArray(like.constructor as SharedArrayType<T>, length);
}

/** A typed array over shared memory, of any element type (what sharedWithRoom makes). */
type SharedTyped = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

/** Arrays made by sharedWithRoom whose room is still theirs to use, with the patch (roomEpoch) they were made in. */
const withRoom = new WeakMap<object, number>();
let roomEpoch = 0;

/**
 * sharedArray with room past its end: the buffer holds `length` elements and `room` more (never
 * touched until used, so no memory is made for them), so that a later splice of the same patch
 * (resolve/edge-splice.ts applySplices) grows the column in place, moving the rows after each
 * insertion within it, instead of copying every row into fresh memory (on a kernel, 4 million rows
 * per column: faulting in that fresh memory costs more than the copy).
 */
export function sharedWithRoom<T extends SharedTyped>(Type: SharedArrayType<T>, length: number, room = Math.max(1024, length >> 8)): T {
  const Made = Type as unknown as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
  const out = new Made(new SharedArrayBuffer((length + room) * Type.BYTES_PER_ELEMENT), 0, length);
  withRoom.set(out, roomEpoch);
  return out;
}

/**
 * `a` lengthened to `length` elements over the same memory when it was made by sharedWithRoom in
 * this patch (before the last closeRooms) and has that much room; else null. `a` must not be read
 * after (its rows are moved in the view returned), and its room passes to the view returned.
 */
export function grownInPlace<T extends SharedTyped>(a: T, length: number): T | null {
  if (withRoom.get(a) !== roomEpoch || a.byteOffset + length * a.BYTES_PER_ELEMENT > a.buffer.byteLength) return null;
  const Made = a.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
  const out = new Made(a.buffer, a.byteOffset, length);
  withRoom.delete(a);
  withRoom.set(out, roomEpoch);
  return out;
}

/** Ends the room of every array sharedWithRoom made so far: a patch calls it when done, so that the arrays of a graph others may read (a call graph, the cache writer) are never grown in place. */
export function closeRooms(): void {
  roomEpoch++;
}

/** Shared byte buffers made by sharedBytesWithRoom: how far their bytes are taken (appendedInPlace appends past it only). */
const takenBytes = new WeakMap<ArrayBufferLike, number>();

/**
 * `length` zeroed bytes in shared memory with `room` more past them (never touched until used),
 * so that a text held as its bytes (the evidence text a patch appends to: resolve/append-evidence.ts)
 * grows where it lies instead of being copied whole into fresh memory (32 MB on a kernel).
 */
export function sharedBytesWithRoom(length: number, room = Math.max(1 << 16, length >> 6)): Uint8Array {
  const buffer = new SharedArrayBuffer(length + room);
  takenBytes.set(buffer, length);
  return new Uint8Array(buffer, 0, length);
}

/**
 * The first `length` bytes of `buffer`, a buffer sharedBytesWithRoom made for `length` bytes in
 * another thread (this thread's appendedInPlace knows only the buffers made or taken here): they
 * are then appended to as that function's bytes are. The writer's worker makes the memory a long
 * text is inflated into (cache/write-behind.ts textAhead), so that its zeroed pages are made there,
 * while the thread that reads the text goes on.
 */
export function takenBytesWithRoom(buffer: SharedArrayBuffer, length: number): Uint8Array {
  if (!takenBytes.has(buffer)) takenBytes.set(buffer, length);
  return new Uint8Array(buffer, 0, length);
}

/**
 * `bytes` and `extra` bytes after them, over the same memory, when `bytes` were made by
 * sharedBytesWithRoom and end where its bytes taken so far end, with room enough; else null. The
 * bytes past them are then taken: the text before stays as every reader of it saw it (appends only
 * write past the end), and no other append writes over these.
 */
export function appendedInPlace(bytes: Uint8Array, extra: number): Uint8Array | null {
  const end = bytes.byteOffset + bytes.length;
  if (takenBytes.get(bytes.buffer) !== end || end + extra > bytes.buffer.byteLength) return null;
  takenBytes.set(bytes.buffer, end + extra);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length + extra);
}
