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
  length: number;
  at(i: number): string;
  /** The whole array (decoded on the first call). */
  all(): string[];
}

/** The registered item reader of `owner[key]` (see LIST_ITEMS), or one over the array itself. */
export function stringItems(owner: object, key: string): StringItems {
  const registered = (owner as { [LIST_ITEMS]?: Record<string, StringItems> })[LIST_ITEMS]?.[key];
  if (registered) return registered;
  const list = (owner as Record<string, string[]>)[key] ?? [];
  return { length: list.length, at: (i) => list[i]!, all: () => list };
}
