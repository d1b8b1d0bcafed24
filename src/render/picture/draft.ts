import type { Picture, PictureEdge, PictureNode } from '../../types/picture.js';
import type { EdgeRef, NodeRef } from '../../types/results.js';
import { formatCount } from '../count.js';
import { pointerDetails } from './edge-text.js';

/** A node's identity in a picture: its definition, or its name alone for an external node. */
export const nodeKey = (ref: NodeRef): string => (ref.external ? `?${ref.name}` : `${ref.file}\0${ref.line}\0${ref.name}`);

/** The cluster label of a file: itself, or its directory with a trailing `/` (`./` at the root). */
export function clusterLabel(file: string, by: 'file' | 'dir'): string {
  if (by === 'file') return file;
  const slash = file.lastIndexOf('/');
  return slash < 0 ? './' : file.slice(0, slash + 1);
}

/**
 * A picture being built: nodes and edges get their synthetic ids in the order they are first
 * added, so the caller's traversal order (path order, breadth-first) is the id order.
 */
export class PictureDraft {
  private readonly nodes = new Map<string, PictureNode>();
  private readonly edges = new Map<string, PictureEdge>();
  /** Per summary node, the files of the nodes it stands for (external ones have none). */
  private readonly summaryFiles = new Map<PictureNode, string[]>();

  /** The node for `ref`, added on first sight. */
  node(ref: NodeRef): PictureNode {
    const key = nodeKey(ref);
    let node = this.nodes.get(key);
    if (!node) {
      node = { id: `n${this.nodes.size}`, name: ref.name };
      if (!ref.external) Object.assign(node, { file: ref.file, line: ref.line });
      if (ref.macro) node.macro = true;
      if (ref.external) node.external = true;
      if (ref.notBuilt) node.notBuilt = ref.notBuilt;
      this.nodes.set(key, node);
    }
    return node;
  }

  /**
   * A summary node standing for `count` nodes left out, of `files` (one per node; none for an
   * external node): finish puts it in their cluster when they all share one.
   */
  summary(count: number, text: string, files: readonly (string | undefined)[] = []): PictureNode {
    const node: PictureNode = { id: `n${this.nodes.size}`, name: text, summary: { count, text } };
    this.nodes.set(`#summary${node.id}`, node);
    this.summaryFiles.set(node, files.length === count && files.every((f) => f !== undefined) ? (files as string[]) : []);
    return node;
  }

  /** The edge for a call, added on first sight; one edge per caller and callee (the first call site seen). */
  call(ref: EdgeRef): PictureEdge {
    const from = this.node(ref.from).id;
    const to = this.node(ref.to).id;
    const key = `${from}>${to}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { id: `e${this.edges.size}`, from, to, kind: ref.kind, file: ref.file, line: ref.line };
      if (ref.kind !== 'direct' && ref.kind !== 'macro') Object.assign(edge, pointerDetails(ref));
      if (ref.targets !== undefined && ref.targets > 1) Object.assign(edge, { targets: ref.targets, ...(ref.via !== undefined ? { via: ref.via } : {}) });
      if (ref.deferred) edge.deferred = true;
      if (ref.unbuiltBinding) edge.unbuiltBinding = ref.unbuiltBinding;
      this.edges.set(key, edge);
    }
    return edge;
  }

  /** An edge to (or from) a summary node. */
  summaryEdge(from: PictureNode, to: PictureNode): PictureEdge {
    const edge: PictureEdge = { id: `e${this.edges.size}`, from: from.id, to: to.id, kind: 'summary' };
    this.edges.set(`${from.id}>${to.id}`, edge);
    return edge;
  }

  /**
   * The finished picture, nodes clustered by file or directory (clusters sorted by label; a
   * summary node in the one cluster of the nodes it stands for, when they share one). The
   * caption (head.caption, what was left out) ends with how many of the functions and calls shown
   * the build leaves out, drawn grey (`2 not built with arch/x86/configs/x86_64_defconfig (grey)`).
   */
  finish(head: Pick<Picture, 'title' | 'kind' | 'legend'> & { caption?: string }, cluster: 'file' | 'dir' | 'none'): Picture {
    const nodes = [...this.nodes.values()];
    const edges = [...this.edges.values()];
    const marks = [...buildMarkCounts(nodes.map((n) => n.notBuilt), ''), ...buildMarkCounts(edges.map((e) => e.unbuiltBinding), ' call')];
    if (marks.length) head = { ...head, caption: [head.caption, ...marks].filter(Boolean).join('; ') };
    // A summary node goes in the cluster all the nodes it stands for share (`+1 caller in net/core/` in net/core/), if any.
    const summaryLabel = new Map<PictureNode, string>();
    if (cluster !== 'none') {
      for (const [n, files] of this.summaryFiles) {
        const shared = new Set(files.map((f) => clusterLabel(f, cluster)));
        if (shared.size === 1) summaryLabel.set(n, [...shared][0]!);
      }
    }
    const labels = cluster === 'none' ? [] : [...new Set([...nodes.filter((n) => n.file !== undefined).map((n) => clusterLabel(n.file!, cluster)), ...summaryLabel.values()])].sort(byCodePoint);
    const ids = new Map(labels.map((label, i) => [label, `c${i}`]));
    if (cluster !== 'none') for (const n of nodes) if (n.file !== undefined) n.cluster = ids.get(clusterLabel(n.file, cluster))!;
    for (const [n, label] of summaryLabel) n.cluster = ids.get(label)!;
    const picture: Picture = { ...head, nodes, edges, clusters: labels.map((label, i) => ({ id: `c${i}`, label })) };
    if (head.caption === undefined) delete picture.caption;
    return picture;
  }
}

/** `2 not built with ... (grey)` per distinct mark among `marks` (`2 calls bound only in ...` with `noun` ` call`), in code-point order of the marks. */
function buildMarkCounts(marks: (string | undefined)[], noun: string): string[] {
  const counts = new Map<string, number>();
  for (const m of marks) if (m) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => byCodePoint(a, b)).map(([mark, n]) => `${formatCount(n)}${noun}${noun && n > 1 ? 's' : ''} ${mark} (grey)`);
}

/** Plain code-point order, the same in every locale. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
