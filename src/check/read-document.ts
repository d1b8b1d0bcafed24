/**
 * The entry point of the document readers for what people write by hand: Markdown,
 * reStructuredText and plain text (mail, commit messages, notes).
 */
import type { Claim } from '../types/claims.js';
import { rstPieces } from './blocks-rst.js';
import { markdownPieces } from './blocks-markdown.js';
import { type DocLine, type DocPieces, splitLines, unquote } from './doc-lines.js';
import { readBlock } from './read-block.js';
import { readArrowLine } from './line-syntax.js';
import { looksLikeCode } from './names.js';
import { readDotDiagram } from './read-dot.js';
import { readTraceBlock } from './read-traces.js';

/** The kind of document a path names, by its extension: `.md`/`.markdown`, `.rst`, `.dot`/`.gv` (a Graphviz diagram), else plain text. */
export function documentKind(doc: string): 'markdown' | 'rst' | 'dot' | 'text' {
  const lower = doc.toLowerCase();
  if (lower.endsWith('.dot') || lower.endsWith('.gv')) return 'dot';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.rst')) return 'rst';
  return 'text';
}

/** Plain text: every line is read (mail quoting cut), as one `code` block; the line rules keep prose out. */
function textPieces(text: string): DocPieces {
  const lines = splitLines(text).map((raw, i): DocLine => ({ ...unquote(raw), line: i + 1 }));
  return { blocks: [{ kind: 'code', lines }], spans: [] };
}

/** Claims once each: two readers may read the same step at the same place. */
function dedupe(claims: Claim[]): Claim[] {
  const seen = new Set<string>();
  return claims.filter((c) => {
    const key = `${c.from.line}:${c.from.column}:${c.to.line}:${c.to.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A block's lines cut where a document line is skipped, so that each run is consecutive lines. */
function consecutiveRuns(lines: readonly DocLine[]): DocLine[][] {
  const runs: DocLine[][] = [];
  for (const l of lines) {
    const last = runs.at(-1);
    if (last && last.at(-1)!.line + 1 === l.line) last.push(l);
    else runs.push([l]);
  }
  return runs;
}

/**
 * Reads the call claims a document makes (a hand-written one, traces pasted into it, or a Graphviz diagram). `doc` is the document's path as given
 * on the command line (it picks the reader: see documentKind, and is copied into each claim);
 * `text` is its content. Pure: never touches the file system or a call graph.
 *
 * Where claims come from:
 * - Markdown: fenced and indented code blocks, ```pathfind blocks, and inline code spans whose
 *   whole content is an arrow chain (`` `tcp_connect() -> tcp_transmit_skb()` ``).
 * - reStructuredText: literal blocks (`::`), `.. code-block::` bodies, and inline literals that
 *   are wholly a chain.
 * - Plain text: any line that is wholly a chain or a tree line, inside `> ` quoting too.
 * Blocks in a programming language (```c, `.. code-block:: c`) and blocks after
 * `<!-- pathfind: ignore -->` / `.. pathfind: ignore` are skipped. In a block, a chain or tree
 * must fill whole lines, and outside ```pathfind blocks its names must look like code (see
 * looksLikeCode), so prose such as "the value -> is passed" or "A => B" never makes a claim.
 * Forms read: arrow chains (with gaps), indented trees, GNU and POSIX cflow, pathfind's text.
 * Each claim names the exact 1-based line and column where each name is written in the
 * original text (columns count UTF-16 code units, a tab as one, after any `> ` quoting too);
 * a `file:line` given for a step (a trailing `// file:line` comment, pathfind's site column)
 * is the `site` of the step's `to` name only. Claims are in document order (by `from`, then
 * `to`), so the same text always gives the same claims.
 */
export function readDocument(doc: string, text: string): Claim[] {
  const kind = documentKind(doc);
  if (kind === 'dot') return readDotDiagram(doc, text);
  const pieces = kind === 'markdown' ? markdownPieces(text) : kind === 'rst' ? rstPieces(text) : textPieces(text);
  const claims: Claim[] = [];
  for (const block of pieces.blocks) {
    claims.push(...readBlock(doc, block));
    // Stacks and function_graph excerpts pasted into the same blocks (src/check/read-traces.ts).
    for (const run of consecutiveRuns(block.lines)) claims.push(...readTraceBlock(doc, { lines: run.map((l) => l.text), line: run[0]!.line, column: run.map((l) => l.offset) }));
  }
  for (const span of pieces.spans) {
    const a = readArrowLine(span.text);
    if (!a || a.arrows === 0 || a.lead || a.trail) continue;
    const names = a.items.flatMap((x) => ('name' in x ? [x.name] : []));
    // A span wholly a chain that does not look like code (`schedule -> pick_next_task_fair`) is read as a code block's line: its claims unsure, none for states in capitals.
    const kind = looksLikeCode(names, a.comment, false) ? 'pathfind' : 'code';
    if (kind === 'code' && span.interpreted) continue;
    claims.push(...readBlock(doc, { kind, lines: [{ text: span.text, line: span.line, offset: span.offset }] }));
  }
  return dedupe(claims).sort((x, y) => x.from.line - y.from.line || x.from.column - y.from.column || x.to.line - y.to.line || x.to.column - y.to.column);
}
