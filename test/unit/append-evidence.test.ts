import { describe, expect, it } from 'vitest';
import { type EdgeSnapshot, type Evidence, packEvidence } from '../../src/resolve/edge-list.js';
import { EvidenceAppender } from '../../src/resolve/append-evidence.js';
import { asciiBytesOf, setAsciiText } from '../../src/util/text-bytes.js';
import { textSlicer } from '../../src/util/text-slices.js';
import { appendedInPlace, sharedBytesWithRoom } from '../../src/util/shared-arrays.js';

/** The evidence part of a snapshot holding exactly `evidence` (packed as EdgeList.snapshot packs it), with `sets` of ids. */
function snapshotOf(evidence: Evidence[], sets: number[][] = []): Pick<EdgeSnapshot, 'evidenceText' | 'evidenceStart' | 'setStart' | 'setItems'> {
  const lines = evidence.map(packEvidence);
  const evidenceStart = new Int32Array(lines.length + 1);
  lines.forEach((l, i) => (evidenceStart[i + 1] = evidenceStart[i]! + l.length + 1));
  const setStart = new Int32Array(sets.length + 1);
  sets.forEach((s, i) => (setStart[i + 1] = setStart[i]! + s.length));
  return { evidenceText: lines.join('\n'), evidenceStart, setStart, setItems: Int32Array.from(sets.flat()) };
}

const old: Evidence[] = Array.from({ length: 2000 }, (_, i) => ({ file: `net/f${i % 7}.c`, line: 3 + i, text: `.open = f${i} in struct ops f_ops` }));
const added: Evidence[] = [
  { file: 'net/a.c', line: 9, text: 'ops->stop = a_stop (net/a.c:9)' },
  { file: 'net/b.c', line: 12, text: '.start = b_start in struct ops b_ops' },
];

/** Appends `added` (one set of both, one of the first and an old entry) through an appender, reading entry 5 and the first one added back. */
function append(s: Pick<EdgeSnapshot, 'evidenceText' | 'evidenceStart' | 'setStart' | 'setItems'>): { read: Evidence[]; sets: number[] } {
  const appender = new EvidenceAppender(s as EdgeSnapshot);
  const sets = [appender.set(added), appender.set([added[0]!, old[5]!].map((e) => e))];
  const read = [appender.at(5), appender.at(old.length)];
  appender.finish();
  return { read, sets };
}

