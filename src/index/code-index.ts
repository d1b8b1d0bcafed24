import type { Profile } from '../profiles/profile.js';
import type { CallFact, FileFacts } from '../types/facts.js';
import type { BindingScope } from '../types/scope.js';
import { StringTable } from '../util/string-table.js';
import { stringItems } from '../util/text-slices.js';
import { IncludeGraph } from './include-graph.js';
import { NameNodes } from './name-nodes.js';
import { NodeColumns } from './node-columns.js';
import { configuredFiles, leftOutUnder, maskFileFacts } from './inactive-calls.js';
import { functionFlags, type IndexSnapshot, NodeFlag } from './node-flags.js';
import { type NameRows, snapshotNameRows, snapshotStrings } from './snapshot-reads.js';

export { functionFlags, NodeFlag, SHORT_FUNCTION_LINES, type IndexSnapshot } from './node-flags.js';

/**
 * The merged index: one node per function or function-like macro, in flat arrays indexed by
 * node id, then one per external function (called, defined in no indexed file) after them.
 * The per-file facts stay available for the resolver (types, bindings, call details).
 */
export class CodeIndex extends NodeColumns {
  readonly strings: StringTable;
  /** Interned name (or alias) -> node ids, ascending (built index). */
  private readonly byName = new NameNodes();
  /** The same as rows (index loaded from a snapshot): start(s)..start(s + 1) index nameNodes (nameStart), each read alone while not read whole. */
  private readonly nameRows: NameRows | null = null;
  /** False for an index loaded from a snapshot: `calls` and the per-file facts are absent. */
  readonly hasFacts: boolean = true;
  private scope: BindingScope | null = null;
  /** The facts as given, when `files` hands out copies with left-out calls neutral; by facts read on demand, their copies (inactive-calls.ts). */
  private rawFiles: FileFacts[] | null = null;
  private maskedFacts = new WeakMap<FileFacts, FileFacts>();

  /**
   * The include-visibility and activity oracles binding by name uses (resolve/definition-scope.ts);
   * null: every definition is active and the rule without include visibility applies. Set before
   * resolving (and before explain), by whoever knows the tree's include graph and build model. From
   * then on `files`, `fileFacts` and `calls` hand out neutral the calls inside `#if` blocks of bodies
   * its configuration leaves out (DefinitionActivity.callActive; index/inactive-calls.ts). */
  get bindingScope(): BindingScope | null {
    return this.scope;
  }

  set bindingScope(scope: BindingScope | null) {
    this.scope = scope;
    this.maskedFacts = new WeakMap();
    if (this.hasFacts) this.filesHeld = configuredFiles((this.rawFiles ??= this.files), leftOutUnder(scope), this);
  }

  /** What makes `files` when first read (constructor), or null when they were given; `files` once given or made. */
  private readonly filesMade: (() => FileFacts[]) | null = null;
  private filesHeld: FileFacts[] | null = null;

  /** The indexed files' facts by file id (of an index loaded from a snapshot: their paths alone, made when first read). */
  get files(): FileFacts[] {
    return (this.filesHeld ??= this.filesMade!());
  }

  /** How many files are indexed, without making `files` (a snapshot's paths are counted as stored). */
  get fileCount(): number {
    return this.filesHeld ? this.filesHeld.length : this.source ? stringItems(this.source, 'files').length : this.files.length;
  }

  /** The path of file `file` (an index into `files`), read alone from a snapshot while `files` is not made. */
  filePath(file: number): string {
    return this.filesHeld ? this.filesHeld[file]!.path : this.source ? stringItems(this.source, 'files').at(file) : this.files[file]!.path;
  }

  /** Every file's path by file id, without making `files` when they are not made (a snapshot's paths as stored; --cpu-prof of Linux 6.1's member assignment edit: the link units of a tie-break took 167 ms with the 43,000 path-only facts made for them, at load 8, and 20 ms so, at load 2.5). */
  filePaths(): readonly string[] {
    return this.filesHeld || !this.source ? this.files.map((f) => f.path) : stringItems(this.source, 'files').all();
  }

  /** For an index loaded from a snapshot: reads one file's facts on demand (see readFactsFrom). */
  private factsOf: ((file: number) => FileFacts) | null = null;
  private includes: IncludeGraph | null = null;

