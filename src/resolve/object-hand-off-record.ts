import type { TypeExpr } from '../types/facts.js';

/** Numbers per registration in ObjectHandOffRecord.registrations: node, call site, rule, key, key as shown, handler's name. */
export const REGISTRATION_STRIDE = 6;

/** Numbers per queueing call in ObjectHandOffRecord.queued: node, call site, rule, key. */
export const QUEUED_STRIDE = 4;

/**
 * What a full resolution read to make the object hand-off edges (bind-object-hand-offs.ts), so
 * that a patch can add or take out a queueing call (`schedule_work(&adapter->reset_task)`,
 * `mod_timer(&priv->timer, ...)`) or a registration (`INIT_WORK(&adapter->reset_task, fn)`) as the
 * resolution would (patch-object-hand-offs.ts): the registrations under a key give every queueing
 * call with that key the same edges, and the type evaluations say what key a call's object has.
 * Columns of numbers naming `strings`.
 */
export interface ObjectHandOffRecord {
  /**
   * The strings the columns name, joined by NULs (one text, which the graph file stores deflated;
   * an array of strings would be stored raw): paths, keys, names, expressions' JSON (which escapes a NUL)
   * and struct names hold none. Read with handOffStrings.
   */
  strings: string;
  /**
   * Each registration with a key and a handler named (not a parameter), in the order the
   * resolution read them (node, then call site): node, call site, rule (index in
   * Profile.objectHandOffs), key, key as shown and the handler's name (string ids);
   * REGISTRATION_STRIDE numbers each. A patch moves them with their nodes and sites, drops those
   * whose call went, and adds those of calls added, in the same order.
   */
  registrations: Int32Array;
  /**
   * Each queueing call whose object has a key, with a registration under it or not, in the order
   * the resolution read them (node, then call site): node, call site, rule and key (a string id);
   * QUEUED_STRIDE numbers each. A registration added or taken out gives these calls of its key
   * other edges.
   */
  queued: Int32Array;
  /**
   * Every type evaluation the keys read: file path, the expression's JSON, and what it evaluated
   * to (string ids; -1: nothing). A patch reads the key of a call it adds from these alone.
   */
  evaluations: Int32Array;
}

/** Collects an ObjectHandOffRecord while resolveObjectHandOffs runs. */
export class ObjectHandOffRecorder {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly registrations: number[] = [];
  private readonly queued: number[] = [];
  private readonly evaluated = new Map<string, [number, number, number]>();

  private id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      this.ids.set(s, (id = this.strings.length));
      this.strings.push(s);
    }
    return id;
  }

  /** A registration read: its node, call site, rule, key and handler's name. */
  registration(node: number, site: number, rule: number, key: string, shown: string, handler: string): void {
    this.registrations.push(node, site, rule, this.id(key), this.id(shown), this.id(handler));
  }

  /** A queueing call read whose object has a key: its node, call site, rule and key. */
  queueing(node: number, site: number, rule: number, key: string): void {
    this.queued.push(node, site, rule, this.id(key));
  }

  /** `evaluate` as it is, each expression it is asked for noted once per file with its value. */
  evaluator(evaluate: (e: TypeExpr, file: number) => string | null, pathOf: (file: number) => string): KeyTypes {
    return {
      evaluate: (e, file) => {
        const value = evaluate(e, file);
        const path = pathOf(file);
        const json = JSON.stringify(e);
        const key = `${path}\u0000${json}`;
        if (!this.evaluated.has(key)) this.evaluated.set(key, [this.id(path), this.id(json), value === null ? -1 : this.id(value)]);
        return value;
      },
    };
  }

  done(): ObjectHandOffRecord {
    return { strings: this.strings.join('\u0000'), registrations: Int32Array.from(this.registrations), queued: Int32Array.from(this.queued), evaluations: Int32Array.from([...this.evaluated.values()].flat()) };
  }
}

const split = new WeakMap<ObjectHandOffRecord, string[]>();

/** The strings of a record, split once per record. */
export function handOffStrings(record: ObjectHandOffRecord): string[] {
  let strings = split.get(record);
  if (!strings) split.set(record, (strings = record.strings.split('\u0000')));
  return strings;
}

/** True for a record of this shape (one written by an earlier version is none). */
export const isHandOffRecord = (record: unknown): record is ObjectHandOffRecord => {
  const r = record as ObjectHandOffRecord | undefined;
  return !!r && typeof r.strings === 'string' && r.registrations instanceof Int32Array && r.queued instanceof Int32Array && r.evaluations instanceof Int32Array;
};

/** What objectKey needs of the type model: the struct an expression evaluates to in a file (TypeModel.evaluate). */
export interface KeyTypes {
  evaluate(e: TypeExpr, file: number): string | null;
}

