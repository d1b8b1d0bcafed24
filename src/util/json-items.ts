import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json-chars.js';

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
      return true;
    } else if (c === COMMA && depth === 0) {
      if (!visit(item, start, i)) return true;
      item++;
      start = i + 1;
    }
  }
  return false;
}

/** True when json[start, end) holds more than white space. */
function hasValue(json: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (json[i] !== 0x20 && json[i] !== 0x0a && json[i] !== 0x0d && json[i] !== 0x09) return true;
  return false;
}
