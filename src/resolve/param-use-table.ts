import { PARAM_SPAN, type ParamUseKind, unpackParamUse } from './propagate-params.js';

/**
 * The parameters functions are followed into (EdgeList.paramUses: [node, packed ParamUseTag]
 * pairs), as node * PARAM_SPAN + param keys, each with its kinds and their least depths, and the
 * changes a graph patch makes to them (patch-graph.ts). Each key is read from the cached pairs when
 * it is first asked for, through the pairs grouped by node (a counting sort of their places, made
 * when first needed): a kernel's whole table of Maps took 40 to 50 ms to build, for the few keys an
 * added call asks (a patch that renumbers nodes makes two GraphPatches), and a patch whose calls
 * pass nothing never reads it.
 */
export class ParamUseTable {
  /** The keys read so far from the cached pairs, with the patch's own changes. */
  private readonly table = new Map<number, Map<ParamUseKind, number>>();
  /** The keys whose cached pairs were read (each when first asked for). */
  private readonly read = new Set<number>();
  /** The cached pairs, and the pairs of each node: pair order[k] for k from start[node] to start[node + 1] (nodes past `start` have none). */
  private grouped: { start: Int32Array; order: Int32Array } | null = null;

  /** `pairs`: the cached graph's EdgeList.paramUses, undefined when it does not keep them (an older cache). */
  constructor(private readonly pairs: Int32Array | undefined) {}

  /** Whether the cached graph says which parameters functions are followed into. */
  get known(): boolean {
    return this.pairs !== undefined;
  }

  /** The cached pairs grouped by node (see the class comment). */
  private groups(pairs: Int32Array): { start: Int32Array; order: Int32Array } {
    if (this.grouped) return this.grouped;
    const count = pairs.length >> 1;
    let nodes = 0;
    for (let i = 0; i < count; i++) nodes = Math.max(nodes, pairs[2 * i]! + 1);
    const start = new Int32Array(nodes + 1);
    for (let i = 0; i < count; i++) start[pairs[2 * i]! + 1]!++;
    for (let v = 0; v < nodes; v++) start[v + 1]! += start[v]!;
    const next = start.slice(0, nodes);
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[next[pairs[2 * i]!]!++] = i;
    return (this.grouped = { start, order });
  }

  /** The kinds of `key`, its cached pairs read first if they were not; made empty when `make` and absent; undefined without cached pairs. */
  private kindsOf(key: number, make: boolean): Map<ParamUseKind, number> | undefined {
    const { pairs, table } = this;
    if (!pairs) return undefined;
    if (!this.read.has(key)) {
      this.read.add(key);
      const { start, order } = this.groups(pairs);
      const node = Math.floor(key / PARAM_SPAN);
      const param = key - node * PARAM_SPAN;
      const end = node + 1 < start.length ? start[node + 1]! : 0;
      for (let k = node + 1 < start.length ? start[node]! : 0; k < end; k++) {
        const { param: p, kind, depth } = unpackParamUse(pairs[2 * order[k]! + 1]!);
        if (p !== param) continue;
        let kinds = table.get(key);
        if (!kinds) table.set(key, (kinds = new Map()));
        kinds.set(kind, Math.min(kinds.get(kind) ?? depth, depth));
      }
    }
    let kinds = table.get(key);
    if (!kinds && make) table.set(key, (kinds = new Map()));
    return kinds;
  }

  /** Notes that [node, param] is followed for `kind` at `depth` (a use the patch adds). Without cached pairs, nothing is noted. */
  add(node: number, param: number, kind: ParamUseKind, depth: number): void {
    const kinds = this.kindsOf(node * PARAM_SPAN + param, true);
    kinds?.set(kind, Math.min(kinds.get(kind) ?? depth, depth));
  }

  /** Notes that [node, param] is no longer followed for `kind`. */
  drop(node: number, param: number, kind: ParamUseKind): void {
    const kinds = this.kindsOf(node * PARAM_SPAN + param, false);
    kinds?.delete(kind);
    if (kinds?.size === 0) this.table.delete(node * PARAM_SPAN + param);
  }

  /** Why [node, param] is followed: each kind with its least depth; undefined when it is not (or the cache does not know). */
  of(node: number, param: number): ReadonlyMap<ParamUseKind, number> | undefined {
    return param < PARAM_SPAN ? this.kindsOf(node * PARAM_SPAN + param, false) : undefined;
  }
}
