import { IntList } from '../util/int-list.js';

/** Where an indirect edge's target is bound: shown next to the edge. */
export interface Evidence {
  file: string;
  line: number;
  /** One-line description: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
  text: string;
}

/**
 * Every resolved edge, one per (call site, target), in flat arrays.
 * `site` is the index of the call in the caller's `calls`; -1 for edges with no call site.
 */
export class EdgeList {
  readonly from = new IntList();
  readonly to = new IntList();
  readonly kind = new IntList();
  readonly site = new IntList();
  /** Index into `evidence`, or -1. */
  readonly proof = new IntList();
  readonly evidence: Evidence[] = [];

  add(from: number, to: number, kind: number, site: number, evidence?: Evidence | number): void {
    this.from.push(from);
    this.to.push(to);
    this.kind.push(kind);
    this.site.push(site);
    if (evidence === undefined) this.proof.push(-1);
    else if (typeof evidence === 'number') this.proof.push(evidence);
    else {
      this.proof.push(this.evidence.length);
      this.evidence.push(evidence);
    }
  }

  addEvidence(e: Evidence): number {
    this.evidence.push(e);
    return this.evidence.length - 1;
  }

  get length(): number {
    return this.from.length;
  }
}
