import type { EdgeRef, Explanation, NodeRef, PathsResult, StatsResult, TreeItem, TreeResult } from '../types/results.js';

const stringify = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** `{name, file, line}`; an external node (defined in no indexed file) is `{name, external: true}`. */
const nodeJson = ({ name, file, line, external }: NodeRef): object => (external ? { name, external } : { name, file, line });

/** `{"paths":[{"nodes":[...],"edges":[...]}]}`: a stable shape scripts rely on. */
export function renderPathsJson(result: PathsResult): string {
  return stringify({ paths: result.paths.map((p) => ({ nodes: p.nodes.map(nodeJson), edges: p.edges.map(edgeJson) })) });
}

function edgeJson(e: EdgeRef): EdgeRef {
  const out: EdgeRef = { from: e.from, to: e.to, kind: e.kind, file: e.file, line: e.line };
  if (e.evidence) out.evidence = e.evidence;
  return out;
}

/** `{"function":{...},"edges":[...]}` per tree: every edge of the tree once, parents first. */
export function renderTreeJson(trees: TreeResult[]): string {
  const one = (t: TreeResult): unknown => {
    const edges: EdgeRef[] = [];
    const walk = (item: TreeItem): void => {
      for (const child of item.children) {
        edges.push(edgeJson(child.edge!));
        walk(child);
      }
    };
    walk(t.root);
    return { function: nodeJson(t.function), edges };
  };
  return stringify(trees.length === 1 ? one(trees[0]!) : trees.map(one));
}

export function renderStatsJson(stats: StatsResult): string {
  return stringify(stats);
}

export function renderExplainJson(x: Explanation): string {
  return stringify({ caller: x.caller, callee: x.callee, edges: x.edges.map(edgeJson), unresolved: x.unresolved });
}
