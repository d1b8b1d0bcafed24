import type { FileFacts } from '../types/facts.js';

/** Buckets of the table: a power of two (8 MiB of counts); a whole kernel's facts hold a few million distinct identifiers. */
const BUCKETS = 1 << 23;
/** A count that reached this stays there: too many files to keep track of, so the name counts as mentioned. */
const SATURATED = 255;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** The bucket of an identifier (FNV-1a over its UTF-16 code units). */
function bucketOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (BUCKETS - 1);
}

/**
 * The buckets of every identifier a file's facts mention other than where a function or macro is
 * defined (`functions[].name` and `.signature`, `macros[].name`) and called by name (`calls[].name`): its types,
 * fields, variables, bindings, arguments, hints, macro bodies and expansions, invocations. A
 * function name found here may be bound as a value (initializer, assignment, argument, table, ...).
 */
export function mentionBuckets(facts: FileFacts): Set<number> {
  const out = new Set<number>();
  const text = (s: string): void => {
    for (const m of s.matchAll(IDENTIFIER)) out.add(bucketOf(m[0]));
  };
  const walk = (value: unknown): void => {
    if (typeof value === 'string') text(value);
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  const except = (value: object, key: string): void => {
    for (const [k, v] of Object.entries(value)) if (k !== key) walk(v);
  };
  // The file's own path and hash are no mentions; a definition's name and a call's name are kept apart (see above).
  const top = (value: FileFacts): void => {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'path' || k === 'hash') continue;
      if ((k === 'functions' || k === 'macros') && Array.isArray(v)) {
        for (const def of v as Record<string, unknown>[]) {
          for (const [dk, dv] of Object.entries(def)) {
            // The signature repeats the definition's name; its types are in `params` and `returns`.
            if (dk === 'name' || dk === 'signature') continue;
            if (dk === 'calls' && Array.isArray(dv)) for (const c of dv as object[]) except(c, 'name');
            else walk(dv);
          }
        }
      } else walk(v);
    }
  };
  top(facts);
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
    for (const f of files) table.add(mentionBuckets(f), 1);
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
