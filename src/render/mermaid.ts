import type { Picture, PictureEdge, PictureNode, PictureOptions } from '../types/picture.js';
import { mermaidComment, mermaidLabel, mermaidText, mermaidTitle, sourceLink } from './mermaid-escape.js';
import { MUTED, pathColour } from './palette.js';
import { sharedPaths } from './path-list.js';
import { fitToLimits, MERMAID_LIMITS, type MermaidLimits } from './mermaid-fit.js';

/**
 * Renders a Picture as a Mermaid flowchart: the plain diagram text, starting with its front
 * matter (`---` title `---`), `flowchart LR|TB` and the exact title as a `%%` comment, with no Markdown fence. That is what a
 * `.mmd` file holds and what `mermaid.render` takes; in a Markdown file (where GitHub draws it)
 * put it between a ```` ```mermaid ```` line and a ```` ``` ```` line.
 *
 * Drawing conventions:
 * - Node ids are the picture's synthetic ids (`n17`); names go only into quoted, escaped labels
 *   (see mermaid-escape.ts): the function name, and `file:line` on a second line.
 * - Edges: `-->` direct call; `-->` with the label `macro` for a call through a macro (dotted
 *   lines are kept for pointers, and a label survives every renderer); `-.->` for a call through
 *   a pointer, labelled with the member called; a deferred hop (softirq, tasklet, ...) ends in a
 *   circle instead of an arrow (`--o`, `-.-o`) and its label starts with `deferred`; an edge to
 *   a summary node is an open dotted line (`-.-`).
 * - Start, target, root and --via nodes, cut nodes (edges not shown), summary, external and macro
 *   nodes each have a classDef drawn as a stroke or dash only, so they read on light and dark pages;
 *   a function the build leaves out is grey (the shared MUTED) and says `not built` on its second
 *   line, a call bound only in unbuilt files says so in its label.
 * - With several paths (`-k N`), each path's edges are coloured from the shared Okabe-Ito palette (palette.ts, as in DOT)
 *   (colour-blind safe) with `linkStyle`; an edge on several paths keeps the theme's line colour
 *   and its label names them (`paths 1-3`, as DOT's),
 *   and a `paths` subgraph holds one legend node per path with its length.
 * - Clusters become `subgraph cN ["dir/"]`. With options.sourceUrl, each node with a file gets
 *   `click nN href "URL"`; GitHub draws the diagram in a sandbox that ignores clicks, so there
 *   the links are simply inert.
 * - Mermaid refuses text over 50,000 characters and flowcharts over 500 edges by default: a
 *   larger picture is cut (see mermaid-fit.ts) and says so in a `%%` comment and a visible note.
 * - The theme: `auto` leaves it to the page (GitHub follows the reader's setting); `light` and
 *   `dark` set Mermaid's `default` or `dark` theme in the front matter.
 * Deterministic: the output depends only on the picture and options, in the picture's order.
 * `limits` defaults to Mermaid's own (MERMAID_LIMITS); tests pass smaller ones.
 */
export function renderMermaid(picture: Picture, options: PictureOptions, limits: MermaidLimits = MERMAID_LIMITS): string {
  return mermaidOutput(picture, options, limits).text;
}

/** renderMermaid's text, with `note`, the one-line caption of the cut, when Mermaid's limits cut the picture. */
export function mermaidOutput(picture: Picture, options: PictureOptions, limits: MermaidLimits = MERMAID_LIMITS): { text: string; note?: string } {
  return fitToLimits(picture, limits, (p, note) => drawMermaid(p, options, note));
}

/** Path colours: the shared palette (palette.ts), the same as DOT's, re-exported for the tests. */
export { PATH_COLOURS } from './palette.js';

/**
 * Node classes, each a stroke width or dash only, in the theme's own line colour (readable on light
 * and dark pages, and never a path colour); only those used are written.
 */
const CLASS_DEFS = {
  pfStart: 'stroke-width:4px',
  pfTarget: 'stroke-width:4px',
  pfRoot: 'stroke-width:4px',
  pfVia: 'stroke-width:3px,stroke-dasharray:8 2',
  pfCut: 'stroke-dasharray:6 3',
  pfSummary: 'fill:none,stroke-dasharray:2 2',
  pfExternal: 'fill:none,stroke-dasharray:4 4',
  pfMacro: 'stroke-dasharray:1 3',
  pfNote: 'fill:none,stroke:none',
  pfNotBuilt: `color:${MUTED},stroke:${MUTED}`,
} as const;
type ClassName = keyof typeof CLASS_DEFS;
const CLASS_NAMES = Object.keys(CLASS_DEFS);

const ROLE_CLASS = { start: 'pfStart', target: 'pfTarget', root: 'pfRoot', via: 'pfVia' } as const;

/** What drawMermaid returns: the text and how many links (edges, as Mermaid counts them) it has. */
export interface MermaidDrawing {
  text: string;
  links: number;
}

/**
 * Draws the picture as it is, with no cutting (so the text may exceed Mermaid's limits; renderMermaid
 * cuts first). `notes` are extra caption lines about cuts made, drawn like picture.caption.
 */
