import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { assertInlineScript } from './escape-html.js';

/** The third-party code the HTML viewer inlines, read once from node_modules. */
export interface HtmlAssets {
  /** svg-pan-zoom's minified browser build (pan and zoom of the inlined SVG). */
  panZoom: string;
  /** Its licence (BSD-2-Clause), which must travel with the copy. */
  panZoomLicense: string;
}

let cached: HtmlAssets | undefined;

/**
 * Reads svg-pan-zoom's browser build and licence from the installed package: the only I/O of
 * the HTML renderer. Throws if the package is missing or its code could not be inlined.
 */
export function loadHtmlAssets(): HtmlAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const script = require.resolve('svg-pan-zoom/dist/svg-pan-zoom.min.js');
  const license = require.resolve('svg-pan-zoom/LICENSE');
  cached = {
    panZoom: assertInlineScript('svg-pan-zoom', readFileSync(script, 'utf8')),
    panZoomLicense: readFileSync(license, 'utf8'),
  };
  return cached;
}
