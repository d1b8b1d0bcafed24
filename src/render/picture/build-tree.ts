import type { Picture, PictureNode } from '../../types/picture.js';
import type { NodeRef, TreeResult } from '../../types/results.js';
import { counted, countedOf, formatCount } from '../count.js';
import { byCodePoint, PictureDraft } from './draft.js';
import { excludeMatcher } from './exclude.js';
import type { PictureBuildOptions } from './options.js';
import { breadthFirst, flattenTrees, type TreeGraph } from './tree-graph.js';
import { EDGE_KINDS } from '../../resolve/edge-kind.js';

const plural = counted;

/** The longest directory (ending in `/`) holding every file, or '' when they share none. */
function commonDir(files: string[]): string {
  if (files.length === 0) return '';
  let prefix = files[0]!.slice(0, files[0]!.lastIndexOf('/') + 1);
  for (const f of files) while (prefix && !f.startsWith(prefix)) prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
  return prefix;
}

/** `+37 callers in fs/ (12 files)`, `+2 callers in include/linux/fs.h`: what a summary node stands for. */
export function summaryText(direction: 'callees' | 'callers', refs: NodeRef[]): string {
  const files = [...new Set(refs.filter((r) => !r.external).map((r) => r.file))].sort(byCodePoint);
  // One file is named whole (a picture clustered by file draws the summary in its box); several by their common folder.
  const dir = files.length === 1 ? files[0]! : commonDir(files);
  const what = plural(refs.length, direction === 'callees' ? 'callee' : 'caller');
  const where = dir ? ` in ${dir}` : '';
  const external = refs.length - refs.filter((r) => !r.external).length;
  const detail = [files.length > 1 ? plural(files.length, 'file') : '', external ? `${formatCount(external)} external` : ''].filter(Boolean).join(', ');
  return `+${what}${where}${detail ? ` (${detail})` : ''}`;
}

/** Rank of an edge kind by strength: its EDGE_KINDS index (direct 0, macro 1, ...); unknown kinds last. */
const kindRank = (kind: string): number => {
  const i = (EDGE_KINDS as readonly string[]).indexOf(kind);
  return i < 0 ? EDGE_KINDS.length : i;
};

/**
 * The kept nodes in the order --max-nodes keeps them: by depth (nearest first); at one depth
 * what the build keeps before what it leaves out (a function of a file Kbuild does not build,
 * NodeRef.notBuilt, or one every call from the level above reaches is bound only in such files,
 * EdgeRef.unbuiltBinding: 750 of the 904 callees `callees vfs_write --depth 1` lists on Linux
 * 6.1 with x86's defconfig); then by the strongest call reaching the node from the level above (EDGE_KINDS
 * order: direct, macro, then the pointer kinds), so a function's own direct callees come before
 * the many possible targets of a pointer call; then by name (code point), then breadth-first order. Every node's
 * breadth-first parent comes before it, so any prefix of the order is a connected tree.
 */
