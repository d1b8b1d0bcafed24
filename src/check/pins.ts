/**
 * Which of a name's same-named definitions its place in a document means (a pin): the functions a
 * definer macro makes in the file the document writes (definer-nodes.ts), the definition at the
 * place the document gives (cflow's `<... at file:line>`, a `file:line` comment), or those linked
 * into the module a stack frame's tag names (`[wlan_b]`).
 */
import type { CodeIndex } from '../index/code-index.js';
import type { ClaimName } from '../types/claims.js';
import { sameFile, sameSite, type Site, siteText } from './call-sites.js';
import { definerNodes } from './definer-nodes.js';

/** The definitions a name's place means, and what the document wrote that chose them. */
export interface Pin {
  nodes: number[];
  /** The place written (ClaimName.defined or .site); absent for a pin by module. */
  at?: Site;
  /** The module a stack frame's tag names (ClaimName.module), when that chose them. */
  module?: string;
  /** Set when the nodes are the functions a definer macro makes in the file written (definer-nodes.ts). */
  definer?: true;
}

/**
 * The pin of a name's place (see the module comment), `all` being the name's nodes: null when the
 * document says nothing that chooses, or names all or none of them. A place written wins over a
 * module tag; a tag naming no module of the tree chooses nothing.
 */
export function pinOf(index: CodeIndex, n: ClaimName, all: readonly number[]): Pin | null {
  const made = definerNodes(index, n);
  if (made.length) return { nodes: made, at: n.defined!, definer: true };
  if (all.length < 2) return null;
  const defs = all.filter((x) => !index.isExternal(x));
  const at = (s: Site, byFile: boolean): number[] => defs.filter((x) => (byFile ? sameFile(s.file, index.file(x)) : sameSite(s, { file: index.file(x), line: index.nodeLine[x]! })));
  const tries: [Site | undefined, boolean][] = [[n.defined, false], [n.defined, true], [n.site, false]];
  for (const [s, byFile] of tries) {
    const chosen = s ? at(s, byFile) : [];
    if (s && chosen.length > 0 && chosen.length < all.length) return { nodes: chosen, at: s };
  }
  if (n.module !== undefined) {
    const module = moduleName(n.module);
    const chosen = defs.filter((x) => moduleOf(index, index.nodeFile[x]!) === module);
    if (chosen.length > 0 && chosen.length < all.length) return { nodes: chosen, module: n.module };
  }
  return null;
}

/** How the document placed a pinned name, for a finding: `at drivers/x.c:12`, `in module wlan_b`. */
export const pinText = (pin: Pin): string => (pin.module !== undefined ? `in module ${pin.module}` : `at ${siteText(pin.at!)}`);

/** A module's name as the kernel prints it: Kbuild's KBUILD_MODNAME turns `-` into `_` (scripts/Makefile.lib). */
const moduleName = (name: string): string => name.replace(/-/g, '_');

/**
 * The name of the module Kbuild would make of file `file` if built as one: its composite object's
 * (BindingScope.linkUnit: `drivers/staging/wlan_b/wlan_b.o` gives `wlan_b`), else the file's own
 * (`obj-m += dummy.o`); undefined for a file of an image (`arch/x86/boot/`).
 */
function moduleOf(index: CodeIndex, file: number): string | undefined {
  const unit = index.bindingScope?.linkUnit?.(file) ?? index.filePath(file);
  if (unit.endsWith('/')) return undefined;
  return moduleName(unit.slice(unit.lastIndexOf('/') + 1).replace(/\.[a-z]+$/, ''));
}
