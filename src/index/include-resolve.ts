/**
 * `#include` resolution over the indexed files alone (no file system access): each directive of
 * each file is mapped to the id of the indexed file the preprocessor would open, or -1 when none
 * is indexed (a generated header such as `generated/autoconf.h`, a system header, a file outside
 * the path limits). The rules are GCC's ("Search Path" in the GCC preprocessor manual) with the
 * include path of the profile (Kbuild's `-I` flags, Makefile LINUXINCLUDE and USERINCLUDE):
 * - `#include "x.h"`: the folder of the including file first, then each include path in order;
 * - `#include <x.h>`: each include path in order only;
 * - then, when neither found it, each fallback of the profile (`asm/x.h` read as
 *   `asm-generic/x.h`, the wrapper Kbuild generates for a `generic-y` header) on the include path;
 * - then, for `"x.h"` and when the profile asks for it (Profile.includeAncestors), the folders
 *   above the including file's, nearest first: a stand-in for the per-folder `-I` flags of Kbuild
 *   makefiles (`subdir-ccflags-y += -I$(srctree)/$(src)`), which are not read.
 */

import type { Profile } from '../profiles/profile.js';
import type { FileFacts } from '../types/facts.js';

/**
 * A path relative to the root with `.` and `..` segments folded and empty segments dropped
 * (`drivers/net/../../include/linux/x.h` -> `include/linux/x.h`); null when it climbs above the
 * root or is absolute.
 */
export function normalisePath(path: string): string | null {
  if (path.startsWith('/')) return null;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** The include path of a profile for one architecture: `{arch}` replaced, each folder normalised ('' for the root). */
export function includePathFor(profile: Pick<Profile, 'includePaths'>, arch: string): string[] {
  const paths: string[] = [];
  for (const p of profile.includePaths) {
    const folder = normalisePath(p.replaceAll('{arch}', arch));
    if (folder !== null && !paths.includes(folder)) paths.push(folder);
  }
  return paths;
}

/** A path with an empty, `.` or `..` segment, or absolute. */
const NEEDS_NORMALISING = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\/|\/$/;

/** Resolves include names to file ids against a fixed set of files (see the module comment). */
export class IncludeResolver {
  private readonly ids = new Map<string, number>();
  /** Name -> file id found on the include path (with fallbacks), for `<...>` and the second step of `"..."`. */
  private readonly onPath = new Map<string, number>();

  /**
   * @param paths the indexed files' paths, relative to the root with `/` (a file's id is its index here)
   * @param includePath folders searched in order, relative to the root ('' for the root itself); see includePathFor
   * @param fallbacks rewrites of a leading part of a name tried when the include path has no file of that name
   */
  constructor(
    paths: readonly string[],
    private readonly includePath: readonly string[],
    private readonly fallbacks: readonly { from: string; to: string }[] = [],
    /** Search a quoted name found nowhere else in the including file's parent folders too (Profile.includeAncestors). */
    private readonly ancestors = false,
    /** The folders the build adds to the include path of the file at a path, searched after `includePath` (Kbuild's `-I` flags: index/include-dirs.ts). */
    private readonly extraDirs?: (from: string) => readonly string[],
  ) {
    paths.forEach((p, id) => {
      if (!this.ids.has(p)) this.ids.set(p, id);
    });
  }

  /** The id of an indexed file by its path relative to the root (normalised), or -1. */
  fileId(path: string): number {
    // Most names need no normalising: look them up as they are.
    if (!NEEDS_NORMALISING.test(path)) return this.ids.get(path) ?? -1;
    const p = normalisePath(path);
    return p === null ? -1 : (this.ids.get(p) ?? -1);
  }

  /**
   * The file an `#include` of `name` in the file at `from` opens: its id, or -1 when no indexed
   * file is found. `system` is true for `<name>`, false for `"name"`.
   */
  resolve(from: string, name: string, system: boolean): number {
    if (!system) {
      const slash = from.lastIndexOf('/');
      const here = this.fileId(slash < 0 ? name : `${from.slice(0, slash)}/${name}`);
      if (here >= 0) return here;
    }
    let id = this.onPath.get(name);
    if (id === undefined) {
      id = this.searchPath(name);
      for (let k = 0; id < 0 && k < this.fallbacks.length; k++) {
        const { from: prefix, to } = this.fallbacks[k]!;
        if (name.startsWith(prefix)) id = this.searchPath(to + name.slice(prefix.length));
      }
      this.onPath.set(name, id);
    }
    if (id < 0 && this.extraDirs) {
      for (const folder of this.extraDirs(from)) {
        id = this.fileId(folder === '' ? name : `${folder}/${name}`);
        if (id >= 0) return id;
      }
    }
    if (id < 0 && !system && this.ancestors) id = this.searchAncestors(from, name);
    return id;
  }

  /** `name` in the folders above the one of `from`, nearest first, the root left out. */
  private searchAncestors(from: string, name: string): number {
    let dir = from;
    for (let slash = dir.lastIndexOf('/'); slash >= 0; slash = dir.lastIndexOf('/')) {
      dir = dir.slice(0, slash);
      const up = dir.lastIndexOf('/');
      if (up < 0) break;
      const id = this.fileId(`${dir.slice(0, up)}/${name}`);
      if (id >= 0) return id;
    }
    return -1;
  }

  private searchPath(name: string): number {
    for (const folder of this.includePath) {
      const id = this.fileId(folder === '' ? name : `${folder}/${name}`);
      if (id >= 0) return id;
    }
    return -1;
  }
}

/** Include edges in compressed sparse rows, one row per file, one entry per directive in order. */
export interface IncludeRows {
  /** File id -> first entry of its row; `offsets[files]` is the entry count. */
  offsets: Int32Array;
  /** Entry -> file id the directive opens, or -1 when unresolved. */
  targets: Int32Array;
  /** Entry -> id in `conditions` of the directive's preprocessor condition, or -1 when unconditional. */
  conds: Int32Array;
  /** Distinct conditions (IncludeFact.cond normal form), by id. */
  conditions: string[];
}

/**
 * Resolves every directive of every file: row `f` of the result holds `files[f].includes` in
 * order (entry `offsets[f] + k` is directive k), so a directive's line and name stay in the facts.
 */
export function resolveIncludeRows(files: readonly Pick<FileFacts, 'path' | 'includes'>[], resolver: IncludeResolver): IncludeRows {
  let count = 0;
  for (const f of files) count += f.includes.length;
  const offsets = new Int32Array(files.length + 1);
  const targets = new Int32Array(count);
  const conds = new Int32Array(count);
  const conditions: string[] = [];
  const condIds = new Map<string, number>();
  let e = 0;
  files.forEach((f, id) => {
    offsets[id] = e;
    for (const inc of f.includes) {
      targets[e] = resolver.resolve(f.path, inc.path, inc.system);
      let c = -1;
      if (inc.cond !== undefined) {
        c = condIds.get(inc.cond) ?? -1;
        if (c < 0) {
          c = conditions.length;
          conditions.push(inc.cond);
          condIds.set(inc.cond, c);
        }
      }
      conds[e++] = c;
    }
  });
  offsets[files.length] = e;
  return { offsets, targets, conds, conditions };
}
