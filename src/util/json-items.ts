import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.js';

/**
 * Where item `slot` of a JSON array lies in its UTF-8 text (`json`, an array at the top level,
 * RFC 8259): [start, end) byte offsets, or null when the array has no such item or the text is no
 * array. The items before it are skipped by their brackets, braces and strings alone (escapes
 * included: `\"` and `\\`), without being parsed, so that one file's facts are read from a facts
 * frame of some 200 files by parsing that file's JSON alone (cache/frame-file.ts factsItem). The
 * span may hold white space around the item (JSON.parse takes it); a malformed item is found by
 * JSON.parse, not here.
 */
export function jsonItemSpan(json: Uint8Array, slot: number): [number, number] | null {
  if (slot < 0) return null;
  let found: [number, number] | null = null;
  walkItems(json, (item, start, end) => {
    if (item === slot) found = [start, end];
    return item < slot;
  });
  return found;
}

/**
 * Where each item of a JSON array lies in its UTF-8 text, in order, found in one walk as
 * jsonItemSpan finds one: a facts frame's items copied as they are stored while others are
 * written anew (cache/rewrite-facts.ts). Null when the text is no array.
 */
export function jsonItemSpans(json: Uint8Array): [number, number][] | null {
  const spans: [number, number][] = [];
  return walkItems(json, (_, start, end) => spans.push([start, end]) > 0) ? spans : null;
}

/**
 * Calls `visit(item, start, end)` for each item of the array `json` holds, in order, until it
 * returns false; false when the text is no array (nothing but white space before its `[`, and a
 * closing `]`).
 */
function walkItems(json: Uint8Array, visit: (item: number, start: number, end: number) => boolean): boolean {
  const n = json.length;
  let i = 0;
  while (i < n && json[i] !== OPEN_BRACKET) {
    // Only white space may come before the array.
    if (json[i] !== 0x20 && json[i] !== 0x0a && json[i] !== 0x0d && json[i] !== 0x09) return false;
    i++;
  }
  if (i >= n) return false;
  return walkArray(json, i, visit) !== -1;
}

/**
 * walkItems from the `[` at `open`: the offset after the array's `]` (or after the item where
 * `visit` stopped the walk), or -1 when it has none.
 */
function walkArray(json: Uint8Array, open: number, visit: (item: number, start: number, end: number) => boolean): number {
  const n = json.length;
  let i = open;
  let item = 0;
  let start = ++i;
  let depth = 0;
  for (; i < n; i++) {
    const c = json[i]!;
    if (c === QUOTE) {
      // A string: skipped to its closing quote, an escaped character never closing it.
      for (i++; i < n && json[i] !== QUOTE; i++) if (json[i] === BACKSLASH) i++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth > 0) {
        depth--;
        continue;
      }
      // The array's end: the last item, unless it is empty (`[]`, or white space alone).
      if (hasValue(json, start, i)) visit(item, start, i);
      return i + 1;
    } else if (c === COMMA && depth === 0) {
      if (!visit(item, start, i)) return i;
      item++;
      start = i + 1;
    }
  }
  return -1;
}

/** True when json[start, end) holds more than white space. */
function hasValue(json: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (json[i] !== 0x20 && json[i] !== 0x0a && json[i] !== 0x0d && json[i] !== 0x09) return true;
  return false;
}

/** Where a member's value lies in its object's text ([start, end) byte offsets), and, when asked for, where its items lie (its value an array: jsonItemSpans's spans, offsets in the object's text). */
export interface MemberSpan {
  start: number;
  end: number;
  items?: [number, number][];
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * The members of the JSON object `json` holds (UTF-8, as JSON.stringify writes it: no white space
 * between tokens), each key with its value's [start, end) byte offsets, in the text's order. Values
 * are skipped by their brackets, braces and strings alone, as walkItems skips items, without being
 * parsed; the items of each array value whose key is in `itemsOf` are found in the same walk. Throws when the text is not such an object, or a key holds an escape or a character past
 * ASCII (object keys of facts are identifiers: a caller that meets others parses the text instead).
 */
export function objectMembers(json: Uint8Array, itemsOf: ReadonlySet<string> = NO_KEYS): Map<string, MemberSpan> {
  const n = json.length;
  const members = new Map<string, MemberSpan>();
  const fail = (what: string, at: number): never => {
    throw new Error(`objectMembers: ${what} at byte ${at} of ${n}`);
  };
  if (json[0] !== OPEN_BRACE) fail('no object', 0);
  let i = 1;
  if (json[i] === CLOSE_BRACE) return i + 1 === n ? members : fail('text after the object', i + 1);
  for (;;) {
    if (json[i] !== QUOTE) fail('no key', i);
    const keyStart = ++i;
    while (i < n && json[i] !== QUOTE) {
      if (json[i] === BACKSLASH || json[i]! >= 0x80) fail('a key that is not plain ASCII', i);
      i++;
    }
    const key = String.fromCharCode(...json.subarray(keyStart, i));
    if (json[++i] !== COLON) fail('no colon', i);
    const start = ++i;
    if (json[start] === OPEN_BRACKET && itemsOf.has(key)) {
      const items: [number, number][] = [];
      i = walkArray(json, start, (_, from, to) => items.push([from, to]) > 0);
      if (i < 0) fail('an array without its end', start);
      members.set(key, { start, end: i, items });
    } else {
      i = valueEnd(json, start);
      if (i <= start || i > n) fail('a value without its end', start);
      members.set(key, { start, end: i });
    }
    if (json[i] === COMMA) {
      i++;
      continue;
    }
    if (json[i] === CLOSE_BRACE && i + 1 === n) return members;
    return fail('no comma or closing brace', i);
  }
}

/** Where the JSON value at `start` of `json` ends (JSON.stringify's text): after its closing quote, bracket or brace, or at the `,`, `}` or `]` after a number or a literal; -1 or past the text's end when it has no end. */
function valueEnd(json: Uint8Array, start: number): number {
  const n = json.length;
  let i = start;
  const c = json[i];
  if (c === QUOTE) {
    for (i++; i < n && json[i] !== QUOTE; i++) if (json[i] === BACKSLASH) i++;
    return i + 1;
  }
  // An object or array: walked as an array's items are (its commas split nothing asked for).
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return walkArray(json, start, () => true);
  while (i < n && json[i] !== COMMA && json[i] !== CLOSE_BRACE && json[i] !== CLOSE_BRACKET) i++;
  return i;
}
