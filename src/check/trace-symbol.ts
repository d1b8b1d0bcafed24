/**
 * Kernel symbols as traces print them (`tcp_v4_rcv.isra.0+0x1c/0x40 [e1000e]`), reduced to the C
 * function name and the column where that name starts. Shared by the stack and function_graph readers.
 */

/**
 * A printed symbol: a C identifier, then compiler-made suffixes, each a dot and a word
 * (`.isra.0`, `.constprop.0`, `.part.0`, `.cold`, `.lto_priv.0`, `.llvm.123`, in any combination:
 * GCC and Clang name the copies of a function they specialise or split this way, and kallsyms
 * prints the copy's name), then an optional offset: `+0x1c/0x40` (the kernel's `%pS`), `+0x1c`
 * (perf) or `+28` (bpftrace, decimal).
 */
export const SYMBOL = String.raw`([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)(\+(?:0x[0-9a-fA-F]+(?:\/0x[0-9a-fA-F]+)?|\d+))?`;

/** A frame name read from a trace line: the bare C name and its 0-based index in that line. */
export interface FrameName {
  name: string;
  index: number;
}

/** The bare name of a printed symbol: the identifier before any compiler suffix or offset. */
export function bareName(symbol: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(symbol)?.[0] ?? symbol;
}

/** How a line's text maps to document positions: 1-based line, and characters stripped before the line (0 when none). */
export interface LinePlace {
  line: number;
  offset: number;
}

/** One text line of a block with where it sits in the document. */
export interface PlacedLine extends LinePlace {
  text: string;
}

/**
 * A block of document lines to read traces from: a whole .txt/.log file, or a code block of a
 * Markdown/rST document (whose reader may have stripped a prefix such as `> ` mail quoting or
 * rST indentation from each line).
 */
export interface TextBlock {
  /** The lines, without line ends. */
  lines: readonly string[];
  /** 1-based document line of lines[0]; lines[i] is on document line `line + i`. */
  line: number;
  /** Characters stripped before each line (all lines alike, or one per line); lines[i][j] sits at document column `j + 1 + offset`. Default 0. */
  column?: number | readonly number[];
}

/** The lines of a block, each with its document line and column offset. */
export function placeLines(block: TextBlock): PlacedLine[] {
  const col = block.column ?? 0;
  return block.lines.map((text, i) => ({
    text,
    line: block.line + i,
    offset: typeof col === 'number' ? col : (col[i] ?? 0),
  }));
}

/** Lines of a whole text, split on `\n`, `\r\n` or `\r`. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
