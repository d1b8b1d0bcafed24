import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readColumn, unreadColumn } from '../../src/cache/column-reuse.js';
import { encodeColumns } from '../../src/cache/columns.js';
import { FrameFile, MAGIC, writeFrameFileAtomically } from '../../src/cache/frame-file.js';
import { startWriter, textAhead } from '../../src/cache/write-behind.js';
import { textSlicer } from '../../src/util/text-slices.js';
import { asciiBytesOf } from '../../src/util/text-bytes.js';
import { appendedInPlace } from '../../src/util/shared-arrays.js';

const FORMAT = 7;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A graph-like cache file holding `text` as a long text (a `chunks` column, as the evidence texts are), opened and decoded, the text not read yet. */
function opened(text: string): { evidence: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pf-ahead-'));
  dirs.push(dir);
  const path = join(dir, 'x.graph');
  writeFrameFileAtomically(path, MAGIC, FORMAT, [encodeColumns([]), encodeColumns({ edges: { evidence: text } })]);
  const file = FrameFile.open(path, FORMAT, false);
  if (typeof file === 'string') throw new Error(file);
  return file.value<{ edges: { evidence: string } }>(1).edges;
}

const ascii = Array.from({ length: 60_000 }, (_, i) => `net/f${i % 977}.c\t${i}\t.op = fn_${i} in struct ops t${i % 31}`).join('\n');

/**
 * A long text still unread in its cache frame, inflated ahead by the writer's worker thread
 * (write-behind.ts textAhead, for a patch that reads the evidence texts whole): reading it gives
 * the text, and it stays a column the writer copies as stored.
 */
describe('textAhead', () => {
  it('gives the same text, inflated by the writer thread, and leaves the column to be copied as stored', () => {
    const edges = opened(ascii);
    const reader = Object.getOwnPropertyDescriptor(edges, 'evidence')?.get;
    startWriter();
    textAhead(edges, 'evidence');
    // Asked of the worker: the property reads what it inflates.
    expect(Object.getOwnPropertyDescriptor(edges, 'evidence')?.get).not.toBe(reader);
    // Still unread: a writer would copy it as stored, and a slice reads its blocks alone.
    expect(unreadColumn(edges, 'evidence')?.info.enc).toBe('chunks');
    expect(textSlicer(edges, 'evidence')(10, 40)).toBe(ascii.slice(10, 40));
    // Its bytes as the worker inflated them, for a reader that works on bytes (remap-evidence.ts), the property still unread.
    expect(Buffer.from(asciiBytesOf(edges, 'evidence')!).toString('latin1')).toBe(ascii);
    // The memory the worker made for them has room after them, which a patch appending evidence takes here, in place.
    const grown = appendedInPlace(asciiBytesOf(edges, 'evidence')!, 5);
    expect(grown?.buffer).toBe(asciiBytesOf(edges, 'evidence')!.buffer);
    expect(grown?.length).toBe(ascii.length + 5);
    expect(unreadColumn(edges, 'evidence')?.info.enc).toBe('chunks');
    expect(edges.evidence).toBe(ascii);
    expect(asciiBytesOf(edges, 'evidence')).toBeUndefined();
    expect(readColumn(edges, 'evidence')?.info.enc).toBe('chunks');
  });

  it('reads the stored bytes of the column once', () => {
    const edges = opened(ascii);
    const column = unreadColumn(edges, 'evidence')!;
    const read = Object.getOwnPropertyDescriptor(column, 'bytes')!.get!;
    let reads = 0;
    // Each read of a stored column's bytes reads them from the cache file into new memory (36 MB compressed to 5 MB on a kernel).
    Object.defineProperty(column, 'bytes', { get: () => (reads++, read.call(column)), configurable: true });
    startWriter();
    textAhead(edges, 'evidence');
    expect(edges.evidence).toBe(ascii);
    expect(reads).toBe(1);
  });

  it('falls back to the column reader for a text that is not ASCII, and follows an assignment made before any read', () => {
    const text = `${ascii}\ncafé ☃ 𝄞`;
    const edges = opened(text);
    startWriter();
    textAhead(edges, 'evidence');
    expect(edges.evidence).toBe(text);
    const other = opened(ascii);
    startWriter();
    textAhead(other, 'evidence');
    other.evidence = 'replaced';
    expect(other.evidence).toBe('replaced');
    expect(textSlicer(other, 'evidence')(0, 3)).toBe('rep');
    expect(unreadColumn(other, 'evidence')).toBeUndefined();
  });
});
