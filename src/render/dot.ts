import type { Picture, PictureEdge, PictureNode, PictureOptions } from '../types/picture.js';
import { attributes, quoted, sourceLink } from './dot-escape.js';
import { MUTED, pathColour } from './palette.js';
import { formatCount } from './count.js';
import { sharedPaths } from './path-list.js';

/*
 * Our own DOT writer. The DOT writers on npm were checked (2026) and are unsafe for names read
 * from C sources: graphlib-dot writes the keywords `node`, `edge`, `graph`, `strict` (any case)
 * unquoted and does not escape backslashes; ts-graphviz leaves backslashes too and turns any
 * label written `<...>` into an HTML-like label. Here every id and value is a quoted, escaped
 * string (dot-escape.ts) and ids are the picture's synthetic ones.
 */

/** Options of renderDot: the picture options and how hard Graphviz should work on the layout. */
export type DotOptions = PictureOptions & {
  /** 'fast': settings that bound dot's layout time on dense graphs (fewer crossing-minimisation passes, straight edges). */
  layout?: 'default' | 'fast';
};

/** Path colours: the shared palette (palette.ts), re-exported for the DOT tests. */
export { PATH_COLOURS } from './palette.js';

/** Graph attributes that bound dot's layout time (the issue measured ~2 s for graphs that took minutes). */
const FAST_LAYOUT = { mclimit: '0.1', nslimit: '2', nslimit1: '2', searchsize: '10', remincross: 'false', splines: 'line' };

/** Helvetica: one of the fonts the WebAssembly Graphviz has metrics for, so labels fit their boxes. */
const FONT = 'Helvetica';

/** `name (macro)`, the tooltip lines of a node: what it is, its signature, where it is defined. */
function nodeTooltip(node: PictureNode): string {
  if (node.summary) return `${node.summary.text}: left out by --max-nodes`;
  const lines = [node.macro ? `${node.name} (macro)` : node.name];
  if (node.signature) lines.push(node.signature);
  lines.push(node.external ? 'external: defined in no indexed file' : `${node.file}:${node.line}`);
  if (node.cut) lines.push('more calls not shown (--max-nodes, --depth or --built-only)');
  if (node.notBuilt) lines.push(`[${node.notBuilt}]`);
  return lines.join('\n');
}

function nodeStatement(node: PictureNode, picture: Picture, options: DotOptions): string {
  const highlighted = node.role === 'start' || node.role === 'target' || node.role === 'root';
  // --via functions: a bold single border; start, target and root: bold and double.
  const outlined = highlighted || node.role === 'via';
  const styles = [node.macro || node.summary ? '' : 'rounded', node.cut || node.summary ? 'dashed' : '', node.external ? 'dotted' : '', outlined ? 'bold' : ''].filter(Boolean);
  const colours = picture.legend.length > 1 && node.paths ? node.paths.map(pathColour) : [];
  const url = options.sourceUrl && node.file !== undefined ? sourceLink(options.sourceUrl, node.file, node.line) : undefined;
  return `  ${quoted(node.id)} [${attributes({
    id: node.id,
    // What the build leaves out says so under its name, and is grey (the caption counts it).
    label: `${node.cut ? `${node.name} +` : node.name}${node.notBuilt ? '\nnot built' : ''}`,
    tooltip: nodeTooltip(node),
    shape: node.summary ? 'note' : 'box',
    style: styles.join(',') || undefined,
    peripheries: highlighted ? 2 : undefined,
    penwidth: outlined ? 2 : undefined,
    color: colours.length === 1 && !highlighted ? colours[0] : node.notBuilt ? MUTED : undefined,
    fontcolor: node.summary || node.notBuilt ? MUTED : undefined,
    URL: url,
    target: url ? '_top' : undefined,
    class: [node.role ?? '', node.summary ? 'summary' : '', node.cut ? 'cut' : '', node.external ? 'external' : '', node.notBuilt ? 'not-built' : ''].filter(Boolean).join(' ') || undefined,
  })}];`;
}

function edgeTooltip(edge: PictureEdge, picture: Picture): string {
  const name = (id: string): string => picture.nodes[Number(id.slice(1))]?.name ?? id;
  const lines = [`${name(edge.from)} -> ${name(edge.to)}`];
  if (edge.kind === 'summary') return lines[0]!;
  lines.push(`${edge.kind}${edge.deferred ? ', deferred' : ''} at ${edge.file}:${edge.line}`);
  if (edge.targets) lines.push(`one of ${formatCount(edge.targets)} targets${edge.via ? ` of ${edge.via}` : ''}`);
  if (edge.evidence) lines.push(`${edge.evidence}${edge.moreEvidence ? `, +${edge.moreEvidence} more binding${edge.moreEvidence > 1 ? 's' : ''}` : ''}`);
  if (edge.unbuiltBinding) lines.push(`[${edge.unbuiltBinding}]`);
  const shared = sharedPaths(edge.paths, picture.legend.length);
  if (shared) lines.push(`on ${shared}`);
  return lines.join('\n');
}

