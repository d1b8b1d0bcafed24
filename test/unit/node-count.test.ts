import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTree } from '../../src/api/open-tree.js';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { pathOnly } from '../../src/cache/snapshot-index.js';
import { CodeIndex, type IndexSnapshot } from '../../src/index/code-index.js';
import { fixturesDir } from '../support/fixtures.js';

/** The minikernel's index, and one loaded from its snapshot as the graph cache stores it (columns read when first asked for), with that snapshot. */
async function stored(): Promise<{ built: CodeIndex; loaded: CodeIndex; snapshot: IndexSnapshot }> {
  const built = (await openTree({ root: join(fixturesDir, 'minikernel') })).index;
  // The node columns repeated up to 20,000 rows, so that each is stored as a column of its own (a small one is kept in the skeleton).
  const whole = built.snapshot();
  const rows = 20_000;
  const tiled = <T extends Int32Array | Uint8Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(rows);
    for (let i = 0; i < rows; i++) out[i] = a[i % a.length]!;
    return out;
  };
  const big = { ...whole, nodeName: tiled(whole.nodeName), nodeFile: tiled(whole.nodeFile), nodeLine: tiled(whole.nodeLine), nodeFlags: tiled(whole.nodeFlags), nodeItem: tiled(whole.nodeItem) };
  const snapshot = decodeColumns<IndexSnapshot>(encodeColumns(big));
  return { built: new CodeIndex(built.root, built.profile, () => big.files.map(pathOnly), structuredClone(big)), loaded: new CodeIndex(built.root, built.profile, () => snapshot.files.map(pathOnly), snapshot), snapshot };
}

const unread = (snapshot: IndexSnapshot, key: keyof IndexSnapshot): boolean => typeof Object.getOwnPropertyDescriptor(snapshot, key)?.get === 'function';

describe('the node count of an index loaded from the graph cache', () => {
  it('is had without reading a node column whole, and once one is read whole, from it alone', async () => {
    const { built, loaded, snapshot } = await stored();
    expect(built.nodeCount).toBeGreaterThan(10);
    expect(loaded.nodeCount).toBe(built.nodeCount);
    for (const key of ['nodeName', 'nodeFile', 'nodeLine', 'nodeFlags', 'nodeItem'] as const) expect(unread(snapshot, key), key).toBe(true);
    // A query reads the flags whole (parameter steps): the count then comes from them, not from the names read whole.
    expect(loaded.nodeFlags.length).toBe(built.nodeCount);
    expect(loaded.nodeCount).toBe(built.nodeCount);
    for (const key of ['nodeName', 'nodeFile', 'nodeLine', 'nodeItem'] as const) expect(unread(snapshot, key), key).toBe(true);
    // Single rows are read as stored.
    for (let n = 0; n < built.nodeCount; n += 7) expect(loaded.lineOf(n)).toBe(built.nodeLine[n]);
    expect(unread(snapshot, 'nodeLine')).toBe(true);
  });
});
