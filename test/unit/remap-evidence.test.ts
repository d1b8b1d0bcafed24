import { describe, expect, it } from 'vitest';
import { type EdgeSnapshot, type Evidence, packEvidence } from '../../src/resolve/edge-list.js';
import { remapEvidence } from '../../src/resolve/remap-evidence.js';
import { asciiBytesOf, setAsciiText } from '../../src/util/text-bytes.js';
import { appendedInPlace } from '../../src/util/shared-arrays.js';
import { textSlicer } from '../../src/util/text-slices.js';

/** The evidence part of a snapshot holding exactly `evidence`, packed as EdgeList.snapshot packs it. */
function snapshotOf(evidence: Evidence[]): Pick<EdgeSnapshot, 'evidenceText' | 'evidenceStart'> {
  const lines = evidence.map(packEvidence);
  const evidenceStart = new Int32Array(lines.length + 1);
  lines.forEach((l, i) => (evidenceStart[i + 1] = evidenceStart[i]! + l.length + 1));
  return { evidenceText: lines.join('\n'), evidenceStart };
}
const entries = (s: { evidenceText: string }): string[] => s.evidenceText.split('\n');

/** Lines move by +10 in the edited file; anonymous structs by +100. */
const shift = { line: (l: number) => l + 10, anon: (l: number) => l + 100 };

