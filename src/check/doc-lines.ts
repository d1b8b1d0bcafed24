/**
 * The pieces of a document the line readers see: runs of lines taken from code blocks,
 * and where each line's text starts in the original document.
 */

/** One line of a block: its text after any quoting prefix, its 1-based line number, and how many characters were cut from its left (so a name at index i is at column offset + i + 1). */
export interface DocLine {
  text: string;
  line: number;
  offset: number;
}

/**
 * Where a block of lines came from. `pathfind`: a block marked ```pathfind (or
 * `.. code-block:: pathfind`), written to be checked, so every chain and tree in it is a
 * claim; `code`: any other code or literal block, or a plain-text document, where only
 * runs that look like code make claims (see looksLikeCode).
 */
export type BlockKind = 'pathfind' | 'code';

/** A block of lines to read chains and trees from. */
export interface DocBlock {
  kind: BlockKind;
  lines: DocLine[];
}

/** A single-line inline code span (Markdown `` `a -> b` ``, rST ``` ``a -> b`` ```) whose whole content may be one arrow chain. */
export interface InlineSpan {
  text: string;
  line: number;
  offset: number;
  /**
   * Set when the span is no literal: rST's single backticks are interpreted text (a title, or a
   * role's argument: ``:menuselection:`Configuration-->Preferences` ``), which holds a chain only
   * when it looks like code (no unsure claim: Claim.unsure).
   */
  interpreted?: true;
}

/** What a block finder returns: the code blocks and inline spans of one document. */
export interface DocPieces {
  blocks: DocBlock[];
  spans: InlineSpan[];
}

/** Splits a document into lines (LF, CRLF or CR endings). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Cuts mail quoting (`> `, `>> `, `> > `) from the start of a line; returns the rest and how many characters were cut. */
export function unquote(text: string): { text: string; offset: number } {
  const m = /^(?:[ \t]{0,3}>[ \t]?)+/.exec(text);
  if (!m) return { text, offset: 0 };
  return { text: text.slice(m[0].length), offset: m[0].length };
}

/**
 * Inline code spans of one prose line: text between matching runs of backticks (one or two), on
 * that line only; with `literalTicks` 2 (rST), a span between single backticks is `interpreted`.
 */
export function inlineSpans(text: string, line: number, offset: number, literalTicks = 1): InlineSpan[] {
  const spans: InlineSpan[] = [];
  for (const m of text.matchAll(/(`{1,2})([^`]+)\1(?!`)/g)) {
    spans.push({ text: m[2]!, line, offset: offset + m.index! + m[1]!.length, ...(m[1]!.length < literalTicks ? { interpreted: true as const } : {}) });
  }
  return spans;
}