  /**
   * From per-file facts; or, with a snapshot, from cached tables alone (then `files` holds
   * only paths, `hasFacts` is false and call details are not available).
   */
  constructor(
    /** Root of the tree the files are under; null for an index opened from an export, with no source at hand. */
    readonly root: string | null,
    readonly profile: Profile,
    /**
     * The files' facts by file id, or (with a snapshot) what makes them from the snapshot's paths
     * when `files` is first read: a query on a cached graph reads a few paths of a kernel's 43,000
     * (filePath), and making their objects cost it some 40-90 ms and their collection.
     */
    files: FileFacts[] | (() => FileFacts[]),
    snapshot?: IndexSnapshot,
  ) {
    super();
    if (typeof files === 'function') this.filesMade = files;
    else this.filesHeld = files;
    if (snapshot) {
      // Names are read one at a time from a cached snapshot that keeps them packed (util/text-slices.ts); the
      // node columns whole when first used, or a row at a time before that (row, nameRows, the string table's sort order).
      this.source = snapshot;
      this.strings = snapshotStrings(snapshot);
      this.nameRows = snapshotNameRows(snapshot);
      this.hasFacts = false;
      return;
    }
    this.strings = new StringTable();
    let count = 0;
    for (const f of this.files) count += f.functions.length + f.macros.length;
    this.nodeName = new Int32Array(count);
    this.nodeFile = new Int32Array(count);
    this.nodeLine = new Int32Array(count);
    this.nodeFlags = new Uint8Array(count);
    this.nodeItem = new Int32Array(count);
    let id = 0;
    this.files.forEach((f, fileId) => {
      const header = f.path.endsWith('.h') ? NodeFlag.Header : 0;
      f.functions.forEach((fn, i) => {
        this.addNode(id, fn.name, fileId, fn.line, functionFlags(fn, header), i);
        // A name the file's own functions have (a definer's expansion made it: expand-definers.ts) is no alias.
        for (const alias of fn.aliases ?? []) if (!f.functions.some((g) => g.name === alias)) this.addName(alias, id);
        id++;
      });
      f.macros.forEach((m, i) => this.addNode(id++, m.name, fileId, m.line, NodeFlag.Macro | header, i));
    });
  }

  private addNode(id: number, name: string, file: number, line: number, flags: number, item: number): void {
    this.nodeName[id] = this.addName(name, id);
    this.nodeFile[id] = file;
    this.nodeLine[id] = line;
    this.nodeFlags[id] = flags;
    this.nodeItem[id] = item;
  }

