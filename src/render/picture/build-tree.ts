import type { Picture, PictureNode } from '../../types/picture.js';
import type { NodeRef, TreeResult } from '../../types/results.js';
import { counted, countedOf, formatCount } from '../count.js';
import { byCodePoint, PictureDraft } from './draft.js';
import { excludeMatcher } from './exclude.js';
import type { PictureBuildOptions } from './options.js';
import { breadthFirst, flattenTrees } from './tree-graph.js';

const plural = counted;

/** The longest directory (ending in `/`) holding every file, or '' when they share none. */
function commonDir(files: string[]): string {
  if (files.length === 0) return '';
  let prefix = files[0]!.slice(0, files[0]!.lastIndexOf('/') + 1);
  for (const f of files) while (prefix && !f.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return prefix;
}

/** `+37 callers in fs/ (12 files)`: what a summary node stands for. */
export function summaryText(direction: 'callees' | 'callers', refs: NodeRef[]): string {
  const files = [...new Set(refs.filter((r) => !r.external).map((r) => r.file))].sort(byCodePoint);
  const dir = commonDir(files);
  const what = plural(refs.length, direction === 'callees' ? 'callee' : 'caller');
  const where = dir ? ` in ${dir}` : '';
  const external = refs.length - refs.filter((r) => !r.external).length;
  const detail = [files.length ? plural(files.length, 'file') : '', external ? `${formatCount(external)} external` : ''].filter(Boolean).join(', ');
  return `+${what}${where} (${detail})`;
}

/**
 * The picture of callees or callers trees (one per function of the name), merged:
 * - excluded names (options.exclude) are left out with every node reached only through them;
 * - levels past options.depth only mark their parents as cut;
 * - past options.maxNodes function nodes, breadth-first (nearest first), the rest is cut: each
 *   shown node whose subtree lost nodes is marked cut and gets one summary node saying what they
 *   are (`+37 callers in fs/ (12 files)`);
 * - the caption counts everything left out (`48 of 312 nodes shown; 3 excluded by --exclude`).
 * Edges run from caller to callee. Ids follow breadth-first order; summaries come last.
 */
export function pictureTrees(trees: TreeResult[], direction: 'callees' | 'callers', options: PictureBuildOptions): Picture {
  const graph = flattenTrees(trees);
  const depth = options.depth ?? Infinity;
  const matches = excludeMatcher(options.exclude);
  const roots = new Set(graph.roots);
  const excluded = (key: string): boolean => !roots.has(key) && matches(graph.refs.get(key)!.name);
  const all = breadthFirst(graph, () => false, depth);
  const kept = breadthFirst(graph, excluded, depth);
  const excludedCount = [...all.keys()].filter(excluded).length;
  const hanging = all.size - kept.size - excludedCount;

  const order = [...kept.keys()];
  const shown = new Set(order.slice(0, Math.max(1, options.maxNodes)));
  const draft = new PictureDraft();
  const nodes = new Map<string, PictureNode>();
  for (const key of order) if (shown.has(key)) nodes.set(key, draft.node(graph.refs.get(key)!));
  for (const root of graph.roots) nodes.get(root)!.role = 'root';
  let depthCut = 0;
  for (const key of order) {
    if (!shown.has(key)) continue;
    for (const { child, edge } of graph.down.get(key) ?? []) {
      if (excluded(child)) continue;
      if (shown.has(child) && kept.get(child)!.level <= depth) draft.call(edge);
      else if (!kept.has(child) && kept.get(key)!.level >= depth && !nodes.get(key)!.cut) {
        nodes.get(key)!.cut = true;
        depthCut++;
      }
    }
  }
  // What --max-nodes left out, grouped under its nearest shown ancestor.
  const groups = new Map<string, NodeRef[]>();
  for (const key of order) {
    if (shown.has(key)) continue;
    let up = kept.get(key)!.parent!;
    while (!shown.has(up)) up = kept.get(up)!.parent!;
    groups.set(up, [...(groups.get(up) ?? []), graph.refs.get(key)!]);
  }
  for (const [key, refs] of groups) {
    const parent = nodes.get(key)!;
    parent.cut = true;
    const summary = draft.summary(refs.length, summaryText(direction, refs));
    if (direction === 'callees') draft.summaryEdge(parent, summary);
    else draft.summaryEdge(summary, parent);
  }

  const caption: string[] = [];
  if (order.length > shown.size) caption.push(`${countedOf(shown.size, order.length, 'node')} shown`);
  if (excludedCount) caption.push(`${formatCount(excludedCount)} excluded by --exclude${hanging ? ` (and ${formatCount(hanging)} reached only through them)` : ''}`);
  if (depthCut) caption.push(`${plural(depthCut, 'node')} with more ${direction} past depth ${depth}`);
  const names = [...new Set(trees.map((t) => t.function.name))].join(', ');
  const title = `${direction} of ${names}${trees.length > 1 ? ` (${trees.length} functions)` : ''}${Number.isFinite(depth) ? `, depth ${depth}` : ''}`;
  return draft.finish({ title, kind: direction, legend: [], ...(caption.length ? { caption: caption.join('; ') } : {}) }, options.cluster);
}
