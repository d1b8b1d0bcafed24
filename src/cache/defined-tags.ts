import { slotHash } from '../resolve/binding-record.js';
import { wasRead } from '../resolve/type-reads.js';
import type { FileFacts } from '../types/facts.js';
import { mergedHashes, packHashes, unpackHashes } from '../util/packed-hashes.js';
import { sharedFrom } from '../util/shared-arrays.js';
import { indexOfSorted } from '../util/sorted.js';

/** True for a struct or union tag with a name (`struct pfnet_priv`), not an anonymous one (`struct <anon x.c:3>`: named by its line). */
export const isNamedTag = (name: string): boolean => /^(struct|union) [A-Za-z_]\w*$/.test(name);

/** The struct and union tags a file defines (`struct pfnet_priv`), anonymous ones left out (their names are lines). */
export const namedTagsOf = (f: FileFacts): string[] => f.structs.map((s) => s.name).filter(isNamedTag);

/** The hashes (slotHash) of the tags every file defines, ascending, each once (GraphPayload.definedTags packs them). */
export function definedTags(files: readonly FileFacts[]): Uint32Array {
  const set = new Set<number>();
  for (const f of files) for (const tag of namedTagsOf(f)) set.add(slotHash(tag));
  return Uint32Array.from(set).sort();
}

/** A count of definers that reached this stays there (too many files to follow): such a tag is never taken as one file's alone. */
const SATURATED = 255;

/**
 * How many files define each tag of GraphPayload.definedTags (its `definedTagCounts`, in the order
 * of its hashes), at most SATURATED.
 */
export function definedTagCounts(files: readonly FileFacts[], packed: Uint8Array): Uint8Array {
  const hashes = unpackHashes(packed);
  const counts = new Uint8Array(hashes.length);
  for (const f of files) for (const tag of new Set(namedTagsOf(f))) bump(hashes, counts, slotHash(tag), 1);
  return counts;
}

/** Adds `by` to the count of `hash` in `counts` (the order of `hashes`), unless saturated. */
function bump(hashes: Uint32Array, counts: Uint8Array, hash: number, by: number): void {
  const at = indexOfSorted(hashes, hash);
  if (at < 0 || counts[at] === SATURATED) return;
  counts[at] = Math.max(0, Math.min(SATURATED, counts[at]! + by));
}


/**
 * How many files other than the edited ones define a tag, from the cached graph's table (its hashes
 * and their counts, GraphPayload.definedTags and .definedTagCounts) and the edited files as they
 * were (`edited`: before); null when the graph keeps no counts, or the count is saturated.
 */
export function otherDefiners(packed: Uint8Array | undefined, counts: Uint8Array | undefined, edited: readonly { before: FileFacts }[]): ((tag: string) => number | null) | null {
  if (!(packed instanceof Uint8Array) || !(counts instanceof Uint8Array)) return null;
  let hashes: Uint32Array | null = null;
  return (tag) => {
    const at = indexOfSorted((hashes ??= unpackHashes(packed)), slotHash(tag));
    if (at >= 0 && counts[at] === SATURATED) return null;
    const had = at < 0 ? 0 : counts[at]!;
    return Math.max(0, had - edited.filter((t) => namedTagsOf(t.before).includes(tag)).length);
  };
}

/**
 * Which struct or union tags an edited file alone defines once the edits are made, and did not
 * before: `(path, tag)` is true when the edited file at `path` defines `tag` (`struct pfnet_priv`)
 * and did not before the edits, no other edited file defines it, and no other file does (the
 * graph's counts, GraphPayload.definedTagCounts: a file deleted and added again is such a file;
 * without counts, no file defined it before the edits, GraphPayload.definedTags being a
 * superset). The type model then names it by its own name in that file (resolve/type-model.ts
 * canonical: a tag one file defines is no split tag, and no typedef is named `struct X`). Null
 * when the graph keeps no table.
 */
