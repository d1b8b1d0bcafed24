import { slotHash } from '../resolve/binding-record.js';
import { wasRead } from '../resolve/type-reads.js';
import type { FileFacts } from '../types/facts.js';
import { mergedHashes, packHashes, unpackHashes } from '../util/packed-hashes.js';
import { sharedFrom } from '../util/shared-arrays.js';

/** The struct and union tags a file defines (`struct pfnet_priv`), anonymous ones left out (their names are lines). */
export const namedTagsOf = (f: FileFacts): string[] => f.structs.map((s) => s.name).filter((name) => /^(struct|union) [A-Za-z_]\w*$/.test(name));

/** The hashes (slotHash) of the tags every file defines, ascending, each once (GraphPayload.definedTags packs them). */
export function definedTags(files: readonly FileFacts[]): Uint32Array {
  const set = new Set<number>();
  for (const f of files) for (const tag of namedTagsOf(f)) set.add(slotHash(tag));
  return Uint32Array.from(set).sort();
}

/**
 * Which struct or union tags an edited file alone defines once the edits are made, from the cached
 * graph's table (GraphPayload.definedTags: every tag defined before the edits, and maybe some no
 * longer) and the edited files' new facts: `(path, tag)` is true when the edited file at `path`
 * defines `tag` (`struct pfnet_priv`), no file defined it before the edits, and no other edited
 * file defines it. The type model then names it by its own name in that file (resolve/type-model.ts
 * canonical: a tag one file defines is no split tag, and no typedef is named `struct X`). Null when
 * the graph keeps no table. A tag an edit adds that another file defined before is never such a
 * tag: the table keeps no count of files, so a file edited that defined its own tag before is none either.
 */
export function ownTagsOf(packed: Uint8Array | undefined, edited: readonly { after: FileFacts }[]): ((path: string, tag: string) => boolean) | null {
  if (!(packed instanceof Uint8Array)) return null;
  let table: Uint32Array | null = null;
  const definers = new Map<string, string[]>();
  for (const t of edited) for (const tag of new Set(namedTagsOf(t.after))) definers.set(tag, [...(definers.get(tag) ?? []), t.after.path]);
  return (path, tag) => {
    const paths = definers.get(tag);
    return paths?.length === 1 && paths[0] === path && !wasRead((table ??= unpackHashes(packed)), slotHash(tag));
  };
}

/**
 * GraphPayload.definedTags after edits (each file before and after: an added file empty before, a
 * deleted one empty after): the tags an edit defines are added; tags no longer defined stay (a
 * superset only sends more patches to a full resolution). Undefined when the table does not change
 * or the graph keeps none.
 */
export const definedTagsAfter = (packed: Uint8Array | undefined, edited: readonly { before: FileFacts; after: FileFacts }[]): Uint8Array | undefined => namesTableAfter(packed, edited, namedTagsOf);

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

/**
 * The hashes (slotHash) of the tags two or more files define, ascending, each once
 * (GraphPayload.sharedTags packs them): a struct no other file defines has, after an edit of its
 * file, the members that file gives it (member-queries.ts aloneIn).
 */
export function sharedTags(files: readonly FileFacts[]): Uint32Array {
  const seen = new Set<string>();
  const shared = new Set<number>();
  for (const f of files) {
    for (const tag of new Set(namedTagsOf(f))) {
      if (seen.has(tag)) shared.add(slotHash(tag));
      else seen.add(tag);
    }
  }
  return Uint32Array.from(shared).sort();
}

/**
 * GraphPayload.sharedTags after edits, a superset: each tag an edited file defines now and did not
 * before is added when a file defined it before the edits (`defined`, GraphPayload.definedTags as
 * the graph had it, itself a superset) or another edited file defines it now. Undefined when the
 * table does not change or the graph keeps none.
 */
export function sharedTagsAfter(packed: Uint8Array | undefined, defined: Uint8Array | undefined, edited: readonly { before: FileFacts; after: FileFacts }[]): Uint8Array | undefined {
  if (!(packed instanceof Uint8Array)) return undefined;
  const definedBefore = defined instanceof Uint8Array ? unpackHashes(defined) : null;
  const table = unpackHashes(packed);
  const added = new Set<number>();
  for (const t of edited) {
    const had = new Set(namedTagsOf(t.before));
    for (const tag of new Set(namedTagsOf(t.after))) {
      if (had.has(tag)) continue;
      const elsewhere = !definedBefore || wasRead(definedBefore, slotHash(tag)) || edited.some((o) => o !== t && namedTagsOf(o.after).includes(tag));
      if (elsewhere && !wasRead(table, slotHash(tag))) added.add(slotHash(tag));
    }
  }
  if (added.size === 0) return undefined;
  // In shared memory: a patched graph's arrays are handed to the cache writer's thread without a copy (util/shared-arrays.ts).
  return sharedFrom(Uint8Array, packHashes(mergedHashes(table, Uint32Array.from(added).sort())));
}
