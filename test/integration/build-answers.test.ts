import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answeredModel, renumberedAnswers } from '../../src/cache/build-answers.js';
import { TreeBuild } from '../../src/cache/tree-build.js';
import { BUILD_MODEL_VERSION, buildBuildModel } from '../../src/index/build-model.js';
import { detectProfile } from '../../src/profiles/index.js';
import { Truth } from '../../src/types/build.js';
import { openTreeReport, type Project } from '../../src/index.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * The build record's answers (cache/build-answers.ts): a graph loaded from the cache breaks ties
 * by the answers the build model gave when the graph was resolved, without making the model, and
 * they are the model's own: every activity and every condition compares equal; what they do not
 * cover (an added file, an option no condition named) is asked of the model.
 */
describe.each(['minikernel', 'scope', 'kbuild-mini'])('build answers of %s', (fixture) => {
  it('answer every activity as the model does, without making it', async () => {
    const { dir, root } = copyFixture(fixture, 'pathfind-answers-');
    try {
      const profile = detectProfile(root);
      const { project } = await openTreeReport({ root, cache: false, facts: true });
      const index = project.index;
      const full = new TreeBuild(root, profile, '');
      const scope = full.scopeFor(index);
      const record = full.record(index);
      expect(record.answers).toBeDefined();

      const again = new TreeBuild(root, profile, '');
      const answered = again.scopeFromRecord(index, record);
      const callers = index.files.map((_, f) => f);
      let asked = 0;
      for (const caller of callers) {
        for (let node = 0; node < index.nodeCount; node++) {
          expect(answered.activity!.activity(caller, node), `${index.files[caller]!.path} -> ${index.name(node)}`).toBe(scope.activity!.activity(caller, node));
          asked++;
        }
      }
      expect(asked).toBeGreaterThan(0);
      expect(again.modelMade).toBe(false);
      // Explanations come from the model: the same words.
      for (let node = 0; node < index.nodeCount; node++) expect(answered.activity!.why(0, node)).toBe(scope.activity!.why(0, node));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ask the model for a file they do not cover and an option no condition named', () => {
    const { dir, root } = copyFixture(fixture, 'pathfind-answers-');
    try {
      const profile = detectProfile(root);
      const built = buildBuildModel(root, profile);
      const paths = ['drivers/net/added.c', 'kernel/fork.c', 'include/linux/sched.h'];
      let made = 0;
      const model = (): typeof built.model => (made++, built.model);
      // Answers for the first path only, as if the others were added by a patch (renumbered: not kept).
      const answers = renumberedAnswers(
        { kind: built.model.config.kind, source: built.model.config.source, built: new Uint8Array([1]), options: deflateRawSync('[]'), units: deflateRawSync('[]') },
        Int32Array.from([0]),
        paths.length,
      );
      const m = answeredModel(answers, built.model.config.key, profile, () => paths, model);
      expect(m.condition('defined(CONFIG_NOT_ANSWERED_ANYWHERE)')).toBe(built.model.condition('defined(CONFIG_NOT_ANSWERED_ANYWHERE)'));
      expect(made).toBeGreaterThan(0);
      for (const p of paths.slice(1)) expect(m.built(p), p).toBe(built.model.built(p));
      for (const p of paths.slice(1)) expect(m.linkUnit(p), p).toBe(built.model.linkUnit(p));
      expect(m.built('no/such/file.c')).toBe(built.model.built('no/such/file.c'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Paths no answer is kept for, as a patch adds them: beside every file of the index (another
 * name, the other source suffix), in every folder above one and below it, under folders of other
 * architectures and under none; each as .c, .S and .h.
 */
function addedPaths(paths: readonly string[]): string[] {
  const out = new Set<string>(['added.c', 'no/such/file.c', 'no/such/file.S', 'arch/arm/added.c', 'arch/arm/sub/added.c', 'drivers/added.S', 'orphan/added.c', 'added.txt']);
  for (const p of paths) {
    out.add(p.replace(/\.c$/, '.S'));
    for (let cut = p.lastIndexOf('/'); cut > 0; cut = p.lastIndexOf('/', cut - 1)) {
      const folder = p.slice(0, cut);
      for (const name of ['added.c', 'added.S', 'added.h', 'sub/added.c']) out.add(`${folder}/${name}`);
    }
  }
  for (const p of paths) out.delete(p);
  return [...out].sort();
}

describe.each(['kbuild-mini', 'scope', 'minikernel'])('build answers of %s for files a patch adds', (fixture) => {
  // A file added since the graph was resolved: whether Kbuild builds it is answered from the Kbuild
  // rules the answers keep, as the model answers, without making the model (reading every Kconfig
  // and Kbuild file: some 3 s of a whole kernel's query after a file is added, Linux 6.1).
  it('answer whether Kbuild builds it as the model does, without making it', async () => {
    const { dir, root } = copyFixture(fixture, 'pathfind-answers-added-');
    try {
      const profile = detectProfile(root);
      const { project } = await openTreeReport({ root, cache: false, facts: true });
      const index = project.index;
      const full = new TreeBuild(root, profile, '');
      full.scopeFor(index);
      const record = full.record(index);
      const model = buildBuildModel(root, profile).model;
      const paths = index.files.map((f) => f.path);
      // And every object the rules name as a file of the other suffix (a composite object's, one with no source in the index).
      const named = model.builtRules().objects.map(([obj]) => obj.replace(/\.o$/, '.S'));
      const added = [...new Set([...addedPaths(paths), ...named])].filter((p) => !paths.includes(p));
      // The index's files, then the added ones: their ids are not kept (renumbered as a patch renumbers).
      const answers = renumberedAnswers(record.answers!, Int32Array.from(paths, (_, f) => f), paths.length + added.length);
      let made = 0;
      const m = answeredModel(answers, record.key, profile, () => [...paths, ...added], () => (made++, model));
      const truths = new Set<number>();
      for (const p of added) {
        expect(m.built(p), p).toBe(model.built(p));
        truths.add(model.built(p));
      }
      expect(made).toBe(0);
      // The paths asked cover every answer the model gives (not built, built, unknown) where the fixture has Kbuild rules.
      if (profile.kbuild && fixture !== 'minikernel') expect([...truths].sort()).toEqual([Truth.No, Truth.Yes, Truth.Unknown].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('build answers after a build file edit', () => {
  /** Writes a file with an mtime later than any before (the cache compares size and mtime). */
  let clock = Math.floor(Date.now() / 1000);
  const put = (path: string, text: string): void => {
    writeFileSync(path, text);
    clock += 2;
    utimesSync(path, clock, clock);
  };
  it.each([
    ['mm/Makefile', (t: string) => t.replace('obj-$(CONFIG_SLUB) += slub.o', 'obj-$(CONFIG_SLAB) += slub.o').replace('obj-$(CONFIG_SLAB) += slab.o', 'obj-$(CONFIG_SLUB) += slab.o')],
    ['arch/x86/configs/x86_64_defconfig', (t: string) => t.replace('CONFIG_SLUB=y\n# CONFIG_SLAB is not set', 'CONFIG_SLAB=y\n# CONFIG_SLUB is not set')],
  ])('are not served stale after %s changes with a source edit beside it', async (file, change) => {
    const { dir, root } = copyFixture('scope', 'pathfind-answers-');
    try {
      const cache = join(dir, 'cache');
      await openTreeReport({ root, cache });
      const binds = (p: Project): string[] => p.tree('igb_probe', 1, 'callees').flatMap((t) => t.root.children.filter((c) => c.node.name === 'kfree').map((c) => c.node.file));
      const before = binds((await openTreeReport({ root, cache: false })).project);
      const text = readFileSync(join(root, file), 'utf8');
      expect(change(text)).not.toBe(text);
      put(join(root, file), change(text));
      const igb = join(root, 'drivers/net/igb/igb_main.c');
      put(igb, readFileSync(igb, 'utf8') + '\nvoid pathfind_test_added(void)\n{\n\tkfree(0);\n}\n');
      const cached = await openTreeReport({ root, cache });
      const scratch = await openTreeReport({ root, cache: false });
      expect(canonicalGraph(cached.project)).toEqual(canonicalGraph(scratch.project));
      // The build file's edit moves where kfree binds: answers kept from before it would be stale.
      expect(binds(scratch.project)).not.toEqual(before);
      expect(cached.report.incremental).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a build record of another build model version', () => {
  // The model's version is part of its key when the model is made, but a warm open makes no model:
  // the record must say which version made it, or a bump would leave cached graphs standing.
  it('does not hold: the graph is resolved again', async () => {
    const { dir, root } = copyFixture('kbuild-mini', 'pathfind-answers-version-');
    try {
      const profile = detectProfile(root);
      const { project } = await openTreeReport({ root, cache: false, facts: true });
      const build = new TreeBuild(root, profile, '');
      build.scopeFor(project.index);
      const record = build.record(project.index);
      expect(build.unchanged(record)).toBe(true);
      expect(build.unchanged({ ...record, version: BUILD_MODEL_VERSION - 1 } as typeof record)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
