/**
 * A way to read part of a long string property without materialising the whole string: a
 * decoder that keeps a long text compressed in blocks (cache/columns.ts) registers, under this
 * symbol on the object owning the property, a function giving `text.slice(from, to)`. Readers
 * that need only slices (EdgeList's evidence) use it when present; everyone else reads the
 * property as usual and gets the whole string.
 */
export const TEXT_SLICES = Symbol('pathfind.textSlices');

/** Slice readers by property name, as registered on an object (see TEXT_SLICES). */
export type TextSlices = Record<string, (from: number, to: number) => string>;

/** `owner[key].slice(from, to)`, read through a registered slice reader when there is one (so the whole string is not built). */
export function textSlicer(owner: object, key: string): (from: number, to: number) => string {
  const slices = (owner as { [TEXT_SLICES]?: TextSlices })[TEXT_SLICES];
  const registered = slices?.[key];
  if (registered) return registered;
  return (from, to) => ((owner as Record<string, string>)[key] ?? '').slice(from, to);
}

/**
 * The same for a long array of strings (cache/columns.ts `lines`): a reader of one item, so that
 * a lookup by binary search decodes some twenty names, not the whole array.
 */
export const LIST_ITEMS = Symbol('pathfind.listItems');

/** One item at a time of an array of strings, and the whole array when that is needed. */
export interface StringItems {
  /** How many items there are, those appended included. */
  readonly length: number;
  at(i: number): string;
  /** The whole array (decoded on the first call). */
  all(): string[];
  /**
   * Adds an item at the end without decoding the others (a reader of a cached column: the column
   * is then written as stored with the items appended, cache/columns.ts). Absent: push onto the array.
   */
  append?(item: string): void;
}

/** Appends `item` to `owner[key]` (an array of strings), through its item reader when that can append without decoding the array; returns its index. */
export function appendItem(owner: object, key: string, item: string): number {
  const items = stringItems(owner, key);
  const at = items.length;
  if (items.append) items.append(item);
  else (owner as Record<string, string[]>)[key]!.push(item);
  return at;
}

/**
 * A copy of `owner` with `fields` set, each other property (a column not read yet among them:
 * its getter, and its slice or item reader) carried over as it is, so that it is not decoded.
 */
export function withFields<T extends object>(owner: T, fields: Partial<T>): T {
  const descriptors = Object.getOwnPropertyDescriptors(owner) as Record<string | symbol, PropertyDescriptor>;
  // The readers registered by property (TEXT_SLICES, LIST_ITEMS, ...) are the copy's own, without those of the fields set.
  for (const key of Object.getOwnPropertySymbols(owner)) {
    const registry = descriptors[key]!.value as unknown;
    if (typeof registry !== 'object' || registry === null) continue;
    const own: Record<string, unknown> = { ...(registry as Record<string, unknown>) };
    for (const k of Object.keys(fields)) delete own[k];
    descriptors[key] = { ...descriptors[key], value: own };
  }
  const copy = Object.create(Object.getPrototypeOf(owner) as object | null, descriptors) as T;
  for (const [k, v] of Object.entries(fields)) Object.defineProperty(copy, k, { value: v, writable: true, enumerable: true, configurable: true });
  return copy;
}

/** The registered item reader of `owner[key]` (see LIST_ITEMS), or one over the array itself. */
export function stringItems(owner: object, key: string): StringItems {
  const registered = (owner as { [LIST_ITEMS]?: Record<string, StringItems> })[LIST_ITEMS]?.[key];
  if (registered) return registered;
  const list = (owner as Record<string, string[]>)[key] ?? [];
  return { length: list.length, at: (i) => list[i]!, all: () => list };
}
