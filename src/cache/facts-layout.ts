import { FACTS_PER_FRAME } from './index-cache.js';

/**
 * Which facts frame of the facts cache file holds each file. A full index writes FACTS_PER_FRAME
 * files a frame, in manifest order; a patch that adds or removes files (renumber-files.ts) puts
 * an added file into the frame of its neighbour and takes a removed one out of its frame, so that
 * only those frames are encoded again and the others are copied as stored. The frames then hold
 * uneven counts: GraphPayload.factsFrames keeps where each starts.
 */
export class FactsLayout {
  private constructor(
    /** Manifest position of the first file of each frame, then the file count; null: FACTS_PER_FRAME files a frame. */
    private readonly starts: Int32Array | null,
  ) {}

  /** The layout of GraphPayload.factsFrames (absent: the even one a full index writes). Throws on starts that do not ascend from 0. */
  static of(starts: Int32Array | undefined): FactsLayout {
    if (!starts) return new FactsLayout(null);
    if (starts.length < 1 || starts[0] !== 0 || starts.some((s, i) => i > 0 && s < starts[i - 1]!)) throw new Error('not a facts layout');
    return new FactsLayout(starts);
  }

  /** The layout from the file count of each frame, in frame order. */
  static fromCounts(counts: number[]): FactsLayout {
    const starts = new Int32Array(counts.length + 1);
    counts.forEach((n, k) => (starts[k + 1] = starts[k]! + n));
    return new FactsLayout(starts);
  }

  /** GraphPayload.factsFrames for this layout (undefined for the even one). */
  get saved(): Int32Array | undefined {
    return this.starts ?? undefined;
  }

  /** The frame number (1-based: frame 0 is the manifest) holding the file at manifest position `at`. */
  frame(at: number): number {
    const s = this.starts;
    if (!s) return 1 + Math.floor(at / FACTS_PER_FRAME);
    // The last start not above `at`, skipping empty frames.
    let lo = 0;
    let hi = s.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return 1 + lo;
  }

  /** The position of the file at `at` within its frame. */
  slot(at: number): number {
    return this.starts ? at - this.starts[this.frame(at) - 1]! : at % FACTS_PER_FRAME;
  }
}
