import { createHash } from 'node:crypto';
import type { Picture, PictureEdge, PictureNode, PictureOptions } from '../../types/picture.js';
import { loadHtmlAssets, type HtmlAssets } from './assets.js';
import { assertInlineScript, escapeHtml, jsonForScript } from './escape-html.js';
import { pathColour } from '../palette.js';
import { prepareSvg } from './prepare-svg.js';
import { sourceHref } from './source-link.js';
import { VIEWER_CSS } from './viewer-css.js';
import { VIEWER_SCRIPT } from './viewer-script.js';

/**
 * The picture as the viewer script reads it from the page: the Picture's nodes, edges and
 * legend, each node and edge with `href`, its definition's or call site's link through
 * --source-url (absent without a template), each legend row with `colour`, its path's colour
 * from the shared palette (palette.ts), which the path list's swatches show.
 */
export interface ViewerData {
  kind: Picture['kind'];
  /** The layout direction: Tab goes through the nodes rank by rank along it (TB: by y then x; LR: by x then y). */
  rankdir: PictureOptions['rankdir'];
  nodes: (PictureNode & { href?: string })[];
  edges: (PictureEdge & { href?: string })[];
  legend: (Picture['legend'][number] & { colour: string })[];
}

/** The data embedded in the page for `picture`, links made from `options.sourceUrl`. */
export function viewerData(picture: Picture, options: PictureOptions): ViewerData {
  const withHref = <T extends { file?: string; line?: number }>(x: T): T & { href?: string } => {
    const href = sourceHref(options.sourceUrl, x.file, x.line);
    return href ? { ...x, href } : x;
  };
  return {
    kind: picture.kind,
    rankdir: options.rankdir,
    nodes: picture.nodes.map((n) => (n.summary ? n : withHref(n))),
    edges: picture.edges.map(withHref),
    legend: picture.legend.map((row) => ({ ...row, colour: pathColour(row.path) })),
  };
}

const sha256 = (code: string): string => `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;

/**
 * One self-contained HTML page showing `picture`, drawn as `svg` (the Graphviz SVG of the
 * picture's DOT, whose node and edge `<g>` elements carry the picture's ids), with pan and zoom
 * (svg-pan-zoom, inlined), search, a side panel per node, path toggles and Copy as chain. It
 * loads nothing from the network: a Content-Security-Policy allows only its own two scripts (by
 * hash) and inline styles, so markup that got into the page some other way could not run.
 * Same inputs, same bytes. Throws when `svg` holds no SVG element.
 */
export function renderHtml(picture: Picture, svg: string, options: PictureOptions, assets: HtmlAssets = loadHtmlAssets()): string {
  const license = assets.panZoomLicense.replace(/\*\//g, '* /').trimEnd();
  const panZoom = assertInlineScript('svg-pan-zoom', `/*! svg-pan-zoom, BSD-2-Clause licence:\n${license}\n*/\n${assets.panZoom}`);
  const viewer = assertInlineScript('viewer', VIEWER_SCRIPT);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(panZoom)} ${sha256(viewer)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const theme = options.theme === 'auto' ? '' : ` data-theme="${options.theme}"`;
  const paths = picture.legend.length
    ? '<nav id="pf-path-list" aria-label="Paths"><ul id="pf-paths"></ul></nav>\n'
    : '';
  const caption = picture.caption ? `<p id="pf-caption">${escapeHtml(picture.caption)}</p>\n` : '';
  return [
    '<!DOCTYPE html>',
    `<html lang="en"${theme}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeHtml(picture.title)}</title>`,
    `<style>${VIEWER_CSS}</style>`,
    '</head>',
    '<body>',
    '<header id="pf-bar">',
    // A long title keeps one line (cut with an ellipsis by the CSS), whole in its tooltip.
    `<h1 title="${escapeHtml(picture.title)}">${escapeHtml(picture.title)}</h1>`,
    '<label for="pf-search">Search</label>',
    '<input id="pf-search" type="search" placeholder="Find a function" title="Enter: next match, Shift+Enter: previous" autocomplete="off" spellcheck="false">',
    '<button id="pf-zoom-in" type="button" aria-label="Zoom in">+</button>',
    '<button id="pf-zoom-out" type="button" aria-label="Zoom out">\u2212</button>',
    '<button id="pf-fit" type="button">Fit</button>',
    '<button id="pf-copy" type="button">Copy as chain</button>',
    '<input id="pf-chain" type="text" readonly hidden aria-label="Chain of calls">',
    // Last, so that a long status line wraps below the controls rather than pushing them down.
    '<span id="pf-status" role="status" aria-live="polite"></span>',
    '</header>',
    paths + '<main id="pf-main">',
    `<div id="pf-graph">${prepareSvg(svg)}</div>`,
    '<aside id="pf-side" hidden aria-label="Selected function" aria-live="polite"></aside>',
    '</main>',
    caption + `<script id="pf-data" type="application/json">${jsonForScript(viewerData(picture, options))}</script>`,
    `<script>${panZoom}</script>`,
    `<script>${viewer}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
