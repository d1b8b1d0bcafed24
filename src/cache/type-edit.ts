import type { LinePair } from '../index/facts-diff.js';
import { anonNamePattern } from '../index/facts-diff.js';
import type { CodeIndex } from '../index/code-index.js';
import { NodeFlag } from '../index/code-index.js';
import { slotHash } from '../resolve/binding-record.js';
import { anonKey, type TypeReadKind, typeReadHash, wasRead } from '../resolve/type-reads.js';
import type { FileFacts, StructFact } from '../types/facts.js';
import { unpackHashes } from '../util/packed-hashes.js';
import { isNamedTag, namesTableAfter } from './defined-tags.js';
import type { GraphPayload } from './graph-payload.js';
import { memberQueriesEdit } from './member-queries.js';
import { MENTIONS_SATURATED, mentionBuckets, MentionTable } from '../resolve/mention-table.js';

/**
 * How an edit changed one file's type facts (structs and unions, typedefs, prototypes): the keys
 * of the type model it changed (resolve/type-reads.ts), each with words for -v, and the
 * prototypes added or removed (they may break ties among same-named functions: scope-oracles.ts).
 */
export interface TypeEdit {
  /**
   * Hash and description of each type model key the edit changed, as a clause (`struct dev.ops
   * changed`, `struct dev was removed`), with the struct or union tag the key is of (`struct dev`;
   * absent for a typedef's, a return type's and an anonymous struct's).
   */
  changed: { hash: number; what: string; tag?: string }[];
  /** Names whose prototype the file gained or lost. */
  declared: string[];
  /** Old -> new lines of the file's anonymous structs as the type facts name them, one to one, in order. */
  anon: LinePair[];
  /**
   * The structs and unions whose member names the edit changed (a member added or removed, the
   * struct added or removed), each with the names the file's definitions of it have before and
   * after (none where it defines none): which structs have members of given names may change
   * (member-queries.ts). Anonymous structs are named without their lines (anonKey).
   */
  members: MemberNames[];
}

/** One struct's (or union's) member names in one file, before and after an edit. */
export interface MemberNames {
  struct: string;
  before: string[];
  after: string[];
}

/** A struct's members as the type model merges one file's definitions of it: the first of each name wins; the order is the first definition's. */
interface Shape {
  order: string[];
  fields: Map<string, string>;
}

function shapes(structs: StructFact[]): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const s of structs) {
    const name = anonKey(s.name);
    let shape = out.get(name);
    if (!shape) out.set(name, (shape = { order: s.fields.map((f) => f.name), fields: new Map() }));
    for (const f of s.fields) if (!shape.fields.has(f.name)) shape.fields.set(f.name, anonKey(JSON.stringify({ type: f.type, array: !!f.array, params: f.fnptr && f.params ? f.params : null })));
  }
  return out;
}

/** The first value of each name in a list of pairs, anonymous struct names without their lines. */
function firstOf(pairs: [string, string][]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of pairs) if (!out.has(name)) out.set(name, anonKey(value));
  return out;
}

/** The lines of the file's anonymous structs, in the order its type facts name them. */
function anonLines(f: FileFacts): number[] {
  const lines: number[] = [];
  const text = JSON.stringify([f.structs.map((s) => [s.name, s.fields]), f.typedefs, f.prototypes]);
  for (const m of text.matchAll(anonNamePattern(f.path))) lines.push(Number(m[1]));
  return lines;
}

/**
 * The type model keys an edit of one file changed, or why the edit is not one a patch follows:
 * a typedef added or removed (a call of its name is then read otherwise: resolve.ts), or an
 * anonymous struct added or removed (the names of the others would shift). A struct added or
 * removed changes its name's key and each of its members'; a member added, removed or retyped
 * changes its key (and, added or removed, the struct's member names: TypeEdit.members); a
 * member in another position changes the key of that position (positional initializers); a typedef retargeted its name's key; a prototype
 * added, removed or of another return type the return type key of its name.
 */
