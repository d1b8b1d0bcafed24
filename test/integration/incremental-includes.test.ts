import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTreeReport } from '../../src/index.js';
import { editFile, putFile } from '../support/edit-files.js';
import { copyFixture } from '../support/fixtures.js';
import { canonicalGraph } from '../support/tree-edits.js';

/**
 * #include lines added and removed through the cache (cache/include-edit.ts): the calls whose
 * answer the file's new include closure changes are bound again, and the graph equals a fresh
 * index of the edited tree; what the patch does not cover is resolved in full, and -v says why.
 * Fixture: fixtures/incr/includes (fast.h has a static inline pf_fold, fold.c a global one, and
 * fast.h a macro pf_wrap that user.c calls).
 */

/** A private copy of the fixture, indexed once with its cache. */
async function indexed(): Promise<{ root: string; cache: string }> {
  const { dir, root } = copyFixture('incr/includes', 'pathfind-incr-includes-');
  const cache = join(dir, 'cache');
  await openTreeReport({ root, cache });
  return { root, cache };
}

/** Opens the tree through its cache and from scratch: whether the cache was patched, every -v line, and both canonical graphs. */
async function compareWithFresh(root: string, cache: string): Promise<{ incremental: boolean; why: string; got: string[]; want: string[] }> {
  const trace: string[] = [];
  const cached = await openTreeReport({ root, cache, onTrace: (m) => trace.push(m) });
  const scratch = await openTreeReport({ root, cache: false });
  return { incremental: cached.report.incremental, why: trace.join(' | '), got: canonicalGraph(cached.project), want: canonicalGraph(scratch.project) };
}

const FAST = '#include "common.h"\n#include "fast.h"\n';

/** The edge rows of one caller in a canonical graph. */
const edgesOf = (rows: string[], caller: string): string[] => rows.filter((r) => r.startsWith(`edge ${caller}@`));

/** Edits `file` (`from` replaced by `to`), then puts it back: each step patched and equal to a fresh index; the canonical graphs after each, and -v after the edit. */
async function editedThenRestored(file: string, from: string, to: string): Promise<{ added: string[]; why: string; removed: string[] }> {
  const { root, cache } = await indexed();
  const original = readFileSync(join(root, file), 'utf8');
  editFile(root, file, from, to);
  const added = await compareWithFresh(root, cache);
  expect(added.got).toEqual(added.want);
  expect(added.incremental, added.why).toBe(true);
  putFile(root, file, original);
  const removed = await compareWithFresh(root, cache);
  expect(removed.got).toEqual(removed.want);
  expect(removed.incremental, removed.why).toBe(true);
  return { added: added.got, why: added.why, removed: removed.got };
}

