import { slotHash } from './binding-record.js';

/**
 * What a full resolution read of the type model (type-model.ts), so that an edit of struct,
 * typedef and prototype facts that nothing read can be patched without resolving again
 * (cache/type-edit.ts). Each read is one key, and a key is kept as its 32-bit hash (slotHash):
 *
 * - `T name`: whether `name` is a struct or union, or what typedef `name` stands for (canonical, isStruct);
 * - `F struct member`: the member `member` of `struct` (its presence, type, array-ness, parameters);
 * - `O struct N`: which member of `struct` is the N-th (from 0: a positional initializer `#N`);
 * - `N member`: which structs have a member of that name (structsWithFields);
 * - `R name`: the return type of `name` (a function, prototype or macro: a `{k:'ret'}` expression);
 * - `S path`: the file `path` defines a struct tag that other files define too, and the resolution
 *   chose among them by include visibility (split-tags.ts): an edit of #include lines moving it into
 *   or out of a file's closure may change that file's choice (cache/include-edit.ts).
 *
 * The names of a file's anonymous structs (`struct <anon net/x.c:907>`) are kept without their
 * line (anonKey), so that an edit that only moves them reads as no change. A collision of two keys'
 * hashes only makes a patch resolve in full.
 */
export type TypeReadKind = 'T' | 'F' | 'O' | 'N' | 'R' | 'S';

/** An anonymous struct's name without the line it is written on: `<anon net/x.c:907>` -> `<anon net/x.c>`. */
export const anonKey = (name: string): string => (name.includes('<anon ') ? name.replace(/(<anon [^>]*?):\d+>/g, '$1>') : name);

/** The hash of one read's key, as TypeReadSet holds it. */
export function typeReadHash(kind: TypeReadKind, name: string, member?: string): number {
  return slotHash(member === undefined ? `${kind}\u0001${anonKey(name)}` : `${kind}\u0001${anonKey(name)}\u0001${member}`);
}

/** Collects the reads of a TypeModel during one resolution (plain sets: a read is noted once, without building a key string per read). */
export class TypeReadRecorder {
  readonly names = new Set<string>();
  readonly members = new Map<string, Set<string>>();
  readonly orders = new Map<string, Set<number>>();
  readonly fieldNames = new Set<string>();
  readonly returns = new Set<string>();
  /** Paths of the definitions of split tags the resolution chose among (`S` keys). */
  readonly definers = new Set<string>();
  /** Each question of which structs have members of all these names (structsWithFields), as memberQueryKey names it, with how many structs had them. */
  readonly memberQueries = new Map<string, number>();

  /** structsWithFields(names) was asked and `found` structs (and unions) have every one of them. */
  memberQuery(names: readonly string[], found: number): void {
    for (const n of names) this.fieldNames.add(n);
    const key = memberQueryKey(names);
    if (!this.memberQueries.has(key)) this.memberQueries.set(key, found);
  }

  member(struct: string, field: string): void {
    let set = this.members.get(struct);
    if (!set) this.members.set(struct, (set = new Set()));
    set.add(field);
  }

  position(struct: string, at: number): void {
    let set = this.orders.get(struct);
    if (!set) this.orders.set(struct, (set = new Set()));
    set.add(at);
  }

  /** The reads as hashes, ascending and each once (GraphPayload.typeReads packs them). */
  snapshot(): Uint32Array {
    const hashes: number[] = [];
    for (const n of this.names) hashes.push(typeReadHash('T', n));
    for (const [s, fields] of this.members) for (const f of fields) hashes.push(typeReadHash('F', s, f));
    for (const [s, at] of this.orders) for (const i of at) hashes.push(typeReadHash('O', s, String(i)));
    for (const f of this.fieldNames) hashes.push(typeReadHash('N', f));
    for (const r of this.returns) hashes.push(typeReadHash('R', r));
    for (const d of this.definers) hashes.push(typeReadHash('S', d));
    const sorted = Uint32Array.from(hashes).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
    return sorted.slice(0, n);
  }
}

/** True when `hash` is one of the ascending `reads` (a TypeReadRecorder snapshot, or any ascending hash list). */
export function wasRead(reads: Uint32Array, hash: number): boolean {
  let lo = 0;
  let hi = reads.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = reads[mid]!;
    if (v === hash) return true;
    if (v < hash) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** A question of which structs have members of all these names, as a key: the names each once, sorted, joined by spaces (member names are C names). */
export const memberQueryKey = (names: readonly string[]): string => [...new Set(names)].sort().join(' ');

/**
 * Questions of which structs have members of given names, with how many structs had them, as the
 * graph keeps them (GraphPayload.memberQueries): one line per question, `count names...`, in the
 * order of their keys. A patch keeps each count a lower bound of the structs that have them
 * (cache/member-queries.ts).
 */
export interface MemberQuery {
  names: string[];
  count: number;
}

/** MemberQueries as text: `count names...` lines in the order of their keys (memberQueryKey). */
export function packMemberQueries(queries: ReadonlyMap<string, number>): string {
  return [...queries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, count]) => `${count} ${key}`).join('\n');
}

/** The questions packMemberQueries wrote. */
export function readMemberQueries(text: string): MemberQuery[] {
  if (!text) return [];
  return text.split('\n').map((line) => {
    const [count, ...names] = line.split(' ');
    return { names, count: Number(count) };
  });
}
