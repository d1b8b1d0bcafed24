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

/** ArrayStates' flags per state: given a cost since the last reset, settled. */
const HAS_COST = 1;
const SETTLED = 2;

/**
 * The flat typed arrays. Costs, predecessors and edges are read only where a state's flags say it
 * has a cost, so the arrays are never filled: zeroed memory whose untouched pages cost nothing
 * (a search on a kernel touches some 46,000 states of 722,000; filling 12 MB cost more than the
 * rest of setting up the search).
 */
class ArrayStates implements StateTable {
  private readonly costs: Float64Array;
  private readonly prevs: Int32Array;
  private readonly edges: Int32Array;
  private readonly flags: Uint8Array;
  /** States given a cost since the last reset. */
  private touched: number[] = [];

  constructor(size: number) {
    this.costs = new Float64Array(size);
    this.prevs = new Int32Array(size);
    this.edges = new Int32Array(size);
    this.flags = new Uint8Array(size);
  }

  cost(k: number): number {
    return this.flags[k]! & HAS_COST ? this.costs[k]! : Infinity;
  }

  improve(k: number, cost: number, prev: number, edge: number): void {
    if (!(this.flags[k]! & HAS_COST)) {
      this.flags[k]! |= HAS_COST;
      this.touched.push(k);
    }
    this.costs[k] = cost;
    this.prevs[k] = prev;
    this.edges[k] = edge;
  }

  prev(k: number): number {
    return this.flags[k]! & HAS_COST ? this.prevs[k]! : -1;
  }

  edge(k: number): number {
    return this.edges[k]!;
  }

  settle(k: number): boolean {
    if (this.flags[k]! & SETTLED) return false;
    this.flags[k]! |= SETTLED;
    return true;
  }

  reset(): void {
    for (const k of this.touched) this.flags[k] = 0;
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
