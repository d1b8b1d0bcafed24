import { type EdgeSnapshot, type Evidence, packEvidence, unpackEvidence } from './edge-list.js';
import { asciiBytesOf, setAsciiText } from '../util/text-bytes.js';
import { textSlicer } from '../util/text-slices.js';
import { appendedInPlace, sharedArray, sharedBytesWithRoom } from '../util/shared-arrays.js';

/** An Int32Array of `length` in shared memory (sharedArray). */
const sharedInt32 = (length: number): Int32Array => sharedArray(Int32Array, length);

/**
 * New evidence and evidence sets for a cached graph's edges (EdgeSnapshot), appended after the
 * ones it holds so that every id already given stays valid. `finish` writes them into the snapshot.
 * An evidence or a set the snapshot holds already is given its id there, not appended again (a
 * resolution makes each once): a patch binds again many bindings as they were (every module_init
 * of a kernel when one file's registrations change, every `.read` of a `file_operations` when a driver's file is
 * added), and appending them anew grew a kernel's evidence text by some 1.5 MB per such edit, each
 * append copying the whole text (41 MB, some 150 ms).
 */
export class EvidenceAppender {
  private readonly entries: string[] = [];
  /** Packed evidence to its id: appended here, or held by the snapshot (read by `at`, or found by id). */
  private readonly ids = new Map<string, number>();
  /** Packed evidence to the id `id` gave it (what `appended` answers). */
  private readonly handed = new Map<string, number>();
  private readonly sets: number[][] = [];
  private readonly setIds = new Map<string, number>();
  private readonly baseEntries: number;
  private readonly baseSets: number;
  private held: HeldEvidence | undefined;

  constructor(private readonly edges: EdgeSnapshot) {
    this.baseEntries = edges.evidenceStart.length - 1;
    this.baseSets = edges.setStart.length - 1;
  }

  /** The evidence with id `id` among the snapshot's (those appended included). */
  at(id: number): Evidence {
    if (id >= this.baseEntries) return unpackEvidence(this.entries[id - this.baseEntries]!);
    const packed = this.heldEvidence().text(id);
    if (!this.ids.has(packed)) this.ids.set(packed, id);
    return unpackEvidence(packed);
  }

  /** The id of an evidence (the snapshot's when it holds it, else appended here once). */
  id(e: Evidence): number {
    const packed = packEvidence(e);
    let id = this.ids.get(packed);
    if (id === undefined) {
      id = this.heldEvidence().find(packed);
      if (id < 0) {
        id = this.baseEntries + this.entries.length;
        this.entries.push(packed);
      }
      this.ids.set(packed, id);
    }
    this.handed.set(packed, id);
    return id;
  }

  /** The id `id` gave an evidence in this patch (an edge it wrote shows it), else -1. */
  appended(e: Evidence): number {
    return this.handed.get(packEvidence(e)) ?? -1;
  }

