import { IntList } from '../util/int-list.js';

/** Where an indirect edge's target is bound: shown next to the edge. */
export interface Evidence {
  file: string;
  line: number;
  /** One-line description: `.sendmsg = inet_sendmsg in struct proto_ops inet_stream_ops`. */
  text: string;
}

/** One evidence as a line of the packed evidence text: `file\tline\ttext`. */
export const packEvidence = (e: Evidence): string => `${e.file}\t${e.line}\t${e.text.replace(/[\t\n]/g, ' ')}`;

/** The evidence of one packed line (without its newline). */
export function unpackEvidence(packed: string): Evidence {
  const [file, line, ...rest] = packed.split('\t');
  return { file: file!, line: Number(line), text: rest.join('\t') };
}

/** An EdgeList as plain data, for the on-disk cache. */
export interface EdgeSnapshot {
  from: Int32Array;
  to: Int32Array;
  /** Kinds fit in a byte. */
  kind: Uint8Array;
  line: Int32Array;
  proof: Int32Array;
  /** Evidence packed as `file\tline\ttext` lines in one string, starting at these offsets: one string loads far faster than many objects. */
  evidenceText: string;
  evidenceStart: Int32Array;
  /** 1 for a deferred edge (see EdgeList.deferred), 0 otherwise. */
  deferred: Uint8Array;
  /** EdgeList.paramUses; absent from caches written before it was kept. */
  paramUses?: Int32Array;
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
  /** Index into the evidence table, or -1. */
  readonly proof: IntList;
  /**
   * 1 when the edge hands work to another context (its call site is one of the profile's
   * deferredCalls: a softirq, tasklet, workqueue, RCU or IRQ dispatcher), 0 otherwise.
   */
  readonly deferred: IntList;
  private readonly evidence: Evidence[] = [];
  /** Each evidence object once, however many edges it proves. */
  private readonly evidenceIds = new Map<Evidence, number>();
  private readonly packed: { text: string; start: Int32Array } | null;
  /**
   * Parameters that functions passed as arguments are followed into, as flat [node, param]
   * pairs: stored or called by the function, or passed on to such a parameter. A new call that
   * passes nothing into these makes no edge but its own (what an incremental re-index checks).
   * Null when unknown (a cache written before they were kept).
   */
  paramUses: Int32Array | null;

  constructor(snapshot?: EdgeSnapshot) {
    this.from = snapshot ? IntList.of(snapshot.from) : new IntList();
    this.to = snapshot ? IntList.of(snapshot.to) : new IntList();
    this.kind = snapshot ? IntList.of(Int32Array.from(snapshot.kind)) : new IntList();
    this.site = new IntList(snapshot ? 16 : 1024);
    this.line = snapshot ? IntList.of(snapshot.line) : new IntList();
    this.proof = snapshot ? IntList.of(snapshot.proof) : new IntList();
    this.deferred = snapshot ? IntList.of(Int32Array.from(snapshot.deferred)) : new IntList();
    this.packed = snapshot ? { text: snapshot.evidenceText, start: snapshot.evidenceStart } : null;
    this.paramUses = snapshot?.paramUses ?? null;
  }

  snapshot(): EdgeSnapshot {
    const { from, to, kind, line, proof } = this;
    const lines = this.evidence.map(packEvidence);
    const evidenceStart = new Int32Array(lines.length + 1);
    lines.forEach((l, i) => {
      evidenceStart[i + 1] = evidenceStart[i]! + l.length + 1;
    });
    return { from: from.toArray(), to: to.toArray(), kind: Uint8Array.from(kind.view()), line: line.toArray(), proof: proof.toArray(), deferred: Uint8Array.from(this.deferred.view()), evidenceText: lines.join('\n'), evidenceStart, ...(this.paramUses ? { paramUses: this.paramUses } : {}) };
  }

  /** The evidence at an index of `proof`. */
  evidenceAt(i: number): Evidence {
    if (!this.packed) return this.evidence[i]!;
    const { text, start } = this.packed;
    return unpackEvidence(text.slice(start[i]!, start[i + 1]! - 1));
  }

  add(from: number, to: number, kind: number, site: number, line: number, evidence?: Evidence | number): void {
    this.from.push(from);
    this.to.push(to);
    this.kind.push(kind);
    this.site.push(site);
    this.line.push(line);
    this.deferred.push(0);
    if (evidence === undefined) this.proof.push(-1);
    else if (typeof evidence === 'number') this.proof.push(evidence);
    else this.proof.push(this.addEvidence(evidence));
  }

  /** Marks the edges first..end-1 deferred (the edges of one call site, added together). */
  markDeferred(first: number, end: number): void {
    for (let e = first; e < end; e++) this.deferred.set(e, 1);
  }

  isDeferred(edge: number): boolean {
    return this.deferred.get(edge) === 1;
  }

  addEvidence(e: Evidence): number {
    let id = this.evidenceIds.get(e);
    if (id === undefined) {
      id = this.evidence.length;
      this.evidence.push(e);
      this.evidenceIds.set(e, id);
    }
    return id;
  }

  get length(): number {
    return this.from.length;
  }
}
