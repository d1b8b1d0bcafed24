/**
 * The syntax of one line of a chain or a tree, as people write them by hand and as cflow
 * and pathfind print them. Pure string functions; no claims are made here.
 */
import { type NameToken, readName } from './names.js';

/** A `file:line` a line gives for its step. */
export interface Site {
  file: string;
  line: number;
}

// Characters past ASCII are written as \u escapes in these patterns: the CLI's bundle stays ASCII, which node reads and compiles faster (bin/pathfind.js).
/** An arrow: `->`, `-->`, `--->`, `=>`, `==>`, `→`, `⟶`. */
const ARROW = /^(?:-{1,3}>|={1,2}>|\u2192|\u27f6)/;
/** An arrow written callee first: `<-`, `<--`, `<---`, `←`, `⟵` (`a <- b`: b calls a, as stack steps are written). */
const BACK_ARROW = /^(?:<-{1,3}|\u2190|\u27f5)/;
/** A gap: the document skips calls here (`...`, `[...]`, `…`). */
const GAP = /^(?:\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026)/;
/** A trailing comment (`// ...`, `/* ... *\/`, `# ...`), from its start to the end of the line. */
const COMMENT = /^(?:\/\/.*|\/\*.*?\*\/|#\s.*)$/;
/** A `file:line` at the start of a comment's text: a path with an extension, a colon, a number. */
const SITE = /^([\w./+-]+\.[A-Za-z]+):(\d+)\b/;

/** The site a comment gives, if its text starts with `file:line`. */
function commentSite(comment: string): Site | undefined {
  const text = comment.replace(/^(?:\/\/|\/\*|#)\s*/, '');
  const m = SITE.exec(text);
  return m ? { file: m[1]!, line: Number(m[2]) } : undefined;
}

/** One element of an arrow line: a name or a gap. */
export type ChainItem = { name: NameToken } | { gap: true };

/** An arrow line: its names and gaps in order, whether it starts or ends with an arrow, and the site of a trailing comment. */
export interface ArrowLine {
  lead: boolean;
  items: ChainItem[];
  trail: boolean;
  arrows: number;
  comment: boolean;
  site?: Site;
}

/**
 * Reads a whole line as an arrow chain: `[arrow] item (arrow item)* [arrow] [comment]` (or a
 * chain written callee first with `<-`/`←` arrows only, on one line, returned caller first; or a
 * final `.` or `,` right after the last name, ending a sentence), where
 * an item is a name (with optional `()`) or a gap, and a gap may also stand between two items
 * without an arrow (`a ... b`). The whole line must be that and nothing else, so prose never
 * reads as a chain. `->` must have a space (or the line's end) after it: `skb->dev` and
 * `get_ops()->run` are C member access, and `->get_link()` names a method, not a call. Returns null when the line is anything else; a line of one name and no
 * arrow is returned (arrows 0) for the caller to decide.
 */
export function readArrowLine(text: string): ArrowLine | null {
  const items: ChainItem[] = [];
  let i = 0;
  let lead = false;
  let trail = false;
  let arrows = 0;
  let back = 0;
  let lastWasArrow = false;
  let comment = false;
  let site: Site | undefined;
  const skip = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  skip();
  while (i < text.length) {
    const rest = text.slice(i);
    const backArrow = BACK_ARROW.exec(rest);
    const arrow = ARROW.exec(rest) ?? backArrow;
    if (arrow) {
      if (lastWasArrow) return null;
      if ((arrow[0] === '->' || arrow[0] === '<-') && !/\s/.test(text[i + 2] ?? ' ')) return null;
      if (backArrow) back++;
      if (items.length === 0) lead = true;
      arrows++;
      lastWasArrow = true;
      i += arrow[0].length;
      skip();
      continue;
    }
    const c = COMMENT.exec(rest);
    if (c && items.length > 0) {
      comment = true;
      site = commentSite(c[0]);
      break;
    }
    const gap = GAP.exec(rest);
    if (gap) {
      items.push({ gap: true });
      lastWasArrow = false;
      i += gap[0].length;
      skip();
      continue;
    }
    const name = readName(text, i);
    if (!name) return null;
    const prev = items[items.length - 1];
    if (prev && 'name' in prev && !lastWasArrow) return null;
    items.push({ name: name.token });
    lastWasArrow = false;
    i = name.end;
    // A chain written as a sentence ends at its full stop or comma.
    if (/^[.,]\s*$/.test(text.slice(i))) break;
    if (i < text.length && !/\s/.test(text[i]!) && !ARROW.test(text.slice(i))) return null;
    skip();
  }
  if (lastWasArrow && items.length > 0) trail = true;
  // A line of gaps only (`  -> [...]`) belongs to a wrapped chain: it must hold an arrow.
  if (items.length === 0 || (!items.some((x) => 'name' in x) && arrows === 0)) return null;
  if (back > 0) {
    // Callee first: one direction only, on one whole line; read caller to callee. A comment's
    // `file:line` would name the site of the first call written, which is the last step: dropped.
    if (back < arrows || lead || trail) return null;
    return { lead: false, items: items.reverse(), trail: false, arrows, comment };
  }
  return { lead, items, trail, arrows, comment, ...(site ? { site } : {}) };
}

/** Which tool's output a tree line looks like. */
export type TreeStyle = 'tree' | 'cflow' | 'pathfind';

/** One line of a tree: its name, the column that gives its depth, what follows the name. */
export interface TreeLine {
  name: NameToken;
  /** Depth as a display column (tabs to multiples of 8): the name's, except for numbered cflow lines (see readTreeLine). */
  depth: number;
  style: TreeStyle;
  /** A sign only call notes and tools write: a comment, cflow's signature, pathfind's site column (`()` alone is not: see looksLikeCode). */
  strong: boolean;
  site?: Site;
  /** Where the line says the name is defined: cflow's `<... at file:line>`, pathfind's `defined at file:line`. */
  defined?: Site;
  /** The root line of pathfind's callers tree (`called by:` after the definition): each child calls its parent. */
  callers?: true;
  /** GNU cflow's line for a function it saw no definition of, ending with `:` (`ext():`): a parent only in `cflow -r` output. */
  reversed?: true;
}

/** Tree drawing before a name: spaces, `│ ├─ └─ ├── └──`, `| |- |--`, `+- +--`, `` `- `-- ``, cflow --tree's `\-`, and ps's `\_ `. */
const GLYPHS = /^(?:[ \t]|[\u2502\u2503\u2506]|[\u251c\u2514]\u2500*|\|-*|\+-+|`-+|\\-+|\\_(?=\s))*/;
/** pathfind's text output after a name: an optional `(external)`/`(macro)`/`(file)` note, two spaces, then a site or `defined at` a site, then anything. */
const PATHFIND_TAIL = /^(?:\s\([^)]*\))?\s{2,}(defined at\s+)?([\w./+-]+):(\d+)(?:\s.*)?$/;
/** The end of the root line of pathfind's callers tree (`name  defined at file:line  called by:`). */
const CALLED_BY = /\s{2,}called by:\s*$/;
/** GNU cflow after a name: `<signature at file:line>`, optional `(R)` and `[see N]`, optional `:`. */
const CFLOW_TAIL = /^\s*<[^>]*>(?:\s*\(R\))?(?:\s*\[see \d+\])?:?\s*$/;
/** The definition place in GNU cflow's signature: `<int f (void) at net/core/dev.c:120>`. */
const CFLOW_DEFINED = /\sat\s+([\w./+-]+):(\d+)>/;
/** GNU cflow's reference to a function shown before (`[see N]`, with `--number`), optionally recursive (`(R)`). */
const CFLOW_MARKS = /^(?:\s*\(R\))?\s*\[see \d+\]\s*$/;
/** POSIX cflow: `N name: type, <file line>` or `N name: <>` or `N name: N`. */
const POSIX = /^(\s*)(\d+)(\s+)([A-Za-z_][A-Za-z0-9_]*):\s(?:.*<[^<>]*>|\d+)\s*$/;

/** The display column (0-based) of index `index` of `text`, a tab advancing to the next multiple of 8, as terminals and cflow lay them out. */
export function displayColumn(text: string, index: number): number {
  let col = 0;
  for (let i = 0; i < index && i < text.length; i++) col = text[i] === '\t' ? col - (col % 8) + 8 : col + 1;
  return col;
}

/**
 * Reads a line holding one name of a tree: drawing glyphs, a name, optional `()`, and then
 * only one of: nothing; a comment (`// net/ipv4/tcp.c:123` gives the site); GNU cflow's
 * `<signature at file:line>` (the name's definition) and marks; pathfind's `  file:line  [kind]`
 * columns (the site of the call; `defined at` gives the definition). POSIX cflow lines (`N name: ...`)
 * take their depth from the spaces after the line number, so the number's width does not
 * shift the nesting. Returns null for any other line.
 */
export function readTreeLine(text: string): TreeLine | null {
  const posix = POSIX.exec(text);
  if (posix) {
    const index = posix[1]!.length + posix[2]!.length + posix[3]!.length;
    const depth = displayColumn(posix[3]!, posix[3]!.length);
    return { name: { name: posix[4]!, index, parens: false }, depth, style: 'cflow', strong: true };
  }
  const name = readName(text, GLYPHS.exec(text)![0].length);
  if (!name) return null;
  const start = displayColumn(text, name.token.index);
  const rest = text.slice(name.end);
  const token = name.token;
  if (/^\s*$/.test(rest)) return { name: token, depth: start, style: 'tree', strong: false };
  const comment = /^\s+(\/\/.*|\/\*.*?\*\/)\s*$/.exec(rest);
  if (comment) {
    const site = commentSite(comment[1]!);
    return { name: token, depth: start, style: 'tree', strong: true, ...(site ? { site } : {}) };
  }
  // `ext():`: a function cflow saw no definition of, with lines under it, which only `cflow -r` prints.
  if (token.parens && /^:\s*$/.test(rest)) return { name: token, depth: start, style: 'cflow', strong: false, reversed: true };
  if (token.parens && (CFLOW_TAIL.test(rest) || CFLOW_MARKS.test(rest))) {
    const at = CFLOW_DEFINED.exec(rest);
    return { name: token, depth: start, style: 'cflow', strong: true, ...(at ? { defined: { file: at[1]!, line: Number(at[2]) } } : {}) };
  }
  const pf = PATHFIND_TAIL.exec(rest);
  if (pf) {
    const at = { file: pf[2]!, line: Number(pf[3]) };
    const callers = pf[1] !== undefined && CALLED_BY.test(rest);
    return { name: token, depth: start, style: 'pathfind', strong: true, ...(pf[1] ? { defined: at } : { site: at }), ...(callers ? { callers: true as const } : {}) };
  }
  return null;
}
