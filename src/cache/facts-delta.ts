import type { FileFacts } from '../types/facts.js';
import { itemStarts, spliceItems } from '../util/packed-items.js';
import { objectMembers } from '../util/json-items.js';

/**
 * What expansion changed in one file's facts, as a short JSON text a facts writer applies to the
 * file's parsed JSON (withDelta), instead of the whole expanded file's JSON.
 *
 * Why: on a kernel, definer and macro-call expansion (expand-frames.ts) changes 12,973 of 43,325
 * files, and the main thread turned each of them into JSON again for the facts file: 477 MB of
 * text, some 4 s of a cold index (JSON.stringify, its UTF-8 copy and the frame's concatenation),
 * while the expansion had changed 26,097 of those files' 323,282 functions (11 MB of their JSON)
 * and kept every other value as the parser made it (Linux 6.1 x86, 2026-12-06). A delta names the
 * kept values by position, so only the changed ones become JSON here; the writer's thread copies
 * the kept values' bytes from the file's JSON (withDelta). This relies on expansion making new objects for
 * what it changes (index/expand-definers.ts, expand-macro-calls.ts), never changing a parsed one in
 * place, which would keep its parsed JSON here (test/unit/facts-frame.test.ts compares a frame
 * expanded by deltas with one its encoder expanded from the JSON itself).
 *
 * Shape: `{"k": [...], "v": {...}, "a": {...}}`: `k` the expanded facts' keys in their order (those
 * whose value is not undefined, which JSON leaves out); `v` each key whose value is new and not an
 * array of objects on both sides, with that value; `a` each key whose value is a new array where
 * both arrays hold objects alone, as its items: a number is the position of the same object in the
 * parsed array, anything else (an object) the new item itself. A key in neither keeps the parsed value.
 */
export function factsDelta(parsed: FileFacts, expanded: FileFacts): string {
  const before = parsed as unknown as Record<string, unknown>;
  const after = expanded as unknown as Record<string, unknown>;
  const keys = Object.keys(after).filter((k) => after[k] !== undefined);
  const v: Record<string, unknown> = {};
  const a: Record<string, unknown[]> = {};
  for (const k of keys) {
    const was = before[k];
    const now = after[k];
    if (now === was) continue;
    if (objectsOnly(was) && objectsOnly(now)) {
      const at = new Map<unknown, number>();
      was.forEach((x, i) => {
        if (!at.has(x)) at.set(x, i);
      });
      a[k] = now.map((x) => at.get(x) ?? x);
    } else v[k] = now;
  }
  return JSON.stringify({ k: keys, v, a });
}

/**
 * The UTF-8 JSON of a file's expanded facts from its parsed facts' UTF-8 JSON (`parsed`, as the
 * parse worker wrote it: JSON.stringify's text) and the delta factsDelta made: the same bytes as
 * JSON.stringify of the expanded facts. The parsed text is not parsed: its members and their
 * values' bytes are found by their punctuation (objectMembers), a kept value's bytes are copied,
 * and only the delta's new values become JSON, since JSON.stringify of a value JSON.parse read from
 * JSON.stringify's text gives that text again. Keys come in the delta's order. Why: the facts
 * writer applies the deltas while the graph resolves, on the core the resolution's main thread
 * competes for; parsing each changed file and writing it out whole took that thread some 4.3 s of
 * a kernel's cold index (--cpu-prof, Linux 6.1 x86, 2026-12-06). Throws on a text that is not such
 * JSON (a key with an escape, a value cut short).
 */
export function withDelta(parsed: Uint8Array, delta: string): Uint8Array {
  const { k, v, a } = JSON.parse(delta) as { k: string[]; v: Record<string, unknown>; a: Record<string, unknown[]> };
  const members = objectMembers(parsed, new Set(Object.keys(a)));
  // The output's pieces, copied once by the final concat: new JSON as text, kept values as views of `parsed`.
  const parts: Uint8Array[] = [];
  const text = (s: string): void => void parts.push(Buffer.from(s, 'utf8'));
  let sep = '{';
  for (const key of k) {
    const head = `${sep}${JSON.stringify(key)}:`;
    if (Object.hasOwn(v, key)) text(head + JSON.stringify(v[key]));
    else {
      const span = members.get(key);
      // A key whose value is undefined in the parsed facts is left out, as JSON.stringify leaves it out.
      if (span === undefined) continue;
      if (!Object.hasOwn(a, key)) {
        text(head);
        parts.push(parsed.subarray(span.start, span.end));
      } else {
        const items = span.items;
        if (items === undefined) throw new Error(`withDelta: the value of ${key} is no array`);
        text(`${head}[`);
        a[key]!.forEach((x, i) => {
          if (i > 0) parts.push(COMMA_BYTES);
          if (typeof x !== 'number') text(JSON.stringify(x));
          else {
            const item = items[x];
            if (item === undefined) throw new Error(`withDelta: ${key} has no item ${x}`);
            parts.push(parsed.subarray(item[0], item[1]));
          }
        });
        parts.push(CLOSE_BRACKET_BYTES);
      }
    }
    sep = ',';
  }
  parts.push(sep === '{' ? EMPTY_OBJECT_BYTES : CLOSE_BRACE_BYTES);
  return Buffer.concat(parts);
}

const COMMA_BYTES = Buffer.from(',');
const CLOSE_BRACKET_BYTES = Buffer.from(']');
const CLOSE_BRACE_BYTES = Buffer.from('}');
const EMPTY_OBJECT_BYTES = Buffer.from('{}');

/**
 * The UTF-8 JSON of a frame's array of files (`json`, its items `sizes` bytes long: util/packed-items.ts)
 * with the file at each position of `deltas` expanded by its delta (withDelta; the delta in UTF-8
 * bytes or a string), every other file's bytes kept.
 */
export function expandedByDeltas(json: Buffer, sizes: readonly number[], deltas: ReadonlyMap<number, string | Uint8Array>): Buffer {
  if (deltas.size === 0) return json;
  const starts = itemStarts(sizes);
  return spliceItems(json, sizes, (j) => {
    const delta = deltas.get(j);
    if (delta === undefined) return undefined;
    const text = typeof delta === 'string' ? delta : Buffer.from(delta.buffer, delta.byteOffset, delta.byteLength).toString('utf8');
    return withDelta(json.subarray(starts[j]!, starts[j]! + sizes[j]!), text);
  });
}

/** True for an array whose items are all objects (not null, not arrays): its items can be named by position. */
const objectsOnly = (x: unknown): x is object[] => Array.isArray(x) && x.every((i) => typeof i === 'object' && i !== null && !Array.isArray(i));
