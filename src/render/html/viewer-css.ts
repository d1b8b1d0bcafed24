/**
 * The HTML viewer's stylesheet. Colours are CSS variables: light by default, dark under
 * `prefers-color-scheme: dark` unless the page is forced light, and dark when forced
 * (`<html data-theme="light|dark">`, from --theme). In dark mode Graphviz's default black
 * strokes, and text not on a filled shape, are redrawn in the foreground colour so the graph
 * stays visible.
 */
export const VIEWER_CSS = `
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #5c5c5c; --line: #d0d0d0; --panel: #f6f6f6;
  --accent: #0b62c4; --match: #e69f00; --sel: #d55e00; --focus: #0b62c4; }
:root[data-theme="dark"] { color-scheme: dark;
  --bg: #15171a; --fg: #e6e6e6; --muted: #a0a0a0; --line: #3a3d42; --panel: #1f2226;
  --accent: #6cb4ff; --match: #f0c05a; --sel: #ff8a4c; --focus: #6cb4ff; }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { color-scheme: dark;
  --bg: #15171a; --fg: #e6e6e6; --muted: #a0a0a0; --line: #3a3d42; --panel: #1f2226;
  --accent: #6cb4ff; --match: #f0c05a; --sel: #ff8a4c; --focus: #6cb4ff; } }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
body { display: flex; flex-direction: column; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
#pf-bar { display: flex; flex-wrap: wrap; gap: .5em; align-items: center; padding: .5em .75em; border-bottom: 1px solid var(--line); }
#pf-bar h1 { font-size: 1.05em; margin: 0 1em 0 0; font-weight: 600; flex: 0 1 auto; min-width: 8em; max-width: 40%;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#pf-bar input, #pf-bar button, #pf-side button, #pf-path-list button { font: inherit; color: var(--fg); background: var(--panel);
  border: 1px solid var(--line); border-radius: 4px; padding: .2em .5em; }
#pf-bar button, #pf-side button, #pf-path-list button { cursor: pointer; }
#pf-path-list { padding: .3em .75em; border-bottom: 1px solid var(--line); }
#pf-chain { min-width: 16em; flex: 1 1 16em; }
#pf-status { color: var(--muted); }
#pf-main { flex: 1; display: flex; min-height: 0; }
#pf-graph { flex: 1; min-width: 0; position: relative; overflow: hidden; }
#pf-graph > svg { width: 100%; height: 100%; display: block; }
#pf-side { width: 24em; max-width: 45%; overflow: auto; border-left: 1px solid var(--line); background: var(--panel); padding: .5em .75em; }
#pf-side[hidden] { display: none; }
#pf-side h2 { font-size: 1.1em; margin: .2em 0; word-break: break-all; }
#pf-side h3 { font-size: .95em; margin: .8em 0 .2em; color: var(--muted); }
#pf-side ul { list-style: none; padding: 0; margin: 0; }
#pf-side li { margin: .3em 0; word-break: break-word; }
#pf-side code { font-family: "Courier New", Courier, monospace; }
#pf-side .pf-evidence { display: block; color: var(--muted); font-size: .9em; }
#pf-side .pf-kind { color: var(--muted); }
#pf-side button.pf-node-link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
#pf-paths { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25em 1em; }
#pf-paths li { display: flex; align-items: center; gap: .3em; }
#pf-paths .pf-swatch { display: inline-block; width: 1.2em; height: .3em; border-radius: 2px; }
#pf-paths button[aria-pressed="true"] { border-color: var(--sel); }
#pf-caption { margin: 0; padding: .3em .75em; border-top: 1px solid var(--line); color: var(--muted); font-size: .9em; }
#pf-graph .graph > polygon { fill: transparent; }
#pf-graph .node { cursor: pointer; }
#pf-graph .node:focus { outline: none; }
#pf-graph .node:focus :is(polygon, ellipse, path) { stroke-width: 3px; }
#pf-graph.pf-dim .node, #pf-graph.pf-dim .edge { opacity: .25; }
#pf-graph.pf-dim .pf-hl, #pf-graph.pf-dim .pf-selected { opacity: 1; }
#pf-graph .pf-hl :is(path, polygon, ellipse) { stroke-width: 2.5px; }
#pf-graph .pf-selected :is(polygon, ellipse, path) { stroke: var(--sel); stroke-width: 3px; }
#pf-graph .pf-match :is(polygon, ellipse, path) { stroke: var(--match); stroke-width: 3px; }
#pf-graph .pf-current :is(polygon, ellipse, path) { stroke: var(--sel); stroke-width: 4px; }
#pf-graph .pf-hidden { display: none; }
:where(:root[data-theme="dark"]) #pf-graph :where([stroke="black"], [stroke="#000000"]) { stroke: var(--fg); }
:where(:root[data-theme="dark"]) #pf-graph :where(polygon[fill="black"], polygon[fill="#000000"]) { fill: var(--fg); }
:where(:root[data-theme="dark"]) #pf-graph :where(.edge, .cluster, .node:has(:is(polygon, ellipse, path)[fill="none"])) text:where([fill="black"], [fill="#000000"], :not([fill])) { fill: var(--fg); }
@media (prefers-color-scheme: dark) {
  :where(:root:not([data-theme="light"])) #pf-graph :where([stroke="black"], [stroke="#000000"]) { stroke: var(--fg); }
  :where(:root:not([data-theme="light"])) #pf-graph :where(polygon[fill="black"], polygon[fill="#000000"]) { fill: var(--fg); }
  :where(:root:not([data-theme="light"])) #pf-graph :where(.edge, .cluster, .node:has(:is(polygon, ellipse, path)[fill="none"])) text:where([fill="black"], [fill="#000000"], :not([fill])) { fill: var(--fg); }
}
`;
