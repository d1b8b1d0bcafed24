// The processes under a process, from Linux's /proc: for the bench scripts that poll a cold index's
// processes and threads (cold-memory.mjs, phase-threads.mjs).
import { readdirSync, readFileSync } from 'node:fs';

/** Every descendant of `pid` (the processes /usr/bin/time starts), from /proc's parent links. */
export function descendants(pid) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name (in parentheses) may hold spaces: the parent is the second field after it.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  const walk = (p) => {
    for (const [child, of] of parent) if (of === p) found.push(child), walk(child);
  };
  walk(pid);
  return found;
}
