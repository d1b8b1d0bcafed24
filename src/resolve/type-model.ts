import type { FileFacts, TypeExpr } from '../types/facts.js';
import type { IncludeVisibility } from '../types/scope.js';
import { gluedToIdentifier } from '../util/c-identifier.js';
import type { TypeReadRecorder } from './type-reads.js';
import { type FieldInfo, FieldInfos, SplitTags, tagOf } from './split-tags.js';

/** `const ` or `volatile ` as a whole word (not the end of an identifier such as `écrire_const`). */
const QUALIFIER = /\b(?:const|volatile)\s+/g;
const dropQualifier = (m: string, at: number, type: string): string => (gluedToIdentifier(type, at, at) ? m : '');

export type { FieldInfo } from './split-tags.js';

/** The declared type of a function pointer: return base type and parameter base types. */
export interface PointerSignature {
  returns: string;
  params: string[];
}

/** A member slot: the struct that holds a field, and the field. Bindings are keyed by it. */
export interface Slot {
  holder: string;
  field: string;
}

export const slotKey = (s: Slot): string => `${s.holder}.${s.field}`;

/**
 * Every type fact of the tree merged: struct fields, typedefs, return types, globals and
 * member-path macros. Evaluates the TypeExprs the parse stage recorded.
 */
export class TypeModel {
  private readonly fields = new Map<string, Map<string, FieldInfo>>();
  /** Each struct's members in declaration order, as its first definition's facts list them (the facts' own array, not a copy of their names). */
  private readonly order = new Map<string, readonly { name: string }[]>();
  private readonly typedefs = new Map<string, string>();
  private readonly returns = new Map<string, string>();
  /** File-scope variables by name: a non-static declaration's type (the first file's), else the first static's. */
  private readonly globals = new Map<string, string>();
  /** By file number, name -> type of each file's own file-scope variables (its statics shadow other files' globals). */
  private readonly fileGlobals: Map<string, string>[] = [];
  /** By file number, name -> return type of each file's own static functions (they shadow other files' functions of the name). */
  private readonly fileReturns: Map<string, string>[] = [];
  private readonly aliases = new Map<string, string[]>();
  /** Object-like macros whose value is one identifier (`#define rcu_head callback_head`): a struct tag may be written through one. */
  private readonly tagAliases = new Map<string, string>();
  /** File-scope function pointers (and arrays of them) by name: their declared type (the first file's, when several declare one). */
  private readonly pointers = new Map<string, PointerSignature>();
  /** Tags defined in several files, each definition apart (split-tags.ts). */
  private readonly split: SplitTags;

  /**
   * @param reads when given, every read of a struct, member, member order, typedef or return type
   *   is noted in it (type-reads.ts), for the graph cache's patch of type edits.
   * @param visibility the include visibility of the tree's files (file ids: indexes into `files`);
   *   when given, a tag defined in several files is told apart by the definition each file sees
   *   (split-tags.ts); without it, a tag's definitions are merged.
   */
  constructor(
    files: FileFacts[],
    private reads: TypeReadRecorder | null = null,
    visibility?: IncludeVisibility,
  ) {
    // Maps by file number, not `${file}:${name}` string keys: no key string is built per global or static function.
    files.forEach((f, fileId) => {
      const globals = new Map<string, string>();
      for (const g of f.globals) if (!globals.has(g.name)) globals.set(g.name, g.type);
      if (globals.size) this.fileGlobals[fileId] = globals;
      const returns = new Map<string, string>();
      for (const fn of f.functions) if (fn.isStatic && !returns.has(fn.name)) returns.set(fn.name, fn.returns);
      if (returns.size) this.fileReturns[fileId] = returns;
    });
    const infos = new FieldInfos();
    for (const f of files) {
      for (const s of f.structs) {
        let map = this.fields.get(s.name);
        if (!map) {
          map = new Map();
          this.fields.set(s.name, map);
          this.order.set(s.name, s.fields);
        }
        for (const x of s.fields) if (!map.has(x.name)) map.set(x.name, infos.of(x));
      }
      for (const [name, base] of f.typedefs) if (!this.typedefs.has(name)) this.typedefs.set(name, base);
      for (const fn of f.functions) if (!this.returns.has(fn.name)) this.returns.set(fn.name, fn.returns);
      for (const [name, type] of f.prototypes) if (!this.returns.has(name)) this.returns.set(name, type);
      for (const m of f.macros) if (m.returns && !this.returns.has(m.name)) this.returns.set(m.name, m.returns);
      for (const g of f.globals) if (!g.isStatic && !this.globals.has(g.name)) this.globals.set(g.name, g.type);
      for (const g of f.globals) if (g.fnptr && g.params && !this.pointers.has(g.name)) this.pointers.set(g.name, { returns: g.type, params: g.params });
      for (const [name, path] of f.fieldAliases) if (!this.aliases.has(name)) this.aliases.set(name, path);
      for (const d of f.defines ?? []) if (d.value && !this.tagAliases.has(d.name)) this.tagAliases.set(d.name, d.value);
    }
    // A name only static variables have: the first file's stands for callers that give no file.
    for (const f of files) for (const g of f.globals) if (!this.globals.has(g.name)) this.globals.set(g.name, g.type);
    this.split = new SplitTags(files, visibility, infos);
  }

