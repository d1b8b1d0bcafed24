import type { KeptBeside } from '../cache/open-index.js';
import { readKept, writeKept } from '../cache/kept-beside.js';

/**
 * What a path answer reads back from the source for its pointer steps (api/pointer-calls.ts): the
 * called expression of a pointer call (`file->f_op->write`) and the name of the call taking a
 * callback, by caller node and line. Kept beside the graph cache (`KEY.texts`, kept-beside.ts)
 * for the very graph they were read for, so that a later query printing the same steps reads no
 * source file: scanning fs/read_write.c again for one column took a warm kernel query 50-130 ms.
 * Valid only with that graph (its node ids) and the tree's files as they were listed when the texts
 * were read (KeptBeside.listing: a patch that leaves the graph as it was keeps its identity, while
 * the edited file's text may have changed); without a listing's digest nothing is kept or read.
 */

/** Bumped when what is kept changes, or how it is read (2: a member called on what a call returns, parse/call-text.ts). */
const TEXTS_VERSION = 2;

/** A text looked for and not found is kept as null: the next query does not look again. */
type Kept = { listing: string; texts: [key: string, text: string | null][] };

const isKept = (v: unknown): v is Kept => {
  const k = v as Kept;
  return typeof k === 'object' && k !== null && typeof k.listing === 'string' && Array.isArray(k.texts) && k.texts.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && (typeof e[1] === 'string' || e[1] === null));
};

/**
 * The call texts of one graph: those kept beside its cache file (read when first asked for), and
 * those read from the source since, written beside it once it may be (keepBeside) and after the
 * current task (a query's answer out first).
 */
export class CallTexts {
  private texts: Map<string, string | null> | null = null;
  /** Texts learned since they were read or written. */
  private fresh = 0;
  private writable = false;
  private due = false;

  /** `beside`: where the texts of this graph are kept (null: none are, as for an index export). */
  constructor(private beside: KeptBeside | null = null) {}

  /** The text kept under `key`: a string, null (looked for, none), or undefined (not known yet). */
  get(key: string): string | null | undefined {
    return this.table().get(key);
  }

  /** Every text known (kept or read since), as [key, text]. */
  entries(): [key: string, text: string | null][] {
    return [...this.table()];
  }

  /** Remembers the text read under `key` (null: none), written beside the graph once it may be. */
  learn(key: string, text: string | null): void {
    this.table().set(key, text);
    this.fresh++;
    this.writeSoon();
  }

  /**
   * Lets what is learned be written beside the graph file `beside` names, which must be the graph
   * these texts are of (the graph used as stored, or the one this open wrote): the texts read
   * while it was not known to hold (a query answered ahead while the tree was listed) are then
   * kept too. Another graph's texts are dropped first.
   */
  keepBeside(beside: KeptBeside): void {
    const same = this.beside?.base === beside.base && this.beside.identity === beside.identity;
    if (!same || (this.beside!.listing !== undefined && this.beside!.listing !== beside.listing)) {
      this.texts = null;
      this.fresh = 0;
    } else if (this.beside!.listing === undefined && this.texts && beside.listing !== undefined) {
      // Read before the listing was known (none kept for the graph then), from the tree now listed as `beside.listing`: added to those kept under it.
      const kept = readKept(beside, 'texts', TEXTS_VERSION, isKept);
      if (kept && kept.listing === beside.listing) for (const [key, text] of kept.texts) if (!this.texts.has(key)) this.texts.set(key, text);
    }
    this.beside = beside;
    this.writable = true;
    this.writeSoon();
  }

  private table(): Map<string, string | null> {
    if (!this.texts) {
      const kept = this.beside?.listing !== undefined ? readKept(this.beside, 'texts', TEXTS_VERSION, isKept) : null;
      this.texts = new Map(kept && kept.listing === this.beside!.listing ? kept.texts : []);
    }
    return this.texts;
  }

  private writeSoon(): void {
    if (!this.writable || this.fresh === 0 || this.due) return;
    this.due = true;
    setImmediate(() => this.write());
  }

  /** Writes the texts now when some were learned since they were read or written (also done soon after learn, once writable). */
  write(): void {
    this.due = false;
    if (!this.writable || this.fresh === 0 || this.beside?.listing === undefined || !this.texts) return;
    // Sorted by key: the same texts make the same file.
    writeKept(this.beside, 'texts', TEXTS_VERSION, { listing: this.beside.listing, texts: [...this.texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) });
    this.fresh = 0;
  }
}
