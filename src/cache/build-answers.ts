/**
 * What binding by name asks of the build model, answered in advance and kept in the build record
 * (tree-build.ts BuildRecord.answers), so that a patched graph breaks ties between same-named
 * definitions without making the model again (reading every Kconfig and Kbuild file: about 0.5 s
 * on a whole kernel). Two kinds of answers are kept: whether Kbuild builds each file of the index
 * (BuildModel.built) and the composite object each is linked into (BuildModel.linkUnit), and the value of each config option the index's preprocessor conditions
 * name (ConfigModel.value), from which the truth of any condition over them follows exactly as
 * the model evaluates it (parse/kbuild/condition.ts). A question the answers do not cover (a file
 * a patch added, a condition an edit wrote over another option, an explanation of why a file is
 * not built) makes the model then, once: the answers are the model's own, never a guess.
 */
import { indexOfSorted } from '../util/sorted.js';
import { includeDirsFor } from '../index/include-dirs.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { conditionEvaluator, configEnvironment, evaluateCondition, explainCondition, withCodeMacros } from '../parse/kbuild/condition.js';
import type { Profile } from '../profiles/profile.js';
import { type BuildModel, type BuiltRules, type ConfigKind, Truth } from '../types/build.js';
import { type BuiltLookup, builtBy, lookupOfRules } from '../index/built-rules.js';

/** The answers kept (see the module comment). */
export interface BuildAnswers {
  /** ConfigModel.kind and .source of the model answered. */
  kind: ConfigKind;
  source: string;
  /**
   * BuildModel.built of each file, by file id of the graph's index: 2 bits a file (Truth, or
   * NOT_KEPT for a file the answers do not cover), four files a byte, file f in bits 2*(f%4).
   */
  built: Uint8Array;
  /** Raw-deflated JSON of `[option, value | null][]`: ConfigModel.value of each option named by a condition of the index (null: unknown to the config). */
  options: Uint8Array;
  /** Raw-deflated JSON of `[unit, fileIds][]`: BuildModel.linkUnit of each file of the index that has one, grouped by unit (file ids ascending). */
  units: Uint8Array;
  /** Raw-deflated JSON of BuildModel.includeFlags: `{flags: [folder, own, subdir][], makefiles: folder[]}`, from which includeDirsFor answers for any file. Absent in records written before it was kept. */
  includeFlags?: Uint8Array;
  /**
   * Raw-deflated JSON of BuildModel.builtRules (the truth of every object Kbuild's rules name and
   * every folder they enter, the folders other architectures alone enter), from which
   * index/built-rules.ts builtBy answers BuildModel.built for a file the index did not have (added
   * by a patch) without making the model. Absent in records written before it was kept (the model is made then).
   */
  rules?: Uint8Array;
  /**
   * The model's digests (ConfigModel.valuesDigest, BuildModel.unitsDigest and imagesDigest): what build-renew.ts
   * compares when build files change, for the answers the graph may have asked beyond those kept
   * (an option a patched file's condition names, the link unit of a file a patch added). Absent
   * in records written before they were kept, or from a model that gives none.
   */
  digests?: { values: string; units: string; images?: string };
}

/** The 2-bit code of a file whose Kbuild answer is not kept (added by a patch): the model is asked. */
const NOT_KEPT = 3;

/**
 * Config options a condition names (`CONFIG_...`), with those their state follows
 * (parse/kbuild/condition.ts): for `CONFIG_X_MODULE`, `CONFIG_X`; for `CONFIG_X`, `CONFIG_X_MODULE`
 * (IS_ENABLED and the other config tests read it).
 */
function optionsNamed(cond: string, into: Set<string>): void {
  for (const m of cond.matchAll(/\bCONFIG_\w+/g)) {
    into.add(m[0]);
    into.add(m[0].endsWith('_MODULE') ? m[0].slice(0, -'_MODULE'.length) : `${m[0]}_MODULE`);
  }
}

/** Packs Truth values (or NOT_KEPT) 2 bits each. */
function packTruths(truths: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(truths.length / 4));
  for (let f = 0; f < truths.length; f++) out[f >> 2]! |= (truths[f]! & 3) << ((f & 3) * 2);
  return out;
}

/** The 2-bit code of file `f` (NOT_KEPT past the end). */
const truthAt = (packed: Uint8Array, f: number): number => (f >> 2 < packed.length ? (packed[f >> 2]! >> ((f & 3) * 2)) & 3 : NOT_KEPT);

