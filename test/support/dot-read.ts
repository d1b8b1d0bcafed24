import dot from 'graphlib-dot';

/** A DOT attribute value as graphlib-dot returns it, with our escapes undone (`\\` `\"` `\n`). */
export const dotText = (value: string | undefined): string | undefined => value?.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));

/** Our DOT parsed back with graphlib-dot: nodes (picture ids `n0`...) and edges with their attributes, escapes undone. */
export function readDot(text: string): { nodes: Map<string, Record<string, string>>; edges: Map<string, Record<string, string> & { from: string; to: string }> } {
  const g = dot.read(text);
  const nodes = new Map<string, Record<string, string>>();
  for (const id of g.nodes()) {
    if (!/^n\d+$/.test(id)) continue;
    nodes.set(id, Object.fromEntries(Object.entries(g.node(id) ?? {}).map(([k, v]) => [k, dotText(v)!])));
  }
  const edges = new Map<string, Record<string, string> & { from: string; to: string }>();
  for (const e of g.edges()) {
    const attrs = Object.fromEntries(Object.entries(g.edge(e) ?? {}).map(([k, v]) => [k, dotText(v)!]));
    if (attrs.id?.startsWith('e')) edges.set(attrs.id, { ...attrs, from: e.v, to: e.w });
  }
  return { nodes, edges };
}
