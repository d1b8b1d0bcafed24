import type { FileFacts } from '../types/facts.js';
import { sharedArray } from '../util/shared-arrays.js';

/** A count that reached this stays there: too many files to keep track of, so the name counts as mentioned. */
const SATURATED = 255;

/** A count that saturated (MentionTable.mentions): the name counts as mentioned by many files. */
export const MENTIONS_SATURATED = SATURATED;

/** The 32-bit hash of an identifier (FNV-1a over its code units; identifiers are ASCII). */
function hashOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** 1 for the code units an identifier may hold ([A-Za-z0-9_]), 2 for those it may start with (shared with mention-json.ts). */
export const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) IDENT[c] = 2;
  else if (/[0-9]/.test(ch)) IDENT[c] = 1;
}

/** A struct, union or enum tag as written after its keyword (`struct pf_ops`): the tag is a type's name, no value's. */
const TAG_NAME = /\b(?:struct|union|enum)\s+[A-Za-z_]/;
const TAG_NAMES = /\b(struct|union|enum)\s+[A-Za-z_]\w*/g;

/**
 * Calls `visit` with the hash of every identifier a file's facts mention other than where a
 * function or macro is defined (`functions[].name` and `.signature`, `macros[].name`), declared
 * (`prototypes[][0]`) and called by name (`calls[].name`, and `calls[].expandsTo`: the names a call of a
 * macro's result is a call of, index/expand-macro-calls.ts): its types, fields, variables, bindings, arguments, hints, macro bodies
 * and expansions, invocations. In a macro's body (MacroFact.body) a name followed by `(` is left
 * out too: in C that is a call (which the macro's calls hold by name) or a function's declarator,
 * never a value. A function name found here may be bound as a value
 * (initializer, assignment, argument, table, ...). Identifiers are hashed as they are scanned: no
 * substring is made (this runs over every file's facts at each full resolve). With `tags` false,
 * a name written after `struct`, `union` or `enum` is left out too (a tag, where a file-scope
 * variable is asked about: cache/file-globals.ts); the table of every file keeps tags (a patch asks
 * whether any file names a struct: cache/type-edit.ts tagsGone).
 */
export function forEachMention(facts: FileFacts, visit: (hash: number) => void, tags = true): void {
  /** Visits the identifiers of `s`; with `calls`, not those followed by `(` (spaces or tabs between allowed). */
  const text = (s: string, calls = false): void => {
    if (!tags && s.length > 5 && TAG_NAME.test(s)) s = s.replace(TAG_NAMES, '$1');
    let h = 0;
    let inside = false;
    // With `calls`: an identifier ended, waiting to see whether a `(` follows.
    let pending = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const kind = c < 128 ? IDENT[c]! : 0;
      if (pending) {
        if (c === 32 || c === 9) continue;
        pending = false;
        if (c === 40) continue;
        visit(h >>> 0);
      }
      if (inside) {
        if (kind) h = Math.imul(h ^ c, 0x01000193);
        else {
          inside = false;
          if (calls && c !== 40) pending = c === 32 || c === 9;
          if (!calls || (c !== 40 && !pending)) visit(h >>> 0);
        }
      } else if (kind === 2) {
        inside = true;
        h = Math.imul(0x811c9dc5 ^ c, 0x01000193);
      }
    }
    if (inside || pending) visit(h >>> 0);
  };
  const walk = (value: unknown): void => {
    if (typeof value === 'string') text(value);
    else if (typeof value !== 'object' || value === null) return;
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else for (const k in value) walk((value as Record<string, unknown>)[k]);
  };
  // The file's own path and hash are no mentions; a definition's name and a call's name are kept apart (see above).
  for (const k in facts) {
    if (k === 'path' || k === 'hash') continue;
    const v = (facts as unknown as Record<string, unknown>)[k];
    if (k === 'prototypes') {
      // A prototype declares its name: no use of it as a value. Its return type is a mention.
      for (const [, returns] of v as [string, string][]) walk(returns);
      continue;
    }
    if (k !== 'functions' && k !== 'macros') {
      walk(v);
      continue;
    }
    for (const def of v as Record<string, unknown>[]) {
      for (const dk in def) {
        // The signature repeats the definition's name; its types are in `params` and `returns`.
        if (dk === 'name' || dk === 'signature') continue;
        if (dk === 'body' && typeof def[dk] === 'string') {
          text(def[dk], true);
          continue;
        }
        if (dk !== 'calls') {
          walk(def[dk]);
          continue;
        }
        for (const call of def[dk] as Record<string, unknown>[]) for (const ck in call) if (ck !== 'name' && ck !== 'expandsTo') walk(call[ck]);
      }
    }
  }
}

