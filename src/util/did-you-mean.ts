/** Edit distance between two strings, stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Up to `count` names closest to `wanted`: names containing it (or contained in it, at least half
 * its length) first, then by edit distance (in
 * UTF-16 code units: one per letter, UTF-8 letters included, but two for a letter past U+FFFF);
 * ties in code-unit order, not a locale's collation, so that the answer is the same everywhere.
 * A wanted name of one letter gets none, one of two letters only names one edit away: nearly
 * every name contains such a name or is two edits from it (`x`: drv_tx, xmit_one). Containment
 * either way needs three letters (`rt` inside `wrte` is no suggestion).
 */
export function closestNames(wanted: string, names: Iterable<string>, count = 3): string[] {
  const limit = wanted.length < 2 ? 0 : wanted.length < 6 ? Math.min(wanted.length - 1, 2) : Math.max(2, Math.floor(wanted.length / 3));
  const contains = wanted.length >= 3;
  const scored: [number, string][] = [];
  for (const name of names) {
    // A name inside the one wanted counts when it is at least half of it: `entry_SYSCALL_64` for
    // `entry_SYSCALL_64_after_hwframe`, not the words `after` or `CALL` that some macro is named.
    const inside = contains && (name.includes(wanted) || (name.length >= 3 && wanted.includes(name) && name.length * 2 >= wanted.length));
    const d = inside ? 0.5 + Math.abs(name.length - wanted.length) / 100 : editDistance(wanted, name, limit);
    if (d <= limit) scored.push([d, name]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return scored.slice(0, count).map(([, n]) => n);
}