  /**
   * Appends one external node per name (names the index defines nothing under), in the order
   * given; returns their ids. Only for an index built from facts, before its snapshot is taken.
   */
  addExternals(names: string[]): number[] {
    if (!this.hasFacts) throw new Error('external nodes are added while resolving, not to a loaded snapshot');
    const first = this.nodeCount;
    const grow = <T extends Int32Array | Uint8Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(first + names.length);
      b.set(a);
      b.fill(fill, first);
      return b;
    };
    this.nodeName = grow(this.nodeName, 0);
    this.nodeFile = grow(this.nodeFile, -1);
    this.nodeLine = grow(this.nodeLine, 0);
    this.nodeFlags = grow(this.nodeFlags, NodeFlag.External);
    this.nodeItem = grow(this.nodeItem, -1);
    return names.map((name, i) => {
      this.nodeName[first + i] = this.addName(name, first + i);
      return first + i;
    });
  }

  private addName(name: string, id: number): number {
    const s = this.strings.intern(name);
    this.byName.add(s, id);
    return s;
  }

  name(node: number): string {
    return this.strings.get(this.nameIdOf(node));
  }

  /** Path of the file defining a node; '' for an external node. */
  file(node: number): string {
    return this.isExternal(node) ? '' : this.filePath(this.fileIdOf(node));
  }

  isMacro(node: number): boolean {
    return (this.flagsOf(node) & NodeFlag.Macro) !== 0;
  }

  /** True for a function called but defined in no indexed file. */
  isExternal(node: number): boolean {
    return (this.flagsOf(node) & NodeFlag.External) !== 0;
  }

  /** The external node of a name, or -1. */
  externalNamed(name: string): number {
    for (const n of this.nodesNamed(name)) if (this.isExternal(n)) return n;
    return -1;
  }

  /** Node ids defined under this name or alias. */
  nodesNamed(name: string): number[] {
    const s = this.strings.find(name);
    if (s < 0) return [];
    if (this.nameRows) {
      const out: number[] = [];
      for (let i = this.nameRows.start(s), end = this.nameRows.start(s + 1); i < end; i++) out.push(this.nameRows.node(i));
      return out;
    }
    return this.byName.nodes(s);
  }

  /** How many nodes are named as `node` is (itself included), found by its name's id: no lookup of the name. */
  namesakes(node: number): number {
    const s = this.nameIdOf(node);
    if (this.nameRows) return this.nameRows.start(s + 1) - this.nameRows.start(s);
    return this.byName.count(s);
  }

  /** Every name and alias that designates a node. */
  *names(): Generator<string> {
    // Every row: the snapshot's name rows read whole.
    const start = this.nameRows ? this.source!.nameStart : null;
    for (let s = 0; s < this.strings.size; s++) {
      const has = start ? start[s + 1]! > start[s]! : this.byName.count(s) > 0;
      if (has) yield this.strings.get(s);
    }
  }

  snapshot(): IndexSnapshot {
    const { start: nameStart, nodes: nameNodes } = this.byName.rows(this.strings.values.length);
    return {
      files: this.files.map((f) => f.path),
      strings: this.strings.values,
      sortedStrings: this.strings.sortOrder(),
      nameStart,
      nameNodes,
      nodeName: this.nodeName,
      nodeFile: this.nodeFile,
      nodeLine: this.nodeLine,
      nodeFlags: this.nodeFlags,
      nodeItem: this.nodeItem,
    };
  }

  /**
   * Lets an index loaded from a snapshot answer `calls` and `fileFacts` by reading one file's
   * facts at a time through `load` (file id -> facts; it may throw). `hasFacts` stays false.
   * Null forgets the reader (its file closed): `factsReadable` is false again.
   */
  readFactsFrom(load: ((file: number) => FileFacts) | null): void {
    this.factsOf = load;
  }

  /** True when `fileFacts` and `calls` can answer: facts built, or readable on demand (readFactsFrom). */
  get factsReadable(): boolean {
    return this.hasFacts || this.factsOf !== null;
  }

  /** The facts of file `file` (an index into `files`): as built, or read on demand; throws when neither is available. */
  fileFacts(file: number): FileFacts {
    if (this.hasFacts) return this.files[file]!;
    if (!this.factsOf) throw new Error('call details need the per-file facts; open the tree with facts');
    return this.configured(this.factsOf(file), file);
  }

  /**
   * The facts of file `file` as the binding scope's configuration sees them (what `fileFacts` hands
   * out; a patch compares edited files' facts so): a copy with the calls it leaves out neutral
   * (index/inactive-calls.ts), or `facts` itself when none is. */
  configured(facts: FileFacts, file: number): FileFacts {
    const leftOut = leftOutUnder(this.scope);
    if (!leftOut) return facts;
    let masked = this.maskedFacts.get(facts);
    if (!masked) this.maskedFacts.set(facts, (masked = maskFileFacts(facts, file, leftOut)));
    return masked;
  }

  /**
   * The architecture whose include path applies: the one folder under the profile's `archDir`
   * the indexed files come from; the profile's default when they come from none or several
   * ('all'); '' for a profile without architectures.
   */
  get arch(): string {
    const dir = this.profile.archDir;
    if (!dir) return '';
    const seen = new Set<string>();
    for (const f of this.files) if (f.path.startsWith(`${dir}/`)) seen.add(f.path.slice(dir.length + 1).split('/')[0]!);
    return seen.size === 1 ? [...seen][0]! : (this.profile.defaultArch ?? '');
  }

  /**
   * The include graph of the indexed files (IncludeGraph.build with every condition taken as
   * possibly true), built on first use from each file's includes: the per-file facts must be
   * built, or readable on demand (readFactsFrom; then every file's facts are read once).
   */
  get includeGraph(): IncludeGraph {
    if (!this.includes) {
      const facts = this.hasFacts ? this.files : this.files.map((f, i) => ({ path: f.path, includes: this.fileFacts(i).includes }));
      this.includes = IncludeGraph.build(facts, this.profile, this.arch);
    }
    return this.includes;
  }

  /**
   * Installs the include graph `includeGraph` answers with: one restored from the graph cache
   * (IncludeGraph.fromSnapshot), or one built with a condition predicate (IncludeGraph.build).
   */
  useIncludeGraph(graph: IncludeGraph): void {
    this.includes = graph;
  }

  /** The calls written in a node's body (needs the per-file facts, built or read on demand). */
  calls(node: number): CallFact[] {
    if (this.isExternal(node)) return [];
    const f = this.fileFacts(this.nodeFile[node]!);
    const item = this.nodeItem[node]!;
    return this.isMacro(node) ? f.macros[item]!.calls : f.functions[item]!.calls;
  }
}