describe('EvidenceAppender', () => {
  it('appends entries and sets after the old ones, every old id kept', () => {
    const s = snapshotOf(old, [[0, 1]]);
    const { read, sets } = append(s);
    expect(read).toEqual([old[5], added[0]]);
    expect(sets).toEqual([1, 2]);
    const entries = s.evidenceText.split('\n');
    // old[5], held already, keeps its id: only the new entries are appended.
    expect(entries).toEqual([...old, ...added].map(packEvidence));
    expect(s.evidenceStart[old.length + 1]! - 1).toBe(entries.slice(0, old.length + 1).join('\n').length);
    expect(Array.from(s.setStart)).toEqual([0, 2, 4, 6]);
    expect(Array.from(s.setItems)).toEqual([0, 1, old.length, old.length + 1, 5, old.length]);
  });

  it('appends to a text held as its ASCII bytes as bytes, the same text as from the string, never making the string', () => {
    const asString = snapshotOf(old, [[0, 1]]);
    const asBytes = snapshotOf(old, [[0, 1]]);
    setAsciiText(asBytes, 'evidenceText', Buffer.from(new SharedArrayBuffer(asString.evidenceText.length)).fill(asString.evidenceText, 'latin1'));
    const fromString = append(asString);
    const fromBytes = append(asBytes);
    expect(fromBytes).toEqual(fromString);
    expect(Array.from(asBytes.evidenceStart)).toEqual(Array.from(asString.evidenceStart));
    expect(Array.from(asBytes.setStart)).toEqual(Array.from(asString.setStart));
    expect(Array.from(asBytes.setItems)).toEqual(Array.from(asString.setItems));
    // Still unread: slices and the bytes a writer is handed come from the new bytes.
    expect(Object.getOwnPropertyDescriptor(asBytes, 'evidenceText')?.get).toBeDefined();
    expect(textSlicer(asBytes, 'evidenceText')(asString.evidenceText.length - 80, asString.evidenceText.length)).toBe(asString.evidenceText.slice(-80));
    expect(Buffer.from(asciiBytesOf(asBytes, 'evidenceText')!).toString('latin1')).toBe(asString.evidenceText);
    expect(asBytes.evidenceText).toBe(asString.evidenceText);
  });

  it('appends to bytes made with room where they lie, once: a second append to the same old bytes copies them', () => {
    const asString = snapshotOf(old, [[0, 1]]);
    const made = sharedBytesWithRoom(asString.evidenceText.length, 4096);
    Buffer.from(made.buffer, 0, made.length).write(asString.evidenceText, 'latin1');
    const first = snapshotOf(old, [[0, 1]]);
    setAsciiText(first, 'evidenceText', made);
    const second = snapshotOf(old, [[0, 1]]);
    setAsciiText(second, 'evidenceText', made);
    const fromString = append(asString);
    expect(append(first)).toEqual(fromString);
    expect(asciiBytesOf(first, 'evidenceText')!.buffer).toBe(made.buffer);
    // The old bytes are as they were for every reader; another append to them goes to a copy.
    expect(Buffer.from(made).toString('latin1')).toBe(snapshotOf(old).evidenceText);
    expect(append(second)).toEqual(fromString);
    expect(asciiBytesOf(second, 'evidenceText')!.buffer).not.toBe(made.buffer);
    expect(first.evidenceText).toBe(asString.evidenceText);
    expect(second.evidenceText).toBe(asString.evidenceText);
  });

  it('gives evidence and sets the snapshot holds their ids, read first or not, and appends nothing for them', () => {
    const s = snapshotOf(old, [[0, 1], [7], [3, 1999]]);
    const before = s.evidenceText;
    const appender = new EvidenceAppender(s as EdgeSnapshot);
    // Never read: found by their text (entries of one length are many here: every line of old[1000..1999] has four digits).
    expect(appender.id(old[1500]!)).toBe(1500);
    expect(appender.set([old[1999]!, old[3]!])).toBe(2);
    expect(appender.set([old[0]!, old[1]!, old[0]!])).toBe(0);
    // Read first, then asked for.
    expect(appender.at(7)).toEqual(old[7]);
    expect(appender.set([old[7]!])).toBe(1);
    // Held entries in a set the snapshot lacks: a new set of their ids.
    expect(appender.set([old[7]!, old[8]!])).toBe(3);
    // Entries differing from held ones in a character only are new.
    expect(appender.id({ ...old[9]!, line: old[9]!.line + 1000 })).toBe(old.length);
    expect(appender.id({ ...old[9]!, text: `${old[9]!.text}x` })).toBe(old.length + 1);
    expect(appender.appended(old[1500]!)).toBe(1500);
    expect(appender.appended(old[6]!)).toBe(-1);
    appender.finish();
    expect(s.evidenceText.startsWith(`${before}\n`)).toBe(true);
    expect(s.evidenceText.split('\n').length).toBe(old.length + 2);
    expect(Array.from(s.setItems.subarray(s.setStart[3]!))).toEqual([7, 8]);
  });

  it('finds held entries in a text held as its ASCII bytes as in the string, and a text past ASCII never among them', () => {
    const s = snapshotOf(old);
    setAsciiText(s, 'evidenceText', Buffer.from(new SharedArrayBuffer(s.evidenceText.length)).fill(s.evidenceText, 'latin1'));
    const appender = new EvidenceAppender(s as EdgeSnapshot);
    expect(appender.id(old[42]!)).toBe(42);
    expect(appender.id({ ...old[42]!, text: old[42]!.text.replace('o', 'ö') })).toBe(old.length);
    appender.finish();
    expect(Object.getOwnPropertyDescriptor(s, 'evidenceText')?.get).toBeUndefined();
  });

  it('appendedInPlace refuses bytes made without room, or past their room', () => {
    expect(appendedInPlace(new Uint8Array(new SharedArrayBuffer(8)), 1)).toBeNull();
    const made = sharedBytesWithRoom(8, 4);
    expect(appendedInPlace(made, 5)).toBeNull();
    expect(appendedInPlace(made, 4)!.length).toBe(12);
  });

  it('keeps the new offsets and sets in shared memory (handed to the writer thread without a copy)', () => {
    const s = snapshotOf(old, [[0, 1]]);
    append(s);
    for (const column of [s.evidenceStart, s.setStart, s.setItems]) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('appends to a text that is not ASCII as a string', () => {
    const s = snapshotOf([{ file: 'net/ü.c', line: 1, text: 'façade' }]);
    const appender = new EvidenceAppender(s as EdgeSnapshot);
    expect(appender.set(added)).toBe(0);
    appender.finish();
    expect(s.evidenceText.split('\n')).toEqual(['net/ü.c\t1\tfaçade', ...added.map(packEvidence)]);
    expect(appender.at(0)).toEqual({ file: 'net/ü.c', line: 1, text: 'façade' });
  });
});
