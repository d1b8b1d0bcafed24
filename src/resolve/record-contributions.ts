import type { EvidenceAppender } from './append-evidence.js';
import type { Evidence } from './edge-list.js';

/** The contributions a binding record holds while a patch brings it up to date (patch-bindings-record.ts NewRecord), and its one error. */

/** One binding a plain binding fact makes: its target, kind (EDGE_KINDS index) and evidence (read from the graph's on demand). */
export interface Contribution {
  target: number;
  kind: number;
  evidence: (appender: EvidenceAppender) => Evidence;
}

/** A contribution of an edited file's new facts, with the binding fact it comes from. */
export interface NewContribution extends Contribution {
  /** Index in after.bindings. */
  row: number;
  slot: number;
  root: number;
  /** The old binding it was paired with (plan-file-edit.ts), or -1. */
  from: number;
}

/** An edited file's contributions after the edit. */
export interface FileRows {
  file: number;
  cons: NewContribution[];
  /** The file's contributions in the old record: [first, end). */
  oldCons: [number, number];
}

/** Thrown when an evidence the record needs is not in the graph (it cannot happen for a slot some edge shows). */
export class MissingEvidence extends Error {}
