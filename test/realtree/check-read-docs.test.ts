import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../src/check/read-document.js';
import type { Claim } from '../../src/types/claims.js';

/**
 * The no-false-alarm test of the hand-written document readers on real kernel
 * documentation: Linux 6.1's Documentation/networking/, then every .rst document of
 * Documentation/ (PATHFIND_LINUX). Every claim read
 * must sit in a literal block, a code-block directive or an inline literal; none may come
 * from a prose paragraph. The claims are printed so a human can judge them.
 */
const tree = process.env.PATHFIND_LINUX;

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else yield join(dir, e.name);
  }
}

function indent(line: string): number {
  return /^[ \t]*/.exec(line)![0].replace(/\t/g, '        ').length;
}

/**
 * Whether a name at `line`:`column` (1-based) is in literal text, judged independently of
 * the reader: inside a ``literal`` on its own line, or in an indented block whose introducer
 * (the nearest line above, indented less than every line between) ends in `::` or is a
 * code directive, with no unindented line between.
 */
function inLiteral(lines: string[], line: number, column: number): boolean {
  const text = lines[line - 1]!;
  for (const m of text.matchAll(/``[^`]+``/g)) {
    if (column - 1 > m.index! && column - 1 < m.index! + m[0].length) return true;
  }
  let least = indent(text);
  if (least === 0) return false;
  for (let i = line - 2; i >= 0; i--) {
    const above = lines[i]!;
    if (above.trim() === '' || indent(above) >= least) continue;
    if (/::\s*$/.test(above) || /^\s*\.\.\s+(code-block|code|sourcecode)::/.test(above)) return true;
    least = indent(above);
    if (least === 0) return false;
  }
  return false;
}

/** Reads every document under `dir` whose name matches `kinds`; prints the claims; returns the listing and the claims outside literal text. */
function readAll(dir: string, kinds: RegExp): { documents: number; outside: string[] } {
  const all = [...files(dir)].filter((f) => kinds.test(f)).sort();
  const found: { claim: Claim; text: string[] }[] = [];
  for (const file of all) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split(/\r\n|\r|\n/);
    for (const claim of readDocument(relative(dir, file), text)) found.push({ claim, text: lines });
  }
  const listing = found.map(({ claim: c }) => `${c.doc}:${c.from.line}:${c.from.column}: ${c.form} ${c.from.name} -> ${c.to.name}${c.gap ? ' (gap)' : ''}`);
  const perFile = new Map<string, number>();
  for (const { claim } of found) perFile.set(claim.doc, (perFile.get(claim.doc) ?? 0) + 1);
  console.log(`${found.length} claims from ${perFile.size} of ${all.length} documents: ${[...perFile].map(([f, n]) => `${f} (${n})`).join(', ')}\n${listing.join('\n')}`);
  const outside = found.filter(({ claim, text }) => ![claim.from, claim.to].every((n) => inLiteral(text, n.line, n.column)));
  return { documents: all.length, outside: outside.map(({ claim: c }) => `${c.doc}:${c.from.line}:${c.from.column}`) };
}

describe.skipIf(!tree)('reading Linux 6.1 Documentation', () => {
  it('networking/: makes claims only from literal blocks and inline literals, never from prose', () => {
    const { documents, outside } = readAll(join(tree!, 'Documentation/networking'), /\.(rst|txt|md)$/);
    expect(documents).toBeGreaterThan(100);
    expect(outside).toEqual([]);
  });

  it('every .rst document: makes claims only from literal blocks and inline literals', () => {
    const { documents, outside } = readAll(join(tree!, 'Documentation'), /\.rst$/);
    expect(documents).toBeGreaterThan(1000);
    expect(outside).toEqual([]);
  });
});