/**
 * KeyTypes answered from a record's evaluations in `path`'s file (and, for a type named by its
 * text, in any file: anyFile): an expression the resolution never evaluated there is unknown, and
 * so is one reading a file-scope variable
 * (`{ k: 'global' }`) that the file does not define itself (`ownGlobals`: its own, which shadow
 * every other file's, TypeModel.evaluate; another file's may be added or removed); `missing` says
 * the first unknown one in words. A type named by its text that is a struct or union tag the file
 * alone defines (`own.tag`: defined-tags.ts ownTagsOf; `struct pfnet_priv`, const or volatile
 * aside) is that tag, as TypeModel.canonical names a tag no other file defines (no typedef is
 * named `struct X`), evaluated before or not; and a member of such a tag (`own.member`: its type in
 * the file's first definition of the tag that has it, TypeModel's merge) is what its type's text
 * is, told as above (`&bp->dw.work`: struct delayed_work, which some file evaluated).
 */
export function recordedTypes(record: ObjectHandOffRecord, path: string, ownGlobals: ReadonlySet<string>, own?: OwnTypes): KeyTypes & { missing: string | null } {
  const known = new Map<string, string | null>();
  const { evaluations } = record;
  const strings = handOffStrings(record);
  for (let i = 0; i < evaluations.length; i += 3) {
    if (strings[evaluations[i]!] !== path) continue;
    known.set(strings[evaluations[i + 1]!]!, evaluations[i + 2]! < 0 ? null : strings[evaluations[i + 2]!]!);
  }
  /** A type named by its text (`json`: its expression's JSON), evaluated in any file or a tag the file alone defines. */
  const named = (name: string, json = JSON.stringify({ k: 'type', name })): string | undefined => anyFile(record).get(json) ?? ownTagNamed(name, own?.tag);
  /** A member of a tag the file alone defines, by its type's text; undefined when the struct is no such tag or has no such member of its own. */
  const ownMember = (e: Extract<TypeExpr, { k: 'field' }>): string | undefined => {
    const of = types.evaluate(e.of);
    const type = of !== null && own?.tag(of) ? own.member(of, e.field) : undefined;
    return type === undefined ? undefined : named(type);
  };
  const types = {
    missing: null as string | null,
    evaluate(e: TypeExpr): string | null {
      const json = JSON.stringify(e);
      const value = known.get(json) ?? (e.k === 'type' ? named(e.name, json) : e.k === 'field' ? ownMember(e) : undefined);
      const own = ownRoot(e, ownGlobals);
      if (value === undefined || !own) {
        types.missing ??= own ? words(e) : `${words(e)}, a file-scope variable its file does not define`;
        return null;
      }
      return value;
    },
  };
  return types;
}

/** What recordedTypes reads of the struct and union tags an edited file alone defines: whether `tag` is one, and the type of its member `field` (undefined: none of its own). */
export interface OwnTypes {
  tag(tag: string): boolean;
  member(tag: string, field: string): string | undefined;
}

/** `name` as a tag (`struct foo`, its const and volatile words left out) when `ownTag` says the file alone defines it, else undefined. */
function ownTagNamed(name: string, ownTag: ((tag: string) => boolean) | undefined): string | undefined {
  const m = /^(?:(?:const|volatile)\s+)*(struct|union)\s+([A-Za-z_]\w*)$/.exec(name.trim());
  const tag = m ? `${m[1]} ${m[2]}` : undefined;
  return tag && ownTag?.(tag) ? tag : undefined;
}

const byType = new WeakMap<ObjectHandOffRecord, Map<string, string>>();

/**
 * A type named by its text (`{ k: 'type', name: 'struct e1000_adapter *' }`) evaluated in any file,
 * by its JSON: TypeModel.canonical reads the tree's typedefs and structs, the same for every file,
 * but for a tag several files define, which each file sees qualified by the definition it sees
 * (split-tags.ts: `struct e1000_hw@drivers/...`). So a value with no qualification, the same in every
 * file that evaluated it, is every file's; a type any file saw qualified, or saw otherwise, is none's.
 */
function anyFile(record: ObjectHandOffRecord): Map<string, string> {
  let map = byType.get(record);
  if (map) return map;
  const strings = handOffStrings(record);
  const seen = new Map<string, string | null>();
  const { evaluations } = record;
  for (let i = 0; i < evaluations.length; i += 3) {
    const json = strings[evaluations[i + 1]!]!;
    if ((JSON.parse(json) as TypeExpr).k !== 'type') continue;
    const value = evaluations[i + 2]! < 0 ? null : strings[evaluations[i + 2]!]!;
    const was = seen.get(json);
    seen.set(json, value === null || value.includes('@') || (was !== undefined && was !== value) ? null : value);
  }
  map = new Map([...seen].flatMap(([json, value]) => (value === null ? [] : [[json, value] as [string, string]])));
  byType.set(record, map);
  return map;
}

