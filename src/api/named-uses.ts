import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CodeIndex } from '../index/code-index.js';
import { withoutComments } from '../parse/macro-invocations.js';

/** A place that names a function without calling it: repository-relative file, 1-based line, the line as written (trimmed, each run of blanks one space: `.llseek\t\t= no_llseek,` reads `.llseek = no_llseek,`). */
export interface NamedUse {
  file: string;
  line: number;
  text: string;
}

/** Lines that name a function without being a use that can call it: an export, a #define of another name, a declaration. */
const NOT_A_USE = /^\s*(?:EXPORT_SYMBOL\w*\s*\(|#)/;

/**
 * The places in the folders of `nodes`' definitions and the folders above them (the files indexed
 * there, not below) that name `name` other than as a call, a prototype, an export (`EXPORT_SYMBOL*`), a preprocessor line or a
 * comment, and other than its own definition: `IOCTL_DEF(0x00, get_version),` in an ioctl table a
 * macro writes. A function no bound call reaches but that is named so is most likely called
 * through a use pathfind does not follow (an initializer written through a macro, a store into a
 * member array), not dead code. In file order, then line order. Reads those folders' files from
 * the tree (none for an index without a tree: an export); a file that cannot be read is skipped.
 */
export function namedUses(index: CodeIndex, name: string, nodes: readonly number[]): NamedUse[] {
  if (index.root === null || nodes.length === 0) return [];
  // The definition's folder and the one above (i915's gem/ handlers are named in i915_driver.c's table).
  const folders = new Set(nodes.flatMap((n) => [dirname(index.file(n)), dirname(dirname(index.file(n)))]));
  const definitions = new Set(nodes.map((n) => `${index.file(n)}:${index.nodeLine[n]}`));
  const word = new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'g');
  const out: NamedUse[] = [];
  for (const file of [...index.filePaths()].sort()) {
    if (!folders.has(dirname(file))) continue;
    let source: string;
    try {
      source = readFileSync(join(index.root, file), 'latin1');
    } catch {
      continue;
    }
    if (!source.includes(name)) continue;
    const written = source.split('\n');
    withoutComments(source).split('\n').forEach((line, i) => {
      if (NOT_A_USE.test(line) || definitions.has(`${file}:${i + 1}`)) return;
      for (const m of line.matchAll(word)) {
        const after = line.slice(m.index + name.length).trimStart();
        // A call or a declarator (`int name(...)`): not a value.
        if (after.startsWith('(')) continue;
        out.push({ file, line: i + 1, text: written[i]!.trim().replace(/\s+/g, ' ') });
        return;
      }
    });
  }
  return out;
}
