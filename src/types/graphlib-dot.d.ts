/** The part of graphlib-dot (no types of its own) pathfind and its tests use: DOT text to a graphlib graph (src/check/read-dot.ts reads diagrams with it). */
declare module 'graphlib-dot' {
  interface Edge {
    v: string;
    w: string;
  }
  interface Graph {
    nodes(): string[];
    node(id: string): Record<string, string> | undefined;
    edges(): Edge[];
    edge(e: Edge): Record<string, string> | undefined;
    children(id?: string): string[];
    /** The subgraph holding a node or subgraph (graphlib-dot's graphs are compound), undefined at the top. */
    parent(id: string): string | undefined;
    graph(): Record<string, string>;
    isDirected(): boolean;
  }
  const dot: { read(text: string): Graph; readMany(text: string): Graph[] };
  export default dot;
}
