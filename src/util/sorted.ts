/** Index of the last of `sorted[0..count)` (ascending) that is at most `value`; 0 when none is. */
export function lastAtMost(sorted: ArrayLike<number>, value: number, count = sorted.length): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
