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
  const n = json.length;
  let i = 0;
  while (i < n && json[i] !== OPEN_BRACKET) {
    // Only white space may come before the array.
    if (json[i] !== 0x20 && json[i] !== 0x0a && json[i] !== 0x0d && json[i] !== 0x09) return null;
    i++;
  }
  if (i >= n || slot < 0) return null;
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
      return item === slot && hasValue(json, start, i) ? [start, i] : null;
    } else if (c === COMMA && depth === 0) {
      if (item === slot) return [start, i];
      item++;
      start = i + 1;
    }
  }
  return null;
}

/** True when json[start, end) holds more than white space. */
function hasValue(json: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (json[i] !== 0x20 && json[i] !== 0x0a && json[i] !== 0x0d && json[i] !== 0x09) return true;
  return false;
}
