import { TEXT_SLICES, type TextSlices } from './text-slices.js';

/**
 * Long texts built from pieces, remembered with their bytes: a patch that rewrites the evidence
 * text (tens of MB on a kernel: resolve/remap-evidence.ts) writes its pieces once into shared
 * memory and makes the string from those bytes, and the writer of the patched graph
 * (cache/column-handoff.ts handOver) takes the bytes as they are instead of encoding the string
 * again. Joining the pieces into a string, then encoding that string into new shared memory, took
 * some 300 ms of the main thread per patch, most of it page faults on memory touched for the first time.
 */

/** Texts and their bytes, most recent last: a few at most (a patch makes one). */
const held: { text: string; bytes: Uint8Array }[] = [];
const MAX_HELD = 2;

/**
 * `pieces` joined, as a string made from their bytes in shared memory (the bytes remembered for
 * textBytes); null when a piece holds a character that is not ASCII (the caller joins them itself).
 */
export function joinedAscii(pieces: string[]): string | null {
  let length = 0;
  for (const p of pieces) {
    if (/[^\x00-\x7f]/.test(p)) return null;
    length += p.length;
  }
  const bytes = Buffer.from(new SharedArrayBuffer(length));
  let at = 0;
  for (const p of pieces) at += bytes.write(p, at, 'latin1');
  const text = bytes.toString('latin1');
  held.push({ text, bytes });
  if (held.length > MAX_HELD) held.shift();
  return text;
}

/** The ASCII bytes (shared memory) a text was made from by joinedAscii, when `text` is that text; else undefined. */
export function textBytes(text: string): Uint8Array | undefined {
  // A string made elsewhere of another length is told apart at once; an equal one is the same text, whichever string holds it.
  return held.find((h) => h.text.length === text.length && h.text === text)?.bytes;
}

/**
 * The key of a registry, on an object owning long text properties, of functions giving each
 * text's bytes when every character is ASCII (one byte a character, so that offsets in the text
 * are offsets in the bytes), without making the string: a patch rewriting a few entries of the
 * evidence text works on them (resolve/remap-evidence.ts), and the writer of the patched graph
 * takes them as they are. A function answers undefined when it cannot tell (the reader then reads
 * the property). Dropped with the property's reader once the property holds a plain string.
 */
export const TEXT_BYTES = Symbol('pathfind.textBytes');

/** Byte readers by property name, as registered on an object (see TEXT_BYTES). */
export type TextBytes = Record<string, () => Uint8Array | undefined>;

/** The ASCII bytes of `owner[key]` from its registered reader (see TEXT_BYTES), or undefined (read the property). */
export function asciiBytesOf(owner: object, key: string): Uint8Array | undefined {
  return (owner as { [TEXT_BYTES]?: TextBytes })[TEXT_BYTES]?.[key]?.();
}

/** Registers (or, with undefined, drops) the byte reader of `owner[key]`. */
export function registerTextBytes(owner: object, key: string, read: (() => Uint8Array | undefined) | undefined): void {
  const on = owner as { [TEXT_BYTES]?: TextBytes };
  if (!read) {
    if (on[TEXT_BYTES]) delete on[TEXT_BYTES][key];
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(on, TEXT_BYTES)) Object.defineProperty(on, TEXT_BYTES, { value: { ...on[TEXT_BYTES] }, enumerable: false, configurable: true });
  on[TEXT_BYTES]![key] = read;
}

/**
 * Sets `owner[key]` to the text whose bytes are `bytes` (ASCII, in shared memory), made into a
 * string only when the property is read whole: slices of it are read from the bytes
 * (util/text-slices.ts TEXT_SLICES), and so is the text by asciiBytesOf. Reading or assigning the
 * property makes it a plain one again, its readers dropped.
 */
export function setAsciiText(owner: object, key: string, bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const settle = (on: object, v: unknown): void => {
    delete (on as { [TEXT_SLICES]?: TextSlices })[TEXT_SLICES]?.[key];
    registerTextBytes(on, key, undefined);
    Object.defineProperty(on, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get(this: object) {
      const text = buffer.toString('latin1');
      settle(this, text);
      return text;
    },
    set(this: object, v: unknown) {
      settle(this, v);
    },
  });
  const on = owner as { [TEXT_SLICES]?: TextSlices };
  if (!Object.prototype.hasOwnProperty.call(on, TEXT_SLICES)) Object.defineProperty(on, TEXT_SLICES, { value: { ...on[TEXT_SLICES] }, enumerable: false, configurable: true });
  on[TEXT_SLICES]![key] = (from, to) => buffer.toString('latin1', Math.max(0, from), Math.min(buffer.length, to));
  registerTextBytes(owner, key, () => bytes);
}