/** A type expression in words, for -v: `struct foo`, `member work of struct foo`, `the file-scope variable t`, `what f() returns`. */
export function words(e: TypeExpr): string {
  switch (e.k) {
    case 'type':
      return e.name;
    case 'global':
      return `the file-scope variable ${e.name}`;
    case 'ret':
      return `what ${e.fn}() returns`;
    case 'field':
      return `member ${e.field} of ${words(e.of)}`;
  }
}

/** False when `e` starts from a file-scope variable not among `own`. */
const ownRoot = (e: TypeExpr, own: ReadonlySet<string>): boolean => (e.k === 'field' ? ownRoot(e.of, own) : e.k !== 'global' || own.has(e.name));

/**
 * Which evaluations a patch drops (movedHandOffRecord): every one (`all`: #include lines changed,
 * which may change which definitions and typedefs a file sees); those made in `files` (added or
 * deleted, or whose file-scope variables changed: a file's own variables are all an evaluation of
 * one reads, recordedTypes); those naming an anonymous struct of `anonOf` (whose lines moved, which
 * name it: `struct <anon path:line>`). A struct, typedef or prototype edit drops none: every
 * evaluation kept was read by the resolution (type-reads.ts), and an edit of what one read
 * resolves in full (type-edit.ts).
 */
export interface DroppedEvaluations {
  all: boolean;
  files: ReadonlySet<string>;
  anonOf: ReadonlySet<string>;
}

/** A record moved by a patch (movedHandOffRecord), and the keys of the registrations it dropped (`rule NUL key`: keyOf). */
export interface MovedHandOffs {
  record: ObjectHandOffRecord;
  gone: Set<string>;
}

/** How a patch names a rule's key: the rule's index and the key, joined by a NUL. */
export const keyOf = (rule: number, key: string): string => `${rule}\u0000${key}`;

/**
 * The record after a patch: each registration's and queueing call's node and call site moved
 * (`map`: old node -> new, null when none moved; `sitesOf`: an old node's edited body's old call
 * site -> new, undefined when its body was not edited), those whose function or call went dropped
 * (the keys of the registrations dropped in `gone`), and the evaluations `drop` says dropped. Later
 * patches adding a call whose key reads a dropped evaluation resolve in full, until the next
 * resolution records it again.
 */
export function movedHandOffRecord(record: ObjectHandOffRecord, map: Int32Array | null, sitesOf: (old: number) => ReadonlyMap<number, number> | undefined, drop: DroppedEvaluations): MovedHandOffs {
  const strings = handOffStrings(record);
  const gone = new Set<string>();
  const moved = (column: Int32Array, stride: number, onGone?: (at: number) => void): Int32Array => {
    const kept: number[] = [];
    for (let i = 0; i < column.length; i += stride) {
      const old = column[i]!;
      const node = map ? map[old]! : old;
      const sites = sitesOf(old);
      const site = sites ? sites.get(column[i + 1]!) : column[i + 1]!;
      if (node < 0 || site === undefined) {
        onGone?.(i);
        continue;
      }
      kept.push(node, site);
      for (let k = 2; k < stride; k++) kept.push(column[i + k]!);
    }
    return Int32Array.from(kept);
  };
  const registrations = moved(record.registrations, REGISTRATION_STRIDE, (i) => gone.add(keyOf(record.registrations[i + 2]!, strings[record.registrations[i + 3]!]!)));
  const queued = moved(record.queued, QUEUED_STRIDE);
  return { record: { strings: record.strings, registrations, queued, evaluations: droppedFrom(record, drop) }, gone };
}

/** The evaluations of `record` but those `drop` says (see DroppedEvaluations). */
function droppedFrom(record: ObjectHandOffRecord, drop: DroppedEvaluations): Int32Array {
  if (drop.all) return new Int32Array(0);
  if (drop.files.size === 0 && drop.anonOf.size === 0) return record.evaluations;
  const strings = handOffStrings(record);
  const anon = [...drop.anonOf].map((path) => `<anon ${path}:`);
  const names = (id: number): boolean => id >= 0 && anon.some((a) => strings[id]!.includes(a));
  const kept: number[] = [];
  const { evaluations } = record;
  for (let i = 0; i < evaluations.length; i += 3) {
    if (drop.files.has(strings[evaluations[i]!]!) || names(evaluations[i + 1]!) || names(evaluations[i + 2]!)) continue;
    kept.push(evaluations[i]!, evaluations[i + 1]!, evaluations[i + 2]!);
  }
  return Int32Array.from(kept);
}
