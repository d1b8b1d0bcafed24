import type { FileFacts, StructFact } from '../types/facts.js';
import type { IncludeVisibility } from '../types/scope.js';

/** A member of a struct or union as the type model keeps it. */
export interface FieldInfo {
  type: string;
  array: boolean;
  /** For a function pointer member: its parameters' base types (StructFact fields' params). */
  params?: string[];
}

/**
 * StructFact fields as the type model keeps them, one frozen FieldInfo for each type and array
 * mark that no parameter list comes with (a function pointer member's has one of its own).
 *
 * Why: most members repeat a few thousand types (`int`, `u32`, `struct list_head`), and a kernel's
 * type model held a FieldInfo per member of every struct definition, kept through the whole
 * resolution: net/, include/, drivers/net and drivers/gpu of Linux 6.1 made 357,000 of them (16 MB
 * of heap, their own bytes alone).
 */
export class FieldInfos {
  private readonly plain = new Map<string, FieldInfo>();
  private readonly arrays = new Map<string, FieldInfo>();

  /** The FieldInfo of field `x` (shared with every other field of its type and array mark when it has no parameter list). */
  of(x: StructFact['fields'][number]): FieldInfo {
    if (x.fnptr && x.params) return { type: x.type, array: !!x.array, params: x.params };
    const pool = x.array ? this.arrays : this.plain;
    let info = pool.get(x.type);
    if (!info) pool.set(x.type, (info = Object.freeze({ type: x.type, array: !!x.array })));
    return info;
  }
}

/** One file's definition of a tag several files define: its members merged as TypeModel merges a tag's (the first of each name wins; the order is the first definition's). */
export interface TagDefinition {
  /** File id (index into the FileFacts the model was made of). */
  file: number;
  /** The qualified name the type model gives it: `struct nic_hw@drivers/net/alpha/alpha_hw.h`. */
  name: string;
  fields: Map<string, FieldInfo>;
  order: string[];
}

/** Where a qualified name's file part starts: C names hold no `@`. */
const AT = '@';

/** The tag a type model name stands for: `struct nic_hw@drivers/x.h` -> `struct nic_hw`; any other name as it is. */
export const tagOf = (name: string): string => {
  const at = name.indexOf(AT);
  return at < 0 ? name : name.slice(0, at);
};