/**
 * The answers of `model` for an index's files (paths by file id) and the conditions `conds` (every
 * preprocessor condition of its definitions, and of the code macros conditions test).
 */
export function buildAnswers(model: BuildModel, paths: readonly string[], conds: Iterable<string>): BuildAnswers {
  const names = new Set<string>();
  for (const c of conds) optionsNamed(c, names);
  const options = [...names].sort().map((n) => [n, model.config.value(n) ?? null]);
  const units = new Map<string, number[]>();
  paths.forEach((p, f) => {
    const unit = p.endsWith('.c') || p.endsWith('.h') ? model.linkUnit(p) : undefined;
    if (unit !== undefined) (units.get(unit) ?? units.set(unit, []).get(unit)!).push(f);
  });
  const { flags, makefiles } = model.includeFlags;
  const kept = { flags: [...flags].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([folder, f]) => [folder, f.own, f.subdir]), makefiles: [...makefiles].sort() };
  const digests = model.config.valuesDigest && model.unitsDigest ? { digests: { values: model.config.valuesDigest(), units: model.unitsDigest(), ...(model.imagesDigest ? { images: model.imagesDigest() } : {}) } } : {};
  return { kind: model.config.kind, source: model.config.source, built: packTruths(paths.map((p) => model.built(p))), options: deflateRawSync(JSON.stringify(options)), units: packUnits(units), includeFlags: deflateRawSync(JSON.stringify(kept)), rules: deflateRawSync(JSON.stringify(model.builtRules())), ...digests };
}

/** BuildAnswers.units as each file id's unit (files with none left out). */
export function answeredUnits(answers: BuildAnswers): Map<number, string> {
  const out = new Map<number, string>();
  for (const [unit, files] of unpackUnits(answers.units)) for (const f of files) out.set(f, unit);
  return out;
}

/** BuildModel.includeDirs as the answers keep what it answers from; undefined when they keep nothing (an older record). */
export function answeredIncludeDirs(answers: BuildAnswers | undefined): ((path: string) => readonly string[]) | undefined {
  if (!answers?.includeFlags) return undefined;
  const kept = JSON.parse(inflateRawSync(answers.includeFlags).toString('utf8')) as { flags: [string, string[], string[]][]; makefiles: string[] };
  const flags = new Map(kept.flags.map(([folder, own, subdir]) => [folder, { own, subdir }]));
  const makefiles = new Set(kept.makefiles);
  return (path) => includeDirsFor(path, flags, (folder) => makefiles.has(folder));
}

/** BuildAnswers.units from units by name, each with its file ids. */
const packUnits = (units: Map<string, number[]>): Uint8Array => deflateRawSync(JSON.stringify([...units]));

/** Files whose link unit answeredModel looks for in the units' lists before it makes a map of every file's. */
const UNITS_SEARCHED = 8;

/** BuildAnswers.units read back. */
const unpackUnits = (packed: Uint8Array): [string, number[]][] => JSON.parse(inflateRawSync(packed).toString('utf8')) as [string, number[]][];

/**
 * The answers for the files of a renumbered index: `map` gives each old file id its new one (-1:
 * taken out); a new id no old one maps to (an added file) is not kept.
 */
export function renumberedAnswers(answers: BuildAnswers, map: Int32Array, files: number): BuildAnswers {
  const truths = new Uint8Array(files).fill(NOT_KEPT);
  map.forEach((to, from) => {
    if (to >= 0) truths[to] = truthAt(answers.built, from);
  });
  const units = new Map<string, number[]>();
  for (const [unit, ids] of unpackUnits(answers.units)) {
    const moved = ids.map((f) => (f < map.length ? map[f]! : -1)).filter((f) => f >= 0);
    if (moved.length) units.set(unit, moved.sort((a, b) => a - b));
  }
  return { ...answers, built: packTruths(truths), units: packUnits(units) };
}

/** BuildModel.built of file id `f` of the answered index as kept (Truth), or undefined when the answers do not cover it (a file a patch added). */
export function answeredBuilt(answers: BuildAnswers, f: number): Truth | undefined {
  const t = truthAt(answers.built, f);
  return t === NOT_KEPT ? undefined : (t as Truth);
}

/** True for a value shaped as BuildAnswers (an older record may have none). */
export const isBuildAnswers = (v: unknown): v is BuildAnswers => typeof v === 'object' && v !== null && (v as BuildAnswers).built instanceof Uint8Array && (v as BuildAnswers).options instanceof Uint8Array && (v as BuildAnswers).units instanceof Uint8Array;

