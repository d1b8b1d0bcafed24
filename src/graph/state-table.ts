/**
 * Per-state bookkeeping of a path search: best cost, predecessor and edge, settled flag.
 * Flat typed arrays when the state space is small enough (the usual query: one state per
 * node), maps otherwise (many via stages times a depth bound).
 */
export interface StateTable {
  cost(k: number): number;
  /** Records a better cost for k, reached from state `prev` through `edge`. */
  improve(k: number, cost: number, prev: number, edge: number): void;
  prev(k: number): number;
  edge(k: number): number;
  /** Marks k settled; false when it already was. */
  settle(k: number): boolean;
  /** Forgets every state, so that the table serves another search (cheaper than a new table: only the states touched are cleared). */
  reset(): void;
}

const ARRAY_LIMIT = 1 << 23;

class ArrayStates implements StateTable {
  private readonly costs: Float64Array;
  private readonly prevs: Int32Array;
  private readonly edges: Int32Array;
  private readonly settled: Uint8Array;
  /** States given a cost since the last reset. */
  private touched: number[] = [];

  constructor(size: number) {
    this.costs = new Float64Array(size).fill(Infinity);
    this.prevs = new Int32Array(size).fill(-1);
    this.edges = new Int32Array(size);
    this.settled = new Uint8Array(size);
  }

  cost(k: number): number {
    return this.costs[k]!;
  }

  improve(k: number, cost: number, prev: number, edge: number): void {
    if (this.costs[k] === Infinity) this.touched.push(k);
    this.costs[k] = cost;
    this.prevs[k] = prev;
    this.edges[k] = edge;
  }

  prev(k: number): number {
    return this.prevs[k]!;
  }

  edge(k: number): number {
    return this.edges[k]!;
  }

  settle(k: number): boolean {
    if (this.settled[k]) return false;
    this.settled[k] = 1;
    return true;
  }

  reset(): void {
    for (const k of this.touched) {
      this.costs[k] = Infinity;
      this.prevs[k] = -1;
      this.settled[k] = 0;
    }
    this.touched = [];
  }
}

class MapStates implements StateTable {
  private readonly costs = new Map<number, number>();
  private readonly back = new Map<number, [prev: number, edge: number]>();
  private readonly settled = new Set<number>();

  cost(k: number): number {
    return this.costs.get(k) ?? Infinity;
  }

  improve(k: number, cost: number, prev: number, edge: number): void {
    this.costs.set(k, cost);
    this.back.set(k, [prev, edge]);
  }

  prev(k: number): number {
    return this.back.get(k)?.[0] ?? -1;
  }

  edge(k: number): number {
    return this.back.get(k)?.[1] ?? -1;
  }

  settle(k: number): boolean {
    if (this.settled.has(k)) return false;
    this.settled.add(k);
    return true;
  }

  reset(): void {
    this.costs.clear();
    this.back.clear();
    this.settled.clear();
  }
}

export function stateTable(size: number): StateTable {
  return size <= ARRAY_LIMIT ? new ArrayStates(size) : new MapStates();
}
