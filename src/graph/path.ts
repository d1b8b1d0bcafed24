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
  /**
   * Extra path cost of entering each node (by node id; absent or 0: none), paid on top of the
   * edge's weight: the search prefers paths through nodes that cost nothing to enter (the API
   * gives the functions of files Kbuild does not build a cost: api/unbuilt.ts).
   */
  enterCost?: Uint8Array;
  /**
   * Extra path cost of taking a pointer step (by EdgeList id; not asked for plain and macro calls),
   * paid on top of the edge's weight and enterCost: the API gives a step bound only by code Kbuild
   * does not build a cost (api/unbuilt.ts, found lazily: api/path-costs.ts costFound). Absent: none.
   */
  edgeCost?: (edge: number) => number;
  /**
   * True while edgeCost answers 0 for every edge (api/path-costs.ts costFound's first search, before
   * any step is costed): a search asks it once per run and then does not call edgeCost, a call and
   * a map lookup per pointer step relaxed (some 200,000 in a kernel's path query). Absent: false.
   */
  edgeCostNone?: () => boolean;
  /**
   * The functions a step passes through between its caller and its callee, in order, asked of
   * callback-arg steps only: the function called at the call site that passes the callback, the
   * wrappers that pass it on, the one calling it through its parameter (api/callback-steps.ts).
   * A via name among them counts as passed, and each counts as a call against maxDepth, as a
   * path shows them. Absent: none.
   */
  passedThrough?: (edge: number) => readonly number[];
  /**
   * Steps a path may take first from a start though no row of the graph holds them, by start
   * node: a function that calls its own parameter reaches each function its callers pass into it,
   * bound by those callers' callback-arg edges (`edge`, to `to`; api/callback-steps.ts). Absent: none.
   */
  startSteps?: (node: number) => readonly StartStep[];
}

/** A step PathConstraints.startSteps lets a path take from its start: an EdgeList id (a callback-arg edge, whose caller is not the start) and its callee. */
export interface StartStep {
  edge: number;
  to: number;
}
