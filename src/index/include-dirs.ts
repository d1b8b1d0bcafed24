/**
 * The include folders a Kbuild Makefile adds for the files it compiles: `-I` flags of
 * `ccflags-y` (and `ccflags-$(CONFIG_...)`, `EXTRA_CFLAGS`, `CFLAGS_x.o`) for the objects its own
 * lists name, and of `subdir-ccflags-y` for those of every folder below it too (Kbuild's
 * scripts/Makefile.lib adds them to each object's c_flags after LINUXINCLUDE). Staging drivers
 * reach their own headers only so (`ccflags-y += -I$(srctree)/$(src)/include` in
 * drivers/staging/r8188eu/Makefile), and so does XFS (`-I $(srctree)/$(src)/libxfs`).
 */

import type { IncludeFlags } from '../parse/kbuild/include-flags.js';

export type { IncludeFlags };

/**
 * The folders Kbuild adds to the include path of the file at `path` (relative to the root): the
 * `own` flags of the nearest folder above it that has a Makefile read (`hasMakefile`: the one
 * whose lists compile it, `r8188eu-y += core/rtw_cmd.o` from drivers/staging/r8188eu/Makefile),
 * then the `subdir` flags of every folder above it, nearest first; each once.
 */
export function includeDirsFor(path: string, flags: ReadonlyMap<string, IncludeFlags>, hasMakefile: (folder: string) => boolean): string[] {
  if (flags.size === 0) return [];
  const out: string[] = [];
  let ownDone = false;
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const folder = path.slice(0, cut);
    const f = flags.get(folder);
    if (!ownDone && hasMakefile(folder)) {
      ownDone = true;
      if (f) for (const d of f.own) if (!out.includes(d)) out.push(d);
    }
    if (f) for (const d of f.subdir) if (!out.includes(d)) out.push(d);
  }
  return out;
}
