import { expect } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { canonicalGraph } from './canonical-graph.js';

/**
 * Opens the tree at `root` through its cache (`cache`) and from scratch, and asserts that both
 * graphs are equal: the rows that differ first (readable when it fails), then the whole graphs,
 * order rows included. Returns the cached graph's rows, whether the cache was patched
 * (incremental), the `-v` line that says how the graph was had, and every `-v` line.
 */
export async function expectSameAsFresh(root: string, cache: string): Promise<{ got: string[]; incremental: boolean; why: string; trace: string[] }> {
  const trace: string[] = [];
  const [cached, scratch] = [await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) }), await openTreeReport({ root, cache: false })];
  const [got, want] = [canonicalGraph(cached.project), canonicalGraph(scratch.project)];
  const only = (a: string[], b: string[]): string[] => ((set) => a.filter((r) => !set.has(r)))(new Set(b));
  expect({ missing: only(want, got), extra: only(got, want) }).toEqual({ missing: [], extra: [] });
  expect(got).toEqual(want);
  return { got, incremental: cached.report.incremental, why: trace.find((m) => m.startsWith('graph')) ?? '', trace };
}