function edgeStatement(edge: PictureEdge, picture: Picture, options: DotOptions): string {
  const pointer = edge.kind !== 'direct' && edge.kind !== 'macro' && edge.kind !== 'summary';
  const style = edge.kind === 'macro' ? 'dotted' : pointer || edge.kind === 'summary' ? 'dashed' : undefined;
  // A call on several paths: one line in the ink, its paths written beside it (a colour list
  // would be drawn as parallel lines a pen's width apart, dotted and dashed ones unreadable).
  const shared = sharedPaths(edge.paths, picture.legend.length);
  const colour = picture.legend.length > 1 && edge.paths?.length === 1 ? pathColour(edge.paths[0]!) : undefined;
  const url = options.sourceUrl && edge.file !== undefined ? sourceLink(options.sourceUrl, edge.file, edge.line) : undefined;
  const call = [pointer && edge.member !== undefined ? edge.member : '', edge.deferred ? '(deferred)' : ''].filter(Boolean).join(' ');
  const label = [call, shared ?? ''].filter(Boolean).join('\n');
  return `  ${quoted(edge.from)} -> ${quoted(edge.to)} [${attributes({
    id: edge.id,
    label: label || undefined,
    tooltip: edgeTooltip(edge, picture),
    labeltooltip: label ? edgeTooltip(edge, picture) : undefined,
    style,
    color: colour ?? (edge.kind === 'summary' || edge.unbuiltBinding ? MUTED : undefined),
    penwidth: colour || shared ? 2 : undefined,
    arrowhead: edge.deferred ? 'empty' : undefined,
    URL: url,
    target: url ? '_top' : undefined,
    class: [edge.kind, edge.deferred ? 'deferred' : '', edge.unbuiltBinding ? 'not-built' : ''].filter(Boolean).join(' '),
  })}];`;
}

/** The subgraph holding the legend of a `-k N` picture: its rows are no functions (check's DOT reader leaves it out). */
export const LEGEND_CLUSTER = 'cluster_legend';

/** The legend of a `-k N` picture: one row per path, in its colour, with its length in calls; the edges ordering the rows are invisible. */
function legend(picture: Picture): string[] {
  if (picture.legend.length < 2) return [];
  const rows = picture.legend.map((row) => `    ${quoted(`legend${row.path}`)} [${attributes({ id: `legend${row.path}`, label: `path ${row.path + 1}: ${row.calls} calls`, shape: 'plaintext', fontcolor: pathColour(row.path) })}];`);
  const order = picture.legend.slice(1).map((row, i) => `    ${quoted(`legend${i}`)} -> ${quoted(`legend${row.path}`)} [style="invis"];`);
  return [`  subgraph ${quoted(LEGEND_CLUSTER)} {`, `    ${attributes({ id: 'legend', label: 'paths', style: 'rounded' }, '; ')};`, ...rows, ...order, '  }'];
}

/**
 * The picture as a Graphviz digraph: clusters as `subgraph "cluster_c0"`, nodes and edges with
 * their picture ids as `id` (kept by the SVG), pointer calls dashed and labelled with the member,
 * macro calls dotted, a call on several `-k` paths once in the ink with its paths beside it (pathList), deferred calls with an empty arrowhead, start/target/root drawn bold with a
 * double border, --via functions bold with a single one, `-k` paths in Okabe-Ito colours with a legend,
 * what the build leaves out grey (a function `not built` under its name, a call bound only in unbuilt files), tooltips and, with `sourceUrl`,
 * links. Ink is black, or light grey with theme 'dark' (with 'auto' the SVG's style block adapts
 * it); the background is transparent. Deterministic: the picture's order, no date or version.
 */
export function renderDot(picture: Picture, options: DotOptions): string {
  const ink = options.theme === 'dark' ? '#dddddd' : '#000000';
  const label = picture.caption ? `${picture.title}\n${picture.caption}` : picture.title;
  // newrank: rank all nodes in one pass, clusters included; without it dot fails on kernel-sized
  // clustered trees ("trouble in init_rank", seen on callers of kfree_skb_reason, depth 3).
  const graph = { id: 'graph', label, labelloc: 't', newrank: 'true', fontname: FONT, rankdir: options.rankdir, bgcolor: 'transparent', fontcolor: ink, ...(options.layout === 'fast' ? FAST_LAYOUT : {}) };
  const out = ['digraph "pathfind" {', `  graph [${attributes(graph)}];`, `  node [${attributes({ fontname: FONT, fontsize: 11, color: ink, fontcolor: ink })}];`, `  edge [${attributes({ fontname: FONT, fontsize: 9, color: ink, fontcolor: ink })}];`];
  const byCluster = new Map<string, PictureNode[]>();
  for (const node of picture.nodes) byCluster.set(node.cluster ?? '', [...(byCluster.get(node.cluster ?? '') ?? []), node]);
  for (const cluster of picture.clusters) {
    out.push(`  subgraph ${quoted(`cluster_${cluster.id}`)} {`, `    ${attributes({ id: cluster.id, label: cluster.label, tooltip: cluster.label, style: 'rounded', color: '#999999', fontcolor: MUTED }, '; ')};`);
    for (const node of byCluster.get(cluster.id) ?? []) out.push(`  ${nodeStatement(node, picture, options)}`);
    out.push('  }');
  }
  for (const node of byCluster.get('') ?? []) out.push(nodeStatement(node, picture, options));
  for (const edge of picture.edges) out.push(edgeStatement(edge, picture, options));
  out.push(...legend(picture), '}');
  return `${out.join('\n')}\n`;
}
