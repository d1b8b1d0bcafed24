import type { CodeIndex } from '../index/code-index.js';
import type { EdgeSnapshot } from '../resolve/edge-list.js';
import { movedHandOffRecord } from '../resolve/object-hand-off-record.js';
import type { GraphPatch } from '../resolve/patch-graph.js';
import { type PatchedHandOffs, patchObjectHandOffs } from '../resolve/patch-object-hand-offs.js';
import type { DefinitionPatchInput } from './definition-patch.js';

/**
 * The object hand-off step of a definition patch (patch-definitions.ts): the cached record moved to
 * the patched graph's node ids and call sites (movedHandOffRecord: `map`, old node -> new; `early`,
 * old node -> its id before external nodes were renumbered, which GraphPatch.sitesOf knows), then
 * the edges the queueing and registering calls `patch` saw added or taken out change made again
 * (resolve/patch-object-hand-offs.ts; `renumbered`: ids before external nodes were renumbered -> after,
 * null when none were; `names`: the functions the edits defined or removed). Returns what it did,
 * undefined when the cached graph keeps no record (then a registration taken out was refused
 * before: cache/hand-off-edit.ts), or why not, in `-v`'s words.
 */
export function patchHandOffs(input: DefinitionPatchInput, index: CodeIndex, edges: EdgeSnapshot, patch: GraphPatch, early: (old: number) => number, map: Int32Array, renumbered: Int32Array | null, names: ReadonlySet<string>): PatchedHandOffs | string | undefined {
  const ids = (added: ReadonlyMap<number, Set<number>>): Map<number, Set<number>> => new Map([...added].map(([n, sites]) => [renumbered ? renumbered[n]! : n, sites]));
  const queueing = ids(patch.queueingAdded);
  const registering = ids(patch.registeringAdded);
  const first = [...queueing.keys(), ...registering.keys()].sort((a, b) => a - b)[0];
  const where = (why: string): string => `${first === undefined ? input.edited[0]!.after.path : index.file(first)}: ${why}`;
  if (!input.objectHandOffs) return first === undefined ? undefined : where('a call queueing or registering work by its object was added, and the cached graph keeps no record of the registrations');
  const moved = movedHandOffRecord(input.objectHandOffs, map, (old) => patch.sitesOf(early(old)), input.droppedEvaluations ?? { all: false, files: new Set(), anonOf: new Set() });
  const patched = patchObjectHandOffs(index, edges, { queueing, registering, names }, moved, input.ownTags);
  return typeof patched === 'string' ? where(patched) : patched;
}