  /**
   * The files of the definitions of the tags split so far, as the include graph decided them
   * (SplitTags.definers): an edit of #include lines that moves one of them into or out of a
   * file's include closure may change what that file's expressions evaluate to.
   */
  splitDefiners(): Set<number> {
    return this.split.consulted;
  }

  /** The members of a struct, union or split tag (`struct foo@path`), or undefined. */
  private fieldsOf(struct: string): Map<string, FieldInfo> | undefined {
    return this.fields.get(struct) ?? this.split.definition(struct)?.fields;
  }

  /**
   * Follows typedefs (and a tag written through a one-identifier macro: `struct rcu_head`,
   * `#define rcu_head callback_head`) to the struct or union they name (or the last name reached).
   * A tag defined in several files is named by the definition file `seer` (a file id) sees
   * (`struct nic_hw@drivers/net/alpha/alpha_hw.h`: split-tags.ts); without `seer`, by its bare name.
   * `reader`: the file whose code reads the type through `seer`'s (SplitTags.qualify).
   */
  canonical(type: string, seer?: number, reader?: number): string {
    let t = type.replace(QUALIFIER, dropQualifier);
    if (this.split.definition(t)) return t;
    const reads = this.reads;
    for (let i = 0; i < 8; i++) {
      reads?.names.add(t);
      if (this.fields.has(t)) return seer === undefined ? t : this.split.qualify(t, seer, reader);
      const next = this.typedefs.get(t);
      if (!next) {
        // `struct foo` never defined but `typedef struct {..} foo` was: accept the bare name.
        const bare = t.replace(/^(struct|union) /, '');
        reads?.names.add(bare);
        if (this.fields.has(bare)) return seer === undefined ? bare : this.split.qualify(bare, seer, reader);
        // A tag written through a macro (`struct rcu_head` with `#define rcu_head callback_head`).
        const aliased = this.tagAliases.get(bare);
        const kw = /^(struct|union) /.exec(t)?.[1];
        if (kw && aliased) reads?.names.add(`${kw} ${aliased}`);
        if (kw && aliased && this.fields.has(`${kw} ${aliased}`)) return seer === undefined ? `${kw} ${aliased}` : this.split.qualify(`${kw} ${aliased}`, seer, reader);
        return t;
      }
      t = next;
    }
    return t;
  }

  /** True when `type` names a struct or union the tree defines (a split tag's qualified name too). */
  isStruct(type: string): boolean {
    this.reads?.names.add(tagOf(type));
    return this.fields.has(type) || !!this.split.definition(type);
  }

  /**
   * Field name -> the struct or union that has a field of that name, or the structs and unions when
   * several have one (built on first use, then held through the resolution). One name alone where
   * one struct has the field (most names): an array for each name cost some 60 bytes more a name.
   */
  private byField: Map<string, string | string[]> | null = null;

  /** The structs and unions (sorted) that have a field of each of these names (own fields, not member-path macros); none for no name. */
  structsWithFields(names: string[]): string[] {
    if (names.length === 0) return [];
    if (!this.byField) {
      this.byField = new Map();
      for (const [struct, fields] of this.fields) {
        for (const f of fields.keys()) {
          const had = this.byField.get(f);
          if (had === undefined) this.byField.set(f, struct);
          else if (typeof had === 'string') this.byField.set(f, [had, struct]);
          else had.push(struct);
        }
      }
    }
    const first = this.byField.get(names[0]!);
    let common = first === undefined ? [] : typeof first === 'string' ? [first] : first;
    for (const n of names.slice(1)) common = common.filter((s) => this.fields.get(s)!.has(n));
    this.reads?.memberQuery(names, common.length);
    return [...common].sort();
  }

  /**
   * The struct an expression evaluates to, or null. A variable (`{k:'global'}`) is looked up in
   * `file` first (file id in the FileFacts given to the constructor: the file the expression is
   * written in, whose own variables, statics included, shadow other files'), then among every
   * file's non-static variables; the value of a call (`{k:'ret'}`) likewise takes the file's own
   * static function of that name first.
   */
  evaluate(e: TypeExpr, file?: number, depth = 0): string | null {
    if (depth > 24) return null;
    switch (e.k) {
      case 'type':
        return this.canonical(e.name, file);
      case 'global': {
        const t = (file !== undefined ? this.fileGlobals[file]?.get(e.name) : undefined) ?? this.globals.get(e.name);
        return t ? this.canonical(t, file) : null;
      }
      case 'ret': {
        this.reads?.returns.add(e.fn);
        const t = (file !== undefined ? this.fileReturns[file]?.get(e.fn) : undefined) ?? this.returns.get(e.fn);
        return t ? this.canonical(t, file) : null;
      }
      case 'field': {
        const of = this.evaluate(e.of, file, depth + 1);
        if (!of) return null;
        const slot = this.slot(of, e.field);
        const info = slot ? this.member(slot.holder, slot.field) : undefined;
        return info ? this.memberStruct(slot!.holder, info, file) : null;
      }
    }
  }