export function strongestFirst(graph: TreeGraph, kept: Map<string, { level: number; parent?: string }>, excluded: (key: string) => boolean): string[] {
  const rank = new Map<string, number>();
  const [unbuiltCall, builtCall] = [new Set<string>(), new Set<string>()];
  for (const [key, at] of kept) {
    for (const { child, edge } of graph.down.get(key) ?? []) {
      if (excluded(child) || kept.get(child)?.level !== at.level + 1) continue;
      rank.set(child, Math.min(rank.get(child) ?? Infinity, kindRank(edge.kind)));
      // Left out by the build: defined in a file Kbuild does not build, or reached only by calls bound only in such files.
      if (graph.refs.get(child)!.notBuilt || edge.unbuiltBinding) unbuiltCall.add(child);
      else builtCall.add(child);
    }
  }
  const bfs = new Map([...kept.keys()].map((key, i) => [key, i]));
  const name = (key: string): string => graph.refs.get(key)!.name;
  const left = (key: string): number => (unbuiltCall.has(key) && !builtCall.has(key) ? 1 : 0);
  return [...kept.keys()].sort(
    (a, b) => kept.get(a)!.level - kept.get(b)!.level || left(a) - left(b) || (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || byCodePoint(name(a), name(b)) || bfs.get(a)! - bfs.get(b)!,
  );
}

/**
 * The picture of callees or callers trees (one per function of the name), merged:
 * - excluded names (options.exclude, the user's, and options.defaultExclude, the profile's) are
 *   left out with every node reached only through them;
 * - levels past options.depth only mark their parents as cut, and so does a call to a node
 *   --max-nodes left out, or every call --built-only left out (TreeItem.leftOutNotBuilt);
 * - past options.maxNodes function nodes, the rest is cut, kept in strongestFirst order (nearest
 *   first; at one depth, direct and macro calls before pointer-call targets): each shown node
 *   whose subtree lost nodes is marked cut and gets one summary node saying what they are
 *   (`+37 callers in fs/ (12 files)`);
 * - the caption counts everything left out, the user's excludes and the default ones apart
 *   (`48 of 312 nodes shown; 3 excluded by --exclude; 5 left out by default (--no-default-excludes
 *   keeps them); 2 more reached only through them`), and the calls --built-only left out
 *   (TreeResult.leftOutNotBuilt: `3 calls of code not built left out (--built-only)`).
 * Edges run from caller to callee. Ids follow strongestFirst order; summaries come last.
 */
export function pictureTrees(trees: TreeResult[], direction: 'callees' | 'callers', options: PictureBuildOptions): Picture {
  const graph = flattenTrees(trees);
  const depth = options.depth ?? Infinity;
  const byUser = excludeMatcher(options.exclude);
  const byDefault = excludeMatcher(options.defaultExclude ?? []);
  const roots = new Set(graph.roots);
  const userExcluded = (key: string): boolean => !roots.has(key) && byUser(graph.refs.get(key)!.name);
  const defaultExcluded = (key: string): boolean => !roots.has(key) && !userExcluded(key) && byDefault(graph.refs.get(key)!.name);
  const excluded = (key: string): boolean => userExcluded(key) || defaultExcluded(key);
  const all = breadthFirst(graph, () => false, depth);
  const kept = breadthFirst(graph, excluded, depth);
  const userCount = [...all.keys()].filter(userExcluded).length;
  const defaultCount = [...all.keys()].filter(defaultExcluded).length;
  const hanging = all.size - kept.size - userCount - defaultCount;

  const order = strongestFirst(graph, kept, excluded);
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
      // A call to a node --max-nodes left out, summarised under its breadth-first parent or under this node: this node has calls not shown.
      else if (kept.has(child) && !shown.has(child)) nodes.get(key)!.cut = true;
    }
    // Every call of it --built-only left out: no leaf of the code either.
    if (graph.leftOut.has(key)) nodes.get(key)!.cut = true;
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
    const summary = draft.summary(refs.length, summaryText(direction, refs), refs.map((r) => (r.external ? undefined : r.file)));
    if (direction === 'callees') draft.summaryEdge(parent, summary);
    else draft.summaryEdge(summary, parent);
  }

  const caption: string[] = [];
  if (order.length > shown.size) caption.push(`${countedOf(shown.size, order.length, 'node')} shown`);
  if (userCount) caption.push(`${formatCount(userCount)} excluded by --exclude`);
  if (defaultCount) caption.push(`${formatCount(defaultCount)} left out by default (--no-default-excludes keeps them)`);
  if (hanging) caption.push(`${formatCount(hanging)} more reached only through them`);
  const notBuilt = trees.reduce((sum, t) => sum + (t.leftOutNotBuilt ?? 0), 0);
  if (notBuilt) caption.push(`${plural(notBuilt, 'call')} of code not built left out (--built-only)`);
  // Cut nodes are drawn dashed, named with a trailing `+` (mermaid.ts, dot.ts): the caption says what the mark means.
  if (depthCut) caption.push(`${plural(depthCut, 'node')} with more ${direction} past depth ${depth} (marked +)`);
  const cut = [...nodes.values()].filter((n) => n.cut).length;
  if (cut > depthCut) caption.push(`+ marks a node with ${direction} not drawn`);
  const names = [...new Set(trees.map((t) => t.function.name))].join(', ');
  const title = `${direction} of ${names}${trees.length > 1 ? ` (${trees.length} functions)` : ''}${Number.isFinite(depth) ? `, depth ${depth}` : ''}`;
  return draft.finish({ title, kind: direction, legend: [], ...(caption.length ? { caption: caption.join('; ') } : {}) }, options.cluster);
}
