import { styleText } from 'node:util';

/** Options every renderer takes. */
export interface RenderOptions {
  /** Use ANSI colour (the CLI decides: TTY and no NO_COLOR). */
  color: boolean;
}

/** The styles the text renderers use; each returns its text unchanged when colour is off. */
export interface Styler {
  bold: (text: string) => string;
  dim: (text: string) => string;
  cyan: (text: string) => string;
  magenta: (text: string) => string;
  yellow: (text: string) => string;
}

/**
 * ANSI styles by Node's own util.styleText (the basic 16-colour codes: bold 1/22, dim 2/22,
 * cyan 36/39, magenta 35/39, yellow 33/39), when `options.color`. Not chalk: importing it reads
 * `node:process` as an ES module, which creates process.stdin and sets O_NONBLOCK on a piped
 * stdin; that flag is shared with every process reading the same pipe (`pathfind ... | diff -
 * <(pathfind ...)` failed with EAGAIN in diff about one run in three).
 */
export function styler(options: RenderOptions): Styler {
  const paint = (format: 'bold' | 'dim' | 'cyan' | 'magenta' | 'yellow') => (options.color ? (text: string) => styleText(format, text) : (text: string) => text);
  return { bold: paint('bold'), dim: paint('dim'), cyan: paint('cyan'), magenta: paint('magenta'), yellow: paint('yellow') };
}
