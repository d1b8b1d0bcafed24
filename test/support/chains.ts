import { readFileSync } from 'node:fs';
import { EDGE_KINDS } from '../../src/resolve/edge-kind.js';
import type { Project } from '../../src/api/project.js';

/** One hand-verified edge of a call chain. */
export interface ChainEdge {
  from: string;
  to: string;
  file: string;
  line: number;
  kind: string;
  evidence: string;
  /**
   * On a callback-arg edge: the functions a path shows between `from` and `to` (the one `from`
   * passes the callback to, any wrappers passing it on, the one calling it), each with the place of
   * its call of the next one (the last: of its parameter).
   */
  through?: { name: string; file: string; line: number }[];
}

export interface Chain {
  id: string;
  start: string;
  target: string;
  path: string[];
  edges: ChainEdge[];
}

export const readChains = (file: string): Chain[] => JSON.parse(readFileSync(file, 'utf8')) as Chain[];

/**
 * The chain as a path query shows it: its nodes, and its steps as `from>to file:line`, each
 * callback-arg edge shown as the steps through the functions it passes (ChainEdge.through).
 */
export function shownChain(chain: Chain): { nodes: string[]; steps: string[] } {
  const nodes = [chain.path[0]!];
  const steps: string[] = [];
  for (const e of chain.edges) {
    let at = { name: e.from, file: e.file, line: e.line };
    for (const t of e.through ?? []) {
      steps.push(`${at.name}>${t.name} ${at.file}:${at.line}`);
      nodes.push(t.name);
      at = t;
    }
    steps.push(`${at.name}>${e.to} ${at.file}:${at.line}`);
    nodes.push(e.to);
  }
  return { nodes, steps };
}

/** Kinds pathfind reports for each kind name the chain files use. */
const kindsFor: Record<string, string[]> = {
  direct: ['direct', 'macro'],
  'macro-direct': ['direct', 'macro'],
  'ops-initializer': ['ops-initializer', 'indirect-hint'],
  'ops-assignment': ['ops-assignment', 'indirect-hint'],
  'indirect-call-macro': ['indirect-hint'],
  'callback-arg': ['callback-arg'],
  'param-to-field': ['param-to-field'],
};

/** The edges of a chain pathfind does not find: `to` must be among the callees of `from`. */
export function missingEdges(project: Project, chain: Chain): string[] {
  const { index, edges } = project;
  const missing: string[] = [];
  for (const e of chain.edges) {
    const from = new Set(index.nodesNamed(e.from));
    const to = new Set(index.nodesNamed(e.to));
    const kinds = new Set<string>();
    for (let i = 0; i < edges.length; i++) {
      if (from.has(edges.from.get(i)) && to.has(edges.to.get(i))) kinds.add(EDGE_KINDS[edges.kind.get(i)]!);
    }
    const wanted = kindsFor[e.kind] ?? [e.kind];
    if (kinds.size === 0) missing.push(`${e.from} -> ${e.to} (${e.kind}): no edge`);
    else if (![...kinds].some((k) => wanted.includes(k))) missing.push(`${e.from} -> ${e.to} (${e.kind}): found only as ${[...kinds].join(', ')}`);
  }
  return missing;
}
