/**
 * Global symbols an architecture defines in assembly (`.S` files under `arch/<arch>/`), for
 * explain: when every C definition a call by name could bind is inactive (memset on x86:
 * lib/string.c's under `#ifndef __HAVE_ARCH_MEMSET`), the one the linker uses is most often
 * written in assembly (arch/x86/lib/memset_64.S: `SYM_FUNC_ALIAS_WEAK(memset, __memset)`).
 * The graph does not index assembly; this reads the files when explain asks, once per tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Truth } from '../types/build.js';

/** The order assembly definitions are offered in by whether Kbuild builds their file: built, may be built, not built. */
export const builtRank = (t: Truth): number => (t === Truth.Yes ? 0 : t === Truth.Unknown ? 1 : 2);

/** One definition of a global symbol in an assembly file: where, and the macro that defines it. */
export interface AsmDefinition {
  /** Path relative to the tree's root. */
  file: string;
  /** 1-based line. */
  line: number;
  /** The defining macro as written (`SYM_FUNC_START`, `SYM_FUNC_ALIAS_WEAK`, `ENTRY`). */
  macro: string;
}

/**
 * The kernel's linkage macros that define a global symbol (include/linux/linkage.h: the `_LOCAL`
 * forms make a local one, left out), the symbol their first argument.
 */
export const DEFINING = /^[ \t]*((?:SYM_(?:TYPED_)?FUNC_START(?:_WEAK)?(?:_NOALIGN)?|SYM_FUNC_ALIAS(?:_WEAK|_MEMFUNC)?|SYM_CODE_START(?:_NOALIGN)?|SYM_INNER_LABEL(?:_ALIGN)?|ENTRY|GLOBAL))\(\s*([A-Za-z_]\w*)\s*[,)]/gm;

/** Per root and arch: symbol name -> its definitions, in file then line order. */
const memo = new Map<string, Map<string, AsmDefinition[]>>();

/**
 * The files under `dir` (relative to root) whose names `keep` accepts, as paths relative to root,
 * sorted by name at each level; a folder that cannot be read counts as empty.
 */
export function filesUnder(root: string, dir: string, keep: (name: string) => boolean): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(root, path, keep));
    else if (e.isFile() && keep(e.name)) out.push(path);
  }
  return out;
}

/** The global definitions of every symbol in the `.S` files under `dir` of the tree at `root`. */
function table(root: string, dir: string): Map<string, AsmDefinition[]> {
  const key = `${root}\0${dir}`;
  let t = memo.get(key);
  if (t) return t;
  t = new Map();
  for (const file of filesUnder(root, dir, (n) => n.endsWith('.S'))) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'latin1');
    } catch {
      continue;
    }
    // Lines counted as the matches go, not from the file's start at each.
    let line = 1;
    let at = 0;
    for (const m of text.matchAll(DEFINING)) {
      for (let i = text.indexOf('\n', at); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
      at = m.index;
      const list = t.get(m[2]!) ?? [];
      list.push({ file, line, macro: m[1]! });
      t.set(m[2]!, list);
    }
  }
  memo.set(key, t);
  return t;
}

/** The assembly definitions of `name` under `dir` (the architecture's folder, `arch/x86`) of the tree at `root`. */
export function asmDefinitions(root: string, dir: string, name: string): AsmDefinition[] {
  return table(root, dir).get(name) ?? [];
}

/** An x86 or arm64 call instruction's target: `call do_syscall_64`, `bl el0t_64_sync_handler`. */
const CALL = /^\s*(?:call|bl)\s+([A-Za-z_]\w*)\s*(?:[#;/].*)?$/;

/** Where a symbol's code ends: its `SYM_*_END(name)`, or another symbol's start. */
const END = /^\s*SYM_\w*END\s*\(|^\s*(?:SYM_\w*START\w*|ENTRY)\s*\(/;

/**
 * The functions `def`'s code calls by name (`call do_syscall_64` in entry_SYSCALL_64,
 * arch/x86/entry/entry_64.S), each once, in order: the lines from its definition to its
 * `SYM_*_END` (or the next symbol's start), read when asked. Empty when the file cannot be read.
 */
export function asmCalls(root: string, def: AsmDefinition): string[] {
  let lines: string[];
  try {
    lines = readFileSync(join(root, def.file), 'latin1').split('\n');
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (let i = def.line; i < lines.length && !END.test(lines[i]!); i++) {
    const m = CALL.exec(lines[i]!);
    if (m) out.add(m[1]!);
  }
  return [...out];
}
