import type { FunctionFact } from '../types/facts.js';

/** How the functions of two versions of a file pair up (FilePlan's kept, added, removed). */
export interface FunctionPairs {
  /** [index before, index after] of each function kept, in order before; in order after too but for the moved ones. */
  kept: [number, number][];
  /** Indexes after of the functions added, ascending. */
  added: number[];
  /** Indexes before of the functions removed, ascending. */
  removed: number[];
  /** Names of the functions added or removed. */
  names: Set<string>;
  /** Names of the kept functions put in another place (off a longest run of the kept ones in order), in their order before. */
  moved: string[];
}

/** The indexes of each name in a list of definitions (functions, macros), ascending. */
export function positions(items: readonly { name: string }[]): Map<string, number[]> {
  const at = new Map<string, number[]>();
  items.forEach((f, i) => {
    const list = at.get(f.name);
    if (list) list.push(i);
    else at.set(f.name, [i]);
  });
  return at;
}

/**
 * Pairs the functions of two versions of a file by name, the n-th definition of a name with the
 * n-th. Node ids follow a file's functions in source order (a fresh index numbers them so): when
 * kept ones were put in another place, the fewest of them (those off a longest run of the kept ones
 * in order) are named `moved`, for -v; the patch renumbers their nodes. Why not, when a name is
 * defined a different number of times.
 */
export function pairFunctions(before: FunctionFact[], after: FunctionFact[]): FunctionPairs | string {
  const was = positions(before);
  const now = positions(after);
  const kept: [number, number][] = [];
  const added: number[] = [];
  const removed: number[] = [];
  const names = new Set<string>();
  for (const [name, olds] of was) {
    const news = now.get(name) ?? [];
    if (news.length === 0) {
      removed.push(...olds);
      names.add(name);
    } else if (news.length !== olds.length) return `${name} is defined a different number of times`;
    else olds.forEach((o, i) => kept.push([o, news[i]!]));
  }
  for (const [name, news] of now) {
    if (was.has(name)) continue;
    added.push(...news);
    names.add(name);
  }
  kept.sort((a, b) => a[0] - b[0]);
  // The kept functions off a longest run in order were put in another place: they keep their identity (their nodes are renumbered).
  const staying = new Set(increasingRun(kept.map(([, n]) => n)));
  const moved = kept.filter(([, n]) => !staying.has(n)).map(([o]) => before[o]!.name);
  return { kept, added: added.sort((a, b) => a - b), removed: removed.sort((a, b) => a - b), names, moved };
}

/**
 * A longest strictly increasing subsequence of `values` (distinct numbers), as the values it keeps,
 * in order (patience sorting: O(n log n)).
 */
export function increasingRun(values: readonly number[]): number[] {
  /** tails[k]: the index in `values` of the least last value of an increasing run of length k + 1 found so far. */
  const tails: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  values.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const run: number[] = [];
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) run.push(values[i]!);
  return run.reverse();
}
