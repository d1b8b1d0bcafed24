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

/**
 * The flat form: per state one byte `marks` (0: never given a cost since the last reset, 1: given
 * one, 2: settled) and a 16-byte record in one buffer, the cost (Float64, `costs[2k]`) then the
 * predecessor and edge (Int32, `links[4k + 2]` and `links[4k + 3]`). A relaxation reads the mark
 * (a small array, mostly in cache) and touches the record only of a state reached already, and an
 * improvement writes one record (one cache line) instead of three arrays. Nothing is filled: a
 * record is read only once its mark says it was written. Fields are public for the search's loop
 * (shortest-path.ts), which reads them directly.
 */
export class ArrayStates implements StateTable {
  readonly marks: Uint8Array;
  readonly costs: Float64Array;
  readonly links: Int32Array;
  /** States marked since the last reset: `touched[0..count-1]`. */
  private touched = new Int32Array(1024);
  count = 0;

  constructor(size: number) {
    this.marks = new Uint8Array(size);
    const buffer = new ArrayBuffer(size * 16);
    this.costs = new Float64Array(buffer);
    this.links = new Int32Array(buffer);
  }

  cost(k: number): number {
    return this.marks[k] === 0 ? Infinity : this.costs[2 * k]!;
  }

  improve(k: number, cost: number, prev: number, edge: number): void {
    if (this.marks[k] === 0) this.mark(k);
    this.costs[2 * k] = cost;
    this.links[4 * k + 2] = prev;
    this.links[4 * k + 3] = edge;
  }

  /** Marks k given a cost (its record is written next), remembering it for reset. */
  mark(k: number): void {
    this.marks[k] = 1;
    if (this.count === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.count++] = k;
  }

  prev(k: number): number {
    return this.marks[k] === 0 ? -1 : this.links[4 * k + 2]!;
  }

  edge(k: number): number {
    return this.marks[k] === 0 ? -1 : this.links[4 * k + 3]!;
  }

  settle(k: number): boolean {
    const mark = this.marks[k];
    if (mark === 2) return false;
    if (mark === 0) this.improve(k, Infinity, -1, -1);
    this.marks[k] = 2;
    return true;
  }

  reset(): void {
    const { marks, touched, count } = this;
    // Past an eighth of the states, one fill clears the marks faster than a store per state.
    if (count > marks.length >> 3) marks.fill(0);
    else for (let i = 0; i < count; i++) marks[touched[i]!] = 0;
    this.count = 0;
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
