/**
 * A call graph laid out for a picture: what the DOT, SVG, Mermaid and HTML renderers draw.
 * Built from a query result (paths, a callees or callers tree) after the picture's limits and
 * noise filters are applied; plain data, so every renderer is a pure function of it.
 *
 * Ids are synthetic (`n0`, `n1`, ... for nodes, `e0`, ... for edges, `c0`, ... for clusters),
 * assigned in a deterministic order, so that no name read from C source ever becomes an id in
 * any output format. Renderers put names, files and evidence only into escaped labels and
 * attributes. In DOT (and so in the SVG Graphviz makes of it) every node and edge carries its id
 * as the `id` attribute, which is how the HTML viewer finds the drawn shape of a node or an edge.
 */

/** How a node stands in the picture. */
export type PictureRole = 'start' | 'target' | 'root' | 'via';

export interface PictureNode {
  /** Synthetic id: `n` and a number. */
  id: string;
  /** Function or macro name as the source writes it. */
  name: string;
  /** Definition, relative to the tree root; absent for external nodes and summary nodes. */
  file?: string;
  /** 1-based line of the definition. */
  line?: number;
  /** The function's signature as written, when known (tooltips). */
  signature?: string;
  macro?: true;
  /** Called but defined in no indexed file. */
  external?: true;
  /** Start or target of a path query, root of a tree, or a --via function. */
  role?: PictureRole;
  /** Indexes (0-based) of the paths this node lies on, for `-k N` pictures; absent for trees. */
  paths?: number[];
  /** The node has edges the picture does not show (cut by --max-nodes or --depth). */
  cut?: true;
  /** Defined in a file Kbuild does not build under the tree's configuration: the mark (NodeRef.notBuilt: `not built with arch/x86/configs/x86_64_defconfig`). Drawn grey. */
  notBuilt?: string;
  /**
   * Present on a summary node, which stands for nodes left out: `count` of them, and the text
   * shown (`+37 callers in fs/ (12 files)`). A summary node has no file or line.
   */
  summary?: { count: number; text: string };
  /** Id of the cluster (file or directory) the node is drawn in, if clustering is on. */
  cluster?: string;
}

export interface PictureEdge {
  /** Synthetic id: `e` and a number. */
  id: string;
  /** Node ids. */
  from: string;
  to: string;
  /** Edge kind (see EDGE_KINDS), or 'summary' for an edge to a summary node. */
  kind: string;
  /** Call site, in the caller's file. */
  file?: string;
  line?: number;
  /** For pointer calls: the member called (`sendmsg`), drawn as the edge label. */
  member?: string;
  /** For pointer calls: the first binding, one line (`net/ipv4/af_inet.c:1075 .sendmsg = inet_sendmsg in ...`), and how many more there are. */
  evidence?: string;
  moreEvidence?: number;
  /** For a pointer call of a path: how many targets its call site binds (the text's `one of 1,312 targets`), and the call as written (`file->f_op->write`). */
  targets?: number;
  via?: string;
  /** Work handed to another context (softirq, tasklet, ...). */
  deferred?: true;
  /** A pointer call whose every binding is in a file Kbuild does not build: the mark (EdgeRef.unbuiltBinding). Drawn grey. */
  unbuiltBinding?: string;
  /** Indexes of the paths this edge lies on, for `-k N` pictures. */
  paths?: number[];
}

/** A file or directory grouping nodes. */
export interface PictureCluster {
  /** Synthetic id: `c` and a number. */
  id: string;
  /** The file or directory path, relative to the tree root (a directory ends with `/`). */
  label: string;
}

export interface Picture {
  /** What the picture shows: `ksys_write -> drv_wake_tx_queue`, `callees of tcp_sendmsg`. */
  title: string;
  kind: 'paths' | 'callees' | 'callers';
  /** Sorted by id number. */
  nodes: PictureNode[];
  /** Sorted by id number. */
  edges: PictureEdge[];
  /** Sorted by label; empty when clustering is off. */
  clusters: PictureCluster[];
  /** For `-k N` pictures: one row per path, in path order, with its length in calls. */
  legend: { path: number; calls: number }[];
  /** What was left out, one line (`48 of 312 nodes shown; 3 excluded by --exclude`), or absent when nothing was. */
  caption?: string;
}

/** Options every picture renderer takes. */
export interface PictureOptions {
  /** Layout direction. */
  rankdir: 'TB' | 'LR';
  /**
   * Link template for definitions and call sites, with `{file}` and `{line}` placeholders
   * (`https://elixir.bootlin.com/linux/v6.1/source/{file}#L{line}`); absent: no links, relative paths.
   */
  sourceUrl?: string;
  theme: 'light' | 'dark' | 'auto';
}
