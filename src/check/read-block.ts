/**
 * Reads the claims of one block of lines: arrow chains (possibly wrapped over lines) and
 * indented call trees (hand-drawn, GNU or POSIX cflow, pathfind's text output).
 */
import type { Claim, ClaimForm, ClaimName } from '../types/claims.js';
import type { DocBlock, DocLine } from './doc-lines.js';
import { type ArrowLine, displayColumn, readArrowLine, readTreeLine, type Site, type TreeStyle } from './line-syntax.js';
import { looksLikeCode, namesInCapitals, type NameToken } from './names.js';

/** A name placed in the document, with whether `()` was written after it. */
interface Placed {
  at: ClaimName;
  parens: boolean;
}

/** The name without its site: a site belongs to the step that ends at the name, never to the one that starts there (a definition place belongs to both). */
function bare(n: ClaimName): ClaimName {
  return { name: n.name, line: n.line, column: n.column, ...(n.defined ? { defined: n.defined } : {}) };
}

/** Where a name written `file.c:name` says it is defined: the file, line 0 (ClaimName.defined). */
const fileOf = (t: NameToken): Site | undefined => (t.file ? { file: t.file, line: 0 } : undefined);

function place(l: DocLine, name: string, index: number, parens: boolean, site?: Site, defined?: Site): Placed {
  return { at: { name, line: l.line, column: l.offset + index + 1, ...(site ? { site } : {}), ...(defined ? { defined } : {}) }, parens };
}

/** An arrow chain being read: names in order, each with whether a gap comes before it. */
interface Chain {
  steps: { name: Placed; gapBefore: boolean }[];
  pendingGap: boolean;
  strong: boolean;
  /** The last line ended with an arrow: the next line continues the chain. */
  open: boolean;
  /** The chain began with an arrow and no name above it: lines starting with an arrow do not continue it (ftrace's ` => fn` stack lines are leaf first, not a chain). */
  headless: boolean;
}

/** A tree being read: every line's name and depth, and the claims so far. */
interface Tree {
  stack: { depth: number; name: Placed }[];
  rootDepth: number;
  edges: [Placed, Placed][];
  names: { name: string; parens: boolean }[];
  strong: boolean;
  style: TreeStyle;
  /** Printed by `pathfind callers` or `cflow --reverse`: each child calls its parent. */
  callers: boolean;
}

/** Names joined by gaps and no arrow (`a ... b`): a chain with skipped calls, read where every line is a claim (```pathfind blocks). */
function gapsOnly(a: ArrowLine): boolean {
  return a.arrows === 0 && a.items.filter((x) => 'name' in x).length > 1;
}

/** A command line of a tool that prints callers trees: `pathfind ... callers ...`, `cflow ... -r|--reverse ...` (cflow's short options may be bundled: `-rT`). */
const CALLERS_COMMAND = /\bpathfind\b.*\scallers\s|\bcflow\b.*\s(?:--reverse\b|-[A-Za-z]*r)/;
/** True when a line before any command line is cflow's `ext():` with a deeper line right under it (see readBlock). */
function reverseCflow(lines: readonly DocLine[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    const text = lines[i]!.text;
    if (TOOL_COMMAND.test(text)) return false;
    // Only a line ending `():` can be one: the others are not parsed here.
    if (!/\(\s*\):\s*$/.test(text)) continue;
    const t = readTreeLine(text);
    const next = t?.reversed ? readTreeLine(lines[i + 1]!.text) : null;
    if (t && next && next.depth > t.depth) return true;
  }
  return false;
}

/** A command line of pathfind or cflow: it says whether the trees after it are callers trees. */
const TOOL_COMMAND = /\b(?:pathfind|cflow)\b/;

/**
 * The claims of one block. Rules, in order, per line:
 * - A line that is wholly an arrow chain (see readArrowLine) adds to the current chain (in a
 *   ```pathfind block, so do names joined by gaps and no arrow: `a ... b`); a
 *   chain continues on the next line when this line ends with an arrow or the next starts
 *   with one (`tcp_sendmsg()` then `  -> tcp_push()`: a chain, not a tree), and a line of one
 *   name directly before a line starting with an arrow is the chain's first name. A line
 *   starting with an arrow with no name above it continues nothing and is continued by no
 *   such line, so a column of ` => fn` stack lines (leaf first) makes no claim.
 * - Otherwise a line holding one name (see readTreeLine) is a tree node; its parent is the
 *   nearest line above with a smaller depth. Lines that are neither, indented deeper than
 *   the tree's root (pathfind's `one of 5 targets` notes), are skipped; a blank line or any
 *   other line ends the tree. A paragraph (lines between blank lines) holding any line that
 *   is neither is pseudocode: its hand-drawn trees make no claim (cflow's and pathfind's,
 *   which tools print beside headers and notes, still do).
 * pathfind and cflow trees after a `pathfind ... callers ...` or `cflow --reverse` command line
 * in the block are callers trees, so each child calls its parent (the site on the child's
 * line is that call's).
 * Outside ```pathfind blocks a finished tree makes claims only if looksLikeCode accepts its
 * names (every name with `()` or `_`); a chain it does not accept (one name with `()`, or every
 * name with `_`) makes unsure claims (Claim.unsure), which the verifier checks only when the tree
 * defines their names, unless a name is in capitals without `()` (states: no claim).
 */
