/** A path in the call graph: nodes[i] calls nodes[i + 1] through edges[i] (an EdgeList id). */
export interface GraphPath {
  nodes: number[];
  edges: number[];
  cost: number;
}

/** What a path search must honour. */
export interface PathConstraints {
  /** Functions the path passes through, in order; each entry lists the nodes of one name. */
  via: number[][];
  /** Nodes the path never enters. */
  avoid: Set<number>;
  /** Most edges a path may have. */
  maxDepth?: number;
}