/**
 * A BuildModel that answers from `answers` for the files of an index (`paths()`: its paths by
 * file id, asked once, when a file's answer is first wanted) and asks `model()` (made once, when
 * first asked) what they do not cover. `key` is the record's config key. `pathAt(f)`, when given,
 * is the path of file id f alone (undefined for no such file): a file id a caller gives with a path (BuildModel.linkUnit's `at`)
 * is checked with it, so that the paths' map (43,000 entries on a kernel) is not made for a few questions.
 */
export function answeredModel(answers: BuildAnswers, key: string, profile: Pick<Profile, 'predefinedMacros' | 'undefinedMacros'>, paths: () => readonly string[], model: () => BuildModel, pathAt?: (f: number) => string | undefined): BuildModel {
  const values = new Map<string, string | null>(JSON.parse(inflateRawSync(answers.options).toString('utf8')) as [string, string | null][]);
  const value = (option: string): string | undefined => {
    const v = values.get(option);
    return v === undefined ? model().config.value(option) : (v ?? undefined);
  };
  const env = configEnvironment(value, profile.predefinedMacros, profile.undefinedMacros);
  // A path's file id: a binary search, the index's paths being in path order (discover-files.ts); the map of every path
  // (43,000 on a kernel, some 30 ms to make) only when the search misses, should they not be.
  let ids: Map<string, number> | null = null;
  let listed: readonly string[] | null = null;
  const fileId = (path: string): number | undefined => {
    const all = (listed ??= paths());
    const f = indexOfSorted(all, path);
    return f >= 0 ? f : (ids ??= new Map(all.map((p, k) => [p, k]))).get(path);
  };
  // Kbuild's rules as kept, inflated when a file the answers do not cover is first asked about.
  let rules: BuiltRules | null = null;
  let lookup: BuiltLookup | null = null;
  const keptRules = (): BuiltRules | null => (rules ??= answers.rules ? (JSON.parse(inflateRawSync(answers.rules).toString('utf8')) as BuiltRules) : null);
  const built = (path: string): Truth => {
    const f = fileId(path);
    const t = f === undefined ? NOT_KEPT : truthAt(answers.built, f);
    if (t !== NOT_KEPT) return t as Truth;
    // A file the answers do not cover (added by a patch): from the rules kept, else the model says.
    const kept = keptRules();
    return kept ? builtBy(path, (lookup ??= lookupOfRules(kept))) : model().built(path);
  };
  let units: [string, number[]][] | null = null;
  let unitOfFile: Map<number, string> | null = null;
  // The first few files asked (a patch asks of a handful) are looked for in the units' lists; past them, a map of every file is made.
  let asked = 0;
  const linkUnit = (path: string, at?: number): string | undefined => {
    const f = at !== undefined && pathAt?.(at) === path ? at : fileId(path);
    // A file the answers do not cover (added by a patch): the model says.
    if (f === undefined || truthAt(answers.built, f) === NOT_KEPT) return model().linkUnit(path);
    units ??= unpackUnits(answers.units);
    if (!unitOfFile && ++asked <= UNITS_SEARCHED) {
      // The last unit listing it, as in the map.
      for (let k = units.length - 1; k >= 0; k--) if (units[k]![1].includes(f)) return units[k]![0];
      return undefined;
    }
    unitOfFile ??= new Map(units.flatMap(([unit, files]) => files.map((id) => [id, unit] as [number, string])));
    return unitOfFile.get(f);
  };
  // Inflated when first asked (an include edit's rows, a record written again), not on every open.
  let dirsOf: ((path: string) => readonly string[]) | null | undefined;
  return {
    get includeFlags() {
      return model().includeFlags;
    },
    config: { kind: answers.kind, source: answers.source, key, value, why: (option) => model().config.why(option) },
    includeDirs: (path) => {
      if (dirsOf === undefined) dirsOf = answeredIncludeDirs(answers) ?? null;
      return dirsOf ? dirsOf(path) : model().includeDirs(path);
    },
    condition: conditionEvaluator(env),
    built,
    builtRules: () => keptRules() ?? model().builtRules(),
    linkUnit,
    conditionIn: (cond, codeMacro) => evaluateCondition(cond, withCodeMacros(env, codeMacro)),
    explainConditionIn: (cond, codeMacro) => explainCondition(cond, withCodeMacros(env, codeMacro)),
    explainCondition: (cond) => explainCondition(cond, env),
    explainBuilt: (path) => model().explainBuilt(path),
  };
}
