/** The per-edge columns of an EdgeList. */
export type EdgeColumn = 'from' | 'to' | 'kind' | 'site' | 'line' | 'proof' | 'deferred' | 'bind';

/** An EdgeList as plain data, for the on-disk cache. */
export interface EdgeSnapshot {
  from: Int32Array;
  to: Int32Array;
  /** Kinds fit in a byte. */
  kind: Uint8Array;
  line: Int32Array;
  /** Per edge, its evidence set (an index of setStart), or -1. */
  proof: Int32Array;
  /** Evidence packed as `file\tline\ttext` lines in one string, starting at these offsets: one string loads far faster than many objects. */
  evidenceText: string;
  evidenceStart: Int32Array;
  /** Evidence sets in compressed rows: set s is the evidence ids setItems[setStart[s]..setStart[s+1]), ascending. */
  setStart: Int32Array;
  setItems: Int32Array;
  /** 1 for a deferred edge (see EdgeList.deferred), 0 otherwise. */
  deferred: Uint8Array;
  /** Per edge, the BindFlag bits of its call site by name (resolve/definition-scope.ts: config-dependent, no visible candidate); 0 for other edges. */
  bind: Uint8Array;
  /** EdgeList.paramUses; absent from caches written before it was kept. */
  paramUses?: Int32Array;
  /** EdgeList.site, per edge (a patch renumbers them for the edited bodies); absent when not every edge has one. */
  site?: Int32Array;
  /** EdgeList.overCap; absent from caches written before it was kept. */
  overCap?: Int32Array;
}