describe('#include lines edited, through the cache', () => {
  it('an include that makes a static inline of a header visible beside a global of the name: patched, then removed again: patched', async () => {
    const { added, why, removed } = await editedThenRestored('user.c', '#include "common.h"\n', FAST);
    expect(why).toMatch(/#include lines of user\.c changed: calls of \d+ names? bound again/);
    // user_run calls the static inline of fast.h, not fold.c's global, and back.
    expect(edgesOf(added, 'user_run').some((r) => r.includes('-> pf_fold@fast.h:'))).toBe(true);
    expect(edgesOf(added, 'user_run').some((r) => r.includes('-> pf_fold@fold.c:'))).toBe(false);
    expect(edgesOf(removed, 'user_run').some((r) => r.includes('-> pf_fold@fold.c:'))).toBe(true);
  });

  it('an include of a header defining a macro the file calls: patched (the call is no longer bound without visibility), and removed again', async () => {
    const { why } = await editedThenRestored('user.c', 'int user_wrap', '#include "fast.h"\n\nint user_wrap');
    expect(why).toMatch(/calls of 2 names bound again \(pf_fold, pf_wrap\)/);
  });

  it('an include with a body edit in one save: patched', async () => {
    const { root, cache } = await indexed();
    const text = readFileSync(join(root, 'user.c'), 'utf8');
    putFile(root, 'user.c', text.replace('#include "common.h"\n', FAST).replace('\treturn n + 1;', '\treturn pf_fold(n) + pf_target(n);'));
    const { got, want, incremental, why } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(true);
    expect(edgesOf(got, 'user_plain').some((r) => r.includes('-> pf_fold@fast.h:'))).toBe(true);
  });

  it('an include that changes nothing any call binds to (a header already in the closure): patched, nothing bound again, and removed again', async () => {
    const { why } = await editedThenRestored('fold.c', '#include "common.h"\n', '#include "common.h"\n#include "common.h"\n');
    expect(why).toMatch(/no call binds otherwise/);
  });

  it('a header\'s #include lines edited: the calls of the files including it that bind otherwise are bound again, patched; removed again: patched', async () => {
    const { added, why } = await editedThenRestored('user.h', '#include "common.h"\n', FAST);
    expect(why).toMatch(/#include lines of user\.h changed: calls of 2 names bound again \(pf_fold, pf_wrap\) and 2 calls of 1 file\(s\) including it/);
    expect(edgesOf(added, 'user_run').some((r) => r.includes('-> pf_fold@fast.h:'))).toBe(true);
  });

  it('a header\'s #include lines edited with a body edit of a file including it, in one save: patched, that file\'s calls bound by its new facts', async () => {
    const { root, cache } = await indexed();
    editFile(root, 'user.h', '#include "common.h"\n', FAST);
    editFile(root, 'user.c', '\treturn n + 1;', '\treturn pf_wrap(n) + pf_fold(n);');
    const { got, want, incremental, why } = await compareWithFresh(root, cache);
    expect(got).toEqual(want);
    expect(incremental, why).toBe(true);
    expect(edgesOf(got, 'user_plain').some((r) => r.includes('-> pf_fold@fast.h:'))).toBe(true);
  });

  /** [case, file, text replaced, its replacement, the reason -v gives] */
  const FULL: [string, string, string, string, RegExp][] = [
    ['an include that changes what a name bound as a value binds to', 'hook.c', '#include "common.h"\n', FAST, /hook\.c: its include closure changes what pf_fold binds to, and it names pf_fold other than in calls/],
    ['a header\'s #include lines edited, a file including it naming a name that binds otherwise as a value', 'common.h', 'int fold_twice(int x);\n', 'int fold_twice(int x);\n#include "fast.h"\n', /hook\.c: its include closure changes what pf_fold binds to, and it names pf_fold other than in calls/],
    ['an include under a condition the cached build never decided', 'user.c', '#include "common.h"\n', '#include "common.h"\n#ifdef CONFIG_PF_FAST\n#include "fast.h"\n#endif\n', /user\.c: an #include under a condition the cached build did not decide was added/],
  ];
  for (const [name, file, from, to, reason] of FULL) {
    it(`${name}: resolved in full, saying why, equal to a fresh index`, async () => {
      const { root, cache } = await indexed();
      editFile(root, file, from, to);
      const { got, want, incremental, why } = await compareWithFresh(root, cache);
      expect(got).toEqual(want);
      expect(incremental, why).toBe(false);
      expect(why).toMatch(reason);
    });
  }
});

describe('#include lines edited under a macro whose body binds per translation unit', () => {
  // Found by a random edit sequence (seed 1091): BUG_ON's body calls BUG, which each expanding
  // file binds as its closure sees it (resolve/bind-expansion.ts); a header no longer including
  // x86's asm/bug.h changed what BUG_ON's BUG binds in tcp_timer.c, and the patch kept the old edge.
  it('binds again the calls of macros whose bodies call a name the new closure binds otherwise', async () => {
    const { dir, root } = copyFixture('macrounit', 'pathfind-incr-macrounit-');
    const cache = join(dir, 'cache');
    await openTreeReport({ root, cache });
    editFile(root, 'arch/x86/include/asm/bug.h', '#include <asm-generic/bug.h>\n', '');
    const first = await compareWithFresh(root, cache);
    expect(first.got).toEqual(first.want);
    editFile(root, 'include/linux/bug.h', '#include <asm/bug.h>\n', '');
    const step = await compareWithFresh(root, cache);
    expect(step.got).toEqual(step.want);
    expect(edgesOf(step.want, 'tcp_write_timer').some((r) => r.includes('-> BUG@arch/x86/include/asm/bug.h:'))).toBe(false);
  });
});
