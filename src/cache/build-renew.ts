/**
 * A cached graph's build record carried over to build files that changed without changing what
 * the graph was resolved with: a Makefile's comment or a Kconfig help text edited, a rule
 * reordered, a line added for an object no file of the graph is, an option added that no
 * configuration value moves. The build model is made again (about 0.5 s on a whole kernel) and
 * compared with the answers the record keeps (build-answers.ts): the value of every option
 * (ConfigModel.valuesDigest), whether Kbuild builds each file of the graph, each file's link unit,
 * the include folders of every Makefile. When all agree, binding by name asks nothing whose
 * answer moved, so the graph stands as it is, and only the record is written again (its files'
 * sizes, times and hashes, its key, the rules a file added later is answered from).
 */
import { inflateRawSync } from 'node:zlib';
import type { BuiltModel } from '../index/build-model.js';
import { builtBy, lookupOfRules, objectOf } from '../index/built-rules.js';
import { IncludeGraph } from '../index/include-graph.js';
import { IncludedSources, withIncludedSources } from '../index/included-sources.js';
import type { Profile } from '../profiles/profile.js';
import type { BuiltRules } from '../types/build.js';
import { answeredBuilt, answeredUnits, buildAnswers, type BuildAnswers, isBuildAnswers } from './build-answers.js';
import type { BuildRecord } from './tree-build.js';

/** Truth names for -v. */
const TRUTH_WORDS = ['no', 'yes', 'unknown'];

/**
 * The record of a graph resolved under `record` for the build `built` makes of the tree now, when
 * every answer the record keeps is the same under it; else why not, in -v's words (`whether Kbuild
 * builds net/core/utils.c changed (no to yes)`). `paths`: the graph's file paths by file id, as the
 * record numbers them (a patch's files then and now, the added ones among them: their answers, not
 * kept, came from the record's rules). A record with no digests (written before they were kept)
 * or over a dispatch table that changed (its edges come from the table: Profile.dispatchTables) is
 * not carried over. `patched`: file ids of the files a patch adds or deletes, whose answers before
 * matter to no graph (an added file's come from the new rules, a deleted one's Makefile line may go with it).
 */