export function typeEdit(before: FileFacts, after: FileFacts): TypeEdit | string {
  const changed: TypeEdit['changed'] = [];
  const tagOf = (name: string): { tag?: string } => (isNamedTag(name) ? { tag: name } : {});
  const note = (kind: TypeReadKind, what: string, name: string, member?: string): void => {
    changed.push({ hash: typeReadHash(kind, name, member), what: `${what} changed`, ...tagOf(name) });
  };
  const members: MemberNames[] = [];
  const [was, now] = [shapes(before.structs), shapes(after.structs)];
  for (const name of new Set([...was.keys(), ...now.keys()])) {
    const [a, b] = [was.get(name), now.get(name)];
    if (!a || !b) changed.push({ hash: typeReadHash('T', name), what: `${name} was ${a ? 'removed' : 'added'}`, ...tagOf(name) });
    // A positional initializer's N-th member: only the positions whose member changed (a member appended changes none before it).
    const [oa, ob] = [a?.order ?? [], b?.order ?? []];
    for (let i = 0; i < Math.max(oa.length, ob.length); i++) if (oa[i] !== ob[i]) note('O', `member ${i} of ${name} (positional)`, name, String(i));
    let named = false;
    for (const field of new Set([...(a?.fields.keys() ?? []), ...(b?.fields.keys() ?? [])])) {
      const [x, y] = [a?.fields.get(field), b?.fields.get(field)];
      if (x === y) continue;
      note('F', `${name}.${field}`, name, field);
      named ||= x === undefined || y === undefined;
    }
    if (named) members.push({ struct: name, before: [...(a?.fields.keys() ?? [])], after: [...(b?.fields.keys() ?? [])] });
  }
  const [tw, tn] = [firstOf(before.typedefs), firstOf(after.typedefs)];
  for (const name of new Set([...tw.keys(), ...tn.keys()])) {
    const [a, b] = [tw.get(name), tn.get(name)];
    if (a === b) continue;
    if (a === undefined || b === undefined) return `typedef ${name} was ${a === undefined ? 'added' : 'removed'}`;
    note('T', `typedef ${name}`, name);
  }
  const [pw, pn] = [firstOf(before.prototypes), firstOf(after.prototypes)];
  const declared: string[] = [];
  for (const name of new Set([...pw.keys(), ...pn.keys()])) {
    const [a, b] = [pw.get(name), pn.get(name)];
    if (a === b) continue;
    note('R', `the return type of ${name}`, name);
    if (a === undefined || b === undefined) declared.push(name);
  }
  const [la, lb] = [anonLines(before), anonLines(after)];
  if (la.length !== lb.length) return 'an anonymous struct was added or removed';
  return { changed, declared, anon: la.map((o, i) => [o, lb[i]!]), members };
}

/** The facts without their type facts (structs, typedefs, prototypes), for comparing the rest. */
export const withoutTypes = (f: FileFacts): FileFacts => ({ ...f, structs: [], typedefs: [], prototypes: [] });

/** True when the type facts of two versions of a file are the same, places aside. */
export const sameTypes = (edit: TypeEdit): boolean => edit.changed.length === 0;

/**
 * Why the type edits of the edited files cannot be patched, or what the graph keeps after them
 * when they can: the cached graph recorded no type reads, a key an edit changed was read by the
 * resolution (the call sites and bindings that read it would resolve otherwise), a member added
 * or removed may change which struct a macro's store is taken to fill (member-queries.ts, with
 * GraphPayload.memberQueries and `alone`: aloneIn), or a prototype was added or removed for a name
 * that two or more global functions define once the edits are made (prototypes break their
 * ties). `index` is the patched index (patchDefinitions), so its definitions are those after the
 * edits: a prototype added with the only definition of its name breaks no tie. What it keeps:
 * GraphPayload.memberQueries when a count went down. `gone` (tagsGone): a key of a tag it holds is
 * taken as read by no code that stays.
 */
export function unreadTypeEdits(edits: { path: string; types: TypeEdit }[], graph: Pick<GraphPayload, 'typeReads' | 'memberQueries'>, index: CodeIndex, alone: (path: string, struct: string) => boolean, gone: (tag: string) => boolean = () => false): string | { memberQueries?: string } {
  const changing = edits.filter((e) => e.types.changed.length > 0 || e.types.declared.length > 0 || e.types.members.length > 0);
  if (changing.length === 0) return {};
  const reads = graph.typeReads instanceof Uint8Array ? unpackHashes(graph.typeReads) : null;
  if (!reads) return `${changing[0]!.path}: its type facts changed, and the cached graph does not record what the resolution read of them`;
  for (const { path, types } of changing) {
    // A key of a tag whose name no file mentions once the edits are made was read by code that is gone with it (tagsGone).
    const read = types.changed.find((c) => wasRead(reads, c.hash) && !(c.tag !== undefined && gone(c.tag)));
    if (read) return `${path}: ${read.what}, and the resolution read it`;
    for (const name of types.declared) {
      const globals = index.nodesNamed(name).filter((n) => !index.isExternal(n) && !index.isMacro(n) && !(index.nodeFlags[n]! & NodeFlag.Static));
      if (globals.length >= 2) return `${path}: a prototype of ${name} was added or removed, and ${globals.length} global functions define it (prototypes break their tie)`;
    }
  }
  return memberQueriesEdit(changing.map((e) => ({ path: e.path, members: e.types.members })), graph.memberQueries, reads, alone);
}

