import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ownStrings } from '../../src/util/own-strings.js';

/** A full collection now: V8's gc(), exposed for this test's process. */
const collect = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return (): void => {
    gc();
    gc();
  };
})();

interface Piece {
  name: string;
  cond: string;
  list: string[];
}

/** A file-sized text of its own (built at run time, not a literal V8 could share), and pieces cut from it as a reader would. */
function piecesOfText(megabytes: number): { text: string; pieces: Piece[]; expected: string } {
  const line = `config OPTION_${Math.random().toString(36).slice(2, 14).padEnd(12, 'x')} depends on X86_64 && PCI\n`;
  const text = line.repeat(Math.ceil((megabytes * 2 ** 20) / line.length));
  const pieces = [];
  for (let i = 0; i < 200; i++) {
    const at = i * line.length;
    pieces.push({ name: text.slice(at + 7, at + 30), cond: `${text.slice(at + 31, at + 50)} || ${text.slice(at + 7, at + 20)}`, list: [text.slice(at, at + 24), 'y'] });
  }
  const piece = (at: number): Piece => ({ name: line.slice(at + 7, at + 30), cond: `${line.slice(at + 31, at + 50)} || ${line.slice(at + 7, at + 20)}`, list: [line.slice(at, at + 24), 'y'] });
  return { text, pieces, expected: JSON.stringify(pieces.map(() => piece(0))) };
}

const heapAfterDropping = (own: boolean): { before: number; after: number; kept: string; expected: string } => {
  const made = piecesOfText(32);
  const { pieces, expected } = made;
  if (own) ownStrings(pieces);
  collect();
  const before = process.memoryUsage().heapUsed;
  made.text = '';
  collect();
  return { before, after: process.memoryUsage().heapUsed, kept: JSON.stringify(pieces), expected };
};

describe('ownStrings', () => {
  it('keeps every value, object and array, and their order', () => {
    const shared = ['net/ipv4/tcp.o', null, 3];
    const value = { a: 'defined(CONFIG_PCI) && defined(CONFIG_X86_64)', b: [shared, { c: 'short', d: undefined, e: true }], shared };
    const json = JSON.stringify(value);
    const out = ownStrings(value);
    expect(out).toBe(value);
    expect(JSON.stringify(out)).toBe(json);
    expect(value.b[0]).toBe(shared);
    expect(value.shared).toBe(shared);
    expect('d' in (value.b[1] as object)).toBe(true);
  });

  it('lets the text the strings were cut from go', () => {
    // Strings cut from a text (13 characters or more) point into it, as concatenations do into their parts: 200 such pieces keep 32 MB alive.
    const cut = heapAfterDropping(false);
    expect(cut.before - cut.after).toBeLessThan(8 * 2 ** 20);
    const owned = heapAfterDropping(true);
    expect(owned.before - owned.after).toBeGreaterThan(24 * 2 ** 20);
    expect(owned.kept).toBe(owned.expected);
  });
});