export function renewedRecord(record: BuildRecord, built: BuiltModel, paths: readonly string[], profile: Pick<Profile, 'dispatchTables'>, patched: ReadonlySet<number> = new Set()): BuildRecord | string {
  const old = record.answers;
  if (!isBuildAnswers(old) || !old.digests) return 'the cached graph keeps no digest of the build model\'s answers';
  const hashes = new Map(built.files.map((f) => [f.path, f.hash]));
  const before = new Map(record.files.map((f) => [f.path, f.hash]));
  for (const t of profile.dispatchTables) {
    if (hashes.get(t.table) !== before.get(t.table)) return `the dispatch table ${t.table} changed, and the graph's edges come from it`;
  }
  // The digests and rules of the model now (no file answered: the record's answers stay, when they hold).
  const now = buildAnswers(built.model, [], []);
  if (!now.digests) return 'the build model gives no digest of its answers';
  if (now.kind !== old.kind || now.source !== old.source) return `the configuration is now ${configWords(now)}, was ${configWords(old)}`;
  if (now.digests.values !== old.digests.values) return 'a configuration option\'s value changed (the record keeps a digest of the values, not which)';
  if (!old.rules) return 'the cached graph keeps no Kbuild rules';
  // What Kbuild builds of each file, the model's own answer (its rules: builtBy), and whether a rule names the file: the answers kept
  // (with the .c files other .c files include answered from their includers, by the include graph, which is the same) follow from them.
  const [rulesThen, rulesNow] = [inflated(old.rules), inflated(now.rules)];
  const sameRules = rulesThen === rulesNow;
  const oldRules = lookupOfRules(JSON.parse(rulesThen) as BuiltRules);
  const newRules = sameRules ? oldRules : lookupOfRules(JSON.parse(rulesNow) as BuiltRules);
  /** Files an earlier patch added (answered from the rules then, their link units from the model then). */
  const added: number[] = [];
  for (let f = 0; f < paths.length; f++) {
    if (patched.has(f)) continue;
    if (answeredBuilt(old, f) === undefined) added.push(f);
    // The same rules (a comment, a help text): the same answers, file by file.
    if (sameRules) continue;
    const path = paths[f]!;
    const [then, is] = [builtBy(path, oldRules), builtBy(path, newRules)];
    if (then !== is) return `whether Kbuild builds ${path} changed (${TRUTH_WORDS[then]} to ${TRUTH_WORDS[is]})`;
    const obj = objectOf(path);
    if (obj !== undefined && (oldRules.object(obj) === undefined) !== (newRules.object(obj) === undefined)) return `whether a Kbuild rule names ${obj} changed`;
  }
  // Each file's link unit: the kept ones (with a .c file other .c files include taking its includers'), the others (files a patch added) by
  // the digest. The same digest: the same unit for any path, and the units kept are not read.
  const sameUnits = now.digests.units === old.digests.units;
  const oldUnits = sameUnits ? null : answeredUnits(old);
  const model = sameUnits ? null : withIncludedSources(built.model, new IncludedSources(paths, IncludeGraph.fromSnapshot(record.includes)));
  for (let f = 0; f < paths.length && !sameUnits; f++) {
    const path = paths[f]!;
    if (patched.has(f) || answeredBuilt(old, f) === undefined || !(path.endsWith('.c') || path.endsWith('.h'))) continue;
    const unit = model!.linkUnit(path, f);
    if (oldUnits!.get(f) !== unit) return `the link unit of ${path} changed (${oldUnits!.get(f) ?? 'none'} to ${unit ?? 'none'})`;
  }
  if (inflated(now.includeFlags) !== inflated(old.includeFlags)) return 'the include folders Makefiles add (-I flags), or the folders having a Makefile, changed';
  // A file a patch added had its link unit from the model of the build files then: the same when the digests agree, that of every
  // object (a header's is its folder's objects'), or for a file whose object no rule names, then or now, that of the images alone (imageOf).
  for (const f of sameUnits ? [] : added) {
    const path = paths[f]!;
    const obj = path.endsWith('.h') ? undefined : objectOf(path);
    const unnamed = obj !== undefined && oldRules.object(obj) === undefined && newRules.object(obj) === undefined;
    if (unnamed && old.digests.images !== undefined && now.digests.images === old.digests.images) continue;
    return `${path} was added by a patch, which took its link unit from the composite objects and images then, and they changed`;
  }
  // The answers kept are the same but for the rules and digests; the options named are the record's (their values agree).
  const answers: BuildAnswers = { ...old, rules: now.rules, digests: now.digests };
  const { kbuildOutput: _, ...rest } = record;
  return { ...rest, key: built.model.config.key, files: built.files, absent: built.absent, ...(built.kbuildOutput !== undefined ? { kbuildOutput: built.kbuildOutput } : {}), answers };
}

/** Where a configuration's values come from, in words: `the defconfig arch/x86/configs/x86_64_defconfig`, `.config`, `none`. */
const configWords = (a: Pick<BuildAnswers, 'kind' | 'source'>): string => (a.kind === 'none' ? 'none' : a.kind === 'defconfig' ? `the defconfig ${a.source}` : a.source);

/** A raw-deflated field as text ('' when absent). */
const inflated = (bytes: Uint8Array | undefined): string => (bytes ? inflateRawSync(bytes).toString('utf8') : '');

/**
 * Whether the build `payload`'s graph was resolved under still holds: null when its files are as
 * they were; else, when they moved but the model made of them now answers as the record kept,
 * what moved (TreeBuild.renewed: `payload.build` is then the record carried over), or why not
 * (TreeBuild.moved's reason, with the answer that moved). `paths`: the graph's file paths by the record's file ids; `patched`: ids of files a patch adds or deletes.
 * A record carried over is a `build` step of `ctx.steps` (a patch's, for -v).
 */
export function buildRenewed(ctx: { buildMoved: (record: BuildRecord | undefined) => string | null; renewBuild?: (record: BuildRecord, paths: readonly string[], patched?: ReadonlySet<number>) => BuildRecord | string; steps?: { inside(step: string, detail: string, ms: number): void } }, payload: { build?: BuildRecord | undefined }, paths: () => readonly string[], patched?: ReadonlySet<number>): string | { renewed: string } | null {
  const moved = ctx.buildMoved(payload.build);
  if (!moved) return null;
  if (!ctx.renewBuild || !payload.build) return moved;
  const start = performance.now();
  const renewed = ctx.renewBuild(payload.build, paths(), patched);
  if (typeof renewed === 'string') return renewed ? `${moved}, and ${renewed}` : moved;
  payload.build = renewed;
  // A patch's steps say it (-v), with the time the model took to make and compare.
  ctx.steps?.inside('build', `${moved}, and the build model answers as before`, performance.now() - start);
  return { renewed: moved };
}
