import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile } from '../../src/parse/extract-file.js';
import { makeNeutraliser } from '../../src/parse/neutralise.js';
import { callRules } from '../../src/parse/rules.js';
import { scanFile } from '../../src/parse/scan/extract-scan.js';
import { linuxProfile } from '../../src/profiles/linux.js';
import type { FileFacts } from '../../src/types/facts.js';

/** Comparing the fast extractor (src/parse/scan) with the tree-sitter one, fact by fact (scan.test.ts, scan-tail-calls.test.ts). */

const rules = callRules(linuxProfile);
/** The facts of `text` as the fast extractor reads them. */
export const scan = (text: string, path = 'x.c'): FileFacts => scanFile(path, text, makeNeutraliser(linuxProfile, 'definers'), rules);
/** The facts of `text` as the tree-sitter extractor reads them. */
export const reference = (text: string, path: string): FileFacts => extractFile(path, text, makeNeutraliser(linuxProfile), rules);
/** The function of that name in `facts`. */
export const fn = (facts: FileFacts, name: string) => facts.functions.find((f) => f.name === name);

/** Every .c and .h file under root/dir, as paths relative to root. */
export function sourcesUnder(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...sourcesUnder(root, rel));
    else if (/\.[ch]$/.test(e.name)) out.push(rel);
  }
  return out;
}

/** Every fact of a file as a list of JSON lines, per category; calls keep their function's name. */
function factLines(f: FileFacts): Map<string, string[]> {
  const categories: [string, unknown[]][] = [
    ['functions', f.functions.map(({ calls: _calls, ...head }) => head)],
    ['calls', f.functions.flatMap((fun) => fun.calls.map((c) => ({ in: fun.name, ...c })))],
    ['macros', f.macros],
    ['structs', f.structs],
    ['typedefs', f.typedefs],
    ['globals', f.globals],
    ['prototypes', f.prototypes],
    ['bindings', f.bindings],
    ['fieldAliases', f.fieldAliases],
    ['includes', f.includes],
    // Both count the same faults: brackets that do not balance, blocks outside any definition.
    ['parseErrors', [f.parseErrors]],
  ];
  return new Map(categories.map(([k, v]) => [k, v.map((x) => JSON.stringify(x))]));
}

/** Lines present on one side only, as `-` (tree-sitter) and `+` (scanner) entries. */
export function differences(a: FileFacts, b: FileFacts, path: string): string[] {
  const out: string[] = [];
  const left = factLines(a);
  const right = factLines(b);
  for (const [category, lines] of left) {
    const other = [...right.get(category)!];
    for (const line of lines) {
      const k = other.indexOf(line);
      if (k >= 0) other.splice(k, 1);
      else out.push(`${path} ${category} - ${line}`);
    }
    for (const line of other) out.push(`${path} ${category} + ${line}`);
  }
  return out;
}
