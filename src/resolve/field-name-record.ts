import type { Binding } from './binding-table.js';
import type { Evidence } from './edge-list.js';

/**
 * The field-name fallback's part of the binding record (binding-record.ts): what a full resolution
 * read to bind the call sites through a member of an unknown struct by the member's name alone
 * (resolveIndirectSites, bind-indirect-sites.ts), kept so that an edit of the bindings of a member
 * of that name re-binds those sites (patch-field-names.ts) instead of resolving the tree again.
 * Such a site is bound by every function bound to any member of its name (BindingTable
 * forFieldName: each pair of a slot and a function in the order the table made it, merged by
 * function), narrowed to those that fit its arguments and capped (MAX_FALLBACK_TARGETS). The
 * plain bindings among them are the record's contribution rows already; what other phases added
 * (parameter stores, copies, flows) is kept here. On Linux 6.1 (x86, whole tree) some 500 call
 * sites read 266 member names by name. Strings are ids of the binding record's `strings`.
 */
export interface FieldNameRecord {
  /**
   * The call sites, FIELD_SITE_STRIDE ints each in resolution order: caller node, call site, member
   * name, the arguments' struct tags (FallbackFilter.argTags, '' for an unknown argument, as
   * joinTags writes them), flags (FIELD_SITE_HINTED: an indirect-call wrapper names candidates;
   * FIELD_SITE_DEFERRED: the profile defers the member).
   */
  sites: Int32Array;
  /**
   * Per member name read, the pairs of a slot of that name and a function that other phases than
   * plain bindings made or added evidence to, in the table's order of pairs: [slot, target node,
   * 1 when another phase made the pair (0: it added evidence to a plain binding's pair), end of its
   * evidence in `chain`] rows. Pairs other phases made come after every plain one (plain bindings
   * are all read first: collectBindings).
   */
  later: Int32Array;
  /** The evidence other phases added to each pair of `later`: ids among the edges' evidence, -1 when no edge shows one. */
  chain: Int32Array;
}

/** Ints per call site of FieldNameRecord.sites. */
export const FIELD_SITE_STRIDE = 5;
/** FieldNameRecord.sites flags. */
export const FIELD_SITE_HINTED = 1;
export const FIELD_SITE_DEFERRED = 2;
/** Ints per row of FieldNameRecord.later. */
export const FIELD_LATER_STRIDE = 4;

/** A call site's argument tags as FieldNameRecord.sites keeps them: each followed by \u0003 (struct tags hold none), so that no argument and one unknown differ. */
export const joinTags = (tags: readonly string[]): string => tags.map((t) => `${t}\u0003`).join('');
/** A call site's argument tags from their joinTags text. */
export const splitTags = (text: string): string[] => text.split('\u0003').slice(0, -1);

/** What the binding table tells the recorder of one member name: its pairs in order, with the slot each is of. */
export type FieldPairs = { slot: string; binding: Binding }[];

/** The binding record's contribution rows as its recorder holds them: slot string id, target and evidence per plain binding made. */
export interface PlainRows {
  slot: readonly number[];
  target: readonly number[];
  evidence: readonly Evidence[];
}

const sameEvidence = (a: Evidence, b: Evidence): boolean => a.file === b.file && a.line === b.line && a.text === b.text;

/**
 * Collects a FieldNameRecord while resolveIndirectSites runs (BindingRecorder holds one).
 * `id` interns a string in the binding record's table, `known` finds one there; `plain` are the
 * record's contribution rows, complete by then.
 */
export class FieldNameRecorder {
  private readonly sites: number[] = [];
  private readonly rows: number[] = [];
  private readonly evidence: Evidence[] = [];
  private readonly read = new Set<string>();
  /** The contribution rows of each slot id: the first in `head`, the next of each in `next` (-1 ends). */
  private bySlot: { head: Map<number, number>; next: Int32Array } | null = null;

  constructor(
    private readonly id: (s: string) => number,
    private readonly known: (s: string) => number | undefined,
    private readonly plain: PlainRows,
  ) {}

  /** How many distinct evidence the plain bindings gave the pair of `slot` and `target` (as BindingTable.add keeps them): 0 when none made it. */
  private plainEvidence(slot: string, target: number): number {
    const id = this.known(slot);
    if (id === undefined) return 0;
    const { plain } = this;
    if (!this.bySlot) {
      const head = new Map<number, number>();
      const next = new Int32Array(plain.slot.length).fill(-1);
      for (let r = 0; r < plain.slot.length; r++) {
        next[r] = head.get(plain.slot[r]!) ?? -1;
        head.set(plain.slot[r]!, r);
      }
      this.bySlot = { head, next };
    }
    const seen: Evidence[] = [];
    for (let r = this.bySlot.head.get(id) ?? -1; r >= 0; r = this.bySlot.next[r]!) {
      if (plain.target[r] === target && !seen.some((e) => sameEvidence(e, plain.evidence[r]!))) seen.push(plain.evidence[r]!);
    }
    return seen.length;
  }

  /** A call site bound by member `field` alone; `pairs` is asked once per name. */
  site(node: number, site: number, field: string, tags: readonly string[], flags: number, pairs: () => FieldPairs): void {
    this.sites.push(node, site, this.id(field), this.id(joinTags(tags)), flags);
    if (this.read.has(field)) return;
    this.read.add(field);
    for (const { slot, binding } of pairs()) {
      const plain = this.plainEvidence(slot, binding.target);
      if (plain >= binding.evidence.length && plain > 0) continue;
      this.evidence.push(...binding.evidence.slice(plain));
      this.rows.push(this.id(slot), binding.target, plain === 0 ? 1 : 0, this.evidence.length);
    }
  }

  /** The record, each evidence as its id among the edges' (`evidenceId`, -1 for none). */
  snapshot(evidenceId: (e: Evidence) => number): FieldNameRecord {
    return { sites: Int32Array.from(this.sites), later: Int32Array.from(this.rows), chain: Int32Array.from(this.evidence, evidenceId) };
  }
}