  /** The id of a set of these evidence (the snapshot's when it holds it, else made once here), -1 for none. */
  set(list: readonly Evidence[]): number {
    if (list.length === 0) return -1;
    const ids = [...new Set(list.map((e) => this.id(e)))].sort((a, b) => a - b);
    const key = ids.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = ids[ids.length - 1]! < this.baseEntries ? this.heldEvidence().findSet(ids) : -1;
      if (id < 0) {
        id = this.baseSets + this.sets.length;
        this.sets.push(ids);
      }
      this.setIds.set(key, id);
    }
    return id;
  }

  private heldEvidence(): HeldEvidence {
    return (this.held ??= new HeldEvidence(this.edges, this.baseEntries, this.baseSets));
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
      // A copy has room past its end too, so that the next patch's evidence grows it in place.
      const into = grown ?? sharedBytesWithRoom(length);
      const out = Buffer.from(into.buffer, into.byteOffset, into.length);
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

/**
 * The evidence and sets a snapshot holds, looked up by their contents: entries by length (made
 * the first time one is looked for: a sort of the ids by length, a few ms on a kernel's 370,000),
 * compared as bytes where the text is held so (util/text-bytes.ts) or as slices of it; sets by a
 * hash of their ids. Only the first `entries` and `sets` are looked at: those the snapshot held
 * when the appender was made.
 */
class HeldEvidence {
  private readonly slice: (from: number, to: number) => string;
  private byLength: { ids: Int32Array; from: Int32Array } | undefined;
  private setTable: Int32Array | undefined;

  constructor(
    private readonly edges: EdgeSnapshot,
    private readonly entries: number,
    private readonly sets: number,
  ) {
    // Through the text's slice reader when it has one: a few evidence read do not make the whole text a string.
    this.slice = textSlicer(edges, 'evidenceText');
  }

  /** The packed text of entry `id`. */
  text(id: number): string {
    const { evidenceStart } = this.edges;
    return this.slice(evidenceStart[id]!, evidenceStart[id + 1]! - 1);
  }

  /** The id of the entry whose packed text is `packed`, or -1. */
  find(packed: string): number {
    const start = this.edges.evidenceStart;
    const index = (this.byLength ??= idsByLength(start, this.entries));
    const length = packed.length;
    if (length + 1 >= index.from.length) return -1;
    const bytes = asciiBytesOf(this.edges, 'evidenceText');
    for (let k = index.from[length]!; k < index.from[length + 1]!; k++) {
      const id = index.ids[k]!;
      const at = start[id]!;
      if (bytes) {
        let i = 0;
        while (i < length && bytes[at + i] === packed.charCodeAt(i)) i++;
        if (i === length) return id;
      } else if (this.slice(at, at + length) === packed) return id;
    }
    return -1;
  }

  /** The id of the set whose evidence ids are `ids` (ascending, every one held), or -1. */
  findSet(ids: readonly number[]): number {
    const { setStart, setItems } = this.edges;
    const table = (this.setTable ??= setTableOf(setStart, setItems, this.sets));
    const mask = table.length - 1;
    for (let slot = hashIds(0, ids.length, (i) => ids[i]!) & mask; table[slot]! >= 0; slot = (slot + 1) & mask) {
      const s = table[slot]!;
      const from = setStart[s]!;
      if (setStart[s + 1]! - from === ids.length && ids.every((id, i) => setItems[from + i] === id)) return s;
    }
    return -1;
  }
}

/** The first `count` entry ids sorted by length (a counting sort): `ids[from[n]..from[n + 1])` are those `n` characters long. */
function idsByLength(start: Int32Array, count: number): { ids: Int32Array; from: Int32Array } {
  let longest = 0;
  for (let id = 0; id < count; id++) longest = Math.max(longest, start[id + 1]! - start[id]! - 1);
  const from = new Int32Array(longest + 2);
  for (let id = 0; id < count; id++) from[start[id + 1]! - start[id]!]!++;
  for (let n = 1; n < from.length; n++) from[n]! += from[n - 1]!;
  const next = from.slice();
  const ids = new Int32Array(count);
  for (let id = 0; id < count; id++) ids[next[start[id + 1]! - start[id]! - 1]!++] = id;
  return { ids, from };
}

/** An FNV-1a hash of the ids `item(from)` to `item(to - 1)`. */
function hashIds(from: number, to: number, item: (i: number) => number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ item(i), 0x01000193);
  return h >>> 0;
}

/** An open-addressing table of the first `count` sets by hashIds of their ids: set ids, -1 where empty. */
function setTableOf(setStart: Int32Array, setItems: Int32Array, count: number): Int32Array {
  let size = 2;
  while (size < count * 2) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let s = 0; s < count; s++) {
    let slot = hashIds(setStart[s]!, setStart[s + 1]!, (i) => setItems[i]!) & mask;
    while (table[slot]! >= 0) slot = (slot + 1) & mask;
    table[slot] = s;
  }
  return table;
}
