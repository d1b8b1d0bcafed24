import { posix } from 'node:path';
import { PLAIN_VARIABLE } from './makefile.js';

/** One Makefile's `-I` folders, relative to the root, normalised: for its own objects, and for those of every folder below it too. */
export interface IncludeFlags {
  own: string[];
  subdir: string[];
}

/** An assignment of compiler flags: `ccflags-y`, `ccflags-$(CONFIG_X)`, `subdir-ccflags-y`, `EXTRA_CFLAGS`, `CFLAGS_foo.o`. */
const FLAGS = /^(subdir-ccflags-\S+|ccflags-\S+|EXTRA_CFLAGS|CFLAGS_[\w.-]+\.o)\s*(?:\+|:|\?)?=\s*(.*)$/;

/**
 * The `-I` folders a Makefile at `folder` (relative to the root, no trailing slash) adds, read
 * under every make conditional (a flag under `ifeq` counts: it can only widen the include path):
 * `$(srctree)` is the root, `$(src)` and `$(obj)` the folder, plain variables of the file are
 * substituted; a path still naming a variable, absolute or outside the tree is left out. A path
 * without `$(srctree)` is relative to the root, where make runs (`-Ivirt/kvm`).
 */
export function readIncludeFlags(text: string, folder: string): IncludeFlags {
  const own: string[] = [];
  const subdir: string[] = [];
  if (!text.includes('-I')) return { own, subdir };
  const vars: Record<string, string> = { srctree: '.', src: folder || '.', obj: folder || '.' };
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!;
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + ' ' + raw[++i]!;
    const body = line.replace(/(^|[^\\])#.*$/, '$1').trim();
    const plain = PLAIN_VARIABLE.exec(body);
    if (plain && !plain[2]!.startsWith('-')) vars[plain[1]!] = substitute(plain[2]!, vars);
    const m = FLAGS.exec(body);
    if (!m) continue;
    const into = m[1]!.startsWith('subdir-') ? subdir : own;
    for (const flag of substitute(m[2]!, vars).matchAll(/(?:^|\s)-I\s*(\S+)/g)) {
      const dir = posix.normalize(flag[1]!).replace(/\/+$/, '');
      if (dir.includes('$') || dir.startsWith('/') || dir.startsWith('..')) continue;
      const rel = dir === '.' ? '' : dir;
      if (!into.includes(rel)) into.push(rel);
    }
  }
  return { own, subdir };
}

/** Replaces `$(VAR)` and `${VAR}` of known variables by their values. */
function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$[({](\w+)[)}]/g, (all, name: string) => (Object.hasOwn(vars, name) ? vars[name]! : all));
}
