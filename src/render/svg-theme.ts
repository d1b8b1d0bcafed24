/**
 * The colour scheme of a finished SVG: fixed light, fixed dark, or `auto` (light, and dark when the
 * page or viewer asks for it through `prefers-color-scheme`).
 */
export type SvgTheme = 'light' | 'dark' | 'auto';

/** The class put on the root `<svg>`; every rule of the style is scoped under it, so an SVG inlined into a page styles only itself. */
export const SVG_CLASS = 'pathfind-graph';

/** Colours of one scheme: foreground (text and lines), background (shapes drawn white), cluster frames. */
interface Palette {
  fg: string;
  bg: string;
  frame: string;
}

// GitHub's own default foreground and canvas colours, so a picture sits well in a README either way.
const LIGHT: Palette = { fg: '#1f2328', bg: '#ffffff', frame: '#8c959f' };
const DARK: Palette = { fg: '#e6edf3', bg: '#0d1117', frame: '#6e7681' };

/** Custom property declarations for one palette. */
function vars(p: Palette): string {
  return `--pf-fg:${p.fg};--pf-bg:${p.bg};--pf-frame:${p.frame}`;
}

/**
 * The `<style>` element injected into a Graphviz SVG (see finishSvg). How it works: Graphviz
 * writes colours as presentation attributes (`stroke="black"`, `fill="white"`, `fill="#0072b2"`),
 * which any CSS rule overrides. The rules select only the neutral colours, black and white
 * (`black`, `#000000`, `white`, `#ffffff`: Graphviz's defaults and the ink renderDot writes; text
 * without a fill is drawn black too), and map them to the theme's foreground and background; every
 * other colour (the Okabe-Ito path palette, greys, from the DOT) is left as drawn, so it stays
 * visible in both schemes. Text on a node or cluster shape filled with a colour (`fill="#..."`)
 * stays dark in every scheme, since such fills are light tints chosen for dark text. Cluster frames
 * drawn black get a muted line colour.
 */
export function svgStyle(theme: SvgTheme): string {
  const s = `svg.${SVG_CLASS}`;
  const scheme =
    theme === 'auto'
      ? `${s}{${vars(LIGHT)}}@media (prefers-color-scheme: dark){${s}{${vars(DARK)}}}`
      : `${s}{${vars(theme === 'dark' ? DARK : LIGHT)}}`;
  const black = (a: string): string => `:is([${a}="black"],[${a}="#000000"])`;
  const white = (a: string): string => `:is([${a}="white"],[${a}="#ffffff"])`;
  const rules = [
    `${s} ${black('stroke')}{stroke:var(--pf-fg)}`,
    `${s} ${black('fill')},${s} text:not([fill]){fill:var(--pf-fg)}`,
    `${s} ${white('fill')}{fill:var(--pf-bg)}`,
    `${s} ${white('stroke')}{stroke:var(--pf-bg)}`,
    `${s} .cluster>:is(polygon,path)${black('stroke')}{stroke:var(--pf-frame)}`,
    `${s} :is(.node,.cluster) :is(polygon,ellipse,path)[fill^="#"]:not([fill="#000000"]):not([fill="#ffffff"])~text{fill:${LIGHT.fg}}`,
  ];
  return `<style>${scheme}${rules.join('')}</style>`;
}
