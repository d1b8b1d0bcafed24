import { describe, expect, it } from 'vitest';
import { lineStartMatches } from '../../src/util/line-start-matches.js';
import { seededRandom } from '../support/random.js';

/** The preprocessor's directive pattern (parse/preprocessor.ts) in both forms: anchored, and sticky for lineStartMatches. */
const BODY = String.raw`[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif|include|define)\b([^\n\\]*(?:\\\r?\n[^\n\\]*|\\(?!\r?\n)[^\n\\]*)*)`;
const ANCHORED = new RegExp(`^${BODY}`, 'gm');
const STICKY = new RegExp(BODY, 'y');

/** [index, whole match, groups] of each match, to compare both ways of finding them. */
const shape = (ms: Iterable<RegExpExecArray>): [number, string, (string | undefined)[]][] => [...ms].map((m) => [m.index, m[0], m.slice(1)]);
const both = (text: string) => ({ expected: shape(text.matchAll(ANCHORED)), actual: shape(lineStartMatches(text, '#', STICKY)) });

describe('lineStartMatches', () => {
  it('finds the directives a line-anchored pattern finds, and only those', () => {
    const text = ['#include <a.h>', '  #  ifdef X', 'int a = b # c;', '\t#define Y 1 \\', '#if continued', '#endif', 'x #if no', '#pragma once', '#else'].join('\n');
    const { expected, actual } = both(text);
    expect(actual).toEqual(expected);
    expect(actual.map(([, , g]) => g[0])).toEqual(['include', 'ifdef', 'define', 'endif', 'else']);
  });

  it('treats every line terminator of ECMAScript as one (\\r, \\r\\n, U+2028, U+2029), as the m flag does', () => {
    // Each `#` follows a terminator outside any match (a directive's own text runs to the next \n).
    const text = 'x\r#if A\nx\u2028#endif\ny\u2029 #else\r\n#ifdef B';
    const { expected, actual } = both(text);
    expect(actual).toEqual(expected);
    expect(actual.map(([, , g]) => g[0])).toEqual(['if', 'endif', 'else', 'ifdef']);
  });

  it('gives the same matches on random texts of the characters that matter', () => {
    const r = seededRandom(61);
    const pieces = ['#', '#if', '#ifdef X', '#endif', '#define Y', '#include "a.h"', ' ', '\t', '\n', '\r', '\r\n', '\\', '\\\n', '\u2028', 'x', 'if', ';'];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const n = Math.floor(r() * 40);
      for (let i = 0; i < n; i++) text += pieces[Math.floor(r() * pieces.length)];
      const { expected, actual } = both(text);
      expect(actual, JSON.stringify(text)).toEqual(expected);
    }
  });

  it('refuses a pattern that is not sticky alone', () => {
    expect(() => [...lineStartMatches('#if', '#', ANCHORED)]).toThrow(/sticky/);
  });
});