/** The hashes of the identifiers a file's facts mention (forEachMention; `tags`: with the names written after struct, union or enum). */
export function mentionBuckets(facts: FileFacts, tags = true): Set<number> {
  const out = new Set<number>();
  forEachMention(facts, (b) => out.add(b), tags);
  return out;
}

/**
 * How many files mention each identifier (by 32-bit hash, see forEachMention), so that a patch
 * can tell that no file may bind a function name as a value. A whole kernel's facts hold about
 * 1.5 million distinct identifiers: a new name collides with one of them about once in 3,000
 * times, and a collision only overcounts (the patch then falls back to a full resolution).
 */
export class MentionTable {
  constructor(
    /** Hashes of the identifiers mentioned, ascending. */
    public hashes: Uint32Array,
    /** Per hash, the number of files mentioning it (SATURATED: many; 0: none any more). */
    public counts: Uint8Array,
  ) {}

  /** The table of every file's facts: each file counted once per hash. */
  static of(files: readonly FileFacts[]): MentionTable {
    const counter = new MentionCounter();
    for (const f of files) {
      counter.nextFile();
      forEachMention(f, counter.add);
    }
    return counter.table();
  }

  /**
   * The table of all the files the given tables counted (each made from different files): counts
   * added, a sum past SATURATED kept at it, so the same table as `of` over all those files.
   * Merged two by two in order.
   */
  static merge(tables: readonly MentionTable[]): MentionTable {
    let round = [...tables];
    if (round.length === 0) return new MentionTable(new Uint32Array(0), new Uint8Array(0));
    while (round.length > 1) {
      const next: MentionTable[] = [];
      for (let k = 0; k < round.length; k += 2) next.push(k + 1 < round.length ? mergeTwo(round[k]!, round[k + 1]!) : round[k]!);
      round = next;
    }
    return round[0]!;
  }

  /** A table from its persisted arrays, or null when they are not one. */
  static restore(saved: { hashes: Uint32Array; counts: Uint8Array } | undefined): MentionTable | null {
    return saved && saved.hashes instanceof Uint32Array && saved.counts instanceof Uint8Array && saved.hashes.length === saved.counts.length ? new MentionTable(saved.hashes, saved.counts) : null;
  }

  /** The arrays to persist. */
  get saved(): { hashes: Uint32Array; counts: Uint8Array } {
    return { hashes: this.hashes, counts: this.counts };
  }

