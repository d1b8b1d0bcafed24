/**
 * The columnar frame format of the graph cache, shared by its writer (columns.ts) and its reader
 * (column-read.ts): a value whose large parts (typed arrays, long
 * strings, long arrays of strings, long arrays of flat records) are written as raw columns after
 * a small v8-serialised skeleton. Loading reads the skeleton and leaves each column in the
 * frame's bytes until its property is first read (a getter), so a query pays only for what it
 * touches, and a typed array stored raw is a view on the frame's bytes, not a copy. Any other
 * value (and any field nobody here knows of) goes through v8 as it is: the encoding keeps every
 * field of the object it is given.
 *
 * Layout: COLUMNS_TAG, the skeleton's length (u32 LE), the skeleton (v8: `{ value, columns }`,
 * each column replaced in `value` by `{ [MARK]: i }`), padding to 8 bytes, then each column's
 * bytes at its `offset` (relative to the padded end of the skeleton), each at a multiple of 8.
 */
export const COLUMNS_TAG = Buffer.from('PFCL');

/** The key of a skeleton's placeholder object for column i. */
export const MARK = '\u0000column';

/** The typed-array kinds a column may hold, by class name. */
export type Typed = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
export const TYPED = { Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array } as const;
export type TypedName = keyof typeof TYPED;

/**
 * How one column is stored:
 * - `typed`: the array's bytes as they are (`type` its class), or narrowed (`stored`: an Int32Array
 *   whose values all fit a smaller integer type is stored as that type and widened when read);
 * - `runs`: an Int32Array as [value, end] pairs (Int32; `end`: one past the run's last row, so the
 *   ends rise and the last is the row count), when it has few runs (edge callers): one row is found
 *   by a binary search of the ends, without reading the whole column (column-rows.ts runRows);
 * - `sparse`: an Int32Array or Uint8Array mostly equal to `fill`, as the positions (Int32) and
 *   values (Int32) of the others (evidence sets, deferred flags);
 * - `steps`: an Int32Array or Uint32Array whose values never decrease (offsets, sorted hashes):
 *   `first` (the first value), then each later value's step from the one before it, all in
 *   `stored` (Uint8Array or Uint16Array: the narrowest that holds every step), `length - 1` of them;
 *   `anchors` (in the skeleton, of the column's type): the value at every STEP_ANCHOR_EVERY-th row,
 *   from row 0, so that one row is its anchor plus at most that many steps (column-rows.ts
 *   stepsRows), not the sum of every step before it (a kernel's name rows: 666,000 steps);
 * - `text`: a string, UTF-8;
 * - `chunks`: a long string (evidence texts) cut into blocks by content (column-reuse.ts
 *   blockEnds), each UTF-8 deflated alone (`starts`: each block's first character, `ends`: each
 *   block's end in bytes, `hashes`: each block's hash, by which writing the text again after an
 *   edit finds the unchanged blocks): the property gives the whole string, and a slice reader
 *   (util/text-slices.ts) reads a part by inflating only the blocks it spans;
 * - `lines`: an array of strings none of which holds a newline: the byte offset of each (Int32,
 *   one more than items; with `steps`, each string's UTF-8 length plus one instead, one per item,
 *   in that narrower type), then the strings joined by newlines, UTF-8; an item reader
 *   (util/text-slices.ts LIST_ITEMS) decodes one string without the others;
 * - `records`: an array of objects with the same keys (`keys`), each value a number (Float64
 *   column) or a string (newline-joined column), per `kinds`;
 * - `packed`: any other long array held by an object's property (MIN_PACKED items or more: the
 *   build record's files, absent paths, declarers and macro definitions), v8-serialised then
 *   deflated (raw), so that the skeleton, decoded on every open, leaves out what few opens read.
 */
export type ColumnInfo =
  | { enc: 'typed'; type: TypedName; stored: TypedName; offset: number; bytes: number; length: number }
  | { enc: 'runs'; type: TypedName; offset: number; bytes: number; length: number }
  | { enc: 'sparse'; type: TypedName; fill: number; offset: number; bytes: number; length: number; count: number }
  | { enc: 'steps'; type: TypedName; stored: StepType; first: number; offset: number; bytes: number; length: number; anchors?: Typed }
  | { enc: 'text'; offset: number; bytes: number; length: number }
  | { enc: 'lines'; offset: number; bytes: number; length: number; steps?: StepType; anchors?: Typed }
  | { enc: 'chunks'; offset: number; bytes: number; length: number; starts: number[]; ends: number[]; hashes?: string[] }
  | { enc: 'records'; keys: string[]; kinds: ('number' | 'string')[]; offset: number; bytes: number; length: number; parts: number[] }
  | { enc: 'packed'; offset: number; bytes: number; length: number };

/**
 * True when PATHFIND_SMALL_COLUMNS is `1` in the environment (the thresholds below read it when
 * their modules load, in a worker thread too): a graph cache then stores small values as columns too (MIN_COLUMN, MIN_CHUNKED,
 * MIN_PACKED, and short text blocks: column-reuse.ts), so that a miniature tree's cache takes
 * every encoding a kernel's takes and its tests run the code that reads, patches and writes them
 * again (the tests of patched graphs run both ways: vitest.config.ts). Files written either way
 * read the same: the encodings are described in each file.
 */
export function smallColumns(): boolean {
  return process.env.PATHFIND_SMALL_COLUMNS === '1';
}

/**
 * Arrays held by an object's property with at least this many items (and no column of their own)
 * are stored `packed`. Linux 6.1's build record: 3,465 files, 1,946 absent paths, 1,558 declared
 * names and 2,284 tested macros took 786 KB of the 918 KB skeleton and some 100 ms of every warm
 * query to deserialise and walk; packed, they take 165 KB and are read only when a query needs them.
 */
export const MIN_PACKED = smallColumns() ? 2 : 1024;

/** The types a `steps` column (or the offsets of a `lines` one) may store its steps in. */
export type StepType = 'Uint8Array' | 'Uint16Array';

/** Offsets of columns and of the skeleton's end are multiples of 8. */
export const align8 = (n: number): number => (n + 7) & ~7;

/** True for a typed array of a kind in TYPED. */
export const isTyped = (v: unknown): v is Typed => ArrayBuffer.isView(v) && !(v instanceof DataView) && (v.constructor.name as string) in TYPED;

/** True for a plain object (not an array, a typed array or a class instance). */
export const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
