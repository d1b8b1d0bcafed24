/** The self-contained HTML viewer (issue 9): renderHtml and what it is built from. */
export { renderHtml, viewerData, type ViewerData } from './render-html.js';
export { loadHtmlAssets, type HtmlAssets } from './assets.js';
export { escapeHtml, jsonForScript } from './escape-html.js';
export { sourceHref } from './source-link.js';
