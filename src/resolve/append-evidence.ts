import { type EdgeSnapshot, type Evidence, packEvidence, unpackEvidence } from './edge-list.js';
import { asciiBytesOf, setAsciiText } from '../util/text-bytes.js';
import { textSlicer } from '../util/text-slices.js';
import { appendedInPlace, sharedArray } from '../util/shared-arrays.js';

/** An Int32Array of `length` in shared memory (sharedArray). */
const sharedInt32 = (length: number): Int32Array => sharedArray(Int32Array, length);

/**
 * New evidence and evidence sets for a cached graph's edges (EdgeSnapshot), appended after the
 * ones it holds so that every id already given stays valid. `finish` writes them into the snapshot.
 */
export class EvidenceAppender {
  private readonly entries: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly sets: number[][] = [];
  private readonly setIds = new Map<string, number>();
  private readonly baseEntries: number;
  private readonly baseSets: number;

  constructor(private readonly edges: EdgeSnapshot) {
    this.baseEntries = edges.evidenceStart.length - 1;
    this.baseSets = edges.setStart.length - 1;
  }

  /** The evidence with id `id` among the snapshot's (those appended included). */
  at(id: number): Evidence {
    if (id >= this.baseEntries) return unpackEvidence(this.entries[id - this.baseEntries]!);
    const { evidenceStart } = this.edges;
    // Through the text's slice reader when it has one: a few evidence read do not make the whole text a string.
    this.slice ??= textSlicer(this.edges, 'evidenceText');
    return unpackEvidence(this.slice(evidenceStart[id]!, evidenceStart[id + 1]! - 1));
  }

  private slice: ((from: number, to: number) => string) | undefined;

  /** The id of an evidence appended here (made once), for the record of what shows it. */
  id(e: Evidence): number {
    const packed = packEvidence(e);
    let id = this.ids.get(packed);
    if (id === undefined) {
      id = this.baseEntries + this.entries.length;
      this.entries.push(packed);
      this.ids.set(packed, id);
    }
    return id;
  }

  /** The id of an evidence this patch appended (an edge it wrote shows it), else -1. */
  appended(e: Evidence): number {
    return this.ids.get(packEvidence(e)) ?? -1;
  }

  /** The id of a set of these evidence (made once here), -1 for none. */
  set(list: readonly Evidence[]): number {
    if (list.length === 0) return -1;
    const ids = [...new Set(list.map((e) => this.id(e)))].sort((a, b) => a - b);
    const key = ids.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.baseSets + this.sets.length;
      this.sets.push(ids);
      this.setIds.set(key, id);
    }
    return id;
  }

  /**
   * Writes the appended evidence and sets into the snapshot, the new offsets and sets in shared
   * memory. A text held as its ASCII bytes (util/text-bytes.ts) is appended to as bytes, when the
   * new entries are ASCII too: the string (tens of MB on a kernel) is never made, and the writer
   * of the patched graph takes the new bytes as they are (cache/column-handoff.ts handedBytes).
   */
  finish(): void {
    const { edges } = this;
    if (this.entries.length === 0 && this.sets.length === 0) return;
    const bytes = asciiBytesOf(edges, 'evidenceText');
    // The packed text ends without a newline after its last entry: each entry is followed by one.
    let length = bytes ? bytes.length : edges.evidenceText.length;
    let tail = '';
    const start = sharedInt32(this.baseEntries + this.entries.length + 1);
    start.set(edges.evidenceStart);
    for (const [k, entry] of this.entries.entries()) {
      const at = start[this.baseEntries + k]!;
      if (length < at) {
        tail += '\n';
        length++;
      }
      tail += entry;
      length += entry.length;
      start[this.baseEntries + k + 1] = at + entry.length + 1;
    }
    if (bytes && !/[^\x00-\x7f]/.test(tail)) {
      // Written after the text where it lies when its memory has room (cache/write-behind.ts textAhead makes it so), else into a copy.
      const grown = appendedInPlace(bytes, length - bytes.length);
      const out = grown ? Buffer.from(grown.buffer, grown.byteOffset, grown.length) : Buffer.from(new SharedArrayBuffer(length));
      if (!grown) out.set(bytes);
      out.write(tail, bytes.length, 'latin1');
      setAsciiText(edges, 'evidenceText', out);
    } else edges.evidenceText += tail;
    edges.evidenceStart = start;
    const items = this.sets.reduce((n, s) => n + s.length, 0);
    const setStart = sharedInt32(this.baseSets + this.sets.length + 1);
    setStart.set(edges.setStart);
    const setItems = sharedInt32(edges.setItems.length + items);
    setItems.set(edges.setItems);
    let at = edges.setItems.length;
    for (const [k, ids] of this.sets.entries()) {
      setItems.set(ids, at);
      at += ids.length;
      setStart[this.baseSets + k + 1] = at;
    }
    edges.setStart = setStart;
    edges.setItems = setItems;
  }
}
