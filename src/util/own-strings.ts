/**
 * Strings that hold their own characters: V8 makes a piece of 13 characters or more cut from a
 * string (`slice`, `substring`, a regular expression's match) a view into it (a SlicedString), and
 * a concatenation a pair of pointers to its parts (a ConsString), and either keeps what it points
 * into for as long as it lives. The facts read from a tree's Kconfig files and Makefiles are such
 * pieces of the files' texts, and the build model keeps them for the whole run: every text stays.
 * Measured on a cold index of 9,944 files of Linux 6.1 (net/ include/ kernel/ mm/ lib/ init/
 * arch/x86; heap snapshot after the member copies settle): the Kconfig facts held 16.8 MB and the
 * Kbuild rules 6.6 MB, the files' whole texts among them (6.1 MB of strings starting `# SPDX`).
 */

/** Strings shorter than this are copies already (V8's SlicedString::kMinLength and ConsString::kMinLength). */
const MIN_VIEW = 13;

/**
 * `value` itself, with every string of 13 characters or more found in it (through arrays and
 * plain objects' own enumerable properties, nested) replaced, in place, by an equal string that
 * holds its own characters. Everything else (numbers, booleans, null, undefined, the objects and
 * arrays themselves, keys and their order) is left as it is; Maps, Sets and class instances are
 * not entered. For plain data read from a large text and kept after the text is dropped. A
 * frozen object holding such a string throws (TypeError), as any write to it would.
 */
export function ownStrings<T>(value: T): T {
  const seen = new Set<object>();
  const walk = (holder: Record<string, unknown> | unknown[]): void => {
    if (seen.has(holder)) return;
    seen.add(holder);
    if (Array.isArray(holder)) {
      for (let i = 0; i < holder.length; i++) {
        const x = holder[i];
        if (typeof x === 'string') {
          if (x.length >= MIN_VIEW) holder[i] = ownCopy(x);
        } else if (isWalked(x)) walk(x);
      }
      return;
    }
    for (const key of Object.keys(holder)) {
      const x = holder[key];
      if (typeof x === 'string') {
        if (x.length >= MIN_VIEW) holder[key] = ownCopy(x);
      } else if (isWalked(x)) walk(x);
    }
  };
  if (isWalked(value)) walk(value);
  return value;
}

/** An array or a plain object (whose prototype is Object's or null). */
function isWalked(x: unknown): x is Record<string, unknown> | unknown[] {
  if (x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return true;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * An equal string in a sequential string of its own: JSON.parse copies a string value's characters
 * (node 20: a piece cut from a 20 MB text and passed through it no longer keeps the text).
 */
const ownCopy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;
