/**
 * The build side of binding by name for one opened tree: the build model (config, conditions,
 * Kbuild; index/build-model.ts) made once and only when needed, the include graph under it, and
 * the BindingScope the resolver reads (src/types/scope.ts). What the graph cache keeps of it
 * (BuildRecord) lets a later run tell, by stat() alone, whether the cached graph still holds.
 */
import { type Stats, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { BUILD_MODEL_VERSION, type BuiltModel, buildBuildModel } from '../index/build-model.js';
import type { CodeIndex } from '../index/code-index.js';
import { type BuildFile, pathHash } from '../index/build-files.js';
import { IncludeGraph, type IncludeGraphSnapshot } from '../index/include-graph.js';
import { IncludedSources, withIncludedSources } from '../index/included-sources.js';
import type { Profile } from '../profiles/profile.js';
import { includeNamesOf } from './renumber-files.js';
import { answeredBuilt, answeredModel, buildAnswers, type BuildAnswers, isBuildAnswers } from './build-answers.js';
import { renewedRecord } from './build-renew.js';
import { CodeMacroTruth, type MacroDefinition, type MacroDefinitions, testedMacroDefinitions } from '../resolve/code-macros.js';
import { activityFromBuild, linkUnitsFrom, tieDeclarers } from '../resolve/scope-oracles.js';
import { type BuildModel, Truth } from '../types/build.js';
import type { BindingScope, IncludeVisibility } from '../types/scope.js';
import { sharedFrom } from '../util/shared-arrays.js';

/** What the graph cache keeps of the build a graph was resolved under. */
export interface BuildRecord {
  /** BUILD_MODEL_VERSION of the model that made the record: another version's record does not hold. */
  version: number;
  /** BuildModel.config.key: changes whenever an option value or a Kbuild rule may. */
  key: string;
  /** The --config file as given (absolute), or null. */
  config: string | null;
  /** Every path the build model looked at and found (build files read, folders listed), with its size and mtime then, and a file's content hash (BuiltModel.files: index/build-files.ts BuildFile). */
  files: BuildFile[];
  /** Every path the build model looked for and did not find (BuiltModel.absent): one appearing changes the model. */
  absent: string[];
  /** KBUILD_OUTPUT as the model read it ('' unset), when it looked for `$KBUILD_OUTPUT/.config` (BuiltModel.kbuildOutput). */
  kbuildOutput?: string;
  /** The include graph under that build (file ids of the graph's index). */
  includes: IncludeGraphSnapshot;
  /** Definitions of the code macros that conditions test (decided per translation unit: resolve/code-macros.ts). */
  macroDefs: [string, MacroDefinition[]][];
  /** For names defined by several global functions: the files declaring each by a prototype (ties broken by prototypes). */
  declarers: [string, number[]][];
  /** The last segment of every #include directive's name, sorted (cache/renumber-files.ts): an added file of another name opens no existing #include. Absent: an added file is resolved in full. */
  includeNames?: string[];
  /**
   * The model's answers to what binding by name asks of it (build-answers.ts): which files
   * Kbuild builds, and the options the conditions name. A graph loaded from the cache (and
   * patched) reads them instead of making the model. Absent: the model is made when asked.
   */
  answers?: BuildAnswers;
}

/** The build of one tree as opened: see the module comment. */
export class TreeBuild {
  private made: BuiltModel | null = null;
  /** What scopeFor gathered from its index's facts, kept for the record of that index. */
  private gathered: { index: CodeIndex; declarers: Map<string, number[]>; macroDefs: MacroDefinitions } | null = null;
  private readonly config: string | null;

  constructor(
    private readonly root: string,
    private readonly profile: Profile,
    private readonly arch: string,
    /** `--config FILE`, relative to the working directory. */
    config?: string,
  ) {
    this.config = config === undefined ? null : resolvePath(config);
  }

  /** The build model, made on first use (about 0.5 s on a whole kernel). Throws UsageError for a --config file that cannot be read. */
  get built(): BuiltModel {
    this.made ??= buildBuildModel(this.root, this.profile, { ...(this.arch ? { arch: this.arch } : {}), ...(this.config ? { configFile: this.config } : {}) });
    return this.made;
  }

  /** True once the build model has been made (reading the tree's Kconfig and Kbuild files). */
  get modelMade(): boolean {
    return this.made !== null;
  }

  /**
   * True when a graph resolved under `record` still holds: the same --config and KBUILD_OUTPUT
   * (when it was read), no path the model found changed or went away, and none it looked for
   * appeared (stat() of each: one per path of the record; a whole x86 kernel's record has about
   * 3,400 found and 1,900 absent (Linux 6.1): about 14 ms; a file of the same size whose mtime
   * moved is read (a folder listed), and holds when its hash is the one recorded). With `only`, the paths of the record
   * looked at are those alone (the others are vouched for otherwise: cache/kept-listing.ts).
   */
  unchanged(record: BuildRecord | undefined, only?: readonly string[]): boolean {
    return this.moved(record, only) === null;
  }

  /**
   * Why a graph resolved under `record` no longer holds (see unchanged), as --verbose says it:
   * `a build file or the configuration changed: net/ipv4/Makefile changed` (the first path found
   * moved, appeared or gone, or the --config file, KBUILD_OUTPUT or the model's version); null when it holds.
   */
  moved(record: BuildRecord | undefined, only?: readonly string[]): string | null {
    const why = (what: string): string => `a build file or the configuration changed: ${what}`;
    if (!record) return 'the cached graph keeps no record of the build it was resolved under';
    const setting = this.settingMoved(record);
    if (setting) return why(setting);
    // The record's relative paths are normal (no `.`, `..` or `//`): joined by concatenation, which costs half as much as path.join over thousands of paths.
    const base = this.root.endsWith('/') ? this.root : `${this.root}/`;
    const at = (p: string): string => (isAbsolute(p) ? p : base + p);
    const looked = only ? new Set(only) : null;
    for (const f of record.files) {
      if (looked && !looked.has(f.path)) continue;
      const s = statQuiet(at(f.path));
      if (!s) return why(`${f.path} is gone`);
      if (s.size === f.size && s.mtimeMs === f.mtimeMs) continue;
      // Moved: holds when what stands there hashes as the model found it (a file's bytes, of the same size; a folder's names).
      if (f.hash === undefined || (s.isFile() && s.size !== f.size) || pathHash(at(f.path), s) !== f.hash) return why(s.isDirectory() ? `the folder ${f.path} gained or lost entries` : `${f.path} changed`);
    }
    for (const p of record.absent) if ((!looked || looked.has(p)) && statQuiet(at(p))) return why(`${p} appeared`);
    return null;
  }

  /** What moved of a record's settings rather than its files: the model's version, --config, KBUILD_OUTPUT (when read); null when none did. */
  private settingMoved(record: BuildRecord): string | null {
    if (record.version !== BUILD_MODEL_VERSION) return 'the build model is of another version of pathfind';
    if (record.config !== this.config) return `--config ${this.config ?? 'is not given'}${record.config ? `, was ${record.config}` : ''}`;
    if (record.kbuildOutput !== undefined && record.kbuildOutput !== (process.env.KBUILD_OUTPUT ?? '')) return 'KBUILD_OUTPUT is another';
    return null;
  }

  /**
   * For a record whose build files moved (`moved` said so), the record carried over to the build
   * made of the tree now when it answers every question the graph was resolved with as before
   * (build-renew.ts renewedRecord: makes the model); else why not. `paths`: the graph's file paths
   * by the record's file ids; `patched`: those of files a patch adds or deletes. A setting that moved
   * (version, --config, KBUILD_OUTPUT) is never carried over: '' then (moved said why).
   */
  renewed(record: BuildRecord, paths: readonly string[], patched?: ReadonlySet<number>): BuildRecord | string {
    return this.settingMoved(record) !== null ? '' : renewedRecord(record, this.built, paths, this.profile, patched);
  }

  /** The scope for an index that has its facts: builds its include graph under the model. */
  scopeFor(index: CodeIndex): BindingScope {
    const model = this.built.model;
    const graph = IncludeGraph.build(index.files, this.profile, index.arch, (cond) => model.condition(cond) !== Truth.No, (path) => model.includeDirs(path));
    index.useIncludeGraph(graph);
    const { declarers, macroDefs } = this.gather(index);
    const units = this.unitsOf(index, graph);
    const visibility = visibilityOf(index, graph, units.sources);
    // A .c file other .c files include decides its conditions over the macros its units define too.
    const macros = new CodeMacroTruth(model, macroDefs, (unit, file) => visibility.sees(unit, file));
    return { visibility, activity: activityFromBuild(index, units.model, macros), declarers: (name) => declarers.get(name) ?? [], linkUnit: linkUnitsFrom(index, () => units.model) };
  }

  /** The scope for an index loaded from the graph cache, from what `record` kept (the model itself is made only if an activity is asked). */
  scopeFromRecord(index: CodeIndex, record: BuildRecord): BindingScope {
    // The record's include graph has its conditions decided already (see record): no model needed to follow it.
    const graph = IncludeGraph.fromSnapshot(record.includes);
    index.useIncludeGraph(graph);
    // Read only when a tie is broken (a patch): the record's declarers are a column read when first asked for (column-format.ts `packed`).
    let declarers: Map<string, number[]> | null = null;
    let activity: ReturnType<typeof activityFromBuild> | null = null;
    let answered: BuildModel | null = null;
    // The record's answers, when it has them: the model is made only for what they do not cover.
    const model = (): BuildModel => (answered ??= isBuildAnswers(record.answers) ? answeredModel(record.answers, record.key, this.profile, () => index.filePaths(), () => this.unitsOf(index, graph).model, (f) => (f >= 0 && f < index.fileCount ? index.filePath(f) : undefined)) : this.unitsOf(index, graph).model);
    // The record's answers, looked at once per value (a patch may replace them): fileBuilt is asked for every file of a path query.
    let seen: { answers: unknown; valid: BuildAnswers | null } | null = null;
    const answersNow = (): BuildAnswers | null => {
      if (!seen || seen.answers !== record.answers) seen = { answers: record.answers, valid: isBuildAnswers(record.answers) ? record.answers : null };
      return seen.valid;
    };
    let sources: IncludedSources | null = null;
    const visibility = visibilityOf(index, graph, () => (sources ??= new IncludedSources(index.filePaths(), graph)));
    const act = (): ReturnType<typeof activityFromBuild> => (activity ??= activityFromBuild(index, model(), new CodeMacroTruth(model(), new Map(record.macroDefs), (unit, file) => visibility.sees(unit, file))));
    return {
      visibility,
      activity: { activity: (c, n) => act().activity(c, n), callActive: (f, cond, line) => act().callActive!(f, cond, line), whyCall: (f, cond, line) => act().whyCall!(f, cond, line), unitDependent: (n) => act().unitDependent?.(n) ?? false, pathBuilt: (path) => act().pathBuilt!(path), why: (c, n) => act().why(c, n), fileBuilt: (f) => {
        const answers = this.profile.kbuild ? answersNow() : null;
        return (answers ? answeredBuilt(answers, f) : undefined) ?? act().fileBuilt(f);
      }, whyNotBuilt: (f) => act().whyNotBuilt(f), configSource: isBuildAnswers(record.answers) ? record.answers.source : this.built.model.config.source },
      declarers: (name) => (declarers ??= new Map(record.declarers)).get(name) ?? [],
      linkUnit: linkUnitsFrom(index, model),
    };
  }

  /** What the graph cache keeps (see BuildRecord), for an index whose scope came from scopeFor. */
  record(index: CodeIndex): BuildRecord {
    const { files, absent, kbuildOutput } = this.built;
    const model = this.unitsOf(index, index.includeGraph).model;
    const { declarers, macroDefs } = this.gather(index);
    // Every condition of the index's definitions and of the code macros conditions test: the options they name are answered.
    const conds = new Set<string>();
    for (const f of index.files) for (const d of [...f.functions, ...f.macros]) if (d.cond !== undefined) conds.add(d.cond);
    for (const f of index.files) for (const fn of f.functions) for (const c of fn.calls) if (c.cond !== undefined) conds.add(c.cond);
    for (const [, defs] of macroDefs) for (const d of defs) if (d.cond !== undefined) conds.add(d.cond);
    const answers = buildAnswers(model, index.files.map((f) => f.path), conds);
    return { version: BUILD_MODEL_VERSION, key: model.config.key, config: this.config, files, absent, ...(kbuildOutput !== undefined ? { kbuildOutput } : {}), includes: decided(index.includeGraph.snapshot(), (cond) => model.condition(cond) !== Truth.No), declarers: [...declarers], macroDefs: [...macroDefs], includeNames: includeNamesOf(index.files), answers };
  }

  /**
   * The `.c` files of `index` other `.c` files include (under `graph`, its include graph), and the
   * build model answering for them from their includers (index/included-sources.ts); made once per index and graph.
   */
  private unitsOf(index: CodeIndex, graph: IncludeGraph): { sources: IncludedSources; model: BuildModel } {
    if (this.units?.index !== index || this.units.graph !== graph) {
      const sources = new IncludedSources(index.filePaths(), graph);
      this.units = { index, graph, sources, model: withIncludedSources(this.built.model, sources) };
    }
    return this.units;
  }

  private units: { index: CodeIndex; graph: IncludeGraph; sources: IncludedSources; model: BuildModel } | null = null;

  /** The prototype declarers of tied names and the tested code macros of an index with facts, read from its facts once. */
  private gather(index: CodeIndex): { declarers: Map<string, number[]>; macroDefs: MacroDefinitions } {
    if (this.gathered?.index !== index) this.gathered = { index, declarers: tieDeclarers(index), macroDefs: testedMacroDefinitions(index) };
    return this.gathered;
  }
}

/** stat() of a path, or undefined when it is absent or cannot be looked at (as BuildFileReader counts it: absent). */
function statQuiet(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A snapshot with each include's condition decided: followed ones lose their condition, the others their target. */
function decided(snapshot: IncludeGraphSnapshot, mayHold: (cond: string) => boolean): IncludeGraphSnapshot {
  // In shared memory: a patch's build record is handed to the cache writer's thread without a copy (util/shared-arrays.ts sharedFrom).
  const targets = sharedFrom(Int32Array, snapshot.targets);
  const conds = sharedFrom(Int32Array, snapshot.conds);
  for (let k = 0; k < conds.length; k++) {
    if (conds[k]! < 0) continue;
    if (!mayHold(snapshot.conditions[conds[k]!]!)) targets[k] = -1;
    conds[k] = -1;
  }
  return { ...snapshot, targets, conds, conditions: [] };
}

/**
 * IncludeVisibility by file id from an include graph over the index's files: a file sees its own
 * include closure and, when other `.c` files include it (`sources`, or a function making them when
 * first needed), that of each translation unit it is a part of.
 */
function visibilityOf(index: CodeIndex, graph: IncludeGraph, sources: IncludedSources | (() => IncludedSources)): IncludeVisibility {
  let made = typeof sources === 'function' ? null : sources;
  const units = (caller: number): readonly number[] => (caller < 0 ? [] : (made ??= (sources as () => IncludedSources)()).unitsOf(caller));
  return {
    sees: (caller, file) => graph.sees(caller, file) || units(caller).some((unit) => graph.sees(unit, file)),
    includedVia: (caller, file) => {
      const own = graph.includedVia(caller, file);
      if (own) return own.slice(1).map((id) => index.filePath(id));
      for (const unit of units(caller)) {
        const via = graph.includedVia(unit, file);
        if (via) return via.map((id) => index.filePath(id));
      }
      return undefined;
    },
  };
}