export function readBlock(doc: string, block: DocBlock): Claim[] {
  const claims: Claim[] = [];
  const explicit = block.kind === 'pathfind';
  let chain: Chain | null = null;
  let tree: Tree | null = null;
  let lastSingle: Placed | null = null;
  // The last `pathfind` command line of the block asked for callers.
  // `cflow -r` output saved without its command line: a function cflow saw no definition of with lines under it (`ext():`), which only a reverse tree prints. Read upwards until a command line says otherwise.
  let callers = reverseCflow(block.lines);

  const endChain = () => {
    if (chain && chain.steps.length > 1) {
      const names = chain.steps.map((s) => ({ name: s.name.at.name, parens: s.name.parens }));
      // A chain that does not look like code is claimed unsure: the verifier checks it only when the tree defines its names. One naming states in capitals is none.
      const unsure = !explicit && !looksLikeCode(names, chain.strong, false);
      const steps = unsure && namesInCapitals(names) ? 0 : chain.steps.length;
      for (let i = 1; i < steps; i++) {
        const step = chain.steps[i]!;
        claims.push({ doc, form: 'arrows', from: bare(chain.steps[i - 1]!.name.at), to: step.name.at, ...(step.gapBefore ? { gap: true as const } : {}), ...(unsure ? { unsure: true as const } : {}) });
      }
    }
    chain = null;
  };
  // Trees of the current paragraph (lines between blank lines), kept until it ends.
  let paragraphTrees: Claim[][] = [];
  let impure = false;
  const endTree = () => {
    if (tree && tree.edges.length > 0 && (explicit || looksLikeCode(tree.names, tree.strong, true))) {
      const form: ClaimForm = tree.style;
      const reverse = tree.callers && form !== 'tree';
      paragraphTrees.push(
        tree.edges.map(([parent, child]): Claim => {
          if (!reverse) return { doc, form, from: bare(parent.at), to: child.at };
          const site = child.at.site;
          return { doc, form, from: bare(child.at), to: { ...bare(parent.at), ...(site ? { site } : {}) } };
        }),
      );
    }
    tree = null;
  };
  const endParagraph = () => {
    endChain();
    endTree();
    for (const t of paragraphTrees) if (explicit || !impure || t[0]!.form !== 'tree') claims.push(...t);
    paragraphTrees = [];
    impure = false;
    lastSingle = null;
  };
  const addArrows = (l: DocLine, a: ArrowLine, c: Chain) => {
    if (a.comment) c.strong = true;
    a.items.forEach((item, k) => {
      if ('gap' in item) {
        if (c.steps.length > 0) c.pendingGap = true;
        return;
      }
      const last = k === a.items.length - 1 || a.items.slice(k + 1).every((x) => 'gap' in x);
      const p = place(l, item.name.name, item.name.index, item.name.parens, last ? a.site : undefined, fileOf(item.name));
      c.steps.push({ name: p, gapBefore: c.pendingGap });
      c.pendingGap = false;
    });
    c.open = a.trail;
  };

  for (const l of block.lines) {
    if (/^\s*$/.test(l.text)) {
      endParagraph();
      continue;
    }
    const a = readArrowLine(l.text);
    const continues: boolean = !!a && chain !== null && (chain.open || (a.lead && !chain.headless));
    if (a && (a.arrows > 0 || continues || (explicit && gapsOnly(a)))) {
      if (!continues) endChain();
      if (!chain) {
        chain = { steps: [], pendingGap: false, strong: false, open: false, headless: a.lead && !lastSingle };
        if (a.lead && lastSingle) chain.steps.push({ name: lastSingle, gapBefore: false });
      }
      if (a.lead || chain.steps.length > 0) endTree();
      addArrows(l, a, chain);
      lastSingle = null;
      continue;
    }
    endChain();
    const t = readTreeLine(l.text);
    if (!t) {
      if (TOOL_COMMAND.test(l.text)) callers = CALLERS_COMMAND.test(`${l.text} `);
      impure = true;
      lastSingle = null;
      const depth = displayColumn(l.text, /^\s*/.exec(l.text)![0].length);
      if (tree && depth > tree.rootDepth) continue;
      endTree();
      continue;
    }
    // A root line of pathfind's output (`name  defined at file:line`, `... called by:`) at the tree's root depth starts a tree of its own: a path printed after a callers tree reads downwards.
    if (tree && tree.edges.length > 0 && t.depth <= tree.rootDepth && (t.defined !== undefined || t.callers === true)) endTree();
    if (!tree) tree = { stack: [], rootDepth: t.depth, edges: [], names: [], strong: false, style: 'tree', callers: callers || t.callers === true };
    if (t.style !== 'tree') tree.style = t.style;
    if (t.strong) tree.strong = true;
    while (tree.stack.length > 0 && tree.stack[tree.stack.length - 1]!.depth >= t.depth) tree.stack.pop();
    const parent = tree.stack[tree.stack.length - 1];
    // A root has no call site: a `file:line` written on it (a tree comment) says where it is defined.
    const p = parent ? place(l, t.name.name, t.name.index, t.name.parens, t.site, t.defined ?? fileOf(t.name)) : place(l, t.name.name, t.name.index, t.name.parens, undefined, t.defined ?? t.site ?? fileOf(t.name));
    lastSingle = p;
    if (parent) tree.edges.push([parent.name, p]);
    tree.rootDepth = Math.min(tree.rootDepth, t.depth);
    tree.names.push({ name: t.name.name, parens: t.name.parens });
    tree.stack.push({ depth: t.depth, name: p });
  }
  endParagraph();
  return claims.sort((x, y) => x.from.line - y.from.line || x.from.column - y.from.column || x.to.line - y.to.line || x.to.column - y.to.column);
}
