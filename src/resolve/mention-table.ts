import type { FileFacts } from '../types/facts.js';

/** Buckets of the table: a power of two (8 MiB of counts); a whole kernel's facts hold a few million distinct identifiers. */
const BUCKETS = 1 << 23;
/** A count that reached this stays there: too many files to keep track of, so the name counts as mentioned. */
const SATURATED = 255;

/** The bucket of an identifier (FNV-1a over its UTF-16 code units). */
function bucketOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (BUCKETS - 1);
}

/** 1 for the code units an identifier may hold ([A-Za-z0-9_]), 2 for those it may start with. */
const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) IDENT[c] = 2;
  else if (/[0-9]/.test(ch)) IDENT[c] = 1;
}

/**
 * Calls `visit` with the bucket of every identifier a file's facts mention other than where a
 * function or macro is defined (`functions[].name` and `.signature`, `macros[].name`) and called
 * by name (`calls[].name`): its types, fields, variables, bindings, arguments, hints, macro bodies
 * and expansions, invocations. A function name found here may be bound as a value
 * (initializer, assignment, argument, table, ...). Identifiers are hashed as they are scanned: no
 * substring is made (this runs over every file's facts at each full resolve).
 */
export function forEachMention(facts: FileFacts, visit: (bucket: number) => void): void {
  const text = (s: string): void => {
    let h = 0;
    let inside = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const kind = c < 128 ? IDENT[c]! : 0;
      if (inside) {
        if (kind) h = Math.imul(h ^ c, 0x01000193);
        else {
          visit((h >>> 0) & (BUCKETS - 1));
          inside = false;
        }
      } else if (kind === 2) {
        inside = true;
        h = Math.imul(0x811c9dc5 ^ c, 0x01000193);
      }
    }
    if (inside) visit((h >>> 0) & (BUCKETS - 1));
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
    if (k !== 'functions' && k !== 'macros') {
      walk(v);
      continue;
    }
    for (const def of v as Record<string, unknown>[]) {
      for (const dk in def) {
        // The signature repeats the definition's name; its types are in `params` and `returns`.
        if (dk === 'name' || dk === 'signature') continue;
        if (dk !== 'calls') {
          walk(def[dk]);
          continue;
        }
        for (const call of def[dk] as Record<string, unknown>[]) for (const ck in call) if (ck !== 'name') walk(call[ck]);
      }
    }
  }
}

/** The buckets of the identifiers a file's facts mention (forEachMention). */
export function mentionBuckets(facts: FileFacts): Set<number> {
  const out = new Set<number>();
  forEachMention(facts, (b) => out.add(b));
  return out;
}

/**
 * How many files mention each identifier (by hash bucket, see mentionBuckets), so that a patch
 * can tell in constant time that no file may bind a function name as a value. Collisions only
 * overcount (a name then seems mentioned, and the patch falls back to a full resolution).
 */
export class MentionTable {
  constructor(
    /** Per bucket, the number of files mentioning an identifier of it (SATURATED: many). */
    readonly counts: Uint8Array = new Uint8Array(BUCKETS),
  ) {}

  /** The table of every file's facts. */
  static of(files: readonly FileFacts[]): MentionTable {
    const table = new MentionTable();
    const { counts } = table;
    // The file that last counted each bucket (+1): a file counts a bucket once.
    const last = new Int32Array(BUCKETS);
    files.forEach((f, i) =>
      forEachMention(f, (b) => {
        if (last[b] === i + 1) return;
        last[b] = i + 1;
        if (counts[b]! < SATURATED) counts[b]!++;
      }),
    );
    return table;
  }

  /** A table from its persisted counts, or null when they are not one (another bucket count). */
  static restore(counts: Uint8Array | undefined): MentionTable | null {
    return counts instanceof Uint8Array && counts.length === BUCKETS ? new MentionTable(counts) : null;
  }

  /** Counts a file's buckets in (+1) or out (-1); a saturated count stays. */
  add(buckets: Set<number>, delta: 1 | -1): void {
    const { counts } = this;
    for (const b of buckets) {
      const c = counts[b]!;
      if (c === SATURATED) continue;
      counts[b] = delta > 0 ? c + 1 : Math.max(0, c - 1);
    }
  }

  /** How many files may mention `name`, not counting a file whose buckets are `except`. */
  mentions(name: string, except?: Set<number>): number {
    const b = bucketOf(name);
    const c = this.counts[b]!;
    if (c === SATURATED) return c;
    return c - (except?.has(b) ? 1 : 0);
  }

  /** True when `name` has a bucket in `buckets`. */
  static within(name: string, buckets: Set<number>): boolean {
    return buckets.has(bucketOf(name));
  }
}