describe('remapEvidence', () => {
  it('moves the entries standing in the file, the (file:line) ending a text, and <anon file:line> names', () => {
    const s = snapshotOf([
      { file: 'net/a.c', line: 5, text: '.open = a_open in struct ops a_ops' },
      { file: 'net/b.c', line: 7, text: 'ops->open = x (net/a.c:40)' },
      { file: 'net/b.c', line: 8, text: '.open = y in struct <anon net/a.c:12>' },
      { file: 'net/b.c', line: 9, text: 'untouched' },
    ]);
    expect(remapEvidence(s as EdgeSnapshot, [{ file: 'net/a.c', move: shift }])).toBeNull();
    expect(entries(s)).toEqual(['net/a.c\t15\t.open = a_open in struct ops a_ops', 'net/b.c\t7\tops->open = x (net/a.c:50)', 'net/b.c\t8\t.open = y in struct <anon net/a.c:112>', 'net/b.c\t9\tuntouched']);
    // The offsets follow the texts.
    expect(Array.from(s.evidenceStart)).toEqual([0, ...entries(s).map((_, i) => entries(s).slice(0, i + 1).join('\n').length + 1)]);
  });

  it('leaves paths that only contain the file path alone (longer names, other folders, other positions)', () => {
    const text = [
      { file: 'xnet/a.c', line: 5, text: 'in xnet/a.c' },
      { file: 'net/a.cc', line: 6, text: 'a (net/a.cc:3)' },
      { file: 'net/b.c', line: 7, text: 'net/a.c is named (snet/a.c:4) <anon snet/a.c:5> net/a.c:6' },
      { file: 'net/b.c', line: 8, text: 'first net/a.c\tsecond' },
    ];
    const s = snapshotOf(text);
    const before = s.evidenceText;
    expect(remapEvidence(s as EdgeSnapshot, [{ file: 'net/a.c', move: shift }])).toBeNull();
    expect(s.evidenceText).toBe(before);
  });

  it('does not read the text when no line moved (a kernel\'s is tens of MB, decoded from the cache only when read)', () => {
    const s = snapshotOf([{ file: 'net/a.c', line: 5, text: 'use (net/a.c:40)' }]);
    let reads = 0;
    const text = s.evidenceText;
    Object.defineProperty(s, 'evidenceText', { get: () => (reads++, text), enumerable: true, configurable: true });
    expect(remapEvidence(s as EdgeSnapshot, [{ file: 'net/a.c', move: { line: (l) => l, anon: (l) => l, unmoved: true } }])).toBeNull();
    expect(reads).toBe(0);
    expect(s.evidenceText).toBe(text);
  });

  it('rewrites a text held as its ASCII bytes as bytes, the same text as from the string, never making the string', () => {
    const evidence = Array.from({ length: 3000 }, (_, i) => [
      { file: i % 3 ? 'net/b.c' : 'net/a.c', line: 5 + i, text: `.open = a_open${i} in struct ops a_ops` },
      { file: 'net/b.c', line: 7, text: `ops->open = x (net/a.c:${40 + i})` },
      { file: 'net/b.c', line: 8, text: `.open = y in struct <anon net/a.c:${i}>` },
      { file: 'net/c.c', line: 9, text: 'untouched' },
    ]).flat();
    const asString = snapshotOf(evidence);
    const asBytes = snapshotOf(evidence);
    setAsciiText(asBytes, 'evidenceText', Buffer.from(new SharedArrayBuffer(asString.evidenceText.length)).fill(asString.evidenceText, 'latin1'));
    // Moves that grow and shrink the numbers' digits: the ranges between entries shift both ways.
    const move = { line: (l: number) => (l % 2 ? l + 995 : Math.max(1, l - 7)), anon: (l: number) => l * 3 };
    expect(remapEvidence(asString as EdgeSnapshot, [{ file: 'net/a.c', move }])).toBeNull();
    expect(remapEvidence(asBytes as EdgeSnapshot, [{ file: 'net/a.c', move }])).toBeNull();
    expect(Array.from(asBytes.evidenceStart)).toEqual(Array.from(asString.evidenceStart));
    // Read from its new bytes: slices, and the bytes handed to a writer, before the string is ever made.
    expect(Object.getOwnPropertyDescriptor(asBytes, 'evidenceText')?.get).toBeDefined();
    expect(textSlicer(asBytes, 'evidenceText')(100, 300)).toBe(asString.evidenceText.slice(100, 300));
    expect(Buffer.from(asciiBytesOf(asBytes, 'evidenceText')!).toString('latin1')).toBe(asString.evidenceText);
    // The new bytes have room past them: the binding patch's evidence is appended where they lie (append-evidence.ts), not into a copy of the text.
    const remapped = asciiBytesOf(asBytes, 'evidenceText')!;
    const grown = appendedInPlace(remapped, 100);
    expect(grown?.buffer).toBe(remapped.buffer);
    expect(Buffer.from(grown!.subarray(0, remapped.length)).toString('latin1')).toBe(asString.evidenceText);
    expect(asBytes.evidenceText).toBe(asString.evidenceText);
    // Read whole, it is a plain string: its readers are gone.
    expect(Object.getOwnPropertyDescriptor(asBytes, 'evidenceText')?.value).toBe(asString.evidenceText);
    expect(asciiBytesOf(asBytes, 'evidenceText')).toBeUndefined();
  });

  it('changes nothing and answers the file when a line cannot be moved', () => {
    const s = snapshotOf([
      { file: 'net/a.c', line: 5, text: 'kept' },
      { file: 'net/b.c', line: 7, text: 'use (net/a.c:40)' },
    ]);
    const before = s.evidenceText;
    expect(remapEvidence(s as EdgeSnapshot, [{ file: 'net/a.c', move: { line: (l) => (l === 40 ? undefined : l + 1), anon: (l) => l } }])).toBe('net/a.c');
    expect(s.evidenceText).toBe(before);
  });

  it('moves several files in one rewrite, an entry naming two of them for each, the same as one file at a time', () => {
    const evidence = [
      { file: 'net/a.c', line: 5, text: 'ops->open = x (net/b.c:40)' },
      { file: 'net/b.c', line: 7, text: '.open = y in struct <anon net/a.c:12> (net/b.c:9)' },
      { file: 'net/c.c', line: 9, text: 'use (net/a.c:2) and (net/b.c:3)' },
    ];
    const moves = [
      { file: 'net/a.c', move: shift },
      { file: 'net/b.c', move: { line: (l: number) => l + 1000, anon: (l: number) => l } },
    ];
    const together = snapshotOf(evidence);
    expect(remapEvidence(together as EdgeSnapshot, moves)).toBeNull();
    const apart = snapshotOf(evidence);
    for (const m of moves) expect(remapEvidence(apart as EdgeSnapshot, [m])).toBeNull();
    expect(entries(together)).toEqual(entries(apart));
    expect(entries(together)).toEqual(['net/a.c\t15\tops->open = x (net/b.c:1040)', 'net/b.c\t1007\t.open = y in struct <anon net/a.c:112> (net/b.c:1009)', 'net/c.c\t9\tuse (net/a.c:12) and (net/b.c:1003)']);
    expect(Array.from(together.evidenceStart)).toEqual(Array.from(apart.evidenceStart));
  });

  it('finds the entry at the very start of the text and the one at its end', () => {
    const s = snapshotOf([
      { file: 'net/a.c', line: 1, text: 'first' },
      { file: 'net/b.c', line: 2, text: 'last (net/a.c:3)' },
    ]);
    expect(remapEvidence(s as EdgeSnapshot, [{ file: 'net/a.c', move: shift }])).toBeNull();
    expect(entries(s)).toEqual(['net/a.c\t11\tfirst', 'net/b.c\t2\tlast (net/a.c:13)']);
  });
});
