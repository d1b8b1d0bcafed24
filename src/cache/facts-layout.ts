import { FACTS_PER_FRAME } from './index-cache.js';

/**
 * Which facts frame of the facts cache file holds each file. A full index writes FACTS_PER_FRAME
 * files a frame, in manifest order. A patch that adds or deletes files leaves the facts file as
 * it is: an added file has no place in it (its facts are in the graph's overlay: facts-overlay.ts),
 * a deleted one's place is skipped (the layout's `added` and `dropped`, GraphPayload.factsAdded
 * and factsDropped). When the facts file is written again for the files now, a frame takes the
 * added files that sort right after one of its files and loses the deleted ones, so that only
 * those frames are encoded again and the others are copied as stored: frames then hold uneven
 * counts, and GraphPayload.factsFrames keeps where each starts.
 */
export class FactsLayout {
  private constructor(
    /** Position in the facts file of the first file of each frame, then the file count; null: FACTS_PER_FRAME files a frame. */
    private readonly starts: Int32Array | null,
    /** Positions now (file ids) of files the facts file does not hold, ascending; null for none. */
    private readonly added: Int32Array | null = null,
    /** Positions in the facts file of files no longer in the tree, ascending; null for none. */
    private readonly dropped: Int32Array | null = null,
  ) {}

  /**
   * The layout of GraphPayload.factsFrames, factsAdded and factsDropped (absent: the even one a
   * full index writes, every file in its place). Throws on starts that do not ascend from 0, or
   * positions that do not ascend.
   */
  static of(starts: Int32Array | undefined, added?: Int32Array, dropped?: Int32Array): FactsLayout {
    const ascending = (a: Int32Array, strictly: boolean): boolean => a.every((s, i) => s >= 0 && (i === 0 || (strictly ? s > a[i - 1]! : s >= a[i - 1]!)));
    if (starts && (starts.length < 1 || starts[0] !== 0 || !ascending(starts, false))) throw new Error('not a facts layout');
    if ((added && !ascending(added, true)) || (dropped && !ascending(dropped, true))) throw new Error('not a facts layout');
    return new FactsLayout(starts ?? null, added?.length ? added : null, dropped?.length ? dropped : null);
  }

  /** The layout from the file count of each frame, in frame order, every file in its place. */
  static fromCounts(counts: number[]): FactsLayout {
    const starts = new Int32Array(counts.length + 1);
    counts.forEach((n, k) => (starts[k + 1] = starts[k]! + n));
    return new FactsLayout(starts);
  }

  /** GraphPayload.factsFrames for this layout (undefined for the even one). */
  get saved(): Int32Array | undefined {
    return this.starts ?? undefined;
  }

  /** GraphPayload.factsAdded and factsDropped for this layout (each undefined when empty). */
  get gaps(): { added: Int32Array | undefined; dropped: Int32Array | undefined } {
    return { added: this.added ?? undefined, dropped: this.dropped ?? undefined };
  }

  /** How many files were added or deleted since the facts file was written (their places are not in it). */
  get moves(): number {
    return (this.added?.length ?? 0) + (this.dropped?.length ?? 0);
  }

  /** How many files the facts file holds when `count` files are in the tree now. */
  storedCount(count: number): number {
    return count - (this.added?.length ?? 0) + (this.dropped?.length ?? 0);
  }

  /** The position in the facts file of the file at position `at` now, or -1 when the facts file does not hold it. */
  position(at: number): number {
    const { added, dropped } = this;
    if (!added && !dropped) return at;
    let before = 0;
    if (added) {
      for (; before < added.length && added[before]! <= at; before++) if (added[before] === at) return -1;
    }
    // The kept places in order: the (at - before)-th place of the facts file not dropped.
    let p = at - before;
    if (dropped) for (let i = 0; i < dropped.length && dropped[i]! <= p; i++) p++;
    return p;
  }

  /** The frame number (1-based: frame 0 is the manifest) holding the file at position `at` now, or -1 when none does. */
  frame(at: number): number {
    const p = this.position(at);
    return p < 0 ? -1 : this.frameOf(p);
  }

  /** The position of the file at `at` now within its frame (-1 when no frame holds it). */
  slot(at: number): number {
    const p = this.position(at);
    if (p < 0) return -1;
    return this.starts ? p - this.starts[this.frameOf(p) - 1]! : p % FACTS_PER_FRAME;
  }

  /** The frame holding position `p` of the facts file. */
  frameOf(p: number): number {
    const s = this.starts;
    if (!s) return 1 + Math.floor(p / FACTS_PER_FRAME);
    // The last start not above `p`, skipping empty frames.
    let lo = 0;
    let hi = s.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= p) lo = mid;
      else hi = mid - 1;
    }
    return 1 + lo;
  }

  /**
   * The same facts file's layout after the tree's files changed: `newAt` maps each file of the
   * old positions (`oldAt`: position then, -1 for a file added) to its position now (-1 for one
   * deleted), both over the union of the files then and now (renumber-files.ts FileListChange);
   * `stored` is how many files the facts file holds.
   */
  movedBy(oldAt: Int32Array, newAt: Int32Array, stored: number): FactsLayout {
    const kept = new Uint8Array(stored);
    const added: number[] = [];
    for (let u = 0; u < oldAt.length; u++) {
      const now = newAt[u]!;
      if (now < 0) continue;
      const p = oldAt[u]! < 0 ? -1 : this.position(oldAt[u]!);
      if (p < 0) added.push(now);
      else kept[p] = 1;
    }
    const dropped: number[] = [];
    kept.forEach((k, p) => k === 0 && dropped.push(p));
    return new FactsLayout(this.starts, added.length ? Int32Array.from(added) : null, dropped.length ? Int32Array.from(dropped) : null);
  }
}