  /** Position of `h` in `hashes`, or where it would go. */
  private find(h: number): number {
    let lo = 0;
    let hi = this.hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Counts a file's hashes in (+1) or out (-1); a saturated count stays. */
  add(hashes: Set<number>, delta: 1 | -1): void {
    const fresh: number[] = [];
    for (const h of hashes) {
      const i = this.find(h);
      if (this.hashes[i] !== h) {
        if (delta > 0) fresh.push(h);
        continue;
      }
      const c = this.counts[i]!;
      if (c !== SATURATED) this.counts[i] = delta > 0 ? c + 1 : Math.max(0, c - 1);
    }
    if (fresh.length === 0) return;
    // Merged in, in order: one pass over the table.
    fresh.sort((a, b) => a - b);
    // In shared memory: a patched table is handed to the cache writer's thread without a copy (util/shared-arrays.ts sharedFrom).
    const hashesOut = sharedArray(Uint32Array, this.hashes.length + fresh.length);
    const countsOut = sharedArray(Uint8Array, hashesOut.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < hashesOut.length; k++) {
      if (j < fresh.length && (i >= this.hashes.length || fresh[j]! < this.hashes[i]!)) {
        hashesOut[k] = fresh[j++]!;
        countsOut[k] = 1;
      } else {
        hashesOut[k] = this.hashes[i]!;
        countsOut[k] = this.counts[i++]!;
      }
    }
    this.hashes = hashesOut;
    this.counts = countsOut;
  }

  /** How many files may mention `name` (SATURATED: many). */
  mentions(name: string): number {
    const h = hashOf(name);
    const i = this.find(h);
    return this.hashes[i] === h ? this.counts[i]! : 0;
  }

  /** True when `name` has its hash in `hashes` (a file's mentionBuckets). */
  static within(name: string, hashes: Set<number>): boolean {
    return hashes.has(hashOf(name));
  }
}

/** Two tables' hashes in order, counts added (see MentionTable.merge). */
function mergeTwo(a: MentionTable, b: MentionTable): MentionTable {
  const hashes = new Uint32Array(a.hashes.length + b.hashes.length);
  const counts = new Uint8Array(hashes.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.hashes.length || j < b.hashes.length) {
    const x = i < a.hashes.length ? a.hashes[i]! : -1;
    const y = j < b.hashes.length ? b.hashes[j]! : -1;
    if (y < 0 || (x >= 0 && x < y)) {
      hashes[k] = x;
      counts[k++] = a.counts[i++]!;
    } else if (x < 0 || y < x) {
      hashes[k] = y;
      counts[k++] = b.counts[j++]!;
    } else {
      hashes[k] = x;
      counts[k++] = Math.min(SATURATED, a.counts[i++]! + b.counts[j++]!);
    }
  }
  return new MentionTable(hashes.slice(0, k), counts.slice(0, k));
}

/**
 * Counts, for a run of files, how many of them mention each hash (each file once per hash):
 * `nextFile` starts a file, `add` counts one of its mentions (a bound function, to be passed as
 * a visitor), `table` gives the MentionTable. An open-addressing table, doubled when half full.
 */
export class MentionCounter {
  private size = 1 << 16;
  private keys = new Uint32Array(this.size);
  private counts = new Uint8Array(this.size);
  private stamps = new Int32Array(this.size);
  private used = 0;
  private file = 0;

  /** Starts the next file: its mentions are counted once each. */
  nextFile(): void {
    this.file++;
  }

  private slot(h: number, k: Uint32Array, c: Uint8Array): number {
    const mask = k.length - 1;
    let i = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
    while (c[i] !== 0 && k[i] !== h) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const [k0, c0, s0] = [this.keys, this.counts, this.stamps];
    this.size *= 2;
    this.keys = new Uint32Array(this.size);
    this.counts = new Uint8Array(this.size);
    this.stamps = new Int32Array(this.size);
    for (let j = 0; j < k0.length; j++) {
      if (c0[j] === 0) continue;
      const i = this.slot(k0[j]!, this.keys, this.counts);
      this.keys[i] = k0[j]!;
      this.counts[i] = c0[j]!;
      this.stamps[i] = s0[j]!;
    }
  }

  /** Counts hash `h` (unsigned 32-bit) for the current file. */
  readonly add = (h: number): void => {
    let i = this.slot(h, this.keys, this.counts);
    if (this.counts[i] === 0) {
      if (2 * (this.used + 1) > this.size) {
        this.grow();
        i = this.slot(h, this.keys, this.counts);
      }
      this.used++;
      this.keys[i] = h;
      this.counts[i] = 1;
      this.stamps[i] = this.file;
    } else if (this.stamps[i] !== this.file) {
      this.stamps[i] = this.file;
      if (this.counts[i]! < SATURATED) this.counts[i]!++;
    }
  };

  /** The table of the files counted, hashes ascending. */
  table(): MentionTable {
    const order: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.counts[i] !== 0) order.push(i);
    const hashes = Uint32Array.from(order, (i) => this.keys[i]!);
    const perm = Uint32Array.from(order.keys()).sort((a, b) => hashes[a]! - hashes[b]!);
    return new MentionTable(Uint32Array.from(perm, (p) => hashes[p]!), Uint8Array.from(perm, (p) => this.counts[order[p]!]!));
  }
}