export function ownTagsOf(packed: Uint8Array | undefined, edited: readonly { before: FileFacts; after: FileFacts }[], counts?: Uint8Array): ((path: string, tag: string) => boolean) | null {
  if (!(packed instanceof Uint8Array)) return null;
  let table: Uint32Array | null = null;
  const others = otherDefiners(packed, counts, edited);
  const definers = new Map<string, string[]>();
  for (const t of edited) for (const tag of new Set(namedTagsOf(t.after))) definers.set(tag, [...(definers.get(tag) ?? []), t.after.path]);
  return (path, tag) => {
    const paths = definers.get(tag);
    if (paths?.length !== 1 || paths[0] !== path || edited.some((t) => t.after.path === path && namedTagsOf(t.before).includes(tag))) return false;
    return others ? others(tag) === 0 : !wasRead((table ??= unpackHashes(packed)), slotHash(tag));
  };
}

/**
 * GraphPayload.definedTags and .definedTagCounts after edits (each file before and after: an added
 * file empty before, a deleted one empty after): the tags an edit defines are added, and each
 * count follows the files that define its tag (a tag no file defines any more stays, counted 0).
 * Undefined when neither changes; the counts absent when the graph keeps none (the table is then a
 * superset: tags no longer defined stay).
 */
export function definedTagsAfter(packed: Uint8Array | undefined, counts: Uint8Array | undefined, edited: readonly { before: FileFacts; after: FileFacts }[]): { definedTags: Uint8Array; definedTagCounts?: Uint8Array } | undefined {
  const grown = namesTableAfter(packed, edited, namedTagsOf);
  if (!(counts instanceof Uint8Array) || !(packed instanceof Uint8Array)) return grown ? { definedTags: grown } : undefined;
  const was = unpackHashes(packed);
  const hashes = grown ? unpackHashes(grown) : was;
  // The counts at the positions of the (grown) table; a tag new to it starts at 0.
  const next = new Uint8Array(hashes.length);
  for (let i = 0, j = 0; i < hashes.length; i++) if (j < was.length && was[j] === hashes[i]) next[i] = counts[j++]!;
  let changed = !!grown;
  for (const t of edited) {
    const [before, after] = [new Set(namedTagsOf(t.before)), new Set(namedTagsOf(t.after))];
    for (const [tags, others, by] of [[after, before, 1], [before, after, -1]] as const) {
      for (const tag of tags) {
        if (others.has(tag)) continue;
        bump(hashes, next, slotHash(tag), by);
        changed = true;
      }
    }
  }
  if (!changed) return undefined;
  // In shared memory: a patched graph's arrays are handed to the cache writer's thread without a copy (util/shared-arrays.ts).
  return { definedTags: grown ?? packed, definedTagCounts: sharedFrom(Uint8Array, next) };
}

/**
 * A packed table of name hashes (util/packed-hashes.ts) kept as a superset of the names files
 * define (`namesOf`), after edits: the names an edit defines that no edited file defined before
 * are added. Undefined when the table does not change or there is none.
 */
export function namesTableAfter(packed: Uint8Array | undefined, edited: readonly { before: FileFacts; after: FileFacts }[], namesOf: (f: FileFacts) => string[]): Uint8Array | undefined {
  if (!(packed instanceof Uint8Array)) return undefined;
  const before = new Set(edited.flatMap((t) => namesOf(t.before)));
  const added = [...new Set(edited.flatMap((t) => namesOf(t.after)))].filter((n) => !before.has(n)).map(slotHash);
  if (added.length === 0) return undefined;
  const table = unpackHashes(packed);
  const fresh = added.filter((h) => !wasRead(table, h));
  if (fresh.length === 0) return undefined;
  // In shared memory: a patched graph's arrays are handed to the cache writer's thread without a copy (util/shared-arrays.ts).
  return sharedFrom(Uint8Array, packHashes(mergedHashes(table, Uint32Array.from(new Set(fresh)).sort())));
}

