/**
 * An EdgeList's per-edge columns as plain rows (split from edge-list.ts): the columns a copy of an
 * edge row, or a resize, touches, made anew or copied row by row by the patches (patch-bindings.ts,
 * patch-fallback.ts, edge-splice.ts) and the external edges of a patched graph.
 */
import type { EdgeColumn, EdgeSnapshot } from './edge-list.js';
import { sharedLike } from '../util/shared-arrays.js';
import { IntList } from '../util/int-list.js';

/** The per-edge columns of an EdgeSnapshot: what a copy of an edge row, or a resize, touches. */
export type EdgeRows = Pick<EdgeSnapshot, 'from' | 'to' | 'kind' | 'line' | 'proof' | 'deferred' | 'bind' | 'site'>;

/** The names of EdgeRows' columns, `site` last (absent when a snapshot keeps no call sites). */
export const EDGE_ROW_COLUMNS = ['from', 'to', 'kind', 'line', 'proof', 'deferred', 'bind', 'site'] as const;

/**
 * The per-edge columns of `edges` made anew for `length` rows, each of its type, zeroed (`site` only when `edges` has it).
 * In shared memory: a worker thread writing a patched graph to the cache is handed them without a copy (cache/write-behind.ts).
 */
export function emptyEdgeRows(edges: EdgeRows, length: number): EdgeRows {
  const make = <T extends Int32Array | Uint8Array>(a: T): T => sharedLike(a, length);
  return { from: make(edges.from), to: make(edges.to), kind: make(edges.kind), line: make(edges.line), proof: make(edges.proof), deferred: make(edges.deferred), bind: make(edges.bind), ...(edges.site ? { site: make(edges.site) } : {}) };
}

/**
 * Copies edge row `e` of `src` to row `k` of `dst`, every column; `bind` is 0 when `src` has
 * none (an edge made anew: its BindFlag bits are those of a call site by name only), `site` is
 * copied when `dst` has it.
 */
export function copyEdgeRow(src: { [C in Exclude<keyof EdgeRows, 'bind'>]?: ArrayLike<number> } & { bind?: ArrayLike<number> }, e: number, dst: EdgeRows, k: number): void {
  dst.from[k] = src.from![e]!;
  dst.to[k] = src.to![e]!;
  dst.kind[k] = src.kind![e]!;
  dst.line[k] = src.line![e]!;
  dst.proof[k] = src.proof![e]!;
  dst.deferred[k] = src.deferred![e]!;
  dst.bind[k] = src.bind?.[e] ?? 0;
  if (dst.site) dst.site[k] = src.site![e]!;
}

/**
 * An empty column of a resolved EdgeList, kept as narrow as its values let it be (IntList.narrow):
 * a kernel's four million edges in 8-bit kinds, flags and deferred marks and 16-bit lines and
 * sites (a column widens itself at its first value out of range), from, to and proof in 32.
 */
export function freshColumn(name: EdgeColumn): IntList {
  if (name === 'kind' || name === 'deferred' || name === 'bind') return IntList.narrow('u8');
  if (name === 'line') return IntList.narrow('u16');
  return name === 'site' ? IntList.narrow('i16') : new IntList();
}
