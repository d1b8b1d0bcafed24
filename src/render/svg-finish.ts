import { SVG_CLASS, type SvgTheme, svgStyle } from './svg-theme.js';

/**
 * Font families Graphviz's WebAssembly build measures text with (it has built-in width tables for
 * these and no font files), with the fallback list the SVG names for each so that a viewer without
 * the first one draws text of about the measured width.
 */
const FONT_FALLBACKS: Record<string, string> = {
  helvetica: 'Helvetica,Arial,Liberation Sans,Nimbus Sans,sans-serif',
  arial: 'Arial,Helvetica,Liberation Sans,Nimbus Sans,sans-serif',
  times: 'Times,Times New Roman,Liberation Serif,Nimbus Roman,serif',
  courier: 'Courier,Courier New,Liberation Mono,Nimbus Mono PS,monospace',
};

/**
 * Finishes an SVG as Graphviz writes it (engine `dot`, format `svg`), deterministically:
 * - drops every XML comment, among them Graphviz's generator comment, which names its version
 *   (the same DOT then gives the same bytes with any Graphviz build);
 * - makes the background transparent (the graph's first polygon, painted white, gets `fill="none"`);
 * - puts the class SVG_CLASS on the root element and injects the theme's `<style>` (svgStyle)
 *   as its first child;
 * - names a fallback list for each font family Graphviz measured (FONT_FALLBACKS).
 * Inserts no text taken from the graph: labels, tooltips and links are as Graphviz escaped them.
 * Pure; input that is not Graphviz SVG passes through with only the comments removed.
 */
export function finishSvg(svg: string, theme: SvgTheme): string {
  return svg
    .replace(/<!--[\s\S]*?-->\n?/g, '')
    .replace(/(<g id="[^"]*" class="graph"[^>]*>\s*<title>[^<]*<\/title>\s*<polygon )fill="[^"]*"/, '$1fill="none"')
    .replace(/<svg\b([^>]*)>\n?/, (_, attrs: string) => `<svg class="${SVG_CLASS}"${attrs}>\n${svgStyle(theme)}\n`)
    .replace(/ font-family="([^",]*)[^"]*"/g, (whole, first: string) => {
      const list = FONT_FALLBACKS[first.toLowerCase()];
      return list ? ` font-family="${list}"` : whole;
    });
}
