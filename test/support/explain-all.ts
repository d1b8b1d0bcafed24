import { explainEdge } from '../../src/api/explain.js';
import type { Project } from '../../src/index.js';

/** For every caller, explain its edge to each of its callees (by name), in a stable order: what `pathfind explain` prints, for the whole graph. */
export function explainAll(p: Project): unknown[] {
  const { index, edges } = p;
  const pairs = new Set<string>();
  for (let e = 0; e < edges.length; e++) pairs.add(`${index.name(edges.from.get(e))}\t${index.name(edges.to.get(e))}`);
  return [...pairs].sort().map((pair) => {
    const [caller, callee] = pair.split('\t') as [string, string];
    return explainEdge(p, caller, callee);
  });
}

/** `value` (JSON-like) without any property named `name`, at any depth. */
export const without = (name: string) => (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === name ? undefined : v)));

/** An answer without the called expressions of its pointer calls (`via`), which are read back from the source text. */
export const withoutVia = without('via');
