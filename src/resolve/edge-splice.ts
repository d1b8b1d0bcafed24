import { EDGE_ROW_COLUMNS, type EdgeRows, type EdgeSnapshot, emptyEdgeRows } from './edge-list.js';

/**
 * One change of the edge list a binding patch makes: the edges [start, end) replaced by `count`
 * new rows (start === end: inserted before edge `start`), which `write(rows, at)` writes from row `at`.
 */
export interface EdgeSplice {
  start: number;
  end: number;
  count: number;
  write: (rows: EdgeRows, at: number) => void;
}

/**
 * The edge columns with every splice applied at once, in one copy of the 4-million-row columns of
 * a kernel (each copy took 60-250 ms). Splices must not overlap; they are applied in (start, end)
 * order, an insertion before a replacement at the same edge, splices of equal range in the order given.
 */
export function applySplices(edges: EdgeSnapshot, splices: readonly EdgeSplice[]): void {
  if (splices.length === 0) return;
  const order = splices.map((s, i) => [s, i] as const).sort(([a, i], [b, k]) => a.start - b.start || a.end - b.end || i - k);
  const removed = splices.reduce((n, s) => n + s.end - s.start, 0);
  const added = splices.reduce((n, s) => n + s.count, 0);
  const next = emptyEdgeRows(edges, edges.from.length - removed + added);
  let w = 0;
  const copy = (a: number, b: number): void => {
    for (const k of EDGE_ROW_COLUMNS) {
      const from = edges[k] as Int32Array | undefined;
      const to = next[k] as Int32Array | undefined;
      if (from && to) to.set(from.subarray(a, b), w);
    }
    w += b - a;
  };
  let at = 0;
  for (const [s] of order) {
    copy(at, s.start);
    s.write(next, w);
    w += s.count;
    at = s.end;
  }
  copy(at, edges.from.length);
  Object.assign(edges, next);
}