/** How many leading folders two paths share. */
function sharedFolders(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

/**
 * Struct and union tags that several files define, told apart by the definition a file sees.
 *
 * In Linux, drivers forked from one another keep the same tags with other members: e1000, e1000e,
 * igb and igbvf each define `struct e1000_hw` and `struct e1000_mac_operations` in their own
 * headers (drivers/net/ethernet/intel/*), and staging drivers copy their vendor's
 * `struct fwevent`. A compiler sees one of them per translation unit, so a member call binds only
 * what is stored into that definition's member. Such a tag is named by its definition's file
 * (`struct e1000_hw@drivers/net/ethernet/intel/igb/e1000_hw.h`), so that its members are slots of
 * their own. A file sees: its own definition; else those in its include closure; else (an include
 * the index does not resolve, a header relying on its includer) the headers'. Among several, the
 * one whose folder is nearest the file's, then the first indexed. A tag defined more than once in
 * a single file (under `#if` branches) is one definition, merged.
 */
export class SplitTags {
  /** Tag -> the first file defining it. */
  private readonly firstFile = new Map<string, number>();
  /** Tags defined in several files -> each file's definition, in file order. */
  private readonly byTag = new Map<string, TagDefinition[]>();
  private readonly byName = new Map<string, TagDefinition>();
  /** Tag -> seeing file id -> the qualified name chosen. */
  private readonly chosen = new Map<string, Map<number, string>>();
  /** Tag -> file id -> whether the file sees a definition of the tag (seesOne). */
  private readonly sighted = new Map<string, Map<number, boolean>>();
  /** Files of the definitions of every tag qualify() was asked about. */
  readonly consulted = new Set<number>();

  constructor(
    private readonly files: FileFacts[],
    private readonly visibility: IncludeVisibility | undefined,
    infos = new FieldInfos(),
  ) {
    const several = new Set<string>();
    files.forEach((f, file) => {
      for (const s of f.structs) {
        const first = this.firstFile.get(s.name);
        if (first === undefined) this.firstFile.set(s.name, file);
        else if (first !== file) several.add(s.name);
      }
    });
    if (!visibility || !several.size) return;
    files.forEach((f, file) => {
      for (const s of f.structs) {
        if (!several.has(s.name)) continue;
        let defs = this.byTag.get(s.name);
        if (!defs) this.byTag.set(s.name, (defs = []));
        let def = defs[defs.length - 1];
        if (def?.file !== file) {
          def = { file, name: `${s.name}${AT}${f.path}`, fields: new Map(), order: s.fields.map((x) => x.name) };
          defs.push(def);
          this.byName.set(def.name, def);
        }
        for (const x of s.fields) if (!def.fields.has(x.name)) def.fields.set(x.name, infos.of(x));
      }
    });
  }

  /** The definition a qualified name names; undefined for any other name. */
  definition(name: string): TagDefinition | undefined {
    return this.byName.size ? this.byName.get(name) : undefined;
  }

  /**
   * The file whose view names the members of `holder`: a qualified name's definition file, a tag
   * defined in one file's file; undefined for a split tag named bare (no file to see from).
   */
  definer(holder: string): number | undefined {
    const def = this.definition(holder);
    if (def) return def.file;
    return this.byTag.has(holder) ? undefined : this.firstFile.get(holder);
  }

  /**
   * `tag` as file `seer` sees it: qualified when several files define it (see the class comment), else
   * as it is. `reader`, when given, is the file whose code reads the type through `seer`'s (the file
   * holding a call through a member of a struct `seer` defines): when `seer` sees no definition of the
   * tag, in itself or its include closure, the tag is the one `reader` sees, as a compiler completes
   * it in the reader's translation unit (`const struct sched_class *sched_class;` of struct
   * task_struct in include/linux/sched.h, which only names the tag; kernel/sched/core.c sees
   * kernel/sched/sched.h's definition, not cxgb4's).
   */
  qualify(tag: string, seer: number, reader?: number): string {
    const defs = this.byTag.get(tag);
    if (!defs) return tag;
    if (reader !== undefined && reader !== seer && !this.seesOne(tag, defs, seer)) seer = reader;
    let bySeer = this.chosen.get(tag);
    if (!bySeer) {
      this.chosen.set(tag, (bySeer = new Map()));
      for (const d of defs) this.consulted.add(d.file);
    }
    let name = bySeer.get(seer);
    if (name === undefined) {
      name = this.choose(defs, seer).name;
      bySeer.set(seer, name);
    }
    return name;
  }

  /** Whether `seer` defines `tag` or has a definition of it in its include closure (kept per tag and file). */
  private seesOne(tag: string, defs: TagDefinition[], seer: number): boolean {
    let bySeer = this.sighted.get(tag);
    if (!bySeer) this.sighted.set(tag, (bySeer = new Map()));
    let sees = bySeer.get(seer);
    if (sees === undefined) {
      sees = defs.some((d) => d.file === seer || this.visibility!.sees(seer, d.file));
      bySeer.set(seer, sees);
    }
    return sees;
  }

  private choose(defs: TagDefinition[], seer: number): TagDefinition {
    const own = defs.find((d) => d.file === seer);
    if (own) return own;
    let pool = defs.filter((d) => this.visibility!.sees(seer, d.file));
    if (!pool.length) pool = defs.filter((d) => !this.files[d.file]!.path.endsWith('.c'));
    if (!pool.length) pool = defs;
    if (pool.length === 1) return pool[0]!;
    const path = this.files[seer]?.path ?? '';
    let best = pool[0]!;
    let most = sharedFolders(path, this.files[best.file]!.path);
    for (const d of pool.slice(1)) {
      const n = sharedFolders(path, this.files[d.file]!.path);
      if (n > most) [best, most] = [d, n];
    }
    return best;
  }
}
