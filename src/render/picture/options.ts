/** Options for building a Picture from a query result (see src/types/picture.ts). */
export interface PictureBuildOptions {
  /** Group nodes by their definition's file, by its directory, or not at all. */
  cluster: 'file' | 'dir' | 'none';
  /**
   * Most function nodes a callees or callers picture shows (summary nodes come on top); the rest
   * is cut, nearest first. Paths are never cut: they are what the user asked for.
   */
  maxNodes: number;
  /** Name patterns (`*`, `?`) the user left out of trees (--exclude). Paths ignore them. */
  exclude: string[];
  /** The profile's default patterns (Profile.pictureExcludes), left out of trees too but counted apart in the caption; absent: none. */
  defaultExclude?: string[];
  /** Names given with --via: their nodes get the role `via` on paths. */
  via?: string[];
  /** The tree depth asked for: tree levels past it only mark their parents as cut. Absent: every level is shown. */
  depth?: number;
  /** With --built-only on paths: the configuration they keep to (`arch/x86/configs/x86_64_defconfig`, '' unknown), said in the caption. */
  builtOnly?: string;
}

/**
 * Default --max-nodes: 150. Graphviz's dot lays out a tree-like graph of that size in about a
 * second (the issue measured 193 s for 300 nodes and 900 edges with default settings), 150 labels
 * still read on one screen or page, and a tree of 150 nodes with its summaries stays far below
 * Mermaid's default limit of 500 edges.
 */
export const DEFAULT_MAX_NODES = 150;