  /**
   * Where `field` of `struct` lives: in the struct itself, or at the end of a member-path
   * macro (`sk_prot` is `__sk_common.skc_prot`, so struct sock_common holds it).
   */
  slot(struct: string, field: string): Slot | null {
    const own = this.fieldsOf(struct);
    this.reads?.member(tagOf(struct), field);
    if (own?.has(field)) return { holder: struct, field };
    const path = this.aliases.get(field);
    if (!path || !own) return null;
    let cur = struct;
    for (const step of path.slice(0, -1)) {
      const info = this.member(cur, step);
      if (!info) return null;
      cur = this.memberStruct(cur, info);
    }
    const last = path[path.length - 1]!;
    return this.member(cur, last) ? { holder: cur, field: last } : null;
  }

  /** The member `field` of `struct` (noted as read). */
  private member(struct: string, field: string): FieldInfo | undefined {
    this.reads?.member(tagOf(struct), field);
    return this.fieldsOf(struct)?.get(field);
  }

  /**
   * The struct a member of `holder` is, as the file defining `holder` sees its tag (SplitTags.definer),
   * or, when that file sees none, as `reader` (the file reading the member) does.
   */
  private memberStruct(holder: string, info: FieldInfo, reader?: number): string {
    return this.canonical(info.type, this.split.definer(holder), reader);
  }

  /**
   * The slot an initializer path reaches from a root struct: `['dst', 'output']`, or
   * positional `['#2']` (the third field); `#N` right after an array member selects an element.
   */
  walk(root: string, path: string[]): Slot | null {
    let cur = root;
    let inArray = false;
    let array: Slot | null = null;
    for (let i = 0; i < path.length; i++) {
      let step = path[i]!;
      if (step.startsWith('#')) {
        if (inArray) {
          // An element of an array member: the last one is the array member's own slot (`.hooks = { f, g }`).
          if (i === path.length - 1) return array;
          inArray = false;
          continue;
        }
        this.reads?.position(tagOf(cur), Number(step.slice(1)));
        const at = Number(step.slice(1));
        const inOrder = this.order.get(cur);
        const name = inOrder ? inOrder[at]?.name : this.split.definition(cur)?.order[at];
        if (!name) return null;
        step = name;
      }
      if (i === path.length - 1) return this.slot(cur, step);
      const slot = this.slot(cur, step);
      const info = slot ? this.member(slot.holder, slot.field) : undefined;
      if (!info) return null;
      cur = this.memberStruct(slot!.holder, info);
      inArray = info.array;
      array = slot;
    }
    return null;
  }

  /** The declared type of the function pointer member at `slot`; null when the member is no function pointer or its parameters were not recorded. */
  memberSignature(slot: Slot): PointerSignature | null {
    const info = this.member(slot.holder, slot.field);
    return info?.params ? { returns: info.type, params: info.params } : null;
  }

  /** The base type of the member at `slot` (pointers not counted) and whether it is a function pointer, noted as read; null when the model has no such member. */
  memberType(slot: Slot): { type: string; fnptr: boolean } | null {
    const info = this.member(slot.holder, slot.field);
    return info ? { type: info.type, fnptr: !!info.params } : null;
  }

  /**
   * The members that may lead a binding's root to a member holding functions: [holder, member]
   * pairs, for each struct or union defined in one file (no split tag, no anonymous struct) and
   * each of its own members whose type is one of `bound` (structs holding a member some binding
   * filled: BindingTable.slotHolders) or has a member of such a type (two levels: `struct
   * delayed_work` holds `struct work_struct`, whose `func` INIT_WORK fills). Pointer or not: the
   * facts' member types leave pointers out. In the order of the first definitions. Found without
   * noting reads: evaluate the pairs to note them.
   */
  membersLeadingTo(bound: ReadonlySet<string>): [string, string][] {
    const reads = this.reads;
    this.reads = null;
    try {
      const valueOf = new Map<FieldInfo, string | null>();
      const structOf = (info: FieldInfo): string | null => {
        let v = valueOf.get(info);
        if (v === undefined) valueOf.set(info, (v = this.fields.has((v = this.canonical(info.type))) ? v : null));
        return v;
      };
      const own = new Set([...bound].filter((name) => this.fields.has(name)));
      const holds = new Set(own);
      for (const [name, members] of this.fields) {
        for (const info of members.values()) {
          const to = structOf(info);
          if (to !== null && own.has(to)) {
            holds.add(name);
            break;
          }
        }
      }
      const out: [string, string][] = [];
      for (const [name, members] of this.fields) {
        if (name.includes('<anon ') || this.split.definer(name) === undefined) continue;
        for (const [field, info] of members) {
          const to = structOf(info);
          if (to !== null && holds.has(to) && !to.includes('<anon ')) out.push([name, field]);
        }
      }
      return out;
    } finally {
      this.reads = reads;
    }
  }

  /** The declared type of the file-scope function pointer (or array of them) `name`; null when there is none. */
  globalSignature(name: string): PointerSignature | null {
    return this.pointers.get(name) ?? null;
  }
}
