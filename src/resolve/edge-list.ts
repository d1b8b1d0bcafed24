import { IntList } from '../util/int-list.js';

/** Where an indirect edge's target is bound: shown next to the edge. */
export interface Evidence {
  file: string;
  line: number;
  /** One-line description: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
  text: string;
}

/** An EdgeList as plain data, for the on-disk cache. */
export interface EdgeSnapshot {
  from: Int32Array;
  to: Int32Array;
  /** Kinds fit in a byte. */
  kind: Uint8Array;
  line: Int32Array;
  proof: Int32Array;
  evidence: Evidence[];
}

/**
 * Every resolved edge, one per (call site, target), in flat arrays.
 * `site` is the index of the call in the caller's `calls`; -1 for edges with no call site. Sites
 * refer to per-file facts, so a snapshot (the cached graph, loaded without facts) leaves them out.
 */
export class EdgeList {
  readonly from: IntList;
  readonly to: IntList;
  readonly kind: IntList;
  readonly site: IntList;
  /** Line of the call site in the caller's file. */
  readonly line: IntList;
  /** Index into `evidence`, or -1. */
  readonly proof: IntList;
  readonly evidence: Evidence[];

  constructor(snapshot?: EdgeSnapshot) {
    this.from = snapshot ? IntList.of(snapshot.from) : new IntList();
    this.to = snapshot ? IntList.of(snapshot.to) : new IntList();
    this.kind = snapshot ? IntList.of(Int32Array.from(snapshot.kind)) : new IntList();
    this.site = new IntList(snapshot ? 16 : 1024);
    this.line = snapshot ? IntList.of(snapshot.line) : new IntList();
    this.proof = snapshot ? IntList.of(snapshot.proof) : new IntList();
    this.evidence = snapshot ? snapshot.evidence : [];
  }

  snapshot(): EdgeSnapshot {
    const { from, to, kind, line, proof, evidence } = this;
    return { from: from.toArray(), to: to.toArray(), kind: Uint8Array.from(kind.view()), line: line.toArray(), proof: proof.toArray(), evidence };
  }

  add(from: number, to: number, kind: number, site: number, line: number, evidence?: Evidence | number): void {
    this.from.push(from);
    this.to.push(to);
    this.kind.push(kind);
    this.site.push(site);
    this.line.push(line);
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
