/**
 * The code blocks and inline code spans of a Markdown document (CommonMark's block rules,
 * simplified): fenced blocks (``` or ~~~), indented code blocks (four spaces or a tab after a
 * blank line), and single-line code spans in other lines. Blockquote markers (`> `) are cut
 * first, so chains in quoted mail are read too. Nothing else is read: prose makes no claim.
 */
import { type DocBlock, type DocLine, type DocPieces, inlineSpans, splitLines, unquote } from './doc-lines.js';
import { isProgramLanguage } from './skip-languages.js';

/** `<!-- pathfind: ignore -->` on a line of its own: the next block or paragraph is not read. */
const IGNORE = /^\s*<!--\s*pathfind:\s*ignore\s*-->\s*$/;

/**
 * Splits Markdown into blocks: a fence marked `pathfind` gives a `pathfind` block, one
 * marked with a programming language (see isProgramLanguage) is skipped, any other fenced or
 * indented block is a `code` block; lines of other paragraphs give their inline code spans.
 */
export function markdownPieces(text: string): DocPieces {
  const blocks: DocBlock[] = [];
  const spans: DocPieces['spans'] = [];
  const lines = splitLines(text).map((raw, i): DocLine => ({ ...unquote(raw), line: i + 1 }));
  let ignore = false;
  let prevBlank = true;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (IGNORE.test(l.text)) {
      ignore = true;
      prevBlank = true;
      continue;
    }
    const fence = /^( {0,3})(`{3,}|~{3,})\s*([^\s`{]*)/.exec(l.text);
    if (fence) {
      const mark = fence[2]!;
      const body: DocLine[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!.text);
        if (close && close[1]![0] === mark[0] && close[1]!.length >= mark.length) break;
        body.push(lines[j]!);
      }
      const lang = fence[3]!;
      if (!ignore && !isProgramLanguage(lang)) blocks.push({ kind: lang.toLowerCase() === 'pathfind' ? 'pathfind' : 'code', lines: body });
      ignore = false;
      prevBlank = true;
      i = j;
      continue;
    }
    if (prevBlank && /^(?: {4}|\t)/.test(l.text) && l.text.trim() !== '') {
      const body: DocLine[] = [];
      let j = i;
      for (; j < lines.length; j++) {
        const t = lines[j]!.text;
        if (t.trim() !== '' && !/^(?: {4}|\t)/.test(t)) break;
        body.push(lines[j]!);
      }
      if (!ignore) blocks.push({ kind: 'code', lines: body });
      ignore = false;
      prevBlank = false;
      i = j - 1;
      continue;
    }
    if (l.text.trim() === '') {
      if (!prevBlank) ignore = false;
      prevBlank = true;
      continue;
    }
    prevBlank = false;
    if (!ignore) spans.push(...inlineSpans(l.text, l.line, l.offset));
  }
  return { blocks, spans };
}
