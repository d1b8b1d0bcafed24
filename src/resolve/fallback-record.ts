/**
 * The signature fallback's part of the binding record, for patching the functions that join or
 * leave those whose address is taken (patch-fallback.ts). Columns, so that the graph file stores
 * each in its narrowest integer type. Strings are ids into its own `strings`.
 */
export interface FallbackRecord {
  /**
   * The call sites that took the signature fallback and could list a function (fallback-query.ts),
   * in resolution order: caller node, call site, query, and the evidence's wording (`its base types agree with ...`).
   */
  node: Int32Array;
  site: Int32Array;
  query: Int32Array;
  how: Int32Array;
  /** Indexes (into the site columns) of the sites whose edges are deferred. */
  deferred: Int32Array;
  /** Its string table (queries, wordings, type names and tags), joined as BindingRecordSnapshot.strings is (read it with recordStrings). */
  strings: string;
  /** Functions whose address is taken other than by a plain binding (a copy, a store, an argument, a pointer variable, a registration...): ascending node ids, each as its difference from the one before. */
  takenOtherwise: Int32Array;
  /** Variadic functions whose address is taken (the agreement fallback lists them after the others), as takenOtherwise. */
  takenVariadic: Int32Array;
  /** Every base type the fallback read and its struct tag ('' for none): [type, tag] string id pairs. */
  typeTags: Int32Array;
}

/** Fields of one fallback site in the flat arrays the patch works on (FALLBACK_STRIDE per site): node, site, query id, wording id, deferred 0/1. */
export const FALLBACK_STRIDE = 5;

/** Ascending ids as differences from the one before (the first from 0), and back. */
export const toDeltas = (ids: Int32Array): Int32Array => ids.map((n, i) => (i ? n - ids[i - 1]! : n));
export const fromDeltas = (deltas: Int32Array): Int32Array => {
  const out = new Int32Array(deltas.length);
  for (let i = 0, at = 0; i < deltas.length; i++) out[i] = at += deltas[i]!;
  return out;
};

/** The sites of a FallbackRecord as flat FALLBACK_STRIDE tuples. */
export function fallbackSites(f: FallbackRecord): Int32Array {
  const out = new Int32Array(f.node.length * FALLBACK_STRIDE);
  for (let i = 0; i < f.node.length; i++) out.set([f.node[i]!, f.site[i]!, f.query[i]!, f.how[i]!, 0], i * FALLBACK_STRIDE);
  for (const i of f.deferred) out[i * FALLBACK_STRIDE + 4] = 1;
  return out;
}

/** A FallbackRecord of flat FALLBACK_STRIDE site tuples and ascending node id lists (the rest as given). */
export function packFallback(sites: Int32Array, takenOtherwise: Int32Array, takenVariadic: Int32Array, rest: { strings: string; typeTags: Int32Array }): FallbackRecord {
  const count = sites.length / FALLBACK_STRIDE;
  const column = (k: number): Int32Array => Int32Array.from({ length: count }, (_, i) => sites[i * FALLBACK_STRIDE + k]!);
  const deferred: number[] = [];
  for (let i = 0; i < count; i++) if (sites[i * FALLBACK_STRIDE + 4]) deferred.push(i);
  return { node: column(0), site: column(1), query: column(2), how: column(3), deferred: Int32Array.from(deferred), strings: rest.strings, takenOtherwise: toDeltas(takenOtherwise), takenVariadic: toDeltas(takenVariadic), typeTags: rest.typeTags };
}