export function drawMermaid(picture: Picture, options: PictureOptions, notes: string[] = []): MermaidDrawing {
  const out: string[] = [];
  out.push('---', `title: ${mermaidTitle(picture.title)}`);
  if (options.theme !== 'auto') out.push('config:', `  theme: ${options.theme === 'dark' ? 'dark' : 'default'}`);
  out.push('---', `flowchart ${options.rankdir}`);
  out.push(`  %% ${mermaidComment(picture.title)}`);
  const captions = [...(picture.caption ? [picture.caption] : []), ...notes];
  for (const c of captions) out.push(`  %% ${mermaidComment(c)}`);

  const byCluster = new Map<string, PictureNode[]>();
  for (const n of picture.nodes) {
    const key = n.cluster ?? '';
    if (!byCluster.has(key)) byCluster.set(key, []);
    byCluster.get(key)!.push(n);
  }
  for (const n of byCluster.get('') ?? []) out.push(`  ${nodeShape(n)}`);
  for (const c of picture.clusters) {
    const members = byCluster.get(c.id);
    if (!members) continue;
    out.push(`  subgraph ${c.id} [${mermaidLabel(c.label)}]`);
    for (const n of members) out.push(`    ${nodeShape(n)}`);
    out.push('  end');
  }

  const linkStyles = new Map<string, number[]>();
  picture.edges.forEach((e, i) => {
    const shared = sharedPaths(e.paths, picture.legend.length);
    out.push(`  ${e.from} ${edgeArrow(e, shared)} ${e.to}`);
    const style = edgeStyle(e, shared);
    if (style) linkStyles.set(style, [...(linkStyles.get(style) ?? []), i]);
  });
  for (const [style, idx] of linkStyles) out.push(`  linkStyle ${idx.join(',')} ${style}`);

  if (picture.legend.length > 0) {
    out.push(`  subgraph legend ["paths"]`);
    for (const row of picture.legend) {
      const calls = `${row.calls} call${row.calls === 1 ? '' : 's'}`;
      out.push(`    p${row.path}["path ${row.path + 1}: ${calls}"]`);
    }
    out.push('  end');
    for (const row of picture.legend) out.push(`  style p${row.path} stroke:${pathColour(row.path)},stroke-width:4px`);
  }
  captions.forEach((c, i) => out.push(`  note${i}[${mermaidLabel(c)}]`));

  const classes = new Map<string, string[]>();
  const addClass = (cls: ClassName, ...ids: string[]): void => void classes.set(cls, [...(classes.get(cls) ?? []), ...ids]);
  for (const n of picture.nodes) {
    if (n.role) addClass(ROLE_CLASS[n.role], n.id);
    if (n.cut) addClass('pfCut', n.id);
    if (n.summary) addClass('pfSummary', n.id);
    if (n.external) addClass('pfExternal', n.id);
    if (n.macro) addClass('pfMacro', n.id);
    if (n.notBuilt) addClass('pfNotBuilt', n.id);
  }
  if (captions.length) addClass('pfNote', ...captions.map((_, i) => `note${i}`));
  for (const [cls, ids] of [...classes].sort(([a], [b]) => CLASS_NAMES.indexOf(a) - CLASS_NAMES.indexOf(b))) {
    out.push(`  classDef ${cls} ${CLASS_DEFS[cls as ClassName]}`, `  class ${ids.join(',')} ${cls}`);
  }

  if (options.sourceUrl) {
    for (const n of picture.nodes) {
      if (n.file) out.push(`  click ${n.id} href "${sourceLink(options.sourceUrl, n.file, n.line)}"`);
    }
  }
  return { text: out.join('\n') + '\n', links: picture.edges.length };
}

/** A node's declaration: id, shape and quoted label. */
function nodeShape(n: PictureNode): string {
  if (n.summary) return `${n.id}([${mermaidLabel(n.summary.text)}])`;
  let second = '';
  if (n.file) second = `${n.file}${n.line ? `:${n.line}` : ''}`;
  else if (n.external) second = 'external';
  if (n.macro) second = second ? `macro · ${second}` : 'macro';
  if (n.notBuilt) second = second ? `${second} · not built` : 'not built';
  // A cut node's name ends with ` +` (calls the picture does not show), as DOT's label does.
  const name = n.cut ? `${n.name} +` : n.name;
  return `${n.id}[${second ? `"${mermaidText(name)}<br/>${mermaidText(second)}"` : mermaidLabel(name)}]`;
}

const isPointer = (kind: string): boolean => kind !== 'direct' && kind !== 'macro' && kind !== 'summary';

/** The link between two nodes, with its label (`shared`: the paths it lies on, when several). */
function edgeArrow(e: PictureEdge, shared: string | undefined): string {
  if (e.kind === 'summary') return '-.-';
  const pointer = isPointer(e.kind);
  const parts: string[] = [];
  if (e.deferred) parts.push('deferred');
  if (e.kind === 'macro') parts.push('macro');
  if (pointer && e.member) parts.push(e.member);
  if (e.unbuiltBinding) parts.push('bound only in unbuilt files');
  if (shared) parts.push(shared);
  const arrow = pointer ? (e.deferred ? '-.-o' : '-.->') : e.deferred ? '--o' : '-->';
  return parts.length ? `${arrow}|${mermaidLabel(parts.join(': '))}|` : arrow;
}

/** The linkStyle of an edge on a path of a `-k` picture: its path's colour, or the theme's line colour when `shared` by several paths. */
function edgeStyle(e: PictureEdge, shared: string | undefined): string | undefined {
  if (!e.paths?.length) return undefined;
  return shared ? 'stroke-width:3px' : `stroke:${pathColour(e.paths[0]!)},stroke-width:3px`;
}

