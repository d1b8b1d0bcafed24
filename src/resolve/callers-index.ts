import type { CodeIndex } from '../index/code-index.js';
import { isExpansionEdge } from './bind-expansion.js';
import type { EdgeList } from './edge-list.js';

const NONE = new Int32Array(0);

/**
 * The direct edges into each node (who calls a function, at which site), as two flat columns:
 * for node n, the edge ids `edges[start[n] .. start[n + 1])`, ascending.
 *
 * Why flat: a kernel's index (some 3.5 million edges into 600,000 nodes) held as a Map of arrays
 * was 89 MB of heap (Linux 6.1 x86, measured with forced collections where the callbacks are
 * bound), alive across the parameter stores, the flows, the copies' settling and the callbacks,
 * where the heap is largest; the columns are some 16 MB, outside the heap.
 */
export class CallersIndex {
  private constructor(
    private readonly start: Int32Array,
    private readonly edges: Int32Array,
  ) {}

  /**
   * Indexes the edges of `direct` as they are now (edges added later are not in it), but those
   * through a macro's body, which pass the macro call's arguments, not the callee's (bind-expansion.ts).
   */
  static of(index: CodeIndex, direct: EdgeList): CallersIndex {
    const n = direct.length;
    const kept = new Int32Array(n);
    let count = 0;
    let nodes = 0;
    for (let e = 0; e < n; e++) {
      const to = direct.to.get(e);
      if (isExpansionEdge(index, direct.from.get(e), to, direct.kind.get(e), direct.bindFlags(e))) continue;
      kept[count++] = e;
      if (to >= nodes) nodes = to + 1;
    }
    const start = new Int32Array(nodes + 1);
    for (let i = 0; i < count; i++) start[direct.to.get(kept[i]!) + 1]!++;
    for (let v = 0; v < nodes; v++) start[v + 1]! += start[v]!;
    const edges = new Int32Array(count);
    const fill = start.slice(0, nodes);
    // Edge ids go in ascending order into each node's run, as they were pushed into the lists before.
    for (let i = 0; i < count; i++) edges[fill[direct.to.get(kept[i]!)]!++] = kept[i]!;
    return new CallersIndex(start, edges);
  }

  /** The ids of the direct edges into `node`, ascending (a view: not to be changed); empty for none. */
  of(node: number): Int32Array {
    return node + 1 < this.start.length ? this.edges.subarray(this.start[node]!, this.start[node + 1]!) : NONE;
  }
}
