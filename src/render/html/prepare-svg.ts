/**
 * Makes a Graphviz SVG document fit for inlining in HTML: the XML declaration, doctype and
 * comments are dropped (Graphviz writes a comment per node and edge, and a version comment that
 * would make the page depend on the Graphviz build), and the root `<svg>` loses its fixed
 * `width` and `height` so the page sizes it (its viewBox keeps the drawing's proportions).
 * Throws when the text holds no `<svg ...>...</svg>` element.
 */
export function prepareSvg(svg: string): string {
  const start = svg.search(/<svg[\s>]/);
  const end = svg.lastIndexOf('</svg>');
  if (start < 0 || end < start) throw new Error('the laid-out picture is not an SVG document');
  const body = svg.slice(start, end + '</svg>'.length).replace(/<!--[\s\S]*?-->/g, '');
  const open = body.indexOf('>');
  const root = body.slice(0, open).replace(/\s(?:width|height)="[^"]*"/g, '');
  return root + body.slice(open);
}
