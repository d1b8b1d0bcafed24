import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { unreadColumn } from '../../src/cache/column-reuse.js';
import { handOffTargets } from '../../src/cache/hand-off-edit.js';
import { kindId } from '../../src/resolve/edge-kind.js';
import type { GraphPayload } from '../../src/cache/graph-payload.js';

/**
 * handOffTargets reads the names of the few nodes hand-off edges reach one at a time: the string
 * table of a graph read from the cache stays unread, so that the patched graph's writer copies it
 * as stored (plus the names a patch appends) instead of being handed, and encoding again, every name.
 */
describe('handOffTargets', () => {
  it('names the targets of deferred dispatch-table edges without decoding the string table', () => {
    // Enough strings for a `lines` column (column-handoff.ts MIN_COLUMN), node n named `fn<n>`.
    const strings = Array.from({ length: 5000 }, (_, i) => `fn${i}`);
    const nodeName = Int32Array.from({ length: 5000 }, (_, i) => i);
    const dispatch = kindId('dispatch-table');
    const direct = kindId('direct');
    const value = {
      index: { strings, nodeName },
      edges: { to: Int32Array.from([7, 8, 9]), kind: Uint8Array.from([dispatch, dispatch, direct]), deferred: Uint8Array.from([1, 0, 1]) },
    };
    const back = decodeColumns<typeof value>(encodeColumns(value));
    expect(unreadColumn(back.index, 'strings')).toBeDefined();
    const targets = handOffTargets(back as unknown as Pick<GraphPayload, 'index' | 'edges'>);
    expect([...targets]).toEqual(['fn7']);
    expect(unreadColumn(back.index, 'strings'), 'the string table was decoded whole').toBeDefined();
  });
});
