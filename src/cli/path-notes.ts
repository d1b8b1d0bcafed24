import type { PathsResult } from '../types/results.js';

/**
 * The note (without the `pathfind: note: ` prefix) for paths that pass a function more than once,
 * or none: the search honours --via in order over (function, via names passed) states, so names
 * given against the order the calls take can be met only by a walk that comes back to a function
 * (Linux 6.1: `-s wb_workfn -t ext4_writepages --via do_writepages --via __writeback_single_inode`
 * passed ext4_writepages and came back to it). Names each function passed more than once, with how
 * many times, in the order of the first path that does; one note for all paths (`path N` when several).
 */
export function repeatedStepsNote(result: PathsResult, via: readonly string[]): string | null {
  for (const [i, path] of result.paths.entries()) {
    // By definition (name, file, line): two same-named functions are two functions.
    const times = new Map<string, { name: string; count: number }>();
    for (const n of path.nodes) {
      const key = `${n.name} ${n.file}:${n.line}`;
      const seen = times.get(key);
      if (seen) seen.count++;
      else times.set(key, { name: n.name, count: 1 });
    }
    const again = [...times.values()].filter((t) => t.count > 1).map((t) => `${t.name} ${t.count} times`);
    if (again.length === 0) continue;
    const which = result.paths.length > 1 ? `path ${i + 1}` : 'the path';
    const why = via.length ? 'no path meets the --via functions in the order given without coming back' : 'the call graph has a cycle there';
    return `${which} passes through ${again.join(' and ')}: ${why}`;
  }
  return null;
}
