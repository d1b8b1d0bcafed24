/**
 * Why a name the index does not know may still be the kernel's: an index keeps one architecture's
 * folder (arch/x86 by default; profiles/linux.ts), so `arm64_...` functions are not in it. For an
 * unknown name this says which architecture to index instead, and where that architecture defines
 * the name when its prefix names the folder (the kernel's habit: `arm64_`, `s390_`, `riscv_`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIndex } from '../index/code-index.js';
import { DEFINING, filesUnder } from './asm-definitions.js';

/** What an unknown name's error can say about the other architectures. */
export interface OtherArchNote {
  /** The architecture folder the index keeps (`arch/x86`). */
  kept: string;
  /** The architecture whose folder the name's prefix names (`arm64` for `arm64_flush_thing`), if any. */
  arch?: string;
  /** Where that folder defines the name (`arch/arm64/kernel/entry.c:6`), if it does. */
  place?: string;
}

/**
 * The note for an unknown `name`, or null when the index keeps every architecture (or its profile
 * has none). Reads the files of the one architecture folder the name's prefix names (a few MB), and
 * only then: this runs when a query already failed.
 */
export function otherArchNote(index: CodeIndex, name: string): OtherArchNote | null {
  const { archDir } = index.profile;
  const arch = index.arch;
  if (!archDir || !arch || arch === 'all' || !index.root) return null;
  const kept = `${archDir}/${arch}`;
  const other = prefixArch(index.root, archDir, arch, name);
  if (!other) return { kept };
  const place = definitionUnder(index.root, `${archDir}/${other}`, name);
  return { kept, arch: other, ...(place ? { place } : {}) };
}

/** The architecture folder, other than `kept`, whose name and `_` begin `name` (after any `_`s); the longest such. */
function prefixArch(root: string, archDir: string, kept: string, name: string): string | undefined {
  let folders: string[];
  try {
    folders = readdirSync(join(root, archDir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return undefined;
  }
  const bare = name.replace(/^_+/, '').toLowerCase();
  return folders.filter((f) => f !== kept && bare.startsWith(`${f.toLowerCase()}_`)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0];
}

/**
 * The first definition of `name` under `dir`, as `path:line`: in C, a line starting at column 0
 * (not a preprocessor line) that names it before a `(` and reaches a `{` before any `;`; in
 * assembly, a linkage macro defining it (asm-definitions.ts). Files in name order.
 */
function definitionUnder(root: string, dir: string, name: string): string | undefined {
  const escaped = name.replace(/\$/g, '\\$');
  const inC = new RegExp(`^[A-Za-z_][^;#\\n]*\\b${escaped}\\s*\\(`, 'gm');
  for (const file of filesUnder(root, dir, (n) => /\.[chS]$/.test(n))) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'latin1');
    } catch {
      continue;
    }
    if (!text.includes(name)) continue;
    const at = file.endsWith('.S') ? asmAt(text, name) : cAt(text, inC);
    if (at >= 0) return `${file}:${lineAt(text, at)}`;
  }
  return undefined;
}

/** Offset of the first C definition `inC` finds in `text`, or -1. */
function cAt(text: string, inC: RegExp): number {
  for (const m of text.matchAll(inC)) {
    const brace = text.indexOf('{', m.index);
    const semi = text.indexOf(';', m.index);
    if (brace >= 0 && (semi < 0 || brace < semi)) return m.index;
  }
  return -1;
}

/** Offset of the first linkage macro defining `name` in an assembly `text`, or -1. */
function asmAt(text: string, name: string): number {
  for (const m of text.matchAll(DEFINING)) if (m[2] === name) return m.index;
  return -1;
}

/** The 1-based line of offset `at`. */
function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
