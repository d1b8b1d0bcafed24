import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { unreadColumn } from '../../src/cache/column-reuse.js';
import { handOffReached } from '../../src/cache/hand-off-edit.js';
import { kindId } from '../../src/resolve/edge-kind.js';
import type { GraphPayload } from '../../src/cache/graph-payload.js';

/**
 * handOffReached tells which of a few names a hand-off edge reaches by finding the nodes of those
 * names alone: the string table of a graph read from the cache stays unread (its strings read one
 * at a time), so that the patched graph's writer copies it as stored instead of being handed, and
 * encoding again, every name.
 */
describe('handOffReached', () => {
  // Enough strings for a `lines` column (column-handoff.ts MIN_COLUMN): node n named `fn<n>` (string n), node 5000 an
  // alias row of fn7 (a second node under the name fn7 whose own name is fn5000), edges to 7, 8, 9, 5000 and 3.
  const strings = Array.from({ length: 5001 }, (_, i) => `fn${i}`);
  const nodeName = Int32Array.from({ length: 5001 }, (_, i) => i);
  const sortedStrings = Int32Array.from(strings.keys()).sort((a, b) => (strings[a]! < strings[b]! ? -1 : 1));
  // Name rows: each string's own node, and string 7 also node 5000.
  const rows = strings.map((_, s) => (s === 7 ? [7, 5000] : [s]));
  const nameStart = new Int32Array(strings.length + 1);
  rows.forEach((r, s) => (nameStart[s + 1] = nameStart[s]! + r.length));
  const nameNodes = Int32Array.from(rows.flat());
  const dispatch = kindId('dispatch-table');
  const direct = kindId('direct');
  const value = {
    index: { strings, nodeName, sortedStrings, nameStart, nameNodes },
    edges: { to: Int32Array.from([7, 8, 9, 5000, 3]), kind: Uint8Array.from([dispatch, dispatch, direct, dispatch, dispatch]), deferred: Uint8Array.from([1, 0, 1, 1, 1]) },
  };

  it('gives the first name a deferred dispatch-table edge reaches, without decoding the string table', () => {
    const back = decodeColumns<typeof value>(encodeColumns(value));
    expect(unreadColumn(back.index, 'strings')).toBeDefined();
    const payload = back as unknown as Pick<GraphPayload, 'index' | 'edges'>;
    expect(handOffReached(payload, ['fn1', 'fn7', 'fn3'])).toBe('fn7');
    expect(handOffReached(payload, ['fn3', 'fn7'])).toBe('fn3');
    // fn8's edge is not deferred, fn9's is direct; an unknown name has no node.
    expect(handOffReached(payload, ['fn8', 'fn9', 'nosuch'])).toBeUndefined();
    expect(unreadColumn(back.index, 'strings'), 'the string table was decoded whole').toBeDefined();
  });

  it('tells a handler by its own name, not by a name it is an alias under', () => {
    const payload = decodeColumns<typeof value>(encodeColumns(value)) as unknown as Pick<GraphPayload, 'index' | 'edges'>;
    // Node 5000 (fn5000) is reached and is a row of fn7 too; fn7's own node is reached as well.
    expect(handOffReached(payload, ['fn5000'])).toBe('fn5000');
    const noSeven = { ...value, edges: { to: Int32Array.from([5000]), kind: Uint8Array.from([dispatch]), deferred: Uint8Array.from([1]) } };
    expect(handOffReached(decodeColumns<typeof noSeven>(encodeColumns(noSeven)) as unknown as Pick<GraphPayload, 'index' | 'edges'>, ['fn7'])).toBeUndefined();
  });
});
