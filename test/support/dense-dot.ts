/**
 * Seeded random call graphs as DOT, dense enough to make Graphviz's default layout slow or
 * overflow its stack (the issue measured 300 nodes / 900 edges at 193 s and 500 / 1,500 overflowing).
 * Same arguments, same text.
 */
import { seededRandom } from './random.js';
/** Graphviz settings that bound the `dot` layout's work (the kind renderDot writes for `layout: 'fast'`). */
export const FAST_SETTINGS = 'mclimit=0.1, nslimit=1, nslimit1=1, searchsize=10, remincross=false, splines=line';

/**
 * A digraph of `nodes` nodes `n0`... and `edges` distinct random edges, Helvetica boxes; with
 * `clusters` > 0 the nodes are spread over that many clusters; with `fast`, FAST_SETTINGS.
 */
export function denseDot(nodes: number, edges: number, opts: { seed?: number; clusters?: number; fast?: boolean } = {}): string {
  const next = seededRandom(opts.seed ?? 1);
  const lines = ['digraph G {', `graph [fontname="Helvetica"${opts.fast ? `, ${FAST_SETTINGS}` : ''}];`, 'node [shape=box, fontname="Helvetica"];', 'edge [fontname="Helvetica"];'];
  const clusters = opts.clusters ?? 0;
  for (let c = 0; c < clusters; c++) {
    const members = Array.from({ length: nodes }, (_, i) => i).filter((i) => i % clusters === c);
    lines.push(`subgraph cluster_c${c} { id="c${c}"; label="dir${c}/"; ${members.map((i) => `n${i} [id="n${i}", label="func_${i}"];`).join(' ')} }`);
  }
  if (!clusters) for (let i = 0; i < nodes; i++) lines.push(`n${i} [id="n${i}", label="func_${i}"];`);
  const seen = new Set<string>();
  while (seen.size < edges) {
    const a = Math.floor(next() * nodes);
    const b = Math.floor(next() * nodes);
    if (a === b || seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    lines.push(`n${a} -> n${b} [id="e${seen.size - 1}"];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
