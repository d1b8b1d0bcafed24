import { type MemberQuery, packMemberQueries, readMemberQueries, typeReadHash, wasRead } from '../resolve/type-reads.js';
import type { FileFacts } from '../types/facts.js';
import type { MemberNames } from './type-edit.js';
import { namedTagsOf } from './defined-tags.js';

/**
 * Struct edits that add or remove members, against the questions a full resolution asked of
 * which structs have members of given names (TypeModel.structsWithFields: rule 3 of
 * resolve/bind-macro-stores.ts macroHolderType, which takes the struct of a macro's store to be
 * the one struct having every member the macro's body names, and none when several or none
 * have them). What the resolution made of such a question changes only when the number of
 * structs having those members goes to or from one (or the one changes), so an edit is followed
 * when every question it may touch had two or more structs and keeps two or more:
 * - a struct one file alone defines (a new driver's private struct, or one no other file
 *   defines: `alone`) has those members after the edit exactly when that file's definitions have
 *   them all, so it joins or leaves the answer, or stays as it was;
 * - a struct other files define too may gain the answer when the edit adds one of the names, or
 *   lose it when the edit removes one (its other definitions are not read).
 * The graph keeps each question's number of structs (GraphPayload.memberQueries); after a patch
 * it is a lower bound (a struct that may have left is counted out).
 */

/** The member name changes of one edited file (TypeEdit.members). */
export interface MembersEdit {
  path: string;
  members: readonly MemberNames[];
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (names: readonly string[]): string => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** The words of a question in a reason: `a member rx`, `members expires and handler`. */
const question = (names: readonly string[]): string => (names.length === 1 ? `a member ${names[0]}` : `members ${listed(names)}`);

/**
 * Why the member names the edits add or remove may change what the resolution made of its
 * questions (a reason for -v, naming the first edited file that touches it), or what the graph
 * keeps after them: `memberQueries` when a count went down, nothing when none did. `queries` is
 * GraphPayload.memberQueries, `reads` the unpacked GraphPayload.typeReads: a graph without
 * questions is read by its `N` keys (any member name added or removed that a question named).
 * `alone(path, struct)`: the edited file at `path` is the only file that defines `struct`, before
 * and after the edits (aloneIn).
 */
export function memberQueriesEdit(edits: readonly MembersEdit[], queries: string | undefined, reads: Uint32Array, alone: (path: string, struct: string) => boolean): string | { memberQueries?: string } {
  const changes = edits.flatMap((e) => e.members.map((m) => ({ path: e.path, ...m })));
  if (changes.length === 0) return {};
  if (typeof queries !== 'string') {
    for (const c of changes) {
      for (const name of new Set([...c.before, ...c.after])) {
        if (c.before.includes(name) !== c.after.includes(name) && wasRead(reads, typeReadHash('N', name))) return `${c.path}: which structs have ${question([name])} changed, and the resolution read it`;
      }
    }
    return {};
  }
  const byStruct = new Map<string, typeof changes>();
  for (const c of changes) byStruct.set(c.struct, [...(byStruct.get(c.struct) ?? []), c]);
  const asked = readMemberQueries(queries);
  let lowered = false;
  for (const q of asked) {
    const moved = movedBy(q, byStruct, alone);
    if (!moved) continue;
    const low = q.count - moved.leave + moved.join;
    if (q.count < 2 || low < 2) return `${moved.path}: which structs have ${question(q.names)} changed, and the resolution read it`;
    if (low !== q.count) {
      q.count = low;
      lowered = true;
    }
  }
  return lowered ? { memberQueries: packMemberQueries(new Map(asked.map((q) => [q.names.join(' '), q.count]))) } : {};
}

/**
 * How the edits move the structs having every member of question `q`: `join`, those that surely
 * join its answer; `leave`, those that leave it or may; null when the edits move none (and may
 * move none). A struct another file defines too and that gains one of the names may join: that
 * changes the answer only when it had fewer than two, which the caller refuses anyway.
 */
function movedBy(q: MemberQuery, byStruct: ReadonlyMap<string, (MemberNames & { path: string })[]>, alone: (path: string, struct: string) => boolean): { join: number; leave: number; path: string } | null {
  let [join, leave, mayJoin] = [0, 0, 0];
  let path: string | undefined;
  for (const [struct, list] of byStruct) {
    const touched = list.filter((c) => q.names.some((n) => c.before.includes(n) !== c.after.includes(n)));
    if (touched.length === 0) continue;
    if (list.length === 1 && alone(list[0]!.path, struct)) {
      const [had, has] = [q.names.every((n) => list[0]!.before.includes(n)), q.names.every((n) => list[0]!.after.includes(n))];
      if (had === has) continue;
      if (has) join++;
      else leave++;
    } else {
      if (touched.some((c) => q.names.some((n) => !c.before.includes(n) && c.after.includes(n)))) mayJoin++;
      if (touched.some((c) => q.names.some((n) => c.before.includes(n) && !c.after.includes(n)))) leave++;
    }
    path ??= touched[0]!.path;
  }
  return path === undefined || join + leave + mayJoin === 0 ? null : { join, leave, path };
}

/**
 * Whether the edited file at `path` is the only file that defines tag `struct` before and after
 * the edits (`edited`: each edited file before and after; an added file is empty before, a
 * deleted one empty after): no other edited file defines it, and either it is a tag no other file
 * defines (`others`: defined-tags.ts otherDefiners, from the graph's counts of the files defining
 * each tag) or one new to the tree (`own`: defined-tags.ts ownTagsOf). Anonymous structs are never
 * taken as alone (a file's are merged under one name by the edit).
 */
export function aloneIn(edited: readonly { before: FileFacts; after: FileFacts }[], others: ((tag: string) => number | null) | null, own: ((path: string, tag: string) => boolean) | null): (path: string, struct: string) => boolean {
  return (path, struct) => {
    const definers = edited.filter((t) => [t.before, t.after].some((f) => namedTagsOf(f).includes(struct)));
    if (definers.length !== 1 || definers[0]!.after.path !== path) return false;
    return !!own?.(path, struct) || others?.(struct) === 0;
  };
}
