import { describe, expect, it } from 'vitest';
import { unboundSites } from '../../src/api/unresolved-calls.js';
import type { CallSiteSummary } from '../../src/cache/call-site-summary.js';
import { decodeColumns, encodeColumns } from '../../src/cache/columns.js';
import { EDGE_KINDS, isIndirect } from '../../src/resolve/edge-kind.js';
import { EdgeList, type EdgeSnapshot } from '../../src/resolve/edge-list.js';
import { seededRandom as random } from '../support/random.js';

/**
 * Edges as resolution adds them (callers in runs, a caller's edges sometimes in two runs), each
 * of a random kind at a random call site, and the indirect call sites of those callers and of
 * callers with no edge at all, as the call-site summary lists them (ascending by node, then site).
 */
function made(seed: number): { edges: EdgeList; sites: CallSiteSummary; callers: number[] } {
  const r = random(seed);
  const edges = new EdgeList();
  const callers: number[] = [];
  for (let i = 0; i < 2000; i++) {
    // Callers past 16 bits and not in order (as a kernel's): the caller column is stored as runs.
    const caller = ((i * 7919) % 2000) * 40;
    callers.push(caller);
    for (let k = 0, n = Math.floor(r() * 5); k < n; k++) edges.add(caller, Math.floor(r() * 2000), Math.floor(r() * EDGE_KINDS.length), Math.floor(r() * 6), 10 + k);
  }
  // A second run of some callers' edges, later in edge order.
  for (let i = 0; i < 200; i++) edges.add(callers[Math.floor(r() * callers.length)]!, 1, 2 + Math.floor(r() * (EDGE_KINDS.length - 2)), Math.floor(r() * 6), 99);
  const triples: number[] = [];
  for (const node of [...callers, ...callers.map((c) => c + 1)].sort((a, b) => a - b)) for (let site = 0; site < 6; site++) if (r() < 0.4) triples.push(node, site, 0);
  return { edges, sites: { direct: 0, throughParameter: 0, indirect: Int32Array.from(triples), parseErrors: [] }, callers };
}

/** The answer from every edge, one by one: the sites no indirect edge leaves. */
function reference(edges: EdgeList, sites: CallSiteSummary, callers: Iterable<number>): Map<number, number[]> {
  const wanted = new Set(callers);
  const bound = new Set<string>();
  for (let e = 0; e < edges.length; e++) if (isIndirect(edges.kind.get(e))) bound.add(`${edges.from.get(e)}:${edges.site.get(e)}`);
  const out = new Map<number, number[]>();
  for (let i = 0; i < sites.indirect.length; i += 3) {
    const [node, site] = [sites.indirect[i]!, sites.indirect[i + 1]!];
    if (wanted.has(node) && !bound.has(`${node}:${site}`)) out.set(node, [...(out.get(node) ?? []), site]);
  }
  return out;
}

describe('unboundSites', () => {
  it('finds the pointer calls no edge binds as a pass over every edge does, reading only the callers’ edges of a cached snapshot (the caller column stays undecoded)', () => {
    for (const seed of [1, 2, 3]) {
      const { edges, sites, callers } = made(seed);
      const loaded = new EdgeList(decodeColumns<EdgeSnapshot>(encodeColumns(edges.snapshot())));
      expect(loaded.callerRuns()).toBeDefined();
      const r = random(seed + 100);
      for (let round = 0; round < 20; round++) {
        // Some callers with edges, some without (node + 1), some with no pointer call, unordered, repeated.
        const asked = Array.from({ length: 1 + Math.floor(r() * 30) }, () => callers[Math.floor(r() * callers.length)]! + (r() < 0.2 ? 1 : 0));
        const want = reference(edges, sites, asked);
        expect(unboundSites(loaded, sites, asked)).toEqual(want);
        expect(unboundSites(edges, sites, asked)).toEqual(want);
      }
      // A kernel's warm callees query reads a few callers' edges of four million: never the whole caller column.
      expect(loaded.callerRuns()).toBeDefined();
    }
  });
});
