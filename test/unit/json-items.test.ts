import { describe, expect, it } from 'vitest';
import { jsonItemSpan, jsonItemSpans, objectMembers } from '../../src/util/json-items.js';
import { decodeFactsFrame, encodeFactsFrame, factsItem } from '../../src/cache/frame-file.js';

/** A deterministic pseudo-random source (a linear congruential generator), so that a failure repeats. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Characters that a scanner skipping items by punctuation must not be misled by inside strings. */
const HOSTILE = ['"', '\\', '[', ']', '{', '}', ',', ':', '\n', '\t', 'é', '€', '\u0000', '\\"', '"]', 'a', ' '];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.3) {
    const k = Math.floor(next() * 5);
    if (k === 0) return Math.floor(next() * 2000) - 1000;
    if (k === 1) return next() < 0.5;
    if (k === 2) return null;
    return Array.from({ length: Math.floor(next() * 6) }, () => HOSTILE[Math.floor(next() * HOSTILE.length)]).join('');
  }
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--) o[String(value(next, 9)) + i] = value(next, depth + 1);
  return o;
}

const itemAt = (json: Buffer, slot: number): unknown => {
  const span = jsonItemSpan(json, slot);
  return span ? JSON.parse(json.toString('utf8', span[0], span[1])) : undefined;
};

describe('one item of a JSON array, found without parsing the others', () => {
  it('gives each item of random arrays (strings full of brackets, quotes and escapes) as the whole parse does, and none past the last', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const items = Array.from({ length: Math.floor(next() * 8) }, () => value(next, 0));
      for (const text of [JSON.stringify(items), JSON.stringify(items, null, 2)]) {
        const json = Buffer.from(text, 'utf8');
        items.forEach((item, k) => expect(itemAt(json, k)).toEqual(item));
        expect(jsonItemSpan(json, items.length)).toBeNull();
      }
    }
  });

  it('gives every item in one walk where the single lookups find them, and none for text that is no whole array', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const items = Array.from({ length: Math.floor(next() * 8) }, () => value(next, 0));
      for (const text of [JSON.stringify(items), JSON.stringify(items, null, 2)]) {
        const json = Buffer.from(text, 'utf8');
        expect(jsonItemSpans(json)).toEqual(items.map((_, k) => jsonItemSpan(json, k)));
        expect(jsonItemSpans(json)!.map(([a, b]) => JSON.parse(json.toString('utf8', a, b)))).toEqual(items);
        // Cut short, the array has no end: no spans.
        if (text.length > 2) expect(jsonItemSpans(json.subarray(0, text.length - 1))).toBeNull();
      }
    }
    expect(jsonItemSpans(Buffer.from(' [ \n ] '))).toEqual([]);
    expect(jsonItemSpans(Buffer.from('{"a":[1]}'))).toBeNull();
  });

  it('finds nothing in an empty array, in text that is no array, or at a negative slot', () => {
    expect(jsonItemSpan(Buffer.from('[]'), 0)).toBeNull();
    expect(jsonItemSpan(Buffer.from(' [ \n ] '), 0)).toBeNull();
    expect(jsonItemSpan(Buffer.from('{"a":[1]}'), 0)).toBeNull();
    expect(jsonItemSpan(Buffer.from('"[1]"'), 0)).toBeNull();
    expect(jsonItemSpan(Buffer.from('[1,2]'), -1)).toBeNull();
    expect(itemAt(Buffer.from(' [ 7 ] '), 0)).toBe(7);
  });

  it('reads one file of a facts frame as the whole frame decodes it', () => {
    const files = [{ path: 'a.c', functions: [{ name: 'f', body: '{ "}" [ \\ }' }] }, { path: 'b.c', calls: [] }, { path: 'c.c', s: 'é],{' }];
    const frame = encodeFactsFrame(JSON.stringify(files));
    const json = Buffer.from(decodeFactsFrame(frame), 'utf8');
    files.forEach((f, k) => expect(factsItem(json, k)).toEqual(f));
    expect(factsItem(json, 3)).toBeUndefined();
  });
});

describe('the members of a JSON object, found without parsing their values', () => {
  it('gives each member of random objects (values full of brackets, quotes and escapes) and the items of the arrays asked for', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--) object[`k${i}`] = next() < 0.4 ? Array.from({ length: Math.floor(next() * 5) }, () => value(next, 1)) : value(next, 0);
      const json = Buffer.from(JSON.stringify(object), 'utf8');
      const arrays = new Set(Object.keys(object).filter((k) => Array.isArray(object[k])));
      const members = objectMembers(json, arrays);
      expect([...members.keys()]).toEqual(Object.keys(object));
      for (const [key, { start, end, items }] of members) {
        expect(JSON.parse(json.toString('utf8', start, end))).toEqual(object[key]);
        if (!arrays.has(key)) expect(items).toBeUndefined();
        else expect(items!.map(([a, b]) => JSON.parse(json.toString('utf8', a, b)))).toEqual(object[key]);
      }
    }
  });

  it('refuses text that is no object as JSON.stringify writes it, or a key that is not plain ASCII', () => {
    expect(objectMembers(Buffer.from('{}')).size).toBe(0);
    for (const text of ['[1]', '{"a":1', '{"a":"x}', '{"a":[1,2}', '{"a\\"b":1}', '{"é":1}', '{"a":1}x', '{"a" :1}', '{"a":1,}']) {
      expect(() => objectMembers(Buffer.from(text, 'utf8')), text).toThrow(/objectMembers/);
    }
  });
});
