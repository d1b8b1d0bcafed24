/**
 * Where an item of an old list went in a new one, given the runs copied whole: `runs` is a flat
 * list of triples [old start, new start, length, ...] with old starts ascending (derive-rows.ts
 * alignEdges' runs of matched edges, splice-edges.ts' kept ranges). The returned function gives an
 * old index's new index, or -1 when no run holds it; a binary search, O(log runs) per call.
 */
export function runMap(runs: ArrayLike<number>): (old: number) => number {
  return (e) => {
    let lo = 0;
    let hi = runs.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[3 * mid]! <= e) lo = mid;
      else hi = mid - 1;
    }
    const r = 3 * lo;
    return hi >= 0 && e >= runs[r]! && e < runs[r]! + runs[r + 2]! ? runs[r + 1]! + e - runs[r]! : -1;
  };
}
