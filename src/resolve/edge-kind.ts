/**
 * How an edge was found, strongest first. The order is the confidence order used by
 * `--min-confidence`; the weights make path search prefer exact matches over guesses.
 */
export const EDGE_KINDS = [
  'direct',
  'macro',
  'dispatch-table',
  'indirect-hint',
  'ops-initializer',
  'ops-assignment',
  'param-to-field',
  'callback-arg',
  'field-name',
  'signature',
] as const;

export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Path cost of one edge of each kind (same order as EDGE_KINDS). */
export const EDGE_WEIGHTS: readonly number[] = [1, 1, 1, 1.1, 1.2, 1.2, 1.3, 1.2, 4, 12];

export const kindId = (kind: EdgeKind): number => EDGE_KINDS.indexOf(kind);

/** Kinds that go through a pointer (everything but plain and macro calls). */
export const isIndirect = (kindIdx: number): boolean => kindIdx >= 2;
