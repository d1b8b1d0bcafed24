/**
 * The literal blocks and inline literals of a reStructuredText document: the indented block
 * after a paragraph ending in `::`, the body of `.. code-block::` / `.. code::` /
 * `.. sourcecode::` (skipped when its language is a programming language; `pathfind` marks a
 * block written to be checked), and single-line ``` ``literals`` ``` in other lines. Other
 * directives (`.. note::`, `.. kernel-doc::`), tables and prose are not read.
 */
import { type DocBlock, type DocLine, type DocPieces, inlineSpans, splitLines } from './doc-lines.js';
import { isProgramLanguage } from './skip-languages.js';

/** `.. pathfind: ignore` (an rST comment): the next block or paragraph is not read. */
const IGNORE = /^\s*\.\.\s+pathfind:\s*ignore\s*$/;
const CODE_DIRECTIVE = /^\s*\.\.\s+(?:code-block|code|sourcecode)::\s*(\S*)\s*$/;

function indent(text: string): number {
  return /^[ \t]*/.exec(text)![0].replace(/\t/g, '        ').length;
}

/** The indented body after line `from` (exclusive): lines blank or indented deeper than `base`, without directive options (`:linenos:`). Returns the body and the index after it. */
function body(lines: DocLine[], from: number, base: number): { lines: DocLine[]; next: number } {
  const out: DocLine[] = [];
  let j = from + 1;
  for (; j < lines.length; j++) {
    const t = lines[j]!.text;
    if (t.trim() !== '' && indent(t) <= base) break;
    if (out.every((x) => x.text.trim() === '') && /^\s*:[\w-]+:/.test(t)) continue;
    out.push(lines[j]!);
  }
  return { lines: out, next: j };
}

/** Splits reStructuredText into literal blocks (`code`, or `pathfind`) and the inline literals of other lines. */
export function rstPieces(text: string): DocPieces {
  const blocks: DocBlock[] = [];
  const spans: DocPieces['spans'] = [];
  const lines = splitLines(text).map((t, i): DocLine => ({ text: t, line: i + 1, offset: 0 }));
  let ignore = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (IGNORE.test(l.text)) {
      ignore = true;
      continue;
    }
    const directive = CODE_DIRECTIVE.exec(l.text);
    const literal = !directive && /::\s*$/.test(l.text) && !/^\s*\.\./.test(l.text);
    if (directive || literal) {
      if (literal && !ignore) spans.push(...inlineSpans(l.text, l.line, 0, 2));
      const b = body(lines, i, indent(l.text));
      const lang = directive ? directive[1]! : '';
      if (!ignore && !isProgramLanguage(lang)) blocks.push({ kind: lang.toLowerCase() === 'pathfind' ? 'pathfind' : 'code', lines: b.lines });
      ignore = false;
      i = b.next - 1;
      continue;
    }
    if (l.text.trim() === '') {
      if (i > 0 && lines[i - 1]!.text.trim() !== '' && !IGNORE.test(lines[i - 1]!.text)) ignore = false;
      continue;
    }
    if (!ignore) spans.push(...inlineSpans(l.text, l.line, 0, 2));
  }
  return { blocks, spans };
}