/** The names a file defines other than as functions and macros: file-scope variables, typedefs, alias macros (resolve.ts's definedOtherwise). */
const otherNamesOf = (f: FileFacts): string[] => [...f.globals.map((g) => g.name), ...f.typedefs.map(([t]) => t), ...(f.aliasMacros ?? [])];

/** The hashes of otherNamesOf of every file's facts, ascending, each once (GraphPayload.definedOtherwise packs them). */
export function otherNames(files: readonly FileFacts[]): Uint32Array {
  const set = new Set<number>();
  for (const f of files) for (const n of otherNamesOf(f)) set.add(slotHash(n));
  return Uint32Array.from(set).sort();
}

/**
 * Whether a name is defined other than as a function or macro once the edits are made, from the
 * cached graph's table (GraphPayload.definedOtherwise, which definedOtherwiseAfter keeps a superset
 * of the names defined so) and the edited files' new facts; null when the graph keeps no table.
 * A true answer makes the patch refuse the call (it resolves in full), so a name kept after its
 * last definition went costs a full resolution, never a wrong edge.
 */
export function definedOtherwiseOf(packed: Uint8Array | undefined, edited: { after: FileFacts }[]): ((name: string) => boolean) | null {
  if (!(packed instanceof Uint8Array)) return null;
  // Unpacked when first asked: most patches make no external node.
  let table: Uint32Array | null = null;
  const own = new Set(edited.flatMap((t) => otherNamesOf(t.after)));
  return (name) => own.has(name) || wasRead((table ??= unpackHashes(packed)), slotHash(name));
}

/**
 * GraphPayload.definedOtherwise after edits (each file before and after: an added file empty
 * before, a deleted one empty after): the names an edit defines other than as functions and
 * macros are added. Names no longer defined stay (the table keeps no count of other files
 * defining them): a superset only sends more patches to a full resolution. Undefined when the
 * table does not change or the graph keeps none.
 */
export const definedOtherwiseAfter = (packed: Uint8Array | undefined, edited: { before: FileFacts; after: FileFacts }[]): Uint8Array | undefined => namesTableAfter(packed, edited, otherNamesOf);

/**
 * Whether no file mentions a tag's name (`struct pfnet_priv`: `pfnet_priv`) once the edits are
 * made, from the cached graph's mention table (resolve/mention-table.ts: every identifier of every
 * file's facts but names defined or called) and the edited files before and after: a type, a
 * member, a cast, a typedef, a prototype, a macro body naming it in any file counts. Code that
 * reads a struct's members names its type, or reaches it through a declaration that does (a member
 * of another struct, a typedef, a return type): so the resolution's reads of the keys of such a
 * tag were made by code the edits took out with it (a driver's file deleted with its private
 * struct). False for every tag without the table.
 */
export function tagsGone(mentions: MentionTable | null, edited: readonly { before: FileFacts; after: FileFacts }[]): (tag: string) => boolean {
  if (!mentions) return () => false;
  // Each edited file's mentions, made when first asked (most patches ask none).
  let buckets: { before: Set<number>; after: Set<number> }[] | null = null;
  return (tag) => {
    const name = tag.slice(tag.indexOf(' ') + 1);
    const count = mentions.mentions(name);
    if (count === MENTIONS_SATURATED) return false;
    buckets ??= edited.map((t) => ({ before: mentionBuckets(t.before), after: mentionBuckets(t.after) }));
    return count - buckets.filter((b) => MentionTable.within(name, b.before)).length + buckets.filter((b) => MentionTable.within(name, b.after)).length === 0;
  };
}
