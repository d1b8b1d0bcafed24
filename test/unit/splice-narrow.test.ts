import { describe, expect, it } from 'vitest';
import { decodeColumns, detachedForWriting, encodeColumnParts, encodeColumns } from '../../src/cache/columns.js';
import { encodingHints } from '../../src/cache/column-hints.js';
import type { EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { ADDED_STRIDE, type EdgeChanges, splicedEdges } from '../../src/resolve/splice-edges.js';
import { storedColumn } from '../../src/resolve/stored-column.js';
import { narrowView } from '../../src/util/narrow-views.js';
import { seededRandom as random } from '../support/random.js';

/**
 * A patch splicing edge columns the cache keeps in 16 bits (lines, call sites) splices them in 16
 * bits (util/narrow-views.ts holdNarrow): the values read are those of a splice of the widened
 * columns, and the column written is the same bytes.
 */

type Rows = Pick<EdgeSnapshot, 'from' | 'to' | 'kind' | 'line' | 'proof' | 'deferred' | 'bind'> & { site: Int32Array };

/** Edge rows in caller order: lines below 60,000 and call sites below 30,000 (the cache narrows both), evidence sets mostly -1. */
function sample(n: number): Rows {
  const r = random(7);
  return {
    from: Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5)),
    to: Int32Array.from({ length: n }, () => Math.floor(r() * 2 ** 20)),
    kind: Uint8Array.from({ length: n }, () => Math.floor(r() * 3)),
    line: Int32Array.from({ length: n }, () => Math.floor(r() * 60_000)),
    proof: Int32Array.from({ length: n }, () => (r() < 0.9 ? -1 : Math.floor(r() * 100))),
    deferred: new Uint8Array(n),
    bind: Uint8Array.from({ length: n }, () => (r() < 0.05 ? 1 : 0)),
    site: Int32Array.from({ length: n }, (_, i) => i % 5),
  };
}

/** A row dropped, two added, a line and a site moved; `line` is the added rows' line. */
function changes(of: object, line: number): EdgeChanges {
  const snapshot = of as EdgeSnapshot;
  return {
    dropped: new Set([40]),
    added: [100, 5, 0, line, 3, 0, 2000, 6, 1, 17, 9, 0],
    block: () => 0,
    siteOf: (e) => storedColumn(snapshot, 'site')!.at(e),
    column: (name) => storedColumn(snapshot, name),
    movedLine: new Map([[12, 59_999]]),
    movedSite: new Map([[13, 4]]),
  };
}

const KEYS = ['from', 'to', 'kind', 'line', 'proof', 'deferred', 'bind', 'site'] as const;

/** The values of an integer column, as 32-bit bytes (compared at once, not item by item). */
const valuesOf = (a: ArrayLike<number>): Buffer => Buffer.from(Int32Array.from(a).buffer);

describe('splicing edge columns stored in 16 bits', () => {
  it('holds lines and call sites narrow, reads them as a splice of the widened columns, and writes the same bytes', () => {
    const value = sample(20_000);
    expect(ADDED_STRIDE).toBe(6);
    const wide = splicedEdges(value as unknown as EdgeSnapshot, changes(value, 321));
    const back = decodeColumns<Rows>(encodeColumns(value));
    const hints = encodingHints(back);
    const narrow = splicedEdges(back as unknown as EdgeSnapshot, changes(back, 321));
    expect(narrowView(narrow, 'line')).toBeInstanceOf(Uint16Array);
    expect(narrowView(narrow, 'site')).toBeInstanceOf(narrowView(back, 'site')!.constructor);
    // Written as the widened splice is, by the writer's thread (detachedForWriting) and here.
    const bytes = (v: unknown): Buffer => Buffer.concat(encodeColumnParts(v, hints));
    expect(bytes(detachedForWriting(narrow)).equals(bytes(wide))).toBe(true);
    expect(bytes(narrow).equals(bytes(wide))).toBe(true);
    for (const key of KEYS) expect(valuesOf(narrow[key]!).equals(valuesOf(wide[key]!)), key).toBe(true);
    // Read whole, the property is an Int32Array of its own and the narrow view is gone.
    expect(narrow.line).toBeInstanceOf(Int32Array);
    expect(narrowView(narrow, 'line')).toBeUndefined();
  });

  it('widens a column when a value written does not fit its stored type', () => {
    const value = sample(20_000);
    const back = decodeColumns<Rows>(encodeColumns(value));
    const out = splicedEdges(back as unknown as EdgeSnapshot, changes(back, 70_000));
    expect(narrowView(out, 'line')).toBeUndefined();
    expect(narrowView(out, 'site')).toBeDefined();
    expect(valuesOf(out.line).equals(valuesOf(splicedEdges(value as unknown as EdgeSnapshot, changes(value, 70_000)).line))).toBe(true);
  });
});

describe('a cached column held narrow anew (a splice of its rows)', () => {
  it('is read row by row as the new rows, never through the row reader of the column it replaced', async () => {
    const { rowReads } = await import('../../src/util/row-reads.js');
    const { holdNarrow } = await import('../../src/util/narrow-views.js');
    const value = sample(20_000);
    const back = decodeColumns<Rows>(encodeColumns(value));
    // As decoded, the 16-bit line column has a row reader (EdgeList reads one edge's line through it).
    expect(rowReads(back, 'line')?.at(7)).toBe(value.line[7]);
    const spliced = Uint16Array.from(value.line.subarray(1), (x) => x);
    holdNarrow(back, 'line', spliced);
    const reads = rowReads(back, 'line');
    // Either no reader (the property is read) or one over the new rows.
    expect(reads === undefined || reads.at(7) === spliced[7]).toBe(true);
    expect(back.line[7]).toBe(spliced[7]);
  });

  it('keeps lines and call sites narrow when only lines and sites move (nothing dropped or added)', () => {
    const value = sample(20_000);
    const moved = (of: object, line: number): EdgeChanges => ({ ...changes(of, 0), dropped: new Set(), added: [], movedLine: new Map([[12, line], [19_999, 7]]), movedSite: new Map([[13, 4]]) });
    const back = decodeColumns<Rows>(encodeColumns(value));
    const hints = encodingHints(back);
    const cached = narrowView(back, 'line')!;
    const before = valuesOf(cached);
    const out = splicedEdges(back as unknown as EdgeSnapshot, moved(back, 59_999));
    expect(narrowView(out, 'line')).toBeInstanceOf(Uint16Array);
    expect(narrowView(out, 'site')).toBeInstanceOf(narrowView(back, 'site')!.constructor);
    const wide = splicedEdges(sample(20_000) as unknown as EdgeSnapshot, moved(value, 59_999));
    const bytes = (v: unknown): Buffer => Buffer.concat(encodeColumnParts(v, hints));
    expect(bytes(detachedForWriting(out)).equals(bytes(wide))).toBe(true);
    for (const key of KEYS) expect(valuesOf(out[key]!).equals(valuesOf(wide[key]!)), key).toBe(true);
    // The columns read from the cache are not written: a call graph over the cached graph may read them.
    expect(valuesOf(cached).equals(before)).toBe(true);
    expect(narrowView(out, 'line')).not.toBe(cached);
    // A moved line the stored type cannot hold widens the column.
    const far = splicedEdges(decodeColumns<Rows>(encodeColumns(value)) as unknown as EdgeSnapshot, moved(value, 70_000));
    expect(narrowView(far, 'line')).toBeUndefined();
    expect(far.line[12]).toBe(70_000);
  });
});
