/**
 * Node ids by interned name, for an index built from facts (index/code-index.ts), without an
 * array for each name: most names designate one node, and a Map from name id to a one-element
 * array cost some 100 bytes a name (the Map's entry, the array and its backing store) where the
 * heap of a cold index is largest (resolve).
 *
 * Measured on net/ + include/ + arch/x86 of Linux 6.1 (96,289 nodes; a heap snapshot taken where
 * the resolution ends, after a full collection): the Map and its arrays held 9.1 MiB of a live heap
 * of 249 MiB. With this table (and the type model's member order and structs by field name held
 * without an array each: resolve/type-model.ts), a whole Linux 6.1 x86 tree's cold index
 * (bench/cold-memory.mjs, two runs each interleaved with the code before, 2 shared cores, load
 * 5 to 10): peak RSS 2,347 and 2,356 MiB (the second without byField's change) instead of
 * 2,429 and 2,440; live after a full collection in resolve 1,669 and 1,681 MiB instead of 1,756 and 1,758.
 */
export class NameNodes {
  /**
   * By name id: 0 when the name designates no node, n > 0 when it designates the one node n - 1,
   * n < 0 when it designates several, listed in `lists[-n - 1]` (ascending as added).
   */
  private heads = new Int32Array(1024);
  private readonly lists: number[][] = [];

  /** Adds node `node` under name id `name` (both non-negative integers). */
  add(name: number, node: number): void {
    if (name >= this.heads.length) {
      const grown = new Int32Array(Math.max(name + 1, this.heads.length * 2));
      grown.set(this.heads);
      this.heads = grown;
    }
    const head = this.heads[name]!;
    if (head === 0) this.heads[name] = node + 1;
    else if (head > 0) {
      this.lists.push([head - 1, node]);
      this.heads[name] = -this.lists.length;
    } else this.lists[-head - 1]!.push(node);
  }

  /** The nodes of name id `name`, in the order added (empty when none); the caller reads it and does not change it (a later add may). */
  nodes(name: number): number[] {
    const head = name < this.heads.length ? this.heads[name]! : 0;
    return head === 0 ? [] : head > 0 ? [head - 1] : this.lists[-head - 1]!;
  }

  /** How many nodes name id `name` designates. */
  count(name: number): number {
    const head = name < this.heads.length ? this.heads[name]! : 0;
    return head === 0 ? 0 : head > 0 ? 1 : this.lists[-head - 1]!.length;
  }

  /**
   * The table as rows for `names` name ids: the nodes of name id s are `nodes[start[s]..start[s + 1]]`
   * (IndexSnapshot.nameStart and .nameNodes).
   */
  rows(names: number): { start: Int32Array; nodes: Int32Array } {
    const start = new Int32Array(names + 1);
    for (let s = 0; s < names; s++) start[s + 1] = start[s]! + this.count(s);
    const nodes = new Int32Array(start[names]!);
    for (let s = 0; s < names; s++) {
      const head = s < this.heads.length ? this.heads[s]! : 0;
      if (head > 0) nodes[start[s]!] = head - 1;
      else if (head < 0) nodes.set(this.lists[-head - 1]!, start[s]!);
    }
    return { start, nodes };
  }
}
