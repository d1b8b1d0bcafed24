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
 * has none). Reads the files of the one architecture folder the name's prefix names (a few MB); with
 * no such prefix, those of every other architecture folder that mention the name (Linux 6.1: 128 MB
 * read, about half a second), naming the place when exactly one architecture defines it. This runs
 * when a query already failed.
 */
export function otherArchNote(index: CodeIndex, name: string): OtherArchNote | null {
  const { archDir } = index.profile;
  const arch = index.arch;
  if (!archDir || !arch || arch === 'all' || !index.root) return null;
  const kept = `${archDir}/${arch}`;
  const other = prefixArch(index.root, archDir, arch, name);
  if (!other) {
    // No prefix (an arm64 oops's el0_svc, invoke_syscall): the one other architecture defining it, if only one does.
    const found = archFolders(index.root, archDir, arch).flatMap((a) => {
      const place = definitionUnder(index.root!, `${archDir}/${a}`, name);
      return place ? [{ arch: a, place }] : [];
    });
    return found.length === 1 ? { kept, ...found[0]! } : { kept };
  }
  const place = definitionUnder(index.root, `${archDir}/${other}`, name);
  return { kept, arch: other, ...(place ? { place } : {}) };
}

/** The architecture folders under `archDir` but `kept`, in name order; none when it cannot be listed. */
function archFolders(root: string, archDir: string, kept: string): string[] {
  try {
    return readdirSync(join(root, archDir), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== kept)
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The architecture folder, other than `kept`, whose name and `_` begin `name` (after any `_`s); the longest such. */
function prefixArch(root: string, archDir: string, kept: string, name: string): string | undefined {
  const bare = name.replace(/^_+/, '').toLowerCase();
  return archFolders(root, archDir, kept).filter((f) => bare.startsWith(`${f.toLowerCase()}_`)).sort((a, b) => b.length - a.length || (a < b ? -1 : 1))[0];
}

/**
 * The first definition of `name` under `dir`, as `path:line`: in C, a line starting at column 0
 * (not a preprocessor line) that names it before a `(` and reaches a `{` before any `;`; in
 * assembly, a linkage macro defining it (asm-definitions.ts). Files in name order.
 */
function definitionUnder(root: string, dir: string, name: string): string | undefined {
  const escaped = name.replace(/\$/g, '\\$');
  const inC = new RegExp(`^[A-Za-z_][^;#\\n]*\\b${escaped}\\s*\\(`, 'gm');
  for (const { file, text } of textsUnder(root, dir)) {
    if (!text.includes(name)) continue;
    const at = file.endsWith('.S') ? asmAt(text, name) : cAt(text, inC);
    if (at >= 0) return `${file}:${lineAt(text, at)}`;
  }
  return undefined;
}

/** The C and assembly files under a folder with their texts, read once per process (check asks about every unknown frame of a trace): root + dir -> files. */
const texts = new Map<string, { file: string; text: string }[]>();

/** The `.c`, `.h` and `.S` files under `dir` (of `root`) with their texts, in name order; unreadable ones left out. */
function textsUnder(root: string, dir: string): { file: string; text: string }[] {
  const key = join(root, dir);
  let out = texts.get(key);
  if (!out) {
    out = [];
    for (const file of filesUnder(root, dir, (n) => /\.[chS]$/.test(n))) {
      try {
        out.push({ file, text: readFileSync(join(root, file), 'latin1') });
      } catch {
        // A file that went away or cannot be read holds no definition to name.
      }
    }
    texts.set(key, out);
  }
  return out;
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
