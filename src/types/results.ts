/** Query results: plain data handed to the renderers (and printed as JSON). */

/** A function or macro. */
export interface NodeRef {
  name: string;
  /** File of the definition ('' for an external node; the JSON then omits it). */
  file: string;
  /** Line of the definition (0 for an external node; the JSON then omits it). */
  line: number;
  /** Present for a function called but defined in no indexed file: a leaf of the call graph. */
  external?: true;
  /** Present for macros only. */
  macro?: true;
  /** Present when other functions share the name: the text output then names the file. */
  ambiguous?: true;
}

/** One call edge with its call site; indirect kinds carry the place that binds the target. */
export interface EdgeRef {
  from: string;
  to: string;
  kind: string;
  /** File and line of the call site, in the caller. */
  file: string;
  line: number;
  /** Where the target is bound, for indirect kinds: `file:line text`. */
  evidence?: string;
}

export interface PathResult {
  nodes: NodeRef[];
  edges: EdgeRef[];
}

export interface PathsResult {
  paths: PathResult[];
}

/** A callees or callers tree. */
export interface TreeResult {
  direction: 'callees' | 'callers';
  function: NodeRef;
  root: TreeItem;
}

export interface TreeItem {
  node: NodeRef;
  /** The call linking this item to its parent (absent at the root). */
  edge?: EdgeRef;
  children: TreeItem[];
  repeat?: 'shown' | 'recursive';
}

export interface StatsResult {
  files: number;
  filesWithParseErrors: number;
  /** Functions defined in the indexed files. */
  functions: number;
  macros: number;
  /** Functions called by name but defined in no indexed file (external nodes; compiler builtins are not counted). */
  external: number;
  /** Direct: by name; indirect: through a member, array element or pointer; throughParameter: a callback parameter called. */
  callSites: { total: number; direct: number; indirect: number; throughParameter: number };
  edges: Record<string, number>;
  indirect: {
    resolved: number;
    unresolved: number;
    /** Resolved indirect sites by the strongest kind that bound them (callback-arg edges sit on direct sites: see edges). */
    byKind: Record<string, number>;
    /** Targets per resolved indirect site. */
    targetsPerSite: { median: number; p90: number; max: number };
  };
}

/** Why an edge exists, or what stood in the way. */
export interface Explanation {
  caller: string;
  callee: string;
  /** Every call site in the caller that reaches the callee, with kind and evidence. */
  edges: EdgeRef[];
  /** Indirect call sites in the caller that bound no target (one of them may be the missing step). */
  unresolved: { file: string; line: number; call: string }[];
}
